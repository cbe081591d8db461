package postgres

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"trustwatch"
)

// analysisItems are four items over two Shanghai days (as in the SQLite
// store's tests):
//
//	id  platform kind    day  entities     label words          aspects
//	p1  weibo    post    1    xiaomi       neg   小米 su7 刹车 软 brakes neg
//	p2  xhs      comment 1    -            pos   雷 总 加油       -
//	p3  weibo    post    2    su7, xiaomi  pos   外观 好看        design pos
//	p4  weibo    news    2    -            -     -              -
func analysisItems() []trustwatch.Item {
	day := time.Date(2025, 3, 1, 10, 0, 0, 0, trustwatch.DefaultLocation())
	return []trustwatch.Item{
		{ID: "p1", Platform: "weibo", Kind: trustwatch.KindPost, Text: "小米SU7刹车软", Time: day,
			Tokens: []string{"小米", "su7", "刹车", "软"}, Entities: []string{"xiaomi"}, Sentiment: trustwatch.Negative, PPos: 0.2,
			Aspects: []trustwatch.AspectHit{{Aspect: "brakes", Label: trustwatch.Negative, Word: "刹车", Clause: "小米su7刹车软"}}},
		{ID: "p2", Platform: "xhs", Kind: trustwatch.KindComment, Text: "雷总加油", Time: day.Add(time.Hour),
			Tokens: []string{"雷", "总", "加油"}, Sentiment: trustwatch.Positive, PPos: 0.9},
		{ID: "p3", Platform: "weibo", Kind: trustwatch.KindPost, Text: "外观好看", Time: day.Add(25 * time.Hour),
			Tokens: []string{"外观", "好看"}, Entities: []string{"su7", "xiaomi"}, Sentiment: trustwatch.Positive, PPos: 0.8,
			Aspects: []trustwatch.AspectHit{{Aspect: "design", Label: trustwatch.Positive, Word: "外观", Clause: "外观好看"}}},
		{ID: "p4", Platform: "weibo", Kind: trustwatch.KindNews, Title: "定档", Time: day.Add(26 * time.Hour)},
	}
}

