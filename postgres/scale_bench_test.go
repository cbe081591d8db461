package postgres

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"trustwatch"
	"trustwatch/aspect"
	"trustwatch/ingest"
	"trustwatch/reader"
	"trustwatch/segment"
	"trustwatch/sentiment"
)

// The scale measurements of issue 12 (docs/benchmarks.md, "PostgreSQL at
// 1M and 10M items"). They load the real hot-search archive, analysed as
// ingest analyses it, copied with dates shifted by whole years until the
// store holds the asked numbers of items, and time search and the
// dashboard's rollup queries at each. They are tests, not benchmarks, so
// that one run can load once and measure at several sizes; they skip
// unless TRUSTWATCH_PG_SCALE is set, e.g.
//
//	bash .ci/postgres.sh sh -c 'TRUSTWATCH_PG_SCALE=1000000,10000000 \
//	  go test -run "^TestScale$" -v -timeout 0 ./postgres/'

// scaleArchive is the archive, found from the module root.
func scaleArchive(tb testing.TB) string {
	if p := os.Getenv("TRUSTWATCH_ARCHIVE"); p != "" {
		return p
	}
	p, err := filepath.Abs("../../shared/data/weibo_hot_search/weibo_hot_search_daily.tsv.gz")
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("the hot-search archive is not there (TRUSTWATCH_ARCHIVE names it): %v", err)
	}
	return p
}

// scaleWatch names a few entities common in hot-search titles, so that
// the rollups have entities and aspects to group by.
var scaleWatch = &trustwatch.Watch{Entities: []trustwatch.Entity{
	{ID: "xiaomi", Kind: trustwatch.EntityBrand, Name: "小米", Aliases: []string{"雷军"}},
	{ID: "huawei", Kind: trustwatch.EntityBrand, Name: "华为"},
	{ID: "apple", Kind: trustwatch.EntityBrand, Name: "苹果", Aliases: []string{"iPhone"}},
	{ID: "tesla", Kind: trustwatch.EntityBrand, Name: "特斯拉"},
	{ID: "byd", Kind: trustwatch.EntityBrand, Name: "比亚迪"},
}}

// scaleAnalyzer is the analyzer ingest builds (cmd/trustwatch newAnalyzer).
func scaleAnalyzer(tb testing.TB, w *trustwatch.Watch) *ingest.Analyzer {
	seg, err := segment.ForWatch(w)
	if err != nil {
		tb.Fatal(err)
	}
	lex, err := aspect.Default().With(w.Aspects)
	if err != nil {
		tb.Fatal(err)
	}
	model := sentiment.Default()
	return &ingest.Analyzer{
		Matcher:   segment.NewMatcher(seg, w),
		Sentiment: model.ClassifyTokens,
		Aspects:   func(text string) []trustwatch.AspectHit { return lex.Find(text, model) },
	}
}

