package postgres

import (
	"context"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"trustwatch"
)

// benchWords are the words short benchmark items are made of (as in the
// SQLite store's benchmarks, so the figures compare).
var benchWords = []string{"小米", "SU7", "刹车", "雷总", "交付", "外观", "好看", "续航", "价格", "便宜", "质量", "问题", "客服", "不错", "发布会", "订单"}

// benchItems returns n short items (about ten words, one or two entities,
// one aspect hit on every third), numbered from first, 15 seconds apart
// (a busy brand's day: 5,760 items); the same items as sqlite's benchItems.
func benchItems(first, n int) []trustwatch.Item {
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	platforms := []string{"weibo", "xhs", "douyin", "bilibili"}
	labels := []trustwatch.Label{trustwatch.Positive, trustwatch.Negative, trustwatch.Neutral}
	items := make([]trustwatch.Item, n)
	for i := range items {
		k := first + i
		tokens := make([]string, 10)
		for j := range tokens {
			tokens[j] = benchWords[(k*7+j*3)%len(benchWords)]
		}
		it := trustwatch.Item{
			ID: "b" + strconv.Itoa(k), Platform: platforms[k%len(platforms)], Kind: trustwatch.KindComment,
			Author: "user" + strconv.Itoa(k%5000), Text: "小米SU7刹车有问题，雷总怎么说，客服不错",
			Time: base.Add(time.Duration(k) * 15 * time.Second), Likes: int64(k % 50),
			Tokens: tokens, Entities: []string{"xiaomi"}, Sentiment: labels[k%3], PPos: 0.5,
			Source: "bench.jsonl:" + strconv.Itoa(k),
		}
		if k%2 == 0 {
			it.Entities = append(it.Entities, "su7")
		}
		if k%3 == 0 {
			it.Aspects = []trustwatch.AspectHit{{Aspect: "brake", Label: trustwatch.Negative, Word: "刹车", Clause: "刹车有问题"}}
		}
		items[i] = it
	}
	return items
}

// cpuTime is the CPU time (user and system) this process has used. The
// server's CPU is not in it: items/cpu-s is the client's cost only.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkPutItems stores batches of 2000 new short items and reports
// items per second of wall time (client and server together).
func BenchmarkPutItems(b *testing.B) {
	const batch = 2000
	db := MustOpenDB(b)
	ctx := context.Background()
	next := 0
	var total int
	var elapsed, cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		items := benchItems(next, batch)
		next += batch
		b.StartTimer()
		t0, c0 := time.Now(), cpuTime()
		stored, _, err := db.PutItems(ctx, items)
		elapsed, cpu = elapsed+time.Since(t0), cpu+cpuTime()-c0
		if err != nil {
			b.Fatal(err)
		} else if stored != batch {
			b.Fatalf("stored %d of %d", stored, batch)
		}
		total += stored
	}
	b.ReportMetric(float64(total)/elapsed.Seconds(), "items/s")
	if cpu > 0 {
		b.ReportMetric(float64(total)/cpu.Seconds(), "items/client-cpu-s")
	}
}

// BenchmarkFindItemsQuery searches 20,000 stored items for two words,
// newest 50 first, with the total count.
func BenchmarkFindItemsQuery(b *testing.B) {
	db := MustOpenDB(b)
	ctx := context.Background()
	for i := 0; i < 20000; i += 5000 {
		if _, _, err := db.PutItems(ctx, benchItems(i, 5000)); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := db.pool.Exec(ctx, `VACUUM ANALYZE`); err != nil {
		b.Fatal(err)
	}
	f := trustwatch.ItemFilter{Query: "刹车 雷总", Limit: 50}
	for b.Loop() {
		items, n, err := db.FindItems(ctx, f)
		if err != nil {
			b.Fatal(err)
		} else if len(items) != 50 || n < 50 {
			b.Fatalf("found %d of %d", len(items), n)
		}
	}
}

// BenchmarkStoreSize stores TRUSTWATCH_PG_SIZE_ITEMS (default 200,000)
// bench items in batches of 5000 and reports the store's size per item,
// from pg_total_relation_size over every table of its schema (with
// indexes and TOAST), after VACUUM. Run it once: -benchtime=1x.
func BenchmarkStoreSize(b *testing.B) {
	n := 200000
	if s := os.Getenv("TRUSTWATCH_PG_SIZE_ITEMS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatal(err)
		}
	}
	ctx := context.Background()
	for b.Loop() {
		db := MustOpenDB(b)
		t0 := time.Now()
		for i := 0; i < n; i += 5000 {
			if _, _, err := db.PutItems(ctx, benchItems(i, min(5000, n-i))); err != nil {
				b.Fatal(err)
			}
		}
		elapsed := time.Since(t0)
		if _, err := db.pool.Exec(ctx, `VACUUM ANALYZE`); err != nil {
			b.Fatal(err)
		}
		var total, items, ids, rollups int64
		if err := db.pool.QueryRow(ctx, `SELECT
				sum(pg_total_relation_size(c.oid)),
				sum(pg_total_relation_size(c.oid)) FILTER (WHERE c.relispartition),
				sum(pg_total_relation_size(c.oid)) FILTER (WHERE c.relname = 'item_ids'),
				sum(pg_total_relation_size(c.oid)) FILTER (WHERE c.relname IN ('rollups', 'aspect_rollups'))
			FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
			WHERE ns.nspname = current_schema() AND c.relkind = 'r'`).Scan(&total, &items, &ids, &rollups); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(n), "items")
		b.ReportMetric(float64(n)/elapsed.Seconds(), "items/s")
		b.ReportMetric(float64(total)/float64(n), "B/item")
		b.ReportMetric(float64(items)/float64(n), "items-partitions-B/item")
		b.ReportMetric(float64(ids)/float64(n), "item_ids-B/item")
		b.ReportMetric(float64(rollups), "rollups-B")
		b.ReportMetric(float64(total)/float64(n)*1e6/(1<<20), "MiB/1M-items")
	}
}
