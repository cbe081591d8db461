package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/aspect"
	"trustwatch/ingest"
	"trustwatch/reader"
	"trustwatch/segment"
	"trustwatch/sentiment"
	"trustwatch/sqlite"
)

// retagItems are six posts over two days; the comments say which entities
// each mentions under which watch file (see the watches below).
const retagItems = `{"id":"a1","platform":"weibo","text":"雷总辛苦了，小米SU7真不错","time":"2025-03-01 10:05"}
{"id":"a2","platform":"weibo","kind":"comment","parent_id":"a1","text":"SU7 的刹车有点软","time":"2025-03-01 10:40"}
{"id":"a3","platform":"xhs","text":"小米汽车的续航怎么样","time":"2025-03-01 23:30"}
{"id":"a4","platform":"douyin","text":"YU7什么时候交付，座椅太硬","time":"2025-03-02 09:00"}
{"id":"a5","platform":"xhs","text":"今天天气不错","time":"2025-03-02 09:10"}
{"id":"a6","platform":"weibo","text":"雷军说YU7座椅很舒服","time":"2025-03-02 21:00"}
`

// The watch files. v1 knows the names only; v2 adds the aliases 雷总 and
// SU7, the product YU7 and a seats aspect; v3 is v2 without the alias SU7.
var (
	watchNone = &trustwatch.Watch{}
	watchV1   = &trustwatch.Watch{Entities: []trustwatch.Entity{
		{ID: "xiaomi", Kind: trustwatch.EntityBrand, Name: "小米"},
		{ID: "leijun", Kind: trustwatch.EntityPerson, Name: "雷军", Parent: "xiaomi"},
		{ID: "su7", Kind: trustwatch.EntityProduct, Name: "小米SU7", Parent: "xiaomi"},
	}}
	watchV2 = &trustwatch.Watch{
		Entities: []trustwatch.Entity{
			{ID: "xiaomi", Kind: trustwatch.EntityBrand, Name: "小米"},
			{ID: "leijun", Kind: trustwatch.EntityPerson, Name: "雷军", Aliases: []string{"雷总"}, Parent: "xiaomi"},
			{ID: "su7", Kind: trustwatch.EntityProduct, Name: "小米SU7", Aliases: []string{"SU7"}, Parent: "xiaomi"},
			{ID: "yu7", Kind: trustwatch.EntityProduct, Name: "YU7", Parent: "xiaomi"},
		},
		Aspects: []trustwatch.AspectDef{{ID: "seats", Name: "座椅", Words: []string{"座椅"}}},
	}
	watchV3 = &trustwatch.Watch{
		Entities: []trustwatch.Entity{
			{ID: "xiaomi", Kind: trustwatch.EntityBrand, Name: "小米"},
			{ID: "leijun", Kind: trustwatch.EntityPerson, Name: "雷军", Aliases: []string{"雷总"}, Parent: "xiaomi"},
			{ID: "su7", Kind: trustwatch.EntityProduct, Name: "小米SU7", Parent: "xiaomi"},
			{ID: "yu7", Kind: trustwatch.EntityProduct, Name: "YU7", Parent: "xiaomi"},
		},
		Aspects: watchV2.Aspects,
	}
	retagEntities = []string{"xiaomi", "leijun", "su7", "yu7"}
)

// analyzerFor builds the analysis `trustwatch ingest` uses for w.
func analyzerFor(t testing.TB, w *trustwatch.Watch) *ingest.Analyzer {
	t.Helper()
	seg, err := segment.ForWatch(w)
	if err != nil {
		t.Fatal(err)
	}
	lex, err := aspect.Default().With(w.Aspects)
	if err != nil {
		t.Fatal(err)
	}
	topics, err := ingest.CompileTopics(w, seg.Words)
	if err != nil {
		t.Fatal(err)
	}
	model := sentiment.Default()
	return &ingest.Analyzer{
		Matcher:   segment.NewMatcher(seg, w),
		Sentiment: model.ClassifyTokens,
		Aspects:   func(text string) []trustwatch.AspectHit { return lex.Find(text, model) },
		Topics:    topics,
	}
}

// ingestUnder stores retagItems in a new store, analysed under w.
func ingestUnder(t *testing.T, w *trustwatch.Watch) *sqlite.DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "items.jsonl")
	if err := os.WriteFile(path, []byte(retagItems), 0o644); err != nil {
		t.Fatal(err)
	}
	db := openDB(t)
	in := &ingest.Ingester{Store: db, Analyzer: analyzerFor(t, w), Options: reader.Options{Format: "items"}}
	if sum, err := in.Ingest(context.Background(), []string{path}, nil); err != nil || sum.Stored != 6 {
		t.Fatalf("ingest: %+v, %v", sum, err)
	}
	return db
}