// readArchive reads the archive as `ingest --format csv --map
// text=title,time=date` reads it and returns the distinct items (718,186
// of 833,895 records: the same title on the same day is one item).
func readArchive(tb testing.TB, path string) []trustwatch.Item {
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var items []trustwatch.Item
	seen := map[string]bool{}
	opt := reader.Options{Format: reader.FormatCSV, Map: map[string]string{"text": "title", "time": "date"}}
	_, err = reader.Read(path, f, opt, func(r reader.Record) error {
		if r.Err != nil || r.Item == nil {
			return nil
		}
		it := *r.Item
		if err := it.Validate(); err != nil {
			return nil
		}
		if k := it.Platform + "\x00" + it.ID; !seen[k] {
			seen[k] = true
			items = append(items, it)
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return items
}

// copyItem is base item it in copy k: dates shifted by k years, the id
// suffixed with the copy, so every copy is new to the store.
func copyItem(it trustwatch.Item, k int) trustwatch.Item {
	if k > 0 {
		it.ID += "-" + strconv.Itoa(k)
		it.Time = it.Time.AddDate(k, 0, 0)
	}
	return it
}

// percentiles returns p50, p95 and max of ds.
func percentiles(ds []time.Duration) (p50, p95, max time.Duration) {
	s := slices.Clone(ds)
	slices.Sort(s)
	at := func(q float64) time.Duration { return s[min(len(s)-1, int(q*float64(len(s))))] }
	return at(0.50), at(0.95), s[len(s)-1]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

// storeSize is pg_total_relation_size summed over the schema's tables
// (with their indexes and TOAST), and the items partitions' share.
func storeSize(ctx context.Context, tb testing.TB, db *DB) (total, items int64, partitions int) {
	if err := db.pool.QueryRow(ctx, `SELECT
			sum(pg_total_relation_size(c.oid)),
			coalesce(sum(pg_total_relation_size(c.oid)) FILTER (WHERE c.relispartition), 0),
			count(*) FILTER (WHERE c.relispartition)
		FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
		WHERE ns.nspname = current_schema() AND c.relkind = 'r'`).Scan(&total, &items, &partitions); err != nil {
		tb.Fatal(err)
	}
	return total, items, partitions
}

// searchQueries returns two-word queries: the pairs of the most frequent
// words (many matches: the expensive case), and the two longest words of
// random titles (few matches: the usual case).
func searchQueries(base []trustwatch.Item) (common, titles []string) {
	df := map[string]int{}
	for i := range base {
		for _, w := range uniqueWords(base[i].Tokens) {
			df[w]++
		}
	}
	var words []string
	for w := range df {
		words = append(words, w)
	}
	sort.Slice(words, func(i, j int) bool {
		return df[words[i]] > df[words[j]] || df[words[i]] == df[words[j]] && words[i] < words[j]
	})
	top := words[:min(6, len(words))]
	for i := range top {
		for j := i + 1; j < len(top); j++ {
			common = append(common, top[i]+" "+top[j])
		}
	}
	r := rand.New(rand.NewPCG(12, 12))
	for len(titles) < 100 {
		ws := uniqueWords(base[r.IntN(len(base))].Tokens)
		if len(ws) < 2 {
			continue
		}
		sort.Slice(ws, func(i, j int) bool { return utf8.RuneCountInString(ws[i]) > utf8.RuneCountInString(ws[j]) })
		titles = append(titles, ws[0]+" "+ws[1])
	}
	return common, titles
}

// uniqueWords are the distinct words of tokens that are words: two runes
// or more, not only digits or punctuation.
func uniqueWords(tokens []string) []string {
	var out []string
	for _, t := range tokens {
		if utf8.RuneCountInString(t) < 2 || strings.Trim(t, "0123456789.,:;!?%-_#@ ") == "" || strings.ContainsAny(t, "\"'()[]") || slices.Contains(out, t) {
			continue
		}
		out = append(out, t)
	}
	return out
}

// TestScale loads the archive's items, copied, up to each size of
// TRUSTWATCH_PG_SCALE (comma-separated item counts, ascending) in
// batches of TRUSTWATCH_PG_SCALE_BATCH (default 5000), and at each size
// logs the load rate, the store size and the latency of search and of the
// dashboard's rollup queries.
func TestScale(t *testing.T) {
	spec := os.Getenv("TRUSTWATCH_PG_SCALE")
	if spec == "" {
		t.Skip("TRUSTWATCH_PG_SCALE is not set (item counts, e.g. 1000000,10000000)")
	}
	var sizes []int
	for _, s := range strings.Split(spec, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 {
			t.Fatalf("TRUSTWATCH_PG_SCALE: %q", s)
		}
		sizes = append(sizes, n)
	}
	batch := 5000
	if s := os.Getenv("TRUSTWATCH_PG_SCALE_BATCH"); s != "" {
		var err error
		if batch, err = strconv.Atoi(s); err != nil {
			t.Fatal(err)
		}
	}
	db := MustOpenDB(t)
	ctx := context.Background()
	logf := func(format string, args ...any) {
		line := fmt.Sprintf(format, args...)
		t.Log(line)
		fmt.Fprintln(os.Stderr, "scale:", line)
	}

	t0 := time.Now()
	base := readArchive(t, scaleArchive(t))
	logf("read %d distinct items in %s", len(base), time.Since(t0).Round(time.Millisecond))
	t0 = time.Now()
	an := scaleAnalyzer(t, scaleWatch)
	an.AnalyzeAll(base, 2)
	logf("analysed them in %s (dictionary included)", time.Since(t0).Round(time.Millisecond))
	common, titles := searchQueries(base)

	loaded, copyNo, next := 0, 0, 0
	var loadTime time.Duration
	buf := make([]trustwatch.Item, 0, batch)
	for _, size := range sizes {
		tl := time.Now()
		from := loaded
		for loaded < size {
			buf = buf[:0]
			for len(buf) < batch && loaded+len(buf) < size {
				buf = append(buf, copyItem(base[next], copyNo))
				if next++; next == len(base) {
					next, copyNo = 0, copyNo+1
				}
			}
			stored, dups, err := db.PutItems(ctx, buf)
			if err != nil {
				t.Fatal(err)
			} else if dups != 0 {
				t.Fatalf("%d duplicates in a batch of new items", dups)
			}
			loaded += stored
			if loaded/500000 != (loaded-stored)/500000 {
				logf("loaded %d items, %.0f items/s since the last size", loaded, float64(loaded-from)/time.Since(tl).Seconds())
			}
		}
		step := time.Since(tl)
		loadTime += step
		tv := time.Now()
		if _, err := db.pool.Exec(ctx, `VACUUM ANALYZE`); err != nil {
			t.Fatal(err)
		}
		logf("== %d items: loaded %d in %s (%.0f items/s; %.0f items/s overall); VACUUM ANALYZE %s",
			loaded, loaded-from, step.Round(time.Second), float64(loaded-from)/step.Seconds(),
			float64(loaded)/loadTime.Seconds(), time.Since(tv).Round(time.Second))
		total, items, parts := storeSize(ctx, t, db)
		logf("size: %.0f MiB in all, %.0f B/item, %.0f MiB per 1M items; items partitions %.0f MiB (%d partitions)",
			float64(total)/(1<<20), float64(total)/float64(loaded), float64(total)/float64(loaded)*1e6/(1<<20), float64(items)/(1<<20), parts)
		scaleLatencies(ctx, t, db, logf, common, titles)
	}
}

// scaleLatencies times search and the dashboard's queries, warm (each
// query is run once before timing).
func scaleLatencies(ctx context.Context, t *testing.T, db *DB, logf func(string, ...any), common, titles []string) {
	first, last, n, err := db.Span(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_ = first
	report := func(name string, ds []time.Duration, extra string) {
		p50, p95, mx := percentiles(ds)
		logf("%-44s n=%-3d p50 %-9s p95 %-9s max %-9s %s", name, len(ds), ms(p50), ms(p95), ms(mx), extra)
	}
	timeIt := func(fn func() error) time.Duration {
		t0 := time.Now()
		if err := fn(); err != nil {
			t.Fatal(err)
		}
		return time.Since(t0)
	}
	search := func(name string, qs []string, rounds int) {
		var ds []time.Duration
		var totals []int
		for _, q := range qs {
			var total int
			find := func() error {
				_, tot, err := db.FindItems(ctx, trustwatch.ItemFilter{Query: q, Limit: 50})
				total = tot
				return err
			}
			timeIt(find) // warm
			for range rounds {
				ds = append(ds, timeIt(find))
			}
			totals = append(totals, total)
		}
		slices.Sort(totals)
		report(name, ds, fmt.Sprintf("(totals: median %d, max %d)", totals[len(totals)/2], totals[len(totals)-1]))
	}
	search("FindItems, 2 words of a random title", titles, 1)
	search("FindItems, 2 of the 6 most frequent words", common, 3)

	day := time.Date(last.Year(), last.Month(), last.Day(), 0, 0, 0, 0, time.UTC)
	win30 := trustwatch.VolumeFilter{From: day.AddDate(0, 0, -29), To: day.AddDate(0, 0, 1)}
	queries := []struct {
		name string
		fn   func() error
	}{
		{"Volume by day, 30 days", func() error {
			f := win30
			f.By = trustwatch.Day
			_, err := db.Volume(ctx, f)
			return err
		}},
		{"Volume by hour, 7 days", func() error {
			_, err := db.Volume(ctx, trustwatch.VolumeFilter{By: trustwatch.Hour, From: day.AddDate(0, 0, -6), To: day.AddDate(0, 0, 1)})
			return err
		}},
		{"Volume by day, entity xiaomi, all time", func() error {
			_, err := db.Volume(ctx, trustwatch.VolumeFilter{By: trustwatch.Day, Entity: "xiaomi"})
			return err
		}},
		{"Volume by day, all time", func() error {
			_, err := db.Volume(ctx, trustwatch.VolumeFilter{By: trustwatch.Day})
			return err
		}},
		{"Breakdown entity, all time", func() error {
			_, err := db.Breakdown(ctx, "entity", trustwatch.VolumeFilter{})
			return err
		}},
		{"Breakdown platform, 30 days", func() error {
			_, err := db.Breakdown(ctx, "platform", win30)
			return err
		}},
		{"Breakdown aspect, entity xiaomi, 30 days", func() error {
			f := win30
			f.Entity = "xiaomi"
			_, err := db.Breakdown(ctx, "aspect", f)
			return err
		}},
		{"FindItems entity xiaomi, 30 days, newest 50", func() error {
			_, _, err := db.FindItems(ctx, trustwatch.ItemFilter{Entity: "xiaomi", From: win30.From, To: win30.To, Limit: 50})
			return err
		}},
	}
	for _, q := range queries {
		timeIt(q.fn)
		var ds []time.Duration
		for range 30 {
			ds = append(ds, timeIt(q.fn))
		}
		report(q.name, ds, "")
	}
	var ds []time.Duration
	for range 5 {
		ds = append(ds, timeIt(func() error { _, _, _, err := db.Span(ctx); return err }))
	}
	report("Span (oldest, newest, count)", ds, fmt.Sprintf("(%d items)", n))
}
