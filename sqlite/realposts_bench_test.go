package sqlite

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/realdata"
	"trustwatch/realdata/posts"
	"trustwatch/segment"
)

// BenchmarkPutItemsRealPosts stores 50,000 analysed Weibo-length posts of
// real texts (package realdata/posts, 110 characters on average), 10,000
// a transaction as ingest does, into a fresh file store opened as ingest
// opens it, under the text index's settings as shipped and as tried
// otherwise: FTS5's hashsize, automerge and crisismerge, and the index
// without its one-character prefix entries. cpu-µs/item is the process's
// CPU time per post while storing; the profile of the shipped row shows
// what the index costs.
//
//	go test -run X -bench PutItemsRealPosts -benchtime 1x ./sqlite
//	go test -run X -bench 'PutItemsRealPosts/shipped' -benchtime 1x -cpuprofile /tmp/put.prof ./sqlite
func BenchmarkPutItemsRealPosts(b *testing.B) {
	for _, c := range posts.Corpora {
		realdata.Path(b, c.Rel) // skips when absent
	}
	texts, err := posts.Texts(realdata.Dir())
	if err != nil {
		b.Fatal(err)
	}
	const n, perTx = 50_000, 10_000
	var buf bytes.Buffer
	if _, err := posts.Write(&buf, texts, posts.Options{N: n, Chars: 85, Start: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), Every: 40 * time.Second, ID: "p"}); err != nil {
		b.Fatal(err)
	}
	items := make([]trustwatch.Item, 0, n)
	dec := json.NewDecoder(&buf)
	for dec.More() {
		var it trustwatch.Item
		if err := dec.Decode(&it); err != nil {
			b.Fatal(err)
		}
		it.Kind, it.Entities, it.Source = trustwatch.KindPost, []string{"xiaomi"}, "posts.jsonl:1"
		it.Normalized = segment.Normalize(it.FullText()) // as analysis leaves it
		items = append(items, it)
	}
	for _, tt := range []struct{ name, setup string }{
		{"shipped", ""},
		{"hashsize=8MiB", `INSERT INTO items_fts (items_fts, rank) VALUES ('hashsize', 8388608)`},
		{"hashsize=32MiB", `INSERT INTO items_fts (items_fts, rank) VALUES ('hashsize', 33554432)`},
		{"automerge=0", `INSERT INTO items_fts (items_fts, rank) VALUES ('automerge', 0)`},
		{"automerge=4", `INSERT INTO items_fts (items_fts, rank) VALUES ('automerge', 4)`},
		{"crisismerge=64", `INSERT INTO items_fts (items_fts, rank) VALUES ('crisismerge', 64)`},
		{"no-prefix-index", `DROP TABLE items_fts;
			CREATE VIRTUAL TABLE items_fts USING fts5 (units, content = '', tokenize = 'ascii', columnsize = 0, detail = full);
			INSERT INTO items_fts (items_fts, rank) VALUES ('automerge', 16)`},
	} {
		b.Run(tt.name, func(b *testing.B) {
			var cpu, elapsed time.Duration
			stored := 0
			for b.Loop() {
				db := NewDB(filepath.Join(b.TempDir(), "put.db"))
				db.CacheKiB = BulkWriteCacheKiB
				if err := db.Open(); err != nil {
					b.Fatal(err)
				}
				if tt.setup != "" {
					if _, err := db.db.Exec(tt.setup); err != nil {
						b.Fatal(err)
					}
				}
				t0, c0 := time.Now(), CPUTime()
				for lo := 0; lo < len(items); lo += perTx {
					s, _, err := db.PutItems(context.Background(), items[lo:min(lo+perTx, len(items))])
					if err != nil {
						b.Fatal(err)
					}
					stored += s
				}
				cpu, elapsed = cpu+CPUTime()-c0, elapsed+time.Since(t0)
				if err := db.Close(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(stored)/elapsed.Seconds(), "items/s")
			b.ReportMetric(float64(cpu.Microseconds())/float64(stored), "cpu-µs/item")
		})
	}
}

// CPUTime is the CPU time (user and system) this process has used: on a
// shared machine it measures the work far more steadily than the wall
// clock. It is defined in a test file of package sqlite so that the
// benchmarks of sqlite_test use it too.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