// storeState is everything UpdateAnalysis may change, as text rows: the
// items' analysis and word vectors, and the rollups.
func storeState(t *testing.T, db *DB) map[string][]string {
	t.Helper()
	state := map[string][]string{}
	for name, q := range map[string]string{
		"items": `SELECT concat_ws(' | ', id, entities, sentiment, p_pos, aspects, aspect_names, words)
			FROM items ORDER BY id`,
		"rollups": `SELECT concat_ws(' | ', period, entity, start, platform, kind, count, pos, neg, neu)
			FROM rollups ORDER BY period, entity, start, platform, kind`,
		"aspect_rollups": `SELECT concat_ws(' | ', period, entity, aspect, start, count, pos, neg, neu)
			FROM aspect_rollups ORDER BY period, entity, aspect, start`,
	} {
		rows, err := db.pool.Query(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			state[name] = append(state[name], s)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	return state
}

// searchState is, for each word, the ids of the items a search finds.
func searchState(t *testing.T, db *DB, words []string) map[string][]string {
	t.Helper()
	found := map[string][]string{}
	for _, w := range words {
		items, _, err := db.FindItems(context.Background(), trustwatch.ItemFilter{Query: w, Order: "time_asc"})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			found[w] = append(found[w], it.ID)
		}
	}
	return found
}

// TestUpdateAnalysis replaces the analysis of some items and checks the
// store against one that stored the new analysis from the start: the same
// items, word vectors, rollups and search results.
func TestUpdateAnalysis(t *testing.T) {
	ctx := context.Background()
	var (
		brakesPos = trustwatch.AspectHit{Aspect: "brakes", Label: trustwatch.Positive, Word: "刹车", Clause: "刹车软"}
		priceNeg  = trustwatch.AspectHit{Aspect: "price", Label: trustwatch.Negative, Word: "贵", Clause: "贵"}
	)
	for _, tt := range []struct {
		name        string
		update      map[string]func(it *trustwatch.Item) // by item id
		wantChanged int
		check       func(t *testing.T, db *DB) // hand-checked figures
	}{
		{
			name: "an alias tags an item",
			update: map[string]func(*trustwatch.Item){"p2": func(it *trustwatch.Item) {
				it.Tokens, it.Entities = []string{"雷总", "加油"}, []string{"leijun", "xiaomi"}
			}},
			wantChanged: 1,
			check: func(t *testing.T, db *DB) {
				// xiaomi: p1 on day 1 (now with p2), p3 on day 2.
				wantVolume(t, db, trustwatch.VolumeFilter{Entity: "xiaomi", By: trustwatch.Day}, 2, 1)
				wantVolume(t, db, trustwatch.VolumeFilter{Entity: "leijun", By: trustwatch.Day}, 1)
			},
		},
		{
			name: "an item that loses its entity no longer counts",
			update: map[string]func(*trustwatch.Item){"p3": func(it *trustwatch.Item) {
				it.Entities = []string{"xiaomi"}
			}},
			wantChanged: 1,
			check: func(t *testing.T, db *DB) {
				wantVolume(t, db, trustwatch.VolumeFilter{Entity: "su7", By: trustwatch.Day})
				wantVolume(t, db, trustwatch.VolumeFilter{Entity: "su7", Aspect: "design", By: trustwatch.Day})
				wantVolume(t, db, trustwatch.VolumeFilter{Entity: "xiaomi", Aspect: "design", By: trustwatch.Day}, 1)
				if items, n, _ := db.FindItems(ctx, trustwatch.ItemFilter{Entity: "su7"}); n != 0 {
					t.Errorf("the su7 filter still finds %v", ids(items))
				}
			},
		},
		{
			name: "label and aspects change",
			update: map[string]func(*trustwatch.Item){"p1": func(it *trustwatch.Item) {
				it.Sentiment, it.PPos = trustwatch.Positive, 0.7
				it.Aspects = []trustwatch.AspectHit{brakesPos, priceNeg}
			}},
			wantChanged: 1,
			check: func(t *testing.T, db *DB) {
				pts, err := db.Volume(ctx, trustwatch.VolumeFilter{Entity: "xiaomi", Aspect: "brakes", By: trustwatch.Day})
				if err != nil || len(pts) != 1 || pts[0].Pos != 1 || pts[0].Neg != 0 {
					t.Errorf("xiaomi brakes = %+v, %v; want one day, 1 positive", pts, err)
				}
				wantVolume(t, db, trustwatch.VolumeFilter{Aspect: "price", By: trustwatch.Day}, 1)
				if items, _, _ := db.FindItems(ctx, trustwatch.ItemFilter{Aspect: "price"}); fmt.Sprint(ids(items)) != "[p1]" {
					t.Errorf("the price filter finds %v; want [p1]", ids(items))
				}
			},
		},
		{
			name: "only the probability changes",
			update: map[string]func(*trustwatch.Item){"p2": func(it *trustwatch.Item) {
				it.PPos = 0.95
			}},
			wantChanged: 1,
		},
		{
			name: "aspects dropped",
			update: map[string]func(*trustwatch.Item){"p3": func(it *trustwatch.Item) {
				it.Aspects = nil
			}},
			wantChanged: 1,
			check: func(t *testing.T, db *DB) {
				wantVolume(t, db, trustwatch.VolumeFilter{Aspect: "design", By: trustwatch.Day})
			},
		},
		{
			// The text vector holds the units of the text, which analysis
			// does not change.
			name: "new words change nothing",
			update: map[string]func(*trustwatch.Item){
				"p4": func(it *trustwatch.Item) { it.Tokens = []string{"定档"} },
				"p2": func(it *trustwatch.Item) { it.Tokens = []string{"雷总", "加油"} },
			},
			wantChanged: 0,
		},
		{
			name: "the same analysis changes nothing",
			update: map[string]func(*trustwatch.Item){
				"p1": func(*trustwatch.Item) {}, "p2": func(*trustwatch.Item) {},
				"p3": func(*trustwatch.Item) {}, "p4": func(*trustwatch.Item) {},
			},
			wantChanged: 0,
		},
		{
			name: "the same words in another order, and an entity twice, change nothing",
			update: map[string]func(*trustwatch.Item){
				"p1": func(it *trustwatch.Item) {
					it.Tokens, it.Entities = []string{"软", "刹车", "su7", "小米", "刹车"}, []string{"xiaomi", "xiaomi"}
				},
			},
			wantChanged: 0,
		},
		{
			name: "everything at once",
			update: map[string]func(*trustwatch.Item){
				"p1": func(it *trustwatch.Item) {
					it.Entities, it.Sentiment, it.Aspects = []string{"su7", "xiaomi"}, trustwatch.Neutral, []trustwatch.AspectHit{priceNeg}
				},
				"p2": func(it *trustwatch.Item) {
					it.Tokens, it.Entities = []string{"雷总", "加油"}, []string{"leijun", "xiaomi"}
				},
				"p3": func(it *trustwatch.Item) { it.Entities, it.Aspects = nil, nil },
				"p4": func(*trustwatch.Item) {},
			},
			wantChanged: 3,
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db := MustOpenDB(t)
			if _, _, err := db.PutItems(ctx, analysisItems()); err != nil {
				t.Fatal(err)
			}
			final := analysisItems()
			var updates []trustwatch.Item
			for i := range final {
				if fn := tt.update[final[i].ID]; fn != nil {
					fn(&final[i])
					updates = append(updates, final[i])
				}
			}
			changed, err := db.UpdateAnalysis(ctx, updates)
			if err != nil {
				t.Fatal(err)
			} else if changed != tt.wantChanged {
				t.Errorf("changed %d; want %d", changed, tt.wantChanged)
			}

			fresh := MustOpenDB(t)
			if _, _, err := fresh.PutItems(ctx, final); err != nil {
				t.Fatal(err)
			}
			got, want := storeState(t, db), storeState(t, fresh)
			for _, table := range []string{"items", "rollups", "aspect_rollups"} {
				if !slices.Equal(got[table], want[table]) {
					t.Errorf("%s:\n got %q\nwant %q", table, got[table], want[table])
				}
			}
			words := []string{"小米", "su7", "刹车", "雷", "雷总", "加油", "外观", "定档"}
			if got, want := searchState(t, db, words), searchState(t, fresh, words); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("search:\n got %v\nwant %v", got, want)
			}
			checkRollups(t, db)
			if tt.check != nil {
				tt.check(t, db)
			}

			// Again: nothing left to change.
			if changed, err := db.UpdateAnalysis(ctx, updates); err != nil || changed != 0 {
				t.Errorf("second update: changed %d, %v; want 0", changed, err)
			}
			if again := storeState(t, db); fmt.Sprint(again) != fmt.Sprint(got) {
				t.Errorf("the second update changed the store")
			}
		})
	}
}

