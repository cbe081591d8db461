package postgres

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/ingest"
	"trustwatch/monitor"
	"trustwatch/source"
)

// The capabilities the commands type-assert, as the SQLite store has them.
// Asserted here rather than in the package: a store should not import
// these.
var (
	_ trustwatch.SourceStore = (*DB)(nil)
	_ source.Store           = (*DB)(nil)
	_ ingest.RetagStore      = (*DB)(nil)
	_ monitor.PendingStore   = (*DB)(nil)
)

func TestCommitSource(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	at := time.Date(2024, 3, 30, 2, 0, 0, 0, time.UTC)
	// A modification time in nanoseconds comes back exactly.
	file := trustwatch.SourceFile{Source: "crawl", Path: "/d/a.jsonl", Offset: 120, Size: 150, ModTime: at.Add(time.Nanosecond), Lines: 2, Sum: "ab"}
	c := trustwatch.SourceCommit{
		Items:      []trustwatch.Item{{ID: "1", Platform: "weibo", Text: "刹车", Time: at}, {ID: "2", Platform: "weibo", Text: "好", Time: at}},
		Points:     []trustwatch.Point{{Series: "s", Time: at, Value: 1}},
		Events:     []trustwatch.Event{{ID: "e", Time: at, Title: "定档"}},
		Quarantine: []trustwatch.Quarantined{{File: "/d/a.jsonl", Line: 3, Reason: "broken JSON", Raw: []byte("{")}},
		File:       &file,
		Feed:       &trustwatch.FeedState{Source: "news", ETag: `"v1"`},
	}
	if s, d, err := db.CommitSource(ctx, c); err != nil || s != 4 || d != 0 {
		t.Fatalf("commit: %d stored, %d duplicates, %v; want 4, 0", s, d, err)
	}
	if files, err := db.SourceFiles(ctx, "crawl"); err != nil || files["/d/a.jsonl"] != file {
		t.Errorf("files %+v, %v; want %+v", files, err, file)
	}
	c.File = &trustwatch.SourceFile{Source: "crawl", Path: "/d/a.jsonl", Offset: 150, Size: 150, ModTime: at, Lines: 3, Sum: "cd"}
	c.Feed = &trustwatch.FeedState{Source: "news", ETag: `"v2"`, LastModified: "Sat, 30 Mar 2024 02:00:00 GMT"}
	if s, d, err := db.CommitSource(ctx, c); err != nil || s != 0 || d != 4 {
		t.Fatalf("second commit: %d stored, %d duplicates, %v; want 0, 4", s, d, err)
	}
	files, err := db.SourceFiles(ctx, "crawl")
	if err != nil || len(files) != 1 || files["/d/a.jsonl"] != *c.File {
		t.Errorf("files %+v, %v; want %+v", files, err, *c.File)
	}
	if files, err := db.SourceFiles(ctx, "other"); err != nil || len(files) != 0 {
		t.Errorf("another source's files: %+v, %v; want none", files, err)
	}
	if fs, err := db.FeedState(ctx, "news"); err != nil || fs != *c.Feed {
		t.Errorf("feed state %+v, %v; want %+v", fs, err, *c.Feed)
	}
	if fs, err := db.FeedState(ctx, "unknown"); err != nil || fs != (trustwatch.FeedState{Source: "unknown"}) {
		t.Errorf("unknown feed's state %+v, %v; want the zero state", fs, err)
	}
	if _, n, _ := db.FindQuarantine(ctx, trustwatch.QuarantineFilter{}); n != 1 {
		t.Errorf("%d quarantined, want 1 (kept once)", n)
	}
	if _, n, _ := db.FindItems(ctx, trustwatch.ItemFilter{Query: "刹车"}); n != 1 {
		// The text is indexed, whether analysis gave Tokens or not.
		t.Errorf("search found %d items; want 1", n)
	}
	if pts, _ := db.Volume(ctx, trustwatch.VolumeFilter{By: trustwatch.Day}); len(pts) != 1 || pts[0].Count != 2 {
		t.Errorf("volume %+v; want one day of 2 items (the rollups count the commit's items once)", pts)
	}
}

