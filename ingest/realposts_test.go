package ingest_test

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"trustwatch/ingest"
	"trustwatch/reader"
	"trustwatch/realdata"
	"trustwatch/sqlite"
)

// realPostCorpora are the real Weibo texts the real-post benchmark ingests:
// the SU7 launch comments and the two emotion corpora, with the column that
// holds each one's text.
var realPostCorpora = []struct{ rel, column string }{
	{"su7_launch_comments/weibo_comments.csv", "content"},
	{"emotion/nlpcc2013_weibo_emotion.csv", "文本"},
	{"emotion/covid19_weibo_emotion_labeled.csv", "review"},
}

// realPosts returns the non-empty texts of realPostCorpora, in file order,
// or skips when one is absent.
func realPosts(tb testing.TB) []string {
	tb.Helper()
	var texts []string
	for _, c := range realPostCorpora {
		f, err := os.Open(realdata.Path(tb, c.rel))
		if err != nil {
			tb.Fatal(err)
		}
		r := csv.NewReader(bufio.NewReader(f))
		r.FieldsPerRecord = -1
		r.LazyQuotes = true
		header, err := r.Read()
		if err != nil {
			tb.Fatalf("%s: %v", c.rel, err)
		}
		col := -1
		for i, h := range header {
			if strings.TrimPrefix(h, "\ufeff") == c.column {
				col = i
			}
		}
		if col < 0 {
			tb.Fatalf("%s: no column %q in %q", c.rel, c.column, header)
		}
		for {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				tb.Fatalf("%s: %v", c.rel, err)
			}
			if col < len(rec) && strings.TrimSpace(rec[col]) != "" {
				texts = append(texts, rec[col])
			}
		}
		f.Close()
	}
	return texts
}

// postChars is the length a real-post item grows to: Weibo posts average
// about 110 characters, the 38,530 comments and emotion posts here 28.3,
// so consecutive texts are joined (with a space) until an item has at
// least this many; 85 makes the 100,000 items average 110.1 characters
// (the corpora cycled about ten times, each time cut differently).
const postChars = 85

// writeRealPosts writes at least n items made of the real texts to a JSONL
// file, each joining consecutive texts (cycling through the corpora) up to
// postChars characters, with its own id and a time (one item every ten
// seconds from 2024-03-30). It returns the path, the number of items and
// their average length in characters.
func writeRealPosts(tb testing.TB, dir string, n int) (string, int, float64) {
	tb.Helper()
	texts := realPosts(tb)
	path := filepath.Join(dir, "realposts.jsonl")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	start := time.Date(2024, 3, 30, 0, 0, 0, 0, time.UTC)
	runes, next := 0, 0
	var post strings.Builder
	for count := range n {
		post.Reset()
		chars := 0
		for chars < postChars {
			if post.Len() > 0 {
				post.WriteByte(' ')
				chars++
			}
			t := texts[next%len(texts)]
			next++
			post.WriteString(t)
			chars += utf8.RuneCountInString(t)
		}
		rec := struct {
			ID       string `json:"id"`
			Platform string `json:"platform"`
			Text     string `json:"text"`
			Time     string `json:"time"`
		}{
			ID: "r" + strconv.Itoa(count), Platform: "weibo", Text: post.String(),
			Time: start.Add(time.Duration(count) * 10 * time.Second).Format(time.RFC3339),
		}
		if err := enc.Encode(rec); err != nil {
			tb.Fatal(err)
		}
		runes += chars
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return path, n, float64(runes) / float64(n)
}

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