// wantVolume checks the counts per period of f, oldest first.
func wantVolume(t *testing.T, db *DB, f trustwatch.VolumeFilter, counts ...int64) {
	t.Helper()
	pts, err := db.Volume(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, p := range pts {
		got = append(got, p.Count)
	}
	if !slices.Equal(got, counts) {
		t.Errorf("volume %+v = %v; want %v", f, got, counts)
	}
}

func TestUpdateAnalysisErrors(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	if _, _, err := db.PutItems(ctx, analysisItems()); err != nil {
		t.Fatal(err)
	}
	before := storeState(t, db)
	tagged := analysisItems()[1]
	tagged.Entities = []string{"leijun"}
	missing := tagged
	missing.ID = "nope"
	otherPlatform := tagged
	otherPlatform.Platform = "douyin"
	for _, tt := range []struct {
		name  string
		items []trustwatch.Item
		code  string
	}{
		{"an unknown item", []trustwatch.Item{tagged, missing}, trustwatch.ENOTFOUND},
		{"an id stored on another platform", []trustwatch.Item{tagged, otherPlatform}, trustwatch.ENOTFOUND},
		{"an item given twice", []trustwatch.Item{tagged, tagged}, trustwatch.EINVALID},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := db.UpdateAnalysis(ctx, tt.items); trustwatch.ErrorCode(err) != tt.code {
				t.Errorf("error %v; want %s", err, tt.code)
			}
			// Nothing was written, not even the valid item's change.
			if after := storeState(t, db); fmt.Sprint(after) != fmt.Sprint(before) {
				t.Errorf("a failed update changed the store:\n%v\n%v", before, after)
			}
		})
	}
	if n, err := db.UpdateAnalysis(ctx, nil); n != 0 || err != nil {
		t.Errorf("no items: %d, %v", n, err)
	}
}

