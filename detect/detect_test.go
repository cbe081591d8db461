package detect_test

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/alert"
	"trustwatch/detect"
	"trustwatch/sqlite"
)

var sh = trustwatch.DefaultLocation()

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, sh)
	if err != nil {
		panic(err)
	}
	return t
}

func dur(s string) trustwatch.Duration {
	d, err := trustwatch.ParseDuration(s)
	if err != nil {
		panic(err)
	}
	return d
}

func f(v float64) *float64 { return &v }

func TestRegistry(t *testing.T) {
	seen := map[string]bool{}
	for _, d := range detect.All() {
		if d.Name() == "" || seen[d.Name()] {
			t.Errorf("detector name %q empty or repeated", d.Name())
		}
		seen[d.Name()] = true
		for _, k := range d.Kinds() {
			if k.Label == "" || trustwatch.SeverityRank(k.Severity) == 0 || !strings.Contains(k.Kind, ".") {
				t.Errorf("%s: kind %+v needs a dotted kind, a label and a severity", d.Name(), k)
			}
			if got, ok := detect.Kind(k.Kind); !ok || got != k {
				t.Errorf("Kind(%q) = %+v, %v", k.Kind, got, ok)
			}
		}
	}
	for _, tt := range []struct {
		detector     string
		series, item bool
	}{
		{"low", true, false}, {"sla", true, false}, {"spc", true, false},
		{"volume.spike", false, true}, {"term.nickname", false, true}, {"claim.default", false, true},
		{"metric.low", false, false}, // a kind of a series rule is not an item rule
		{"nope", false, false},
	} {
		if detect.SeriesRule(tt.detector) != tt.series || detect.ItemRule(tt.detector) != tt.item {
			t.Errorf("%s: SeriesRule %v ItemRule %v, want %v %v", tt.detector,
				detect.SeriesRule(tt.detector), detect.ItemRule(tt.detector), tt.series, tt.item)
		}
	}
	if _, ok := detect.Kind("volume.spike"); !ok {
		t.Error("volume.spike is not registered")
	}
}

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

// runSeries runs the registry's series detectors, as analyze does.
func runSeries(ctx context.Context, store trustwatch.SeriesStore, w *trustwatch.Watch) ([]trustwatch.Detection, error) {
	in := trustwatch.DetectInput{Series: store, Watch: w, Location: sh}
	var dets []trustwatch.Detection
	var errs []string
	for _, d := range detect.All() {
		if !slices.ContainsFunc(d.Kinds(), func(k trustwatch.DetectionKind) bool { return k.Rule != "" }) {
			continue
		}
		ds, err := d.Detect(ctx, in)
		if err != nil {
			errs = append(errs, err.Error())
		}
		dets = append(dets, ds...)
	}
	if len(errs) > 0 {
		return dets, trustwatch.Errorf(trustwatch.EINVALID, "%s", strings.Join(errs, "; "))
	}
	return dets, nil
}

func openStore(t *testing.T, pts []trustwatch.Point) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, _, err := db.PutPoints(context.Background(), pts); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestSeriesDetectors(t *testing.T) {
	w, pts := caseWatch()
	store := openStore(t, pts)
	dets, err := runSeries(context.Background(), store, w)
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
	dets, err = runSeries(context.Background(), store, bad)
	if len(dets) != 1 || err == nil {
		t.Fatalf("dets %d err %v", len(dets), err)
	}
	for _, s := range []string{`rule ghost: detector low needs a declared series, got "nope"`, "rule no-target: detector sla needs a positive target", `rule orphan: detector drawdown needs a declared series, got ""`} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q lacks %q", err, s)
		}
	}
}

// raise is what `trustwatch analyze` does with the series.
func raise(t *testing.T, db *sqlite.DB, w *trustwatch.Watch) alert.Result {
	t.Helper()
	dets, err := runSeries(context.Background(), db, w)
	if err != nil {
		t.Fatal(err)
	}
	e := &alert.Engine{Store: db, Rules: w.Rules, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	res, err := e.Raise(context.Background(), dets)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestSeriesAlertsTwice(t *testing.T) {
	w, pts := caseWatch()
	// Sub-second times: the store keeps seconds, the alerts must not drift.
	for i := range pts {
		pts[i].Time = pts[i].Time.Add(time.Duration(i) * time.Millisecond)
	}
	db := openStore(t, pts)
	first := raise(t, db, w)
	if len(first.New) != 5 {
		t.Fatalf("first run: %d new", len(first.New))
	}
	if res := raise(t, db, w); len(res.New) != 0 || len(res.Updated) != 0 {
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
	res := raise(t, db, w)
	if len(res.New) != 0 || len(res.Updated) != 1 || res.Updated[0].Value != 39.1 {
		t.Fatalf("third run: %+v", res)
	}
}
