package monitor_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/alert"
	"trustwatch/analyze"
	"trustwatch/detect/health"
	"trustwatch/monitor"
	"trustwatch/source"
	"trustwatch/sqlite"
)

func line(i int) string {
	return fmt.Sprintf(`{"id": "%d", "platform": "weibo", "text": "第%d条", "time": %q}`+"\n", i, i, time.Now().Format(time.RFC3339))
}

// A source that falls silent gets a source.silent alert, which is resolved
// when it stores data again; push rounds are recorded; OnRound and
// LastRound follow the passes.
func TestSilenceAndPush(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	dir := t.TempDir()
	file := filepath.Join(dir, "a.jsonl")
	os.WriteFile(file, []byte(line(1)), 0o644)
	srcs := []trustwatch.Source{
		{ID: "crawl", Kind: "dir", Path: dir, Interval: trustwatch.Duration(40 * time.Millisecond), Expect: trustwatch.Duration(400 * time.Millisecond)},
		{ID: "hook", Kind: "push", TokenEnv: "X"},
	}
	w := &trustwatch.Watch{Sources: srcs}
	eng := &alert.Engine{Store: db}
	var passes atomic.Int64
	m := &monitor.Monitor{
		Sources: srcs, Dir: &source.Dir{Store: db}, Feed: &source.Feed{Store: db}, Rounds: db,
		Runner:  &analyze.Runner{Store: db, Watch: w, Engine: eng, Sources: db},
		Health:  health.Detector{FirstDay: 100 * time.Millisecond},
		Log:     slog.New(slog.NewTextHandler(io.Discard, nil)),
		OnRound: func(context.Context, time.Time) { passes.Add(1) },
	}
	done := make(chan error)
	go func() { done <- m.Run(ctx) }()

	alerts := func(open bool) []trustwatch.Alert {
		as, _, err := db.FindAlerts(ctx, trustwatch.AlertFilter{Kind: health.KindSilent, Open: open})
		if err != nil {
			t.Fatal(err)
		}
		return as
	}
	wait := func(what string, cond func() bool) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			if cond() {
				return
			}
		}
		t.Fatalf("timed out waiting for %s", what)
	}
	wait("source.silent", func() bool { return len(alerts(true)) == 1 })
	if a := alerts(true)[0]; a.Subject != "crawl" || a.Entity != "" {
		t.Errorf("silent alert on %q/%q, want subject crawl", a.Entity, a.Subject)
	}
	f, _ := os.OpenFile(file, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(line(2))
	f.Close()
	wait("the silence resolved", func() bool { return len(alerts(true)) == 0 && len(alerts(false)) == 1 })

	if err := m.RecordPush(ctx, trustwatch.SourceRound{Source: "hook", Started: time.Now(), Read: 3, Stored: 2, Quarantined: 1}); err != nil {
		t.Fatal(err)
	}
	rs, _ := db.SourceRounds(ctx, trustwatch.SourceRoundFilter{Source: "hook"})
	if len(rs) != 1 || rs[0].Kind != trustwatch.SourcePush || rs[0].Stored != 2 {
		t.Errorf("push rounds %+v", rs)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run: %v", err)
	}
	if passes.Load() == 0 || m.LastRound().IsZero() {
		t.Errorf("%d passes, last round %v", passes.Load(), m.LastRound())
	}
}

// recorder is a detector that records the periods it is asked about.
type recorder struct{ from atomic.Int64 }

func (*recorder) Name() string                      { return "recorder" }
func (*recorder) Kinds() []trustwatch.DetectionKind { return nil }
func (r *recorder) Detect(_ context.Context, in trustwatch.DetectInput) ([]trustwatch.Detection, error) {
	if r.from.Load() == 0 {
		r.from.Store(in.From.Unix())
	}
	return nil, nil
}

