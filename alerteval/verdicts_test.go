package alerteval

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"trustwatch"
)

func TestFromVerdicts(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2025, 3, d, 10, 0, 0, 0, trustwatch.DefaultLocation()) }
	resolved := day(9)
	alerts := []trustwatch.Alert{
		// volume.spike: 4 alerts; s1 marked false, s2 resolved (real), s3
		// resolved and marked false, s4 open and unjudged.
		{ID: "s1", Kind: "volume.spike", Opened: day(1)},
		{ID: "s2", Kind: "volume.spike", Opened: day(2), Resolved: &resolved},
		{ID: "s3", Kind: "volume.spike", Opened: day(3), Resolved: &resolved},
		{ID: "s4", Kind: "volume.spike", Opened: day(4)},
		// term.emerging: both open, one marked false.
		{ID: "t1", Kind: "term.emerging", Opened: day(2)},
		{ID: "t2", Kind: "term.emerging", Opened: day(5)},
		// metric.low: open, unjudged.
		{ID: "m1", Kind: "metric.low", Opened: day(6)},
	}
	verdicts := []trustwatch.Verdict{{Alert: "s1"}, {Alert: "s3"}, {Alert: "t1"}, {Alert: "gone"}}
	p := func(v float64) *float64 { return &v }
	tests := []struct {
		name string
		opt  Options
		want []KindPrecision // the kinds, then the total
	}{
		{"every kind", Options{}, []KindPrecision{
			{Kind: "metric.low", Alerts: 1, Open: 1},
			{Kind: "term.emerging", Alerts: 2, Judged: 1, FalseAlarms: 1, Open: 1, Precision: p(0)},
			{Kind: "volume.spike", Alerts: 4, Judged: 3, FalseAlarms: 2, Open: 1, Precision: p(1.0 / 3)},
			{Kind: "all", Alerts: 7, Judged: 4, FalseAlarms: 3, Open: 3, Precision: p(0.25)},
		}},
		{"kinds and days", Options{Kinds: []string{"volume.*"}, From: "2025-03-02", To: "2025-03-03"}, []KindPrecision{
			{Kind: "volume.spike", Alerts: 2, Judged: 2, FalseAlarms: 1, Precision: p(0.5)},
			{Kind: "all", Alerts: 2, Judged: 2, FalseAlarms: 1, Precision: p(0.5)},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := FromVerdicts(alerts, verdicts, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			got := append(rep.Kinds, rep.Total)
			if len(got) != len(tt.want) {
				t.Fatalf("%d rows, want %d: %+v", len(got), len(tt.want), got)
			}
			for i, w := range tt.want {
				g := got[i]
				if g.Kind != w.Kind || g.Alerts != w.Alerts || g.Judged != w.Judged || g.FalseAlarms != w.FalseAlarms || g.Open != w.Open || Pct(g.Precision) != Pct(w.Precision) {
					t.Errorf("row %d = %+v precision %s, want %+v precision %s", i, g, Pct(g.Precision), w, Pct(w.Precision))
				}
			}
		})
	}
	if _, err := FromVerdicts(alerts, verdicts, Options{From: "March"}); err == nil {
		t.Error("a bad --from was accepted")
	}
	rep, _ := FromVerdicts(alerts, verdicts, Options{})
	var buf bytes.Buffer
	rep.WriteText(&buf)
	for _, want := range []string{"metric.low                     1       0       0       1       n/a", "all                            7       4       3       3      0.25"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, buf.String())
		}
	}
}
