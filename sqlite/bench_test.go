package sqlite_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/sqlite"
)

// benchWords are the words short benchmark items are made of.
var benchWords = []string{"小米", "SU7", "刹车", "雷总", "交付", "外观", "好看", "续航", "价格", "便宜", "质量", "问题", "客服", "不错", "发布会", "订单"}

// benchItems returns n short items (about ten words, one or two entities,
// one aspect hit on every third), numbered from first, 15 seconds apart
// (a busy brand's day: 5,760 items).
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

// BenchmarkPutItems stores batches of 2000 new short items into a file
// database and reports items per second of wall time and per second of
// CPU time.
func BenchmarkPutItems(b *testing.B) {
	const batch = 2000
	db := MustOpenFileDB(b)
	ctx := context.Background()
	// Build the batches outside the timed loop.
	next := 0
	var total int
	var elapsed, cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		items := benchItems(next, batch)
		next += batch
		b.StartTimer()
		t0, c0 := time.Now(), sqlite.CPUTime()
		stored, _, err := db.PutItems(ctx, items)
		elapsed, cpu = elapsed+time.Since(t0), cpu+sqlite.CPUTime()-c0
		if err != nil {
			b.Fatal(err)
		} else if stored != batch {
			b.Fatalf("stored %d of %d", stored, batch)
		}
		total += stored
	}
	b.ReportMetric(float64(total)/elapsed.Seconds(), "items/s")
	if cpu > 0 {
		b.ReportMetric(float64(total)/cpu.Seconds(), "items/cpu-s")
	}
}

// BenchmarkFindItemsQuery searches 20,000 stored items for two words,
// newest 50 first, with the total count.
func BenchmarkFindItemsQuery(b *testing.B) {
	db := MustOpenFileDB(b)
	ctx := context.Background()
	for i := 0; i < 20000; i += 5000 {
		if _, _, err := db.PutItems(ctx, benchItems(i, 5000)); err != nil {
			b.Fatal(err)
		}
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