// TestCommitSourceAtomic: a commit that fails at any step stores nothing
// (no items, rollups, points, events, quarantine or pending mark) and
// leaves the position and the feed's validators as they were.
func TestCommitSourceAtomic(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2024, 3, 30, 2, 0, 0, 0, time.UTC)
	first := trustwatch.SourceCommit{
		Items: []trustwatch.Item{{ID: "1", Platform: "weibo", Time: at, Tokens: []string{"刹车"}, Entities: []string{"xiaomi"}}},
		File:  &trustwatch.SourceFile{Source: "crawl", Path: "/d/a.jsonl", Offset: 120, Size: 120, ModTime: at, Lines: 1, Sum: "ab"},
		Feed:  &trustwatch.FeedState{Source: "news", ETag: `"v1"`},
	}
	// next is a good second commit; each case breaks one part of it.
	next := func() trustwatch.SourceCommit {
		return trustwatch.SourceCommit{
			Items: []trustwatch.Item{
				{ID: "2", Platform: "weibo", Time: at.Add(-48 * time.Hour), Tokens: []string{"雷总"}, Entities: []string{"xiaomi"}},
				{ID: "3", Platform: "xhs", Time: at.AddDate(0, 2, 0), Tokens: []string{"好"}}, // a new partition
			},
			Points:     []trustwatch.Point{{Series: "s", Time: at, Value: 1}},
			Events:     []trustwatch.Event{{ID: "e", Time: at, Title: "定档"}},
			Quarantine: []trustwatch.Quarantined{{File: "/d/a.jsonl", Line: 2, Reason: "broken JSON", Raw: []byte("{")}},
			File:       &trustwatch.SourceFile{Source: "crawl", Path: "/d/a.jsonl", Offset: 240, Size: 240, ModTime: at.Add(time.Minute), Lines: 2, Sum: "cd"},
			Feed:       &trustwatch.FeedState{Source: "news", ETag: `"v2"`},
		}
	}
	for _, tt := range []struct {
		name  string
		spoil func(c *trustwatch.SourceCommit)
		code  string // the error's code; "" for a database error
	}{
		{"an item without an id", func(c *trustwatch.SourceCommit) { c.Items[1].ID = "" }, trustwatch.EINVALID},
		{"a point that is not a number", func(c *trustwatch.SourceCommit) { c.Points[0].Value = math.NaN() }, trustwatch.EINVALID},
		{"an event without a time", func(c *trustwatch.SourceCommit) { c.Events[0].Time = time.Time{} }, trustwatch.EINVALID},
		// The server refuses these mid-transaction, after what came before
		// was written.
		{"quarantine the server refuses", func(c *trustwatch.SourceCommit) { c.Quarantine[0].Reason = "nul\x00" }, ""},
		{"an item the server refuses", func(c *trustwatch.SourceCommit) { c.Items[1].Text = "\xff\xfe" }, ""},
		{"an event the server refuses", func(c *trustwatch.SourceCommit) { c.Events[0].Title = "nul\x00" }, ""},
		{"a position the server refuses", func(c *trustwatch.SourceCommit) { c.File.Sum = "nul\x00" }, ""},
		{"validators the server refuses", func(c *trustwatch.SourceCommit) { c.Feed.ETag = "nul\x00" }, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db := MustOpenDB(t)
			if _, _, err := db.CommitSource(ctx, first); err != nil {
				t.Fatal(err)
			}
			before := sourceState(t, db)
			c := next()
			tt.spoil(&c)
			_, _, err := db.CommitSource(ctx, c)
			if err == nil {
				t.Fatal("the broken commit succeeded")
			} else if got := trustwatch.ErrorCode(err); tt.code != "" && got != tt.code {
				t.Errorf("error %v (%s); want %s", err, got, tt.code)
			}
			if after := sourceState(t, db); after != before {
				t.Errorf("a failed commit changed the store:\nbefore %s\nafter  %s", before, after)
			}
			// The same commit, mended, then goes through whole.
			if s, d, err := db.CommitSource(ctx, next()); err != nil || s != 4 || d != 0 {
				t.Fatalf("the mended commit: %d stored, %d duplicates, %v; want 4, 0", s, d, err)
			}
			if files, _ := db.SourceFiles(ctx, "crawl"); files["/d/a.jsonl"].Offset != 240 {
				t.Errorf("position %+v after the mended commit; want offset 240", files)
			}
			if since, _, ok, _ := db.Pending(ctx); !ok || !since.Equal(at.Add(-48*time.Hour)) {
				t.Errorf("pending %v, %v after the mended commit; want its oldest item's time", since, ok)
			}
		})
	}
}

// sourceState is everything CommitSource writes, as one string.
func sourceState(t *testing.T, db *DB) string {
	t.Helper()
	ctx := context.Background()
	var s string
	for _, q := range []string{
		`SELECT count(*) FROM items`, `SELECT count(*) FROM item_ids`,
		`SELECT coalesce(string_agg(concat_ws(',', period, entity, start, platform, kind, count), ';' ORDER BY period, entity, start, platform, kind), '') FROM rollups`,
		`SELECT count(*) FROM points`, `SELECT count(*) FROM events`, `SELECT count(*) FROM quarantine`,
		`SELECT coalesce(string_agg(concat_ws(',', source, path, "offset", size, mtime, lines, sum), ';'), '') FROM source_files`,
		`SELECT coalesce(string_agg(concat_ws(',', source, etag, last_modified), ';'), '') FROM source_feeds`,
		`SELECT coalesce(string_agg(concat_ws(',', since, seq), ';'), '') FROM detect_pending`,
	} {
		var v any
		if err := db.pool.QueryRow(ctx, q).Scan(&v); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		s += fmt.Sprintf("%v | ", v)
	}
	return s
}

