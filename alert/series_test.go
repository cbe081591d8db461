package alert_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/alert"
	"trustwatch/sqlite"
)

func f(v float64) *float64 { return &v }

// caseWatch is the essay's case in miniature: a stock that falls to a
// 7-month low, followers that drop by 350,000 in 30 days, SOS calls that
// take minutes to connect and body panels whose defect rate jumps.
func caseWatch() (*trustwatch.Watch, []trustwatch.Point) {
	w := &trustwatch.Watch{
		Series: []trustwatch.SeriesDef{
			{ID: "mi.close", Entity: "xiaomi", Kind: "price", Unit: "HKD"},
			{ID: "lei.followers", Entity: "leijun", Kind: "followers"},
			{ID: "sos.connect", Entity: "xiaomi", Kind: "response_seconds", Unit: "秒"},
			{ID: "body.defects", Entity: "su7", Kind: "defects"},
		},
		Rules: []trustwatch.Rule{
			{ID: "stock-low", Series: "mi.close", Detector: "low", Lookback: dur("180d"), Severity: "high"},
			{ID: "fans", Series: "lei.followers", Detector: "change", Window: dur("30d"), Below: f(-300000)},
			{ID: "sos", Series: "sos.connect", Detector: "sla", Target: 60, Percentile: 90, Period: dur("1d")},
			{ID: "body", Series: "body.defects", Detector: "spc", Chart: "p"},
			{ID: "crash", Entity: "xiaomi", Detector: "volume.spike", Severity: "high"},
		},
	}
	var pts []trustwatch.Point
	add := func(series, day string, v float64) {
		pts = append(pts, trustwatch.Point{Series: series, Time: at(day + " 16:00"), Value: v})
	}
	for i, v := range []float64{38.5, 45, 50, 55, 48, 39.8} {
		add("mi.close", []string{"2024-11-05", "2024-12-01", "2025-01-10", "2025-03-01", "2025-05-01", "2025-06-12"}[i], v)
	}
	add("lei.followers", "2025-05-01", 2900000)
	add("lei.followers", "2025-05-15", 2700000)
	add("lei.followers", "2025-05-31", 2550000)
	for i, v := range []float64{30, 45, 360, 420} {
		pts = append(pts, trustwatch.Point{Series: "sos.connect", Time: at("2025-06-12 0" + string(rune('1'+i)) + ":00"), Value: v})
	}
	for i, c := range []float64{2, 3, 2, 3, 2, 15} {
		pts = append(pts, trustwatch.Point{Series: "body.defects", Time: at("2025-06-12 08:00").AddDate(0, 0, i), Count: c, Sample: 100, Batch: "B" + string(rune('1'+i))})
	}
	return w, pts
}

func TestRunSeries(t *testing.T) {
	w, pts := caseWatch()
	store := newMemStore()
	store.PutPoints(context.Background(), pts)
	dets, err := alert.RunSeries(context.Background(), store, w, sh)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range dets {
		got = append(got, d.Rule+" "+d.Kind+" "+d.Time.In(sh).Format("2006-01-02"))
	}
	// The p chart: p̄ = 27/600 = 0.045, UCL = 0.045 + 3√(0.045·0.955/100) = 0.1072; batch 6 (15%) is out.
	// Dispersion: χ² = Σ(c−4.5)²/(100·0.045·0.955) = 133.5/4.2975 = 31.06, df 5, φ = 6.21, p < 0.001.
	want := []string{
		"stock-low metric.low 2025-06-12",
		"fans metric.change 2025-05-31",
		"sos sla.breach 2025-06-12",
		"body spc.out_of_control 2025-06-17",
		"body spc.dispersion 2025-06-17",
	}
	if !slices.Equal(got, want) {
		t.Errorf("detections\n got %q\nwant %q", got, want)
	}
	if dets[0].Statement != "mi.close 收于 39.8 HKD，创 7 个月新低（2025-06-12；上次更低为 2024-11-05 的 38.5 HKD）" {
		t.Errorf("statement %s", dets[0].Statement)
	}
	if dets[2].Statement != "sos.connect 2025-06-12 P90 为 420 秒，超过目标 60 秒（4 次中 2 次超标，占 50%；P50 45 秒，最长 420 秒）" {
		t.Errorf("statement %s", dets[2].Statement)
	}

	bad := &trustwatch.Watch{Series: w.Series, Rules: []trustwatch.Rule{
		{ID: "ghost", Series: "nope", Detector: "low"},
		{ID: "no-target", Series: "sos.connect", Detector: "sla"},
		{ID: "orphan", Detector: "drawdown"},
		w.Rules[0],
	}}
	dets, err = alert.RunSeries(context.Background(), store, bad, sh)
	if len(dets) != 1 || err == nil {
		t.Fatalf("dets %d err %v", len(dets), err)
	}
	for _, s := range []string{`rule ghost: series "nope" is not declared`, "rule no-target: detector sla needs a positive target", "rule orphan: detector drawdown needs a series"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q lacks %q", err, s)
		}
	}
}

