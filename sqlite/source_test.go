package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/sqlite"
)

func TestCommitSource(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	at := time.Date(2024, 3, 30, 2, 0, 0, 0, time.UTC)
	file := trustwatch.SourceFile{Source: "crawl", Path: "/d/a.jsonl", Offset: 120, Size: 150, ModTime: at.Add(time.Millisecond), Lines: 2, Sum: "ab"}
	c := trustwatch.SourceCommit{
		Items:      []trustwatch.Item{{ID: "1", Platform: "weibo", Text: "刹车", Time: at}, {ID: "2", Platform: "weibo", Text: "好", Time: at}},
		Quarantine: []trustwatch.Quarantined{{File: "/d/a.jsonl", Line: 3, Reason: "broken JSON", Raw: []byte("{")}},
		File:       &file,
		Feed:       &trustwatch.FeedState{Source: "news", ETag: `"v1"`},
	}
	if s, d, err := db.CommitSource(ctx, c); err != nil || s != 2 || d != 0 {
		t.Fatalf("commit: %d stored, %d duplicates, %v", s, d, err)
	}
	c.File = &trustwatch.SourceFile{Source: "crawl", Path: "/d/a.jsonl", Offset: 150, Size: 150, ModTime: at, Lines: 3, Sum: "cd"}
	if s, d, err := db.CommitSource(ctx, c); err != nil || s != 0 || d != 2 {
		t.Fatalf("second commit: %d stored, %d duplicates, %v", s, d, err)
	}
	files, err := db.SourceFiles(ctx, "crawl")
	if err != nil || len(files) != 1 || files["/d/a.jsonl"] != *c.File {
		t.Errorf("files %+v, %v; want %+v", files, err, *c.File)
	}
	if fs, err := db.FeedState(ctx, "news"); err != nil || fs.ETag != `"v1"` {
		t.Errorf("feed state %+v, %v", fs, err)
	}
	if _, n, _ := db.FindQuarantine(ctx, trustwatch.QuarantineFilter{}); n != 1 {
		t.Errorf("%d quarantined, want 1 (kept once)", n)
	}

	for i := range 5 {
		r := trustwatch.SourceRound{Source: "crawl", Kind: "dir", Started: at.Add(time.Duration(i) * time.Minute), Read: i, Err: map[bool]string{true: "boom"}[i == 4]}
		if err := db.PutSourceRound(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	rs, err := db.SourceRounds(ctx, trustwatch.SourceRoundFilter{Source: "crawl", Limit: 2})
	if err != nil || len(rs) != 2 || rs[0].Read != 3 || rs[1].Read != 4 || rs[1].Err != "boom" || !rs[1].Started.Equal(at.Add(4*time.Minute)) {
		t.Errorf("newest two rounds, oldest first: %+v, %v", rs, err)
	}
}

// TestPending: the detectors' pending window starts at the oldest record
// committed since the last completed pass, survives reopening the store,
// and is cleared only by a pass that saw its latest mark.
func TestPending(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "p.db")
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, ok, err := db.Pending(ctx); ok || err != nil {
		t.Fatalf("a new store has a pending window (%v)", err)
	}
	day := func(d int) time.Time { return time.Date(2025, 5, d, 10, 0, 0, 0, time.UTC) }
	items := []trustwatch.Item{{Platform: "weibo", ID: "a", Time: day(3), Text: "a"}, {Platform: "weibo", ID: "b", Time: day(1), Text: "b"}}
	if _, _, err := db.CommitSource(ctx, trustwatch.SourceCommit{Items: items}); err != nil {
		t.Fatal(err)
	}
	// Duplicates store nothing and widen nothing.
	if _, _, err := db.CommitSource(ctx, trustwatch.SourceCommit{Items: []trustwatch.Item{{Platform: "weibo", ID: "b", Time: day(1), Text: "b"}}}); err != nil {
		t.Fatal(err)
	}
	since, seq, ok, err := db.Pending(ctx)
	if err != nil || !ok || !since.Equal(day(1)) || seq != 1 {
		t.Fatalf("pending %v seq %d ok %v err %v, want 05-01 10:00, seq 1", since, seq, ok, err)
	}
	db.Close()
	if db, err = sqlite.Open(path); err != nil { // a restart
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.MarkPending(ctx, day(2)); err != nil { // a push, later than the mark
		t.Fatal(err)
	}
	since, seq2, _, _ := db.Pending(ctx)
	if !since.Equal(day(1)) || seq2 != 2 {
		t.Fatalf("after a later mark: %v seq %d, want 05-01 and seq 2", since, seq2)
	}
	if err := db.ClearPending(ctx, seq); err != nil { // a pass that began before the push
		t.Fatal(err)
	}
	if _, _, ok, _ := db.Pending(ctx); !ok {
		t.Fatal("a pass that did not see the last mark cleared it")
	}
	if err := db.ClearPending(ctx, seq2); err != nil {
		t.Fatal(err)
	}
	if _, _, ok, _ := db.Pending(ctx); ok {
		t.Fatal("the mark survived the pass that covered it")
	}
}