// TestPending: the detectors' pending window starts at the oldest record
// committed since the last completed pass, survives reopening the store,
// and is cleared only by a pass that saw its latest mark.
func TestPending(t *testing.T) {
	ctx := context.Background()
	url := newSchema(t)
	db := mustOpen(t, url)
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
	db = mustOpen(t, url) // a restart
	for _, tt := range []struct {
		name      string
		mark      time.Time // zero: none
		clear     int64     // 0: none
		wantSince time.Time
		wantSeq   int64
		wantOK    bool
	}{
		{name: "a push, later than the mark", mark: day(2), wantSince: day(1), wantSeq: 2, wantOK: true},
		{name: "a pass that began before the push", clear: 1, wantSince: day(1), wantSeq: 2, wantOK: true},
		{name: "the pass that covered it", clear: 2},
		{name: "a mark after the clear starts afresh", mark: day(4).Add(500 * time.Millisecond), wantSince: day(4), wantSeq: 1, wantOK: true},
		{name: "an earlier mark widens it", mark: day(2), wantSince: day(2), wantSeq: 2, wantOK: true},
	} {
		if !tt.mark.IsZero() {
			if err := db.MarkPending(ctx, tt.mark); err != nil {
				t.Fatal(err)
			}
		}
		if tt.clear != 0 {
			if err := db.ClearPending(ctx, tt.clear); err != nil {
				t.Fatal(err)
			}
		}
		since, seq, ok, err := db.Pending(ctx)
		if err != nil || ok != tt.wantOK || !since.Equal(tt.wantSince) || seq != tt.wantSeq {
			t.Errorf("%s: pending %v seq %d ok %v err %v; want %v seq %d ok %v", tt.name, since, seq, ok, err,
				tt.wantSince, tt.wantSeq, tt.wantOK)
		}
	}
}

func TestSourceRounds(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	at := time.Date(2024, 3, 30, 2, 0, 0, 0, time.UTC)
	for i := range 5 {
		r := trustwatch.SourceRound{Source: "crawl", Kind: "dir", Started: at.Add(time.Duration(i) * time.Minute),
			Duration: 1500 * time.Millisecond, Read: i, Stored: 2, Duplicates: 1, Quarantined: 3, Failed: 4,
			Err: map[bool]string{true: "boom"}[i == 4]}
		if err := db.PutSourceRound(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	// Two rounds started in the same second come back in the order put.
	for _, read := range []int{10, 11} {
		if err := db.PutSourceRound(ctx, trustwatch.SourceRound{Source: "news", Kind: "feed", Started: at, Read: read}); err != nil {
			t.Fatal(err)
		}
	}
	reads := func(rs []trustwatch.SourceRound) string {
		s := ""
		for _, r := range rs {
			s += fmt.Sprintf("%s:%d ", r.Source, r.Read)
		}
		return s
	}
	for _, tt := range []struct {
		name string
		f    trustwatch.SourceRoundFilter
		want string
	}{
		{"all, oldest first", trustwatch.SourceRoundFilter{}, "crawl:0 news:10 news:11 crawl:1 crawl:2 crawl:3 crawl:4 "},
		{"one source", trustwatch.SourceRoundFilter{Source: "news"}, "news:10 news:11 "},
		{"the newest two, oldest first", trustwatch.SourceRoundFilter{Source: "crawl", Limit: 2}, "crawl:3 crawl:4 "},
		{"since", trustwatch.SourceRoundFilter{Source: "crawl", Since: at.Add(3 * time.Minute)}, "crawl:3 crawl:4 "},
		{"since and limit", trustwatch.SourceRoundFilter{Since: at, Limit: 1}, "crawl:4 "},
		{"an unknown source", trustwatch.SourceRoundFilter{Source: "x"}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rs, err := db.SourceRounds(ctx, tt.f)
			if err != nil || reads(rs) != tt.want {
				t.Errorf("rounds %q, %v; want %q", reads(rs), err, tt.want)
			}
		})
	}
	rs, err := db.SourceRounds(ctx, trustwatch.SourceRoundFilter{Source: "crawl", Limit: 1})
	want := trustwatch.SourceRound{Source: "crawl", Kind: "dir", Started: at.Add(4 * time.Minute), Duration: 1500 * time.Millisecond,
		Read: 4, Stored: 2, Duplicates: 1, Quarantined: 3, Failed: 4, Err: "boom"}
	if err != nil || len(rs) != 1 || rs[0] != want {
		t.Errorf("newest round %+v, %v; want %+v", rs, err, want)
	}
}
