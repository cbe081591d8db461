package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"trustwatch"
)

// analysisItems are four items over two Shanghai days:
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
// items' analysis, the index tables and the rollups.
func storeState(t *testing.T, db *DB) map[string][]string {
	t.Helper()
	state := map[string][]string{}
	for name, q := range map[string]string{
		"items":          `SELECT id, entities, sentiment, p_pos, aspects FROM items ORDER BY pk`,
		"item_entities":  `SELECT entity, (SELECT id FROM items WHERE pk = item) FROM item_entities ORDER BY 1, 2`,
		"item_aspects":   `SELECT aspect, (SELECT id FROM items WHERE pk = item), seq, label FROM item_aspects ORDER BY 1, 2, 3`,
		"rollups":        `SELECT * FROM rollups ORDER BY period, entity, start, platform, kind`,
		"aspect_rollups": `SELECT * FROM aspect_rollups ORDER BY period, entity, aspect, start`,
	} {
		rows, err := db.db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			state[name] = append(state[name], fmt.Sprint(vals...))
		}
		if err := rows.Close(); err != nil {
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

func integrityCheck(t *testing.T, db *DB) {
	t.Helper()
	if _, err := db.db.Exec(`INSERT INTO items_fts (items_fts) VALUES ('integrity-check')`); err != nil {
		t.Errorf("word index integrity check: %v", err)
	}
}

func openMemory(t *testing.T) *DB {
	t.Helper()
	db, err := Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestUpdateAnalysis replaces the analysis of some items and checks the
// store against one that stored the new analysis from the start: the same
// items, index rows, rollups and search results.
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
			},
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
			// The text index holds the units of the text, which analysis
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
			db := openMemory(t)
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
			integrityCheck(t, db)

			fresh := openMemory(t)
			if _, _, err := fresh.PutItems(ctx, final); err != nil {
				t.Fatal(err)
			}
			got, want := storeState(t, db), storeState(t, fresh)
			for table := range want {
				if !slices.Equal(got[table], want[table]) {
					t.Errorf("%s:\n got %q\nwant %q", table, got[table], want[table])
				}
			}
			words := []string{"小米", "su7", "刹车", "雷", "雷总", "加油", "外观", "定档"}
			if got, want := searchState(t, db, words), searchState(t, fresh, words); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("search:\n got %v\nwant %v", got, want)
			}
			if tt.check != nil {
				tt.check(t, db)
			}

			// Again: nothing left to change.
			if changed, err := db.UpdateAnalysis(ctx, updates); err != nil || changed != 0 {
				t.Errorf("second update: changed %d, %v; want 0", changed, err)
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
	db := openMemory(t)
	if _, _, err := db.PutItems(ctx, analysisItems()); err != nil {
		t.Fatal(err)
	}
	before := storeState(t, db)
	tagged := analysisItems()[1]
	tagged.Entities = []string{"leijun"}

	missing := tagged
	missing.ID = "nope"
	if _, err := db.UpdateAnalysis(ctx, []trustwatch.Item{tagged, missing}); trustwatch.ErrorCode(err) != trustwatch.ENOTFOUND {
		t.Errorf("unknown item: %v; want ENOTFOUND", err)
	}
	if _, err := db.UpdateAnalysis(ctx, []trustwatch.Item{tagged, tagged}); trustwatch.ErrorCode(err) != trustwatch.EINVALID {
		t.Errorf("item given twice: %v; want EINVALID", err)
	}
	// Neither call wrote anything, not even the valid item's change.
	if after := storeState(t, db); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("a failed update changed the store:\n%v\n%v", before, after)
	}
}

