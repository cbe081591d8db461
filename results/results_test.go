package results_test

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/detect/ledger"
	"trustwatch/results"
	"trustwatch/sqlite"
	"trustwatch/story"
	"trustwatch/watchfile"
)

var shanghai = trustwatch.DefaultLocation()

func at(day, hour int) time.Time { return time.Date(2025, 3, day, hour, 0, 0, 0, shanghai) }

// item is a post on 2025-03-DAY about the Y9's brakes, or by 程朗.
func item(id string, day int, author, text string, entities ...string) trustwatch.Item {
	return trustwatch.Item{ID: id, Platform: "weibo", Kind: trustwatch.KindPost, Author: author, Text: text,
		Time: at(day, 10).UTC(), Entities: entities, Sentiment: trustwatch.Negative, Likes: 3}
}

func fixture(t *testing.T) (*sqlite.DB, *trustwatch.Watch) {
	t.Helper()
	w, err := watchfile.Load("testdata/trustwatch.yaml")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	put(t, db,
		item("p1", 2, "车主甲", "Y9 刹车 刹停 40 米，比宣传的 32 米长", "y9", "yaochuan"),
		item("p2", 3, "车主乙", "Y9 刹车很稳，刹停 32 米没问题", "y9", "yaochuan"),
		item("p3", 4, "程朗", "曜川的刹车，大家放心", "chenglang", "yaochuan"),
	)
	return db, w
}

func put(t *testing.T, db *sqlite.DB, items ...trustwatch.Item) {
	t.Helper()
	if _, _, err := db.PutItems(context.Background(), items); err != nil {
		t.Fatal(err)
	}
}

func TestPrecomputer(t *testing.T) {
	ctx := context.Background()
	db, w := fixture(t)
	p := &results.Precomputer{Computer: results.Computer{Store: db, Watch: w, Location: shanghai}, Results: db,
		Now: func() time.Time { return at(5, 9) }}
	// The newest item is on 4 March: the pages' default end is 5 March
	// 00:00, the voice looks back 180 days, the report 30.
	end := at(5, 0)
	want := []string{
		results.LedgerKey(end, ""),
		results.EvidenceKey("y9-brake", end),
		results.VoiceKey("chenglang", end.AddDate(0, 0, -180), end),
		results.TermsKey(end.AddDate(0, 0, -7), end, "", false),
		results.StoriesKey(end.AddDate(0, 0, -30), end),
		results.ReportKey(end.AddDate(0, 0, -30), end),
	}
	steps := []struct {
		name     string
		before   func()
		computed []string
		fresh    int
	}{
		{"first run computes every result", nil, want, 0},
		{"second run finds them saved", nil, nil, 6},
		{"a duplicate item changes nothing", func() {
			put(t, db, item("p1", 2, "车主甲", "Y9 刹车 刹停 40 米，比宣传的 32 米长", "y9"))
		}, nil, 6},
		// Same day: the defaults stay, the version changes.
		{"a new item makes them stale", func() { put(t, db, item("p4", 4, "车主丙", "Y9 刹车又软了", "y9")) }, want, 0},
		{"an acknowledged alert leaves all but the report", func() {
			if err := db.PutAlert(ctx, &trustwatch.Alert{ID: "a1", Rule: "r", Kind: "claim.default", Entity: "y9", Severity: "high", Opened: at(4, 12), Updated: at(4, 12), Statement: "承诺被反驳"}); err != nil {
				t.Fatal(err)
			}
		}, want[5:], 5},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if st.before != nil {
				st.before()
			}
			sum, err := p.Run(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(sum.Computed, st.computed) || sum.Fresh != st.fresh {
				t.Errorf("computed %q, %d fresh; want %q, %d fresh", sum.Computed, sum.Fresh, st.computed, st.fresh)
			}
		})
	}

	t.Run("saved results read back as computed", func(t *testing.T) {
		version, err := results.NewBasis(w, shanghai).Version(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		rows, ok, err := results.Load[[]ledger.Row](ctx, db, want[0], version, shanghai)
		if err != nil || !ok {
			t.Fatalf("Load ledger: ok=%v, %v", ok, err)
		}
		fresh, err := p.Ledger(ctx, end, "")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(rows, fresh) {
			t.Errorf("stored ledger differs from a fresh one:\n%+v\n%+v", rows, fresh)
		}
		if len(rows) != 1 || len(rows[0].Daily) != 5 {
			t.Fatalf("ledger = %+v; want the one claim with its 5 days (1-5 March)", rows)
		}
		// Days from the store group with days computed now: the balance
		// keys them in a map.
		if got, want := ledger.Balance(append(rows, fresh...)), ledger.Balance(append(fresh, fresh...)); !reflect.DeepEqual(got, want) {
			t.Errorf("balance over stored and fresh rows = %+v; want %+v", got, want)
		}
		stories, ok, err := results.Load[[]story.Story](ctx, db, want[4], version, shanghai)
		if err != nil || !ok {
			t.Fatalf("Load stories: ok=%v, %v", ok, err)
		}
		freshStories, err := p.Stories(ctx, end.AddDate(0, 0, -30), end)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(stories, freshStories) {
			t.Errorf("stored stories differ from fresh ones:\n%+v\n%+v", stories, freshStories)
		}
		if _, ok, _ := results.Load[[]ledger.Row](ctx, db, want[0], version+"x", shanghai); ok {
			t.Error("a result saved for another version was returned")
		}
	})
}

