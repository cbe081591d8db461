package metrics_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"trustwatch"
	"trustwatch/metrics"
	"trustwatch/sqlite"
)

// scrape serves the metrics and parses what a Prometheus server would read.
func scrape(t *testing.T, m *metrics.Metrics) map[string]*dto.MetricFamily {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(rec.Body.String()))
	if err != nil {
		t.Fatalf("%v\n%s", err, rec.Body)
	}
	return fams
}

// value returns the value of the series of family name with exactly the
// given labels (k=v,k=v), and whether it is there.
func value(fams map[string]*dto.MetricFamily, name, labels string) (float64, bool) {
	f := fams[name]
	if f == nil {
		return 0, false
	}
	for _, m := range f.Metric {
		var ls []string
		for _, l := range m.Label {
			ls = append(ls, l.GetName()+"="+l.GetValue())
		}
		if strings.Join(ls, ",") != labels {
			continue
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue(), true
		case m.Gauge != nil:
			return m.Gauge.GetValue(), true
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount()), true
		}
	}
	return 0, false
}

func TestMetrics(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	t0 := time.Unix(1749715200, 0)
	items := []trustwatch.Item{
		{ID: "1", Platform: "weibo", Kind: trustwatch.KindPost, Text: "a", Time: t0},
		{ID: "2", Platform: "weibo", Kind: trustwatch.KindPost, Text: "b", Time: t0.Add(time.Hour)},
		{ID: "3", Platform: "xhs", Kind: trustwatch.KindPost, Text: "c", Time: t0},
	}
	if _, _, err := db.PutItems(ctx, items); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.PutQuarantine(ctx, []trustwatch.Quarantined{{File: "f", Line: 1, Reason: "x", Time: t0}}); err != nil {
		t.Fatal(err)
	}
	acked := t0
	for _, a := range []trustwatch.Alert{
		{ID: "a1", Rule: "r", Kind: "volume.spike", Severity: "high", Opened: t0, Updated: t0},
		{ID: "a2", Rule: "r", Kind: "volume.spike", Severity: "high", Opened: t0, Updated: t0},
		{ID: "a3", Rule: "r", Kind: "metric.low", Severity: "low", Opened: t0, Updated: t0, Acked: &acked},
	} {
		if err := db.PutAlert(ctx, &a); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.PutDeliveries(ctx, []trustwatch.DeliveryRecord{
		{Subject: "a1", Channel: "ops", Type: "webhook", Attempt: 1, State: "failed", Status: 503},
		{Subject: "a1", Channel: "ops", Type: "webhook", Attempt: 2, State: "ok", Status: 200},
	}); err != nil {
		t.Fatal(err)
	}
	m := metrics.New(db, nil)
	m.Round(trustwatch.SourceRound{Source: "crawl", Kind: "dir", Started: t0, Duration: 2 * time.Second, Read: 10, Stored: 7, Duplicates: 2, Quarantined: 1})
	m.Round(trustwatch.SourceRound{Source: "crawl", Kind: "dir", Started: t0.Add(time.Minute), Duration: time.Second, Read: 5, Stored: 5})
	m.Round(trustwatch.SourceRound{Source: "news", Kind: "feed", Started: t0, Err: "timeout"})
	fams := scrape(t, m)
	tests := []struct {
		name, labels string
		want         float64
	}{
		{"trustwatch_source_items_total", "kind=dir,outcome=read,source=crawl", 15},
		{"trustwatch_source_items_total", "kind=dir,outcome=stored,source=crawl", 12},
		{"trustwatch_source_items_total", "kind=dir,outcome=duplicate,source=crawl", 2},
		{"trustwatch_source_items_total", "kind=dir,outcome=quarantined,source=crawl", 1},
		{"trustwatch_round_duration_seconds", "kind=dir,source=crawl", 2}, // sample count
		{"trustwatch_round_failures_total", "kind=feed,source=news", 1},
		{"trustwatch_round_failures_total", "kind=dir,source=crawl", 0},
		{"trustwatch_round_last_timestamp_seconds", "kind=dir,source=crawl", float64(t0.Unix() + 60)},
		{"trustwatch_store_items", "platform=weibo", 2},
		{"trustwatch_store_items", "platform=xhs", 1},
		{"trustwatch_store_quarantined", "", 1},
		{"trustwatch_alerts", "kind=volume.spike,severity=high,state=open", 2},
		{"trustwatch_alerts", "kind=metric.low,severity=low,state=acked", 1},
		{"trustwatch_delivery_attempts_total", "channel=ops,state=failed,type=webhook", 1},
		{"trustwatch_delivery_attempts_total", "channel=ops,state=ok,type=webhook", 1},
		{"trustwatch_store_scrape_error", "", 0},
	}
	for _, tt := range tests {
		if got, ok := value(fams, tt.name, tt.labels); !ok || got != tt.want {
			t.Errorf("%s{%s} = %v (present %v); want %v", tt.name, tt.labels, got, ok, tt.want)
		}
	}
	if got, ok := value(fams, "trustwatch_store_size_bytes", ""); !ok || got <= 0 {
		t.Errorf("store size %v, %v", got, ok)
	}
	if fams["trustwatch_round_duration_seconds"].GetMetric()[0].GetHistogram().GetSampleSum() != 3 {
		t.Errorf("round durations sum %v; want 3s", fams["trustwatch_round_duration_seconds"].GetMetric()[0].GetHistogram().GetSampleSum())
	}
}
