package postgres

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"
	"time"

	"trustwatch"
)

// synthItems returns n items numbered from first, spread over three months
// (so writers create partitions concurrently), on four platforms, two
// kinds, with one or two entities and an aspect hit on every third.
func synthItems(first, n int) []trustwatch.Item {
	base := time.Date(2025, 1, 31, 20, 0, 0, 0, time.UTC)
	platforms := []string{"weibo", "xhs", "douyin", "bilibili"}
	labels := []trustwatch.Label{trustwatch.Positive, trustwatch.Negative, trustwatch.Neutral, ""}
	items := make([]trustwatch.Item, n)
	for i := range items {
		k := first + i
		it := trustwatch.Item{
			ID: "c" + strconv.Itoa(k), Platform: platforms[k%len(platforms)], Kind: trustwatch.KindComment,
			Author: "user" + strconv.Itoa(k%97), Text: "刹车 雷总 " + strconv.Itoa(k),
			Time:   base.Add(time.Duration(k) * 37 * time.Minute),
			Tokens: []string{"刹车", "雷总", strconv.Itoa(k)}, Entities: []string{"xiaomi"},
			Sentiment: labels[k%len(labels)], Source: "synth.jsonl:" + strconv.Itoa(k+1),
		}
		if k%5 == 0 {
			it.Kind = trustwatch.KindPost
		}
		if k%2 == 0 {
			it.Entities = append(it.Entities, "su7")
		}
		if k%3 == 0 {
			it.Aspects = []trustwatch.AspectHit{{Aspect: "brake", Label: labels[k%2]}}
		}
		items[i] = it
	}
	return items
}

// TestConcurrentWriters runs several stores (as several processes would)
// on one schema, each writing overlapping batches of one item pool in its
// own order. Every item must be stored exactly once, and every rollup row
// must equal a count(*) over the stored items.
func TestConcurrentWriters(t *testing.T) {
	const writers, pool, batches, batch = 6, 3000, 12, 250
	url := newSchema(t)
	ctx := context.Background()
	items := synthItems(0, pool)

	var wg sync.WaitGroup
	var mu sync.Mutex
	stored := 0
	errs := make(chan error, writers)
	dbs := make([]*DB, writers)
	for w := range writers {
		dbs[w] = mustOpen(t, url) // a pool and partition cache of its own
	}
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), 1))
			for range batches {
				// A random window of the pool, shuffled: batches of
				// different writers overlap and meet keys in any order.
				start := r.IntN(pool - batch)
				b := append([]trustwatch.Item(nil), items[start:start+batch]...)
				r.Shuffle(len(b), func(i, j int) { b[i], b[j] = b[j], b[i] })
				s, d, err := dbs[w].PutItems(ctx, b)
				if err != nil {
					errs <- err
					return
				}
				if s+d != batch {
					errs <- fmt.Errorf("PutItems = %d stored + %d duplicates; want %d in all", s, d, batch)
					return
				}
				mu.Lock()
				stored += s
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	db := dbs[0]
	var nItems, nIDs, nDistinct int
	if err := db.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM items), (SELECT count(*) FROM item_ids),
		(SELECT count(DISTINCT (platform, id)) FROM items)`).Scan(&nItems, &nIDs, &nDistinct); err != nil {
		t.Fatal(err)
	}
	if nItems != stored || nIDs != stored || nDistinct != stored || stored == 0 {
		t.Fatalf("writers stored %d; items %d, identities %d, distinct items %d: want all equal", stored, nItems, nIDs, nDistinct)
	}
	var nParts int
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM pg_inherits WHERE inhparent = 'items'::regclass`).Scan(&nParts); err != nil {
		t.Fatal(err)
	}
	if nParts < 2 {
		t.Errorf("%d partitions; want the items spread over several months", nParts)
	}

	checkRollups(t, db)
	pts, err := db.Volume(ctx, trustwatch.VolumeFilter{By: trustwatch.Hour})
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, p := range pts {
		sum += p.Count
	}
	if sum != int64(stored) {
		t.Errorf("hourly volumes sum to %d; want %d items", sum, stored)
	}
}

// checkRollups fails t when a rollup row differs from a count(*) over the
// stored items.
func checkRollups(t *testing.T, db *DB) {
	t.Helper()
	ctx := context.Background()
	// Each query returns the rows where the rollups and a count over the
	// items disagree (either side missing counts as disagreeing).
	zone := db.location().String()
	for _, c := range []struct{ name, rollups, counted string }{
		{"rollups", `SELECT period, entity, start, platform, kind, count, pos, neg, neu FROM rollups`,
			`SELECT p.period, e.entity, CASE p.period WHEN 'hour' THEN date_trunc('hour', i.time AT TIME ZONE $1)
					ELSE date_trunc('day', i.time AT TIME ZONE $1) END AT TIME ZONE $1,
				i.platform, i.kind, count(*), count(*) FILTER (WHERE sentiment = 'pos'),
				count(*) FILTER (WHERE sentiment = 'neg'), count(*) FILTER (WHERE sentiment = 'neu')
			FROM items i, (VALUES ('hour'), ('day')) AS p (period), unnest(array_prepend('', i.entities)) AS e (entity)
			GROUP BY 1, 2, 3, 4, 5`},
		{"aspect rollups (counts)", `SELECT period, entity, aspect, start, count FROM aspect_rollups`,
			`SELECT p.period, e.entity, a.aspect, CASE p.period WHEN 'hour' THEN date_trunc('hour', i.time AT TIME ZONE $1)
					ELSE date_trunc('day', i.time AT TIME ZONE $1) END AT TIME ZONE $1, count(*)
			FROM items i, (VALUES ('hour'), ('day')) AS p (period), unnest(array_prepend('', i.entities)) AS e (entity),
				unnest(i.aspect_names) AS a (aspect)
			GROUP BY 1, 2, 3, 4`},
	} {
		var bad int
		q := `SELECT count(*) FROM ((` + c.rollups + ` EXCEPT ` + c.counted + `) UNION ALL (` + c.counted + ` EXCEPT ` + c.rollups + `)) d`
		if err := db.pool.QueryRow(ctx, q, zone).Scan(&bad); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if bad != 0 {
			t.Errorf("%s: %d rows differ from a count(*) over the items", c.name, bad)
		}
	}
}

// TestConcurrentOpen opens several stores on one new schema at once: the
// migrations are applied once, under the advisory lock, and none fails.
func TestConcurrentOpen(t *testing.T) {
	url := newSchema(t)
	var wg sync.WaitGroup
	errs := make(chan error, 5)
	for range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := Open(context.Background(), url)
			if err != nil {
				errs <- err
				return
			}
			db.Close()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	db := mustOpen(t, url)
	var n int
	if err := db.pool.QueryRow(context.Background(), `SELECT count(*) FROM schema_version`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != len(mustMigrations(t)) {
		t.Errorf("schema_version has %d rows; want one per migration (%d)", n, len(mustMigrations(t)))
	}
}