func TestItemsAfter(t *testing.T) {
	ctx := context.Background()
	db := openMemory(t)
	if _, _, err := db.PutItems(ctx, analysisItems()); err != nil {
		t.Fatal(err)
	}
	var batches [][]string
	var cursor int64
	for range 4 {
		items, next, err := db.ItemsAfter(ctx, cursor, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(items) == 0 {
			if next != cursor {
				t.Errorf("at the end the cursor moved from %d to %d", cursor, next)
			}
			break
		}
		batches = append(batches, ids(items))
		cursor = next
		if items[0].Entities == nil && items[0].ID == "p1" {
			t.Errorf("p1 came back without its entities")
		}
	}
	if fmt.Sprint(batches) != "[[p1 p2 p3] [p4]]" {
		t.Errorf("batches = %v; want [[p1 p2 p3] [p4]]", batches)
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

// v1Store writes at path a store as 0001 left it (a word index without
// positions, filled with words), holding three items.
func v1Store(t *testing.T, path string) {
	t.Helper()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	init, err := fs.ReadFile(migrationFS, "migration/0001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied INTEGER NOT NULL)`,
		string(init),
		`INSERT INTO schema_version VALUES (1, '0001_init.sql', 0)`,
		`INSERT INTO items (pk, platform, id, kind, parent_id, author, author_followers, title, text, time, url,
			likes, reposts, replies, entities, sentiment, p_pos, aspects, source_file, source_line) VALUES
			(1, 'weibo', 'a', 'post', '', '', 0, '', '刹车软', 1740841800, '', 0, 0, 0, '[]', '', 0, '[]', 0, 0),
			(2, 'weibo', 'b', 'post', '', '', 0, '', '雷总 刹车', 1740841900, '', 0, 0, 0, '[]', '', 0, '[]', 0, 0),
			(3, 'weibo', 'c', 'post', '', '', 0, '', '!!!', 1740842000, '', 0, 0, 0, '[]', '', 0, '[]', 0, 0)`,
		`INSERT INTO items_fts (rowid, tokens) VALUES (1, '刹车 软'), (2, '雷总 刹车 刹车')`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%.60s: %v", q, err)
		}
	}
}

// indexDump lists every entry of the text index: unit, item, position.
func indexDump(t *testing.T, db *DB) []string {
	t.Helper()
	if _, err := db.db.Exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.units_dump USING fts5vocab (main, items_fts, instance)`); err != nil {
		t.Fatal(err)
	}
	rows, err := db.db.Query(`SELECT term, doc, offset FROM temp.units_dump ORDER BY doc, offset`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var term string
		var doc, off int
		if err := rows.Scan(&term, &doc, &off); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s@%d:%d", term, doc, off))
	}
	return out
}

// TestMigrationReindexesText opens a store as 0001 left it: migration
// 0007 replaces the word index, and Open fills the new one with the units
// of the stored texts, so search follows the query language.
func TestMigrationReindexesText(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v1.db")
	v1Store(t, path)
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	words := []string{"刹车", "软", "雷总", "车", "好"}
	if got := fmt.Sprint(searchState(t, db, words)); got != "map[刹车:[a b] 车:[a b] 软:[a] 雷总:[b]]" {
		t.Errorf("after the migration: %s", got)
	}
	want := []string{"刹车@1:0", "车软@1:1", "软@1:2", "雷总@2:0", "总刹@2:1", "刹车@2:2", "车@2:3"}
	if got := indexDump(t, db); !slices.Equal(got, want) {
		t.Errorf("index %q; want %q", got, want)
	}
	integrityCheck(t, db)
	if v, err := db.SchemaVersion(context.Background()); err != nil || v != newestVersion(t) {
		t.Errorf("schema version %d, %v", v, err)
	}
	var n int
	db.db.QueryRow(`SELECT COUNT(*) FROM settings WHERE name = 'units_reindexed'`).Scan(&n)
	if n != 0 {
		t.Errorf("units_reindexed still set after Open")
	}
}

// TestReindexResumes opens a store whose re-indexing was killed after its
// first batch (item a indexed, the progress recorded in the same
// transaction): Open goes on from there and ends with the index an
// uninterrupted run makes.
func TestReindexResumes(t *testing.T) {
	dir := t.TempDir()
	whole, killed := filepath.Join(dir, "whole.db"), filepath.Join(dir, "killed.db")
	v1Store(t, whole)
	v1Store(t, killed)

	raw, err := sql.Open("sqlite", killed)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms[1:] {
		if _, err := raw.Exec(m.SQL); err != nil {
			t.Fatalf("%s: %v", m.Name, err)
		}
		if _, err := raw.Exec(`INSERT INTO schema_version VALUES (?, ?, 0)`, m.Version, m.Name); err != nil {
			t.Fatal(err)
		}
	}
	a := trustwatch.Item{Text: "刹车软"}
	for _, q := range []string{
		`INSERT INTO items_fts (rowid, units) VALUES (1, '` + indexText(&a) + `')`,
		`UPDATE settings SET value = '1' WHERE name = 'units_reindexed'`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()

	var dumps [2][]string
	for i, path := range []string{whole, killed} {
		db, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		dumps[i] = indexDump(t, db)
		integrityCheck(t, db)
		db.Close()
	}
	if !slices.Equal(dumps[0], dumps[1]) || len(dumps[0]) != 7 {
		t.Errorf("resumed index %q; want %q", dumps[1], dumps[0])
	}
}
