package ingest_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"trustwatch/ingest"
	"trustwatch/reader"
	"trustwatch/realdata"
	"trustwatch/realdata/posts"
	"trustwatch/sqlite"
)

// writeRealPosts writes n Weibo-length items made of the real texts
// (package realdata/posts: joined to at least postChars characters, one
// every ten seconds from 2024-03-30) to a JSONL file, or skips when a
// corpus is absent. It returns the path, the number of items and their
// average length in characters.
func writeRealPosts(tb testing.TB, dir string, n int) (string, int, float64) {
	tb.Helper()
	for _, c := range posts.Corpora {
		realdata.Path(tb, c.Rel) // skips when absent
	}
	texts, err := posts.Texts(realdata.Dir())
	if err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(dir, "realposts.jsonl")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	avg, err := posts.Write(f, texts, posts.Options{
		N: n, Chars: postChars, Start: time.Date(2024, 3, 30, 0, 0, 0, 0, time.UTC), Every: 10 * time.Second, ID: "r",
	})
	if err == nil {
		err = f.Close()
	}
	if err != nil {
		tb.Fatal(err)
	}
	return path, n, avg
}

// postChars is the length a real-post item grows to: Weibo posts average
// about 110 characters, the 38,530 comments and emotion posts here 28.3;
// 85 makes the 100,000 items average 110.1 characters (the corpora cycled
// about ten times, each time cut differently).
const postChars = 85

// BenchmarkIngestRealPosts ingests 100,000 Weibo-length posts made of real
// Weibo texts (writeRealPosts) end to end into a fresh
// SQLite file store with the watch file v1: reading JSONL, normalising,
// segmentation, entities, sentiment, aspects, the index and the rollups.
// The segmenter is loaded once, before the clock starts (the binary spends
// about 2.3 s on it at start-up). peak-MB is the process's peak RSS.
//
//	go test -run X -bench IngestRealPosts -benchtime 1x ./ingest
func BenchmarkIngestRealPosts(b *testing.B) {
	dir := b.TempDir()
	path, n, avg := writeRealPosts(b, dir, 100_000)
	an := analyzerFor(b, watchV1)
	ctx := context.Background()
	var total int
	var elapsed, cpu time.Duration
	run := 0
	for b.Loop() {
		// As `trustwatch ingest` opens it.
		db := sqlite.NewDB(filepath.Join(dir, "bench"+strconv.Itoa(run)+".db"))
		db.CacheKiB = sqlite.BulkWriteCacheKiB
		if err := db.Open(); err != nil {
			b.Fatal(err)
		}
		t0, c0 := time.Now(), cpuTime()
		in := &ingest.Ingester{Store: db, Analyzer: an, Options: reader.Options{Format: "items"}}
		sum, err := in.Ingest(ctx, []string{path}, nil)
		if err == nil {
			err = db.Close()
		}
		elapsed, cpu = elapsed+time.Since(t0), cpu+cpuTime()-c0
		if err != nil || sum.Stored != n {
			b.Fatalf("ingest: stored %d of %d: %v", sum.Stored, n, err)
		}
		total += n
		run++
	}
	b.ReportMetric(float64(total)/elapsed.Seconds(), "items/s")
	if cpu > 0 {
		b.ReportMetric(float64(total)/cpu.Seconds(), "items/cpu-s")
	}
	b.ReportMetric(avg, "chars/item")
	b.ReportMetric(float64(n), "items")
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "peak-MB") // Maxrss is in KiB on Linux
	}
}
