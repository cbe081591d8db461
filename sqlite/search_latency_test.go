package sqlite

import (
	"bufio"
	"compress/gzip"
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"trustwatch"
)

// TestSearchLatency reports search times over an existing store, for
// docs/benchmarks.md: p50 and p95 of each query, newest 20 first, with
// the total count (FindItems) and without it (the page alone). Set
// TRUSTWATCH_SEARCH_DB to a store made by this version (it is opened, so
// an older one would be migrated). It asserts nothing about time.
func TestSearchLatency(t *testing.T) {
	path := os.Getenv("TRUSTWATCH_SEARCH_DB")
	if path == "" {
		t.Skip("TRUSTWATCH_SEARCH_DB not set: no store to time searches over")
	}
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	const runs = 40
	for _, q := range []string{
		"中国 男足", "演唱会 官宣", "高考 作文", // two-word AND
		`"官宣结婚"`, `"中国男足"`, // phrases
		"张杰 OR 谢娜", "男足 OR 女足", // OR
		"疫", "猫", // one character: a prefix
		"高考 NEAR/5 作文", "男足 NEAR/3 输", // NEAR
		"官宣 -结婚", // NOT
	} {
		f := trustwatch.ItemFilter{Query: q, Limit: 20}
		var with, without []time.Duration
		var total int
		for range runs {
			start := time.Now()
			_, n, err := db.FindItems(ctx, f)
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			with, total = append(with, time.Since(start)), n

			start = time.Now()
			tx, err := db.beginRead(ctx)
			if err != nil {
				t.Fatal(err)
			}
			where, args, err := itemWhere(f)
			if err != nil {
				t.Fatal(err)
			}
			order, _ := itemOrder("")
			err = queryItems(ctx, tx, where, args, order, 20, 0, func(*trustwatch.Item) error { return nil })
			tx.Rollback()
			if err != nil {
				t.Fatal(err)
			}
			without = append(without, time.Since(start))
		}
		t.Logf("%-16s total %7d  with count p50 %6.1f ms p95 %6.1f ms  page only p50 %6.1f ms p95 %6.1f ms",
			q, total, ms(pct(with, 50)), ms(pct(with, 95)), ms(pct(without, 50)), ms(pct(without, 95)))
	}
}

func pct(ds []time.Duration, p int) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[(len(s)-1)*p/100]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// BenchmarkIndexText is the cost PutItems adds per item by normalising
// the text a second time (analysis did it once) to cut it into units, on
// real hot-search titles. Set TRUSTWATCH_ARCHIVE to the archive's .tsv.gz.
func BenchmarkIndexText(b *testing.B) {
	path := os.Getenv("TRUSTWATCH_ARCHIVE")
	if path == "" {
		b.Skip("TRUSTWATCH_ARCHIVE not set")
	}
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		b.Fatal(err)
	}
	var items []trustwatch.Item
	sc := bufio.NewScanner(zr)
	for sc.Scan() && len(items) < 20000 {
		if fields := strings.Split(sc.Text(), "\t"); len(fields) > 2 {
			items = append(items, trustwatch.Item{Text: fields[2]})
		}
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		indexText(&items[i%len(items)])
	}
}