// entitiesByItem is each item's entities, by id.
func entitiesByItem(t *testing.T, db *sqlite.DB) map[string][]string {
	t.Helper()
	got := map[string][]string{}
	err := db.EachItem(context.Background(), trustwatch.ItemFilter{}, func(it *trustwatch.Item) error {
		if len(it.Entities) > 0 {
			got[it.ID] = it.Entities
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// snapshot renders what a user sees of the store: every item's analysis,
// the volumes per hour and day, overall and per entity, their aspect,
// entity, platform and kind breakdowns, and what searches find.
func snapshot(t *testing.T, db *sqlite.DB) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	err := db.EachItem(ctx, trustwatch.ItemFilter{}, func(it *trustwatch.Item) error {
		fmt.Fprintf(&b, "%s %v %s %.4f %v\n", it.ID, it.Entities, it.Sentiment, it.PPos, it.Aspects)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, by := range []trustwatch.Period{trustwatch.Hour, trustwatch.Day} {
		for _, e := range append([]string{""}, retagEntities...) {
			f := trustwatch.VolumeFilter{Entity: e, By: by}
			pts, err := db.Volume(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "volume %s %q: %v\n", by, e, pts)
			bs, err := db.Breakdown(ctx, "aspect", f)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "aspects %s %q: %v\n", by, e, bs)
		}
		for _, dim := range []string{"entity", "platform", "kind"} {
			bs, err := db.Breakdown(ctx, dim, trustwatch.VolumeFilter{By: by})
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%s %s: %v\n", dim, by, bs)
		}
	}
	for _, q := range []string{"雷总", "雷", "su7", "小米su7", "座椅", "yu7"} {
		fmt.Fprintf(&b, "search %s: %v\n", q, search(t, db, q))
	}
	return b.String()
}

func search(t *testing.T, db *sqlite.DB, q string) []string {
	t.Helper()
	items, _, err := db.FindItems(context.Background(), trustwatch.ItemFilter{Query: q, Order: "time_asc"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, it := range items {
		ids = append(ids, it.ID)
	}
	return ids
}

func TestRetag(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name                 string
		from, to             *trustwatch.Watch
		wantEntities         map[string][]string // per item after the retag
		wantEntitiesChanged  int
		wantCounts           []ingest.EntityCount
		wantSearch           map[string][]string // query → items
		wantAspect           map[string]int64    // aspect → items (all entities)
		wantEntityAspectYU7  map[string]int64    // aspect → items of yu7
		wantNotEntity, notIn string              // an item that must not count for an entity
	}{
		{
			name: "ingested without a watch file",
			from: watchNone, to: watchV2,
			wantEntities: map[string][]string{
				"a1": {"leijun", "su7", "xiaomi"}, "a2": {"su7", "xiaomi"}, "a3": {"xiaomi"},
				"a4": {"xiaomi", "yu7"}, "a6": {"leijun", "xiaomi", "yu7"},
			},
			wantEntitiesChanged: 5,
			wantCounts: []ingest.EntityCount{
				{Entity: "leijun", After: 2}, {Entity: "su7", After: 2}, {Entity: "xiaomi", After: 5}, {Entity: "yu7", After: 2},
			},
			// Search reads the text's units, with or without the watch file.
			wantSearch:          map[string][]string{"雷总": {"a1"}, "座椅": {"a4", "a6"}},
			wantAspect:          map[string]int64{"seats": 2},
			wantEntityAspectYU7: map[string]int64{"seats": 2, "delivery": 1},
		},
		{
			name: "a watch file lacking two aliases, a product and an aspect",
			from: watchV1, to: watchV2,
			wantEntities: map[string][]string{
				"a1": {"leijun", "su7", "xiaomi"}, "a2": {"su7", "xiaomi"}, "a3": {"xiaomi"},
				"a4": {"xiaomi", "yu7"}, "a6": {"leijun", "xiaomi", "yu7"},
			},
			wantEntitiesChanged: 4, // a1 (雷总), a2 (SU7), a4 and a6 (YU7)
			wantCounts: []ingest.EntityCount{
				{Entity: "leijun", Before: 1, After: 2}, {Entity: "su7", Before: 1, After: 2},
				{Entity: "xiaomi", Before: 3, After: 5}, {Entity: "yu7", After: 2},
			},
			wantSearch:          map[string][]string{"雷总": {"a1"}},
			wantAspect:          map[string]int64{"seats": 2},
			wantEntityAspectYU7: map[string]int64{"seats": 2, "delivery": 1},
		},
		{
			name: "an alias removed",
			from: watchV2, to: watchV3,
			wantEntities: map[string][]string{
				"a1": {"leijun", "su7", "xiaomi"}, "a3": {"xiaomi"},
				"a4": {"xiaomi", "yu7"}, "a6": {"leijun", "xiaomi", "yu7"},
			},
			wantEntitiesChanged: 1, // a2 mentioned SU7 only by the alias
			wantCounts: []ingest.EntityCount{
				{Entity: "leijun", Before: 2, After: 2}, {Entity: "su7", Before: 2, After: 1},
				{Entity: "xiaomi", Before: 5, After: 4}, {Entity: "yu7", Before: 2, After: 2},
			},
			// Search reads the text's units, whatever the watch file.
			wantSearch:    map[string][]string{"su7": {"a1", "a2"}, "小米su7": {"a1"}},
			wantNotEntity: "su7", notIn: "a2",
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db := ingestUnder(t, tt.from)
			r := &ingest.Retagger{Store: db, Analyzer: analyzerFor(t, tt.to), BatchSize: 4}
			sum, err := r.Retag(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if sum.Read != 6 || sum.EntitiesChanged != tt.wantEntitiesChanged || !slices.Equal(sum.Entities, tt.wantCounts) {
				t.Errorf("summary = %+v; want read 6, entities changed %d, counts %+v", sum, tt.wantEntitiesChanged, tt.wantCounts)
			}
			if got := entitiesByItem(t, db); fmt.Sprint(got) != fmt.Sprint(tt.wantEntities) {
				t.Errorf("entities:\n got %v\nwant %v", got, tt.wantEntities)
			}
			for q, want := range tt.wantSearch {
				if got := search(t, db, q); !slices.Equal(got, want) {
					t.Errorf("search %s = %v; want %v", q, got, want)
				}
			}
			for a, want := range tt.wantAspect {
				if got := volumeTotal(t, db, trustwatch.VolumeFilter{Aspect: a}); got != want {
					t.Errorf("aspect %s: %d items; want %d", a, got, want)
				}
			}
			for a, want := range tt.wantEntityAspectYU7 {
				if got := volumeTotal(t, db, trustwatch.VolumeFilter{Entity: "yu7", Aspect: a}); got != want {
					t.Errorf("yu7 aspect %s: %d items; want %d", a, got, want)
				}
			}
			if tt.wantNotEntity != "" {
				items, _, err := db.FindItems(ctx, trustwatch.ItemFilter{Entity: tt.wantNotEntity})
				if err != nil {
					t.Fatal(err)
				}
				for _, it := range items {
					if it.ID == tt.notIn {
						t.Errorf("%s still counts for %s", tt.notIn, tt.wantNotEntity)
					}
				}
			}

			// The store is what ingesting under the new watch file gives.
			got, want := snapshot(t, db), snapshot(t, ingestUnder(t, tt.to))
			if got != want {
				t.Errorf("retagged store differs from a fresh ingest:\n--- retagged\n%s--- fresh\n%s", got, want)
			}

			// A second retag changes nothing.
			again, err := r.Retag(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if again.Read != 6 || again.Changed != 0 || again.EntitiesChanged != 0 {
				t.Errorf("second retag = %+v; want 6 read, nothing changed", again)
			}
			if after := snapshot(t, db); after != got {
				t.Errorf("second retag changed the store:\n%s", after)
			}
		})
	}
}

func volumeTotal(t *testing.T, db *sqlite.DB, f trustwatch.VolumeFilter) int64 {
	t.Helper()
	pts, err := db.Volume(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, p := range pts {
		n += p.Count
	}
	return n
}

// interruptedStore fails the second batch's write, as an interrupted run would.
type interruptedStore struct {
	*sqlite.DB
	writes int
}

var errInterrupted = errors.New("interrupted")

func (s *interruptedStore) UpdateAnalysis(ctx context.Context, items []trustwatch.Item) (int, error) {
	if s.writes++; s.writes == 2 {
		return 0, errInterrupted
	}
	return s.DB.UpdateAnalysis(ctx, items)
}

// TestRetagInterrupted stops a retag after its first batch: the store is
// consistent (volumes match the items), and a rerun finishes the job.
func TestRetagInterrupted(t *testing.T) {
	ctx := context.Background()
	db := ingestUnder(t, watchNone)
	an := analyzerFor(t, watchV2)
	sum, err := (&ingest.Retagger{Store: &interruptedStore{DB: db}, Analyzer: an, BatchSize: 2}).Retag(ctx)
	if !errors.Is(err, errInterrupted) || sum.Read != 2 {
		t.Fatalf("interrupted retag = %+v, %v; want 2 read and the error", sum, err)
	}
	// a1 and a2 are tagged, the rest not yet; the rollups say so.
	if got := fmt.Sprint(entitiesByItem(t, db)); got != "map[a1:[leijun su7 xiaomi] a2:[su7 xiaomi]]" {
		t.Errorf("after the first batch: %s", got)
	}
	if got := volumeTotal(t, db, trustwatch.VolumeFilter{Entity: "xiaomi"}); got != 2 {
		t.Errorf("xiaomi volume after the first batch = %d; want 2", got)
	}

	sum, err = (&ingest.Retagger{Store: db, Analyzer: an, BatchSize: 2}).Retag(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Read != 6 || sum.EntitiesChanged != 3 {
		t.Errorf("rerun = %+v; want 6 read, 3 items' entities changed (a3, a4, a6)", sum)
	}
	if got, want := snapshot(t, db), snapshot(t, ingestUnder(t, watchV2)); got != want {
		t.Errorf("after the rerun the store differs from a fresh ingest:\n--- retagged\n%s--- fresh\n%s", got, want)
	}
}

// BenchmarkRetag retags 5,000 stored items in a file store. "changed"
// alternates between watch files v1 and v2, so that every run re-tags the
// items naming 雷总, SU7 or YU7 (two in three) and rewrites their words;
// "unchanged" retags with the watch file they were ingested under, which
// reads and analyses everything and writes nothing.
func BenchmarkRetag(b *testing.B) {
	const n = 5000
	texts := []string{
		"雷总辛苦了，小米SU7真不错", "SU7 的刹车有点软，第%d次去售后", "小米汽车的续航怎么样，跑了%d公里",
		"YU7什么时候交付，座椅太硬", "今天天气不错，出去转了%d圈", "雷军说YU7座椅很舒服，订单%d台",
	}
	var jsonl strings.Builder
	differ := 0 // items whose entities differ between v1 and v2
	for i := range n {
		if k := i % len(texts); k != 2 && k != 4 {
			differ++
		}
		text := texts[i%len(texts)]
		if strings.Contains(text, "%d") {
			text = fmt.Sprintf(text, i)
		}
		fmt.Fprintf(&jsonl, `{"id":"b%d","platform":"weibo","text":%q,"time":"2025-03-01T%02d:%02d:00+08:00"}`+"\n",
			i, text, i/60%24, i%60)
	}
	for _, bb := range []struct {
		name    string
		watches []*trustwatch.Watch
	}{
		{"changed", []*trustwatch.Watch{watchV2, watchV1}},
		{"unchanged", []*trustwatch.Watch{watchV1}},
	} {
		b.Run(bb.name, func(b *testing.B) {
			dir := b.TempDir()
			path := filepath.Join(dir, "items.jsonl")
			if err := os.WriteFile(path, []byte(jsonl.String()), 0o644); err != nil {
				b.Fatal(err)
			}
			db, err := sqlite.Open(filepath.Join(dir, "bench.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			ctx := context.Background()
			in := &ingest.Ingester{Store: db, Analyzer: analyzerFor(b, watchV1), Options: reader.Options{Format: "items"}}
			if sum, err := in.Ingest(ctx, []string{path}, nil); err != nil || sum.Stored != n {
				b.Fatalf("ingest: %+v, %v", sum, err)
			}
			retaggers := make([]*ingest.Retagger, len(bb.watches))
			for i, w := range bb.watches {
				retaggers[i] = &ingest.Retagger{Store: db, Analyzer: analyzerFor(b, w)}
			}
			var total, changed int
			var elapsed, cpu time.Duration
			i := 0
			for b.Loop() {
				t0, c0 := time.Now(), cpuTime()
				sum, err := retaggers[i%len(retaggers)].Retag(ctx)
				elapsed, cpu = elapsed+time.Since(t0), cpu+cpuTime()-c0
				if err != nil {
					b.Fatal(err)
				}
				total += sum.Read
				changed += sum.EntitiesChanged
				i++
			}
			if runs := total / n; bb.name == "changed" && changed != runs*differ {
				b.Fatalf("%d items re-tagged in %d runs; want %d a run", changed, runs, differ)
			} else if bb.name == "unchanged" && changed != 0 {
				b.Fatalf("%d items re-tagged; want none", changed)
			}
			b.ReportMetric(float64(total)/elapsed.Seconds(), "items/s")
			if cpu > 0 {
				b.ReportMetric(float64(total)/cpu.Seconds(), "items/cpu-s")
			}
		})
	}
}

// cpuTime is the CPU time (user and system) this process has used; on a
// shared machine it measures the work far more steadily than the wall
// clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