func TestItemsAfter(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	// Items in three months (partitions), stored out of time order and
	// one at a time (within a batch, identities are claimed in platform
	// and id order): the cursor follows storage order, not time.
	items := analysisItems()
	items[0].Time = items[0].Time.AddDate(0, 2, 0)
	items[2].Time = items[2].Time.AddDate(0, -1, 0)
	for _, it := range items {
		if _, _, err := db.PutItems(ctx, []trustwatch.Item{it}); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		batch int
		want  string
	}{
		{1, "[[p1] [p2] [p3] [p4]]"},
		{3, "[[p1 p2 p3] [p4]]"},
		{4, "[[p1 p2 p3 p4]]"},
		{10, "[[p1 p2 p3 p4]]"},
	} {
		t.Run(fmt.Sprint("batch ", tt.batch), func(t *testing.T) {
			var batches [][]string
			var cursor int64
			for range 6 {
				got, next, err := db.ItemsAfter(ctx, cursor, tt.batch)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) == 0 {
					if next != cursor {
						t.Errorf("at the end the cursor moved from %d to %d", cursor, next)
					}
					break
				}
				if next <= cursor {
					t.Fatalf("cursor went from %d to %d", cursor, next)
				}
				batches = append(batches, ids(got))
				cursor = next
				for _, it := range got {
					if it.ID == "p1" && (fmt.Sprint(it.Entities) != "[xiaomi]" || len(it.Aspects) != 1 || it.Sentiment != trustwatch.Negative) {
						t.Errorf("p1 came back without its analysis: %+v", it)
					}
				}
			}
			if fmt.Sprint(batches) != tt.want {
				t.Errorf("batches = %v; want %s", batches, tt.want)
			}
		})
	}
	if _, _, err := db.ItemsAfter(ctx, 0, 0); trustwatch.ErrorCode(err) != trustwatch.EINVALID {
		t.Errorf("batch size 0: %v; want EINVALID", err)
	}
}

func ids(items []trustwatch.Item) []string {
	var s []string
	for _, it := range items {
		s = append(s, it.ID)
	}
	return s
}

// TestConcurrentRetag re-analyses items while other writers store new
// items into the same rollup rows and a second retag rewrites the same
// items: the rollups must end equal to a count over the items.
func TestConcurrentRetag(t *testing.T) {
	const pool, batch = 1200, 200
	ctx := context.Background()
	url := newSchema(t)
	db := mustOpen(t, url)
	if _, _, err := db.PutItems(ctx, synthItems(0, pool)); err != nil {
		t.Fatal(err)
	}
	// retagged moves every item's entities and labels around.
	retagged := func(shift int) []trustwatch.Item {
		items := synthItems(0, pool)
		labels := []trustwatch.Label{trustwatch.Positive, trustwatch.Negative, trustwatch.Neutral, ""}
		for i := range items {
			items[i].Sentiment = labels[(i+shift)%len(labels)]
			if (i+shift)%3 == 0 {
				items[i].Entities = []string{"leijun"}
			}
			if (i+shift)%4 == 0 {
				items[i].Aspects = nil
			}
		}
		return items
	}
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	for w, run := range []func(db *DB) error{
		func(db *DB) error { // new items into the same hours
			for lo := pool; lo < 2*pool; lo += batch {
				if _, _, err := db.PutItems(ctx, synthItems(lo, batch)); err != nil {
					return err
				}
			}
			return nil
		},
		func(db *DB) error { return retagAll(ctx, db, retagged(1), batch) },
		func(db *DB) error { return retagAll(ctx, db, retagged(2), batch) },
	} {
		wdb := db
		if w > 0 {
			wdb = mustOpen(t, url)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := run(wdb); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	checkRollups(t, db)
}

// retagAll writes items' analysis in batches, from the last batch to the
// first (so two retags cross each other).
func retagAll(ctx context.Context, db *DB, items []trustwatch.Item, batch int) error {
	for hi := len(items); hi > 0; hi -= batch {
		if _, err := db.UpdateAnalysis(ctx, items[max(0, hi-batch):hi]); err != nil {
			return err
		}
	}
	return nil
}
