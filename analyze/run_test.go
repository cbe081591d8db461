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

// TestNewTermsJoinTheirSpike: 三只羊's volume surges on 09-03; 辛巴 rises
// in its items the next day, 美诚月饼 ten days later. The first is the
// spike's story and joins it; the second, and a nickname, stand alone.
func TestNewTermsJoinTheirSpike(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	loc := trustwatch.DefaultLocation()
	day := func(d int) time.Time { return time.Date(2024, 9, d, 0, 0, 0, 0, loc) }
	if _, _, err := db.PutItems(ctx, []trustwatch.Item{{Platform: "weibo", ID: "1", Time: day(1), Text: "a"}, {Platform: "weibo", ID: "2", Time: day(20), Text: "b"}}); err != nil {
		t.Fatal(err)
	}
	w := &trustwatch.Watch{Entities: []trustwatch.Entity{
		{ID: "szy", Kind: trustwatch.EntityBrand, Name: "三只羊"},
		{ID: "xyg", Kind: trustwatch.EntityPerson, Name: "小杨哥", Parent: "szy"},
		{ID: "other", Kind: trustwatch.EntityBrand, Name: "别家"},
	}}
	det := &fixed{dets: []trustwatch.Detection{
		{Kind: "volume.spike", Entity: "szy", Time: day(3), Value: 10, Statement: "「三只羊」声量激增"},
		{Kind: "term.emerging", Entity: "xyg", Subject: "辛巴", Time: day(4), Statement: "新词「辛巴」", Evidence: []trustwatch.Evidence{{ItemID: "2", Time: day(4)}}},
		{Kind: "term.emerging", Entity: "szy", Subject: "辛巴", Time: day(5), Statement: "新词「辛巴」"}, // named once
		{Kind: "term.emerging", Entity: "other", Subject: "月饼", Time: day(4), Statement: "新词「月饼」"},
		{Kind: "term.emerging", Entity: "szy", Subject: "美诚月饼", Time: day(13), Statement: "新词「美诚月饼」"},
		{Kind: "term.nickname", Entity: "xyg", Subject: "小羊哥", Time: day(4), Statement: "外号"},
	}}
	r := &analyze.Runner{Store: db, Watch: w, Location: loc, Detectors: []trustwatch.Detector{det},
		Engine: &alert.Engine{Store: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}}
	rep, err := r.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range rep.Result.New {
		got = append(got, a.Kind+" "+a.Subject)
	}
	want := "volume.spike ,term.emerging 月饼,term.nickname 小羊哥,term.emerging 美诚月饼"
	if strings.Join(got, ",") != want || rep.Absorbed != 2 {
		t.Fatalf("alerts %q (absorbed %d), want %q and 2", got, rep.Absorbed, want)
	}
	spike := rep.Result.New[0]
	if spike.Statement != "「三只羊」声量激增；新词：辛巴" || len(spike.Evidence) != 1 || spike.Evidence[0].Note != "新词「辛巴」" {
		t.Errorf("spike %q evidence %+v", spike.Statement, spike.Evidence)
	}
}