// TestPendingSurvivesARestart: a process killed after committing items
// dated 05-01 and before detecting over them leaves the mark; the next
// process's first pass starts at that day and clears it.
func TestPendingSurvivesARestart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	loc := trustwatch.DefaultLocation()
	if err := db.MarkPending(ctx, time.Date(2025, 5, 1, 15, 0, 0, 0, loc)); err != nil {
		t.Fatal(err)
	}
	srcs := []trustwatch.Source{{ID: "crawl", Kind: "dir", Path: t.TempDir(), Interval: trustwatch.Duration(20 * time.Millisecond)}}
	rec := &recorder{}
	m := &monitor.Monitor{
		Sources: srcs, Dir: &source.Dir{Store: db}, Rounds: db, Pending: db,
		Runner: &analyze.Runner{Store: db, Watch: &trustwatch.Watch{Sources: srcs}, Location: loc,
			Engine: &alert.Engine{Store: db}, Detectors: []trustwatch.Detector{rec}},
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	done := make(chan error)
	go func() { done <- m.Run(ctx) }()
	deadline := time.Now().Add(5 * time.Second)
	for rec.from.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	for time.Now().Before(deadline) {
		if _, _, ok, _ := db.Pending(ctx); !ok {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	if got, want := time.Unix(rec.from.Load(), 0).In(loc), time.Date(2025, 5, 1, 0, 0, 0, 0, loc); !got.Equal(want) {
		t.Errorf("first pass from %v, want %v", got, want)
	}
	if _, _, ok, _ := db.Pending(ctx); ok {
		t.Error("the pending mark survived the pass that covered it")
	}
}

// TestPassSkipsWhileLocked: while another process holds the detector
// lock, passes still read the sources but run no detector, digest or
// clearing of the pending window; once it is released, the next pass
// covers the whole window.
func TestPassSkipsWhileLocked(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	path := filepath.Join(t.TempDir(), "t.db")
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	other, err := sqlite.Open(path) // the other process
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	unlock, ok, err := other.LockDetectors(ctx)
	if err != nil || !ok {
		t.Fatalf("lock: ok %v, err %v", ok, err)
	}
	loc := trustwatch.DefaultLocation()
	if err := db.MarkPending(ctx, time.Date(2025, 5, 1, 15, 0, 0, 0, loc)); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.jsonl"), []byte(line(1)), 0o644)
	srcs := []trustwatch.Source{{ID: "crawl", Kind: "dir", Path: dir, Interval: trustwatch.Duration(20 * time.Millisecond)}}
	rec := &recorder{}
	var passes atomic.Int64
	m := &monitor.Monitor{
		Sources: srcs, Dir: &source.Dir{Store: db}, Rounds: db, Pending: db, Lock: db,
		Runner: &analyze.Runner{Store: db, Watch: &trustwatch.Watch{Sources: srcs}, Location: loc,
			Engine: &alert.Engine{Store: db}, Detectors: []trustwatch.Detector{rec}},
		Log:     slog.New(slog.NewTextHandler(io.Discard, nil)),
		OnRound: func(context.Context, time.Time) { passes.Add(1) },
	}
	done := make(chan error)
	go func() { done <- m.Run(ctx) }()
	wait := func(what string, cond func() bool) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			if cond() {
				return
			}
		}
		t.Fatalf("timed out waiting for %s", what)
	}
	wait("the source read and passes made", func() bool {
		_, n, _ := db.FindItems(ctx, trustwatch.ItemFilter{})
		return n == 1 && !m.LastRound().IsZero()
	})
	time.Sleep(100 * time.Millisecond) // a few more passes
	if rec.from.Load() != 0 || passes.Load() != 0 {
		t.Fatalf("detectors ran (%v) or OnRound was called %d times while another held the lock", rec.from.Load() != 0, passes.Load())
	}
	if _, _, ok, _ := db.Pending(ctx); !ok {
		t.Fatal("a skipped pass cleared the pending window")
	}
	unlock()
	wait("a pass with the lock", func() bool { return rec.from.Load() != 0 && passes.Load() > 0 })
	wait("the pending window cleared", func() bool { _, _, ok, _ := db.Pending(ctx); return !ok })
	cancel()
	<-done
	if got, want := time.Unix(rec.from.Load(), 0).In(loc), time.Date(2025, 5, 1, 0, 0, 0, 0, loc); !got.Equal(want) {
		t.Errorf("first detector pass from %v, want %v", got, want)
	}
}