// analyze is what `trustwatch analyze` does with the series.
func analyze(t *testing.T, series trustwatch.SeriesStore, alerts trustwatch.AlertStore, w *trustwatch.Watch) alert.Result {
	t.Helper()
	dets, err := alert.RunSeries(context.Background(), series, w, sh)
	if err != nil {
		t.Fatal(err)
	}
	e := &alert.Engine{Store: alerts, Rules: w.Rules, Log: quiet()}
	res, err := e.Raise(context.Background(), dets)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestAnalyzeTwiceRaisesNothingNew(t *testing.T) {
	w, pts := caseWatch()
	store := newMemStore()
	store.PutPoints(context.Background(), pts)
	if res := analyze(t, store, store, w); len(res.New) != 5 {
		t.Fatalf("first run: %d new", len(res.New))
	}
	if res := analyze(t, store, store, w); len(res.New) != 0 || len(res.Updated) != 0 {
		t.Fatalf("second run: %+v", res)
	}
}

func TestAnalyzeTwiceWithSQLite(t *testing.T) {
	db, err := sqlite.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	w, pts := caseWatch()
	// Sub-second times: the store keeps seconds, the alerts must not drift.
	for i := range pts {
		pts[i].Time = pts[i].Time.Add(time.Duration(i) * time.Millisecond)
	}
	if _, _, err := db.PutPoints(context.Background(), pts); err != nil {
		t.Fatal(err)
	}
	first := analyze(t, db, db, w)
	if len(first.New) != 5 {
		t.Fatalf("first run: %d new", len(first.New))
	}
	if res := analyze(t, db, db, w); len(res.New) != 0 || len(res.Updated) != 0 {
		t.Fatalf("second run: %+v", res)
	}
	stored, n, err := db.FindAlerts(context.Background(), trustwatch.AlertFilter{Rule: "stock-low"})
	i := slices.IndexFunc(first.New, func(a trustwatch.Alert) bool { return a.Rule == "stock-low" })
	if err != nil || n != 1 || i < 0 || stored[0].ID != first.New[i].ID || stored[0].Statement != first.New[i].Statement || len(stored[0].Evidence) != 2 {
		t.Fatalf("stored %+v %d %v", stored, n, err)
	}
	// A new low the next day joins the open alert (cooldown of a high alert: 1 day).
	if _, _, err := db.PutPoints(context.Background(), []trustwatch.Point{{Series: "mi.close", Time: at("2025-06-13 16:00"), Value: 39.1}}); err != nil {
		t.Fatal(err)
	}
	res := analyze(t, db, db, w)
	if len(res.New) != 0 || len(res.Updated) != 1 || res.Updated[0].Value != 39.1 {
		t.Fatalf("third run: %+v", res)
	}
}
