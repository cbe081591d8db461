package analyze_test

import (
	"context"
	"io"
	"log/slog"
	"math"
	"strings"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/alert"
	"trustwatch/analyze"
	"trustwatch/sqlite"
)

// fixed is a detector that reports what it is given, and records the
// period it was asked about.
type fixed struct {
	dets     []trustwatch.Detection
	from, to time.Time
}

func (*fixed) Name() string                      { return "fixed" }
func (*fixed) Kinds() []trustwatch.DetectionKind { return nil }
func (f *fixed) Detect(_ context.Context, in trustwatch.DetectInput) ([]trustwatch.Detection, error) {
	f.from, f.to = in.From, in.To
	return f.dets, nil
}

func TestRunCoversAllDataAndCleansScores(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	loc := trustwatch.DefaultLocation()
	// Two items three years apart: older than the 400 days analyze once
	// limited itself to.
	first := time.Date(2022, 5, 1, 9, 0, 0, 0, loc)
	last := time.Date(2025, 5, 1, 9, 0, 0, 0, loc)
	if _, _, err := db.PutItems(ctx, []trustwatch.Item{
		{Platform: "weibo", ID: "1", Time: first, Text: "a"},
		{Platform: "weibo", ID: "2", Time: last, Text: "b"},
	}); err != nil {
		t.Fatal(err)
	}
	det := &fixed{dets: []trustwatch.Detection{
		{Kind: "volume.spike", Entity: "xiaomi", Time: last, Value: math.Inf(1), Statement: "x"},
	}}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	r := &analyze.Runner{Store: db, Watch: &trustwatch.Watch{}, Location: loc, Detectors: []trustwatch.Detector{det},
		Engine: &alert.Engine{Store: db, Log: quiet}}
	rep, err := r.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !det.from.Equal(first) || !det.to.Equal(last.Add(time.Second)) {
		t.Errorf("detector asked about %v … %v, want all the data %v … %v", det.from, det.to, first, last)
	}
	if rep.Days != 1097 { // 2022-05-01 … 2025-05-01, both ends included
		t.Errorf("days = %d, want 1097", rep.Days)
	}
	if len(rep.Result.New) != 1 {
		t.Fatalf("new alerts %+v", rep.Result.New)
	}
	a := rep.Result.New[0]
	if a.Value != 0 || a.Severity != trustwatch.SeverityMedium {
		t.Errorf("alert value %v severity %q, want 0 and the registry's medium", a.Value, a.Severity)
	}
	if len(rep.Notes) != 1 || !strings.Contains(rep.Notes[0], "non-finite score (+Inf)") {
		t.Errorf("notes %q", rep.Notes)
	}
}

func TestRunNotesAYoungStore(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	at := time.Date(2024, 3, 30, 12, 0, 0, 0, trustwatch.DefaultLocation())
	if _, _, err := db.PutItems(ctx, []trustwatch.Item{{Platform: "weibo", ID: "1", Time: at, Text: "a"}}); err != nil {
		t.Fatal(err)
	}
	r := &analyze.Runner{Store: db, Watch: &trustwatch.Watch{}, Detectors: []trustwatch.Detector{&fixed{}},
		Engine: &alert.Engine{Store: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}}
	rep, err := r.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Notes) != 1 || !strings.Contains(rep.Notes[0], "the store holds 0.0 days of items") {
		t.Errorf("notes %q", rep.Notes)
	}
}
