package analyze_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"trustwatch"
	"trustwatch/alert"
	"trustwatch/analyze"
	"trustwatch/aspect"
	"trustwatch/demo"
	"trustwatch/ingest"
	"trustwatch/reader"
	"trustwatch/segment"
	"trustwatch/sentiment"
	"trustwatch/sqlite"
	"trustwatch/watchfile"
)

// TestDemoAlertsOnTheRightDays runs every detector over the demo scenario
// and checks that each of its turns raises one alert, on the day it
// happens, and that a second run raises nothing new.
func TestDemoAlertsOnTheRightDays(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and analyses the demo scenario")
	}
	ctx := context.Background()
	dir := t.TempDir()
	files, err := demo.Generate(dir, 1, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	w, err := watchfile.Load(files.Watch)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	seg, err := segment.ForWatch(w)
	if err != nil {
		t.Fatal(err)
	}
	lex, _ := aspect.Default().With(w.Aspects)
	model := sentiment.Default()
	topics, err := ingest.CompileTopics(w, seg.Words)
	if err != nil {
		t.Fatal(err)
	}
	an := &ingest.Analyzer{Matcher: segment.NewMatcher(seg, w), Sentiment: model.ClassifyTokens,
		Aspects: func(s string) []trustwatch.AspectHit { return lex.Find(s, model) }, Topics: topics}
	for format, paths := range map[string][]string{"auto": files.Items, "metrics": {files.Metrics, files.Defects}, "events": {files.Events}} {
		in := &ingest.Ingester{Store: db, Analyzer: an, Options: reader.Options{Format: format}}
		if _, err := in.Ingest(ctx, paths, nil); err != nil {
			t.Fatal(err)
		}
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	runner := &analyze.Runner{Store: db, Watch: w, Engine: &alert.Engine{Store: db, Rules: w.Rules, Log: quiet}, Known: seg.Known}
	first, err := runner.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Result.New) == 0 {
		t.Fatal("no alerts")
	}

	loc := trustwatch.DefaultLocation()
	day := func(n int) string { return demo.Start.AddDate(0, 0, n).Format("2006-01-02") }
	opened := map[string][]string{} // kind/subject → local days opened
	for _, a := range first.Result.New {
		key := a.Kind
		if a.Kind == "term.nickname" || a.Kind == "claim.default" || a.Kind == "claim.defaulting" {
			key += "/" + a.Subject
		}
		opened[key] = append(opened[key], a.Opened.In(loc).Format("2006-01-02"))
	}
	tests := []struct {
		key      string
		from, to int // the alert opens on a day in [from, to]
	}{
		{"metric.low", demo.DayStockLow, demo.DayStockLow},
		{"sla.breach", 60, 60},
		{"spc.out_of_control", demo.DayBadBatch, demo.DayBadBatch},
		{"saydo.gap", demo.DayObjection, demo.DayObjection},
		{"term.nickname/程不群", demo.DayNickname, demo.DayNickname + 4},
		{"claim.defaulting/y9-brake", demo.DayAccident, demo.DayAccident + 3},
		{"claim.default/y9-hood", demo.DayCourt - 2, demo.DayCourt + 2},
	}
	for _, tt := range tests {
		days := opened[tt.key]
		if len(days) != 1 {
			t.Errorf("%s: opened on %v, want exactly one alert", tt.key, days)
			continue
		}
		if days[0] < day(tt.from) || days[0] > day(tt.to) {
			t.Errorf("%s opened on %s, want %s … %s", tt.key, days[0], day(tt.from), day(tt.to))
		}
	}
	spikeOnAccident := false
	for _, d := range opened["volume.spike"] {
		spikeOnAccident = spikeOnAccident || d == day(demo.DayAccident)
	}
	if !spikeOnAccident {
		t.Errorf("volume spikes on %v, none on the accident day %s", opened["volume.spike"], day(demo.DayAccident))
	}
	for _, k := range []string{"claim.default/y9-range", "claim.defaulting/y9-range"} {
		if _, ok := opened[k]; ok {
			t.Errorf("the kept claim y9-range raised %s", k)
		}
	}

	second, err := runner.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(second.Result.New) != 0 || len(second.Result.Updated) != 0 {
		t.Errorf("second run: %d new, %d updated alerts, want none", len(second.Result.New), len(second.Result.Updated))
	}
}
