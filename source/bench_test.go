package source_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"trustwatch"
	"trustwatch/source"
)

// BenchmarkTail reads a 10,000-line MediaCrawler JSONL file appended since
// the last round (without analysis, which is ingest's cost) and commits it.
func BenchmarkTail(b *testing.B) {
	var sb strings.Builder
	const lines = 10000
	for i := range lines {
		sb.WriteString(mcLine(i, "曜川的车机又黑屏了，售后说要等配件"))
	}
	body := sb.String()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		b.StopTimer()
		db := openDB(b)
		dir := b.TempDir()
		os.WriteFile(filepath.Join(dir, "a.jsonl"), []byte(body), 0o644)
		d := &source.Dir{Store: db}
		b.StartTimer()
		res := d.Read(context.Background(), trustwatch.Source{ID: "crawl", Path: dir})
		if res.Stored != lines || res.Err != "" {
			b.Fatalf("stored %d: %s", res.Stored, res.Err)
		}
	}
	b.ReportMetric(float64(lines*b.N)/b.Elapsed().Seconds(), "lines/s")
}