func TestVersion(t *testing.T) {
	ctx := context.Background()
	db, w := fixture(t)
	base, err := results.NewBasis(w, shanghai).Version(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	other := *w
	other.Claims = append([]trustwatch.Claim(nil), w.Claims...)
	other.Claims[0].Text = "百公里刹停仅需 30 米"
	for _, tt := range []struct {
		name  string
		basis results.Basis
		same  bool
	}{
		{"same watch and zone", results.NewBasis(w, shanghai), true},
		{"another claim text", results.NewBasis(&other, shanghai), false},
		{"another zone", results.NewBasis(w, time.UTC), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v, err := tt.basis.Version(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			if (v == base) != tt.same {
				t.Errorf("version %q vs %q: same = %v, want %v", v, base, v == base, tt.same)
			}
		})
	}
	if !strings.Contains(base, "items=3,") {
		t.Errorf("version %q does not count the 3 items", base)
	}
}

// TestLoadRestoresZones: times come back in the zone they were in, so that
// equal days are == again and print in the server's zone.
func TestLoadRestoresZones(t *testing.T) {
	ctx := context.Background()
	db, _ := fixture(t)
	type day struct {
		Day  time.Time
		Next *time.Time
	}
	noon := at(2, 12)
	in := map[string][]day{
		"shanghai": {{Day: at(2, 0), Next: &noon}},
		"utc":      {{Day: at(2, 0).UTC()}},
		"zero":     {{}},
	}
	if err := results.Save(ctx, db, "k", "v", in); err != nil {
		t.Fatal(err)
	}
	out, ok, err := results.Load[map[string][]day](ctx, db, "k", "v", shanghai)
	if err != nil || !ok {
		t.Fatalf("Load: ok=%v, %v", ok, err)
	}
	for name, want := range map[string]*time.Location{"shanghai": shanghai, "utc": time.UTC, "zero": time.UTC} {
		got := out[name][0]
		if got.Day.Location() != want || !got.Day.Equal(in[name][0].Day) {
			t.Errorf("%s: %v in %v; want %v in %v", name, got.Day, got.Day.Location(), in[name][0].Day, want)
		}
	}
	if n := out["shanghai"][0].Next; n == nil || *n != noon {
		t.Errorf("pointer time = %v; want %v (==, same zone)", n, noon)
	}
}

// TestSaveNaN: a score JSON cannot hold (NaN) is saved all the same and
// read back as NaN, with the empty list still empty.
func TestSaveNaN(t *testing.T) {
	ctx := context.Background()
	db, _ := fixture(t)
	type profile struct {
		Bits   float64
		Trend  []float64
		Phrase []string
	}
	if err := results.Save(ctx, db, "voice", "v", profile{Bits: math.NaN(), Trend: []float64{1, math.Inf(1)}, Phrase: []string{"说到做到"}}); err != nil {
		t.Fatal(err)
	}
	got, ok, err := results.Load[profile](ctx, db, "voice", "v", shanghai)
	if err != nil || !ok {
		t.Fatalf("Load: ok=%v, %v", ok, err)
	}
	if !math.IsNaN(got.Bits) || len(got.Trend) != 2 || !math.IsInf(got.Trend[1], 1) || len(got.Phrase) != 1 {
		t.Errorf("Load = %+v; want NaN, [1 +Inf], [说到做到]", got)
	}
}

// BenchmarkLoadLedger is a page's read of a precomputed ledger: the store
// read, the decoding and the zones put back.
func BenchmarkLoadLedger(b *testing.B) {
	ctx := context.Background()
	w, err := watchfile.Load("testdata/trustwatch.yaml")
	if err != nil {
		b.Fatal(err)
	}
	db, err := sqlite.Open(":memory:")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var items []trustwatch.Item
	for i := range 2000 {
		items = append(items, item(fmt.Sprint("p", i), 2+i%3, "车主", "Y9 刹车 刹停 40 米，比宣传的 32 米长", "y9"))
	}
	if _, _, err := db.PutItems(ctx, items); err != nil {
		b.Fatal(err)
	}
	c := results.Computer{Store: db, Watch: w, Location: shanghai}
	rows, err := c.Ledger(ctx, at(5, 0), "")
	if err != nil {
		b.Fatal(err)
	}
	if err := results.Save(ctx, db, "ledger", "v", rows); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, ok, err := results.Load[[]ledger.Row](ctx, db, "ledger", "v", shanghai); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}

// TestStoriesReadBack saves a window's stories and reads them back as a
// fresh clustering gives them: items, groups and times included.
func TestStoriesReadBack(t *testing.T) {
	ctx := context.Background()
	db, w := fixture(t)
	for i, author := range []string{"车主丙", "车主丁", "车主戊", "车主己"} {
		put(t, db, item(fmt.Sprintf("s%d", i), 4, author, "曜川 Y9 的刹车踩下去很软，刹停距离比宣传的长了八米，4S 店说正常", "y9"))
	}
	c := results.Computer{Store: db, Watch: w, Location: shanghai}
	from, to := at(1, 0), at(5, 0)
	fresh, err := c.Stories(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	// The fixture's two other brake posts join the copies' story.
	if len(fresh) != 1 || fresh[0].Count() != 6 || fresh[0].Groups[0].Count != 4 || fresh[0].Groups[0].Authors != 4 {
		t.Fatalf("stories = %+v; want one story of 6 items led by the group of 4 copies by 4 authors", fresh)
	}
	if err := results.Save(ctx, db, results.StoriesKey(from, to), "v1", fresh); err != nil {
		t.Fatal(err)
	}
	saved, ok, err := results.Load[[]story.Story](ctx, db, results.StoriesKey(from, to), "v1", shanghai)
	if err != nil || !ok {
		t.Fatalf("Load: ok=%v, %v", ok, err)
	}
	if !reflect.DeepEqual(saved, fresh) {
		t.Errorf("saved stories differ from fresh ones:\n%+v\n%+v", saved, fresh)
	}
}
