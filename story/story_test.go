package story_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"trustwatch"
	"trustwatch/story"
)

// words is the tests' segmenter: the fixtures are written with a space
// between words, as a segmenter would cut them.
func words(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

var (
	from = time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	to   = from.AddDate(0, 0, 1)
)

func load(t testing.TB) []trustwatch.Item {
	t.Helper()
	b, err := os.ReadFile("testdata/window.json")
	if err != nil {
		t.Fatal(err)
	}
	var items []trustwatch.Item
	if err := json.Unmarshal(b, &items); err != nil {
		t.Fatal(err)
	}
	return items
}

func ids(items []trustwatch.Item) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.ID)
	}
	slices.Sort(out)
	return out
}

// TestCluster checks the fixture's stories, worked out by hand in
// testdata/README.md: the brake complaint (organic posts, two reposts and
// a wave of six copies) is one story, the deliveries with their comments
// another, the three 「续航虚标」 a third; 「哈哈哈」 and the item after the
// window are in none.
func TestCluster(t *testing.T) {
	got := story.Cluster(load(t), story.Options{From: from, To: to, Cut: words})
	want := []struct {
		items      []string
		first      string
		lead       string
		terms      []string
		engagement int64
		pos, neg   int
		groups     []int
	}{
		{items: []string{"a1", "a2", "a3", "c1", "c2", "c3", "c4", "c5", "c6", "r1", "r2"}, first: "a1", lead: "a1",
			terms: []string{"回应", "官方", "刹车"}, engagement: 214, neg: 9, groups: []int{6, 3, 1, 1}},
		{items: []string{"d1", "d2", "k1", "k2"}, first: "d1", lead: "d1",
			terms: []string{"交付", "提车", "服务"}, engagement: 350, pos: 3, groups: []int{3, 1}},
		{items: []string{"x1", "x2", "x3"}, first: "x1", lead: "x1",
			terms: []string{"续航", "续航虚标", "虚标"}, neg: 3, groups: []int{3}},
	}
	if len(got) != len(want) {
		for _, s := range got {
			t.Logf("story %s %v %v", s.ID, s.Terms, ids(s.Items))
		}
		t.Fatalf("%d stories, want %d", len(got), len(want))
	}
	for i, w := range want {
		s := got[i]
		if g := ids(s.Items); !slices.Equal(g, w.items) {
			t.Errorf("story %d: items %v, want %v", i, g, w.items)
		}
		if s.First.ID != w.first || s.Lead.ID != w.lead {
			t.Errorf("story %d: first %s lead %s, want %s %s", i, s.First.ID, s.Lead.ID, w.first, w.lead)
		}
		if !slices.Equal(s.Terms, w.terms) {
			t.Errorf("story %d: terms %v, want %v", i, s.Terms, w.terms)
		}
		if s.Engagement != w.engagement || s.Pos != w.pos || s.Neg != w.neg {
			t.Errorf("story %d: engagement %d pos %d neg %d, want %d %d %d", i, s.Engagement, s.Pos, s.Neg, w.engagement, w.pos, w.neg)
		}
		var sizes []int
		for _, g := range s.Groups {
			sizes = append(sizes, g.Count)
		}
		if !slices.Equal(sizes, w.groups) {
			t.Errorf("story %d: group sizes %v, want %v", i, sizes, w.groups)
		}
	}
	brake := got[0]
	if brake.Label != "回应 · 官方 · 刹车" {
		t.Errorf("label %q", brake.Label)
	}
	wantPlatforms := []story.KeyCount{{Key: "weibo", Count: 9}, {Key: "douyin", Count: 1}, {Key: "xhs", Count: 1}}
	if !slices.Equal(brake.Platforms, wantPlatforms) {
		t.Errorf("platforms %v, want %v", brake.Platforms, wantPlatforms)
	}
	var amps []string
	for _, a := range brake.Amplifiers {
		amps = append(amps, fmt.Sprintf("%s:%d", a.Author, a.Engagement))
	}
	if want := []string{"阿峰:160", "小雨:40", "大刘:10", "用户5839201746:2", "周周:1"}; !slices.Equal(amps, want) {
		t.Errorf("amplifiers %v, want %v", amps, want)
	}
	wantEntities := []story.KeyCount{{Key: "y9", Count: 10}, {Key: "yaochuan", Count: 1}}
	if !slices.Equal(brake.Entities, wantEntities) {
		t.Errorf("entities %v, want %v", brake.Entities, wantEntities)
	}
}

// TestCoordination checks the signals on the fixture's stories: the six
// copies of 「千万别买」 are by new accounts within four minutes, five of
// them masked; the organic posts and reposts show nothing.
func TestCoordination(t *testing.T) {
	got := story.Cluster(load(t), story.Options{From: from, To: to, Cut: words})
	type counts struct{ items, copies, fresh, bursts, masked, suspected int }
	of := func(c story.Coordination) counts {
		return counts{c.Items, c.Copies.Count, c.NewAccounts.Count, c.Bursts.Count, c.Masked.Count, c.Suspected.Count}
	}
	for i, want := range []counts{
		{items: 11, copies: 6, fresh: 6, bursts: 6, masked: 5, suspected: 6},
		{items: 4},
		// Three new accounts with the same short text: copies, too few
		// for a burst, ordinary names: one signal, not suspected.
		{items: 3, copies: 3, fresh: 3},
	} {
		if g := of(got[i].Coordination); g != want {
			t.Errorf("story %d: %+v, want %+v", i, g, want)
		}
	}
	c := got[0].Coordination
	if c.Suspected.Share != 6.0/11 {
		t.Errorf("suspected share %v, want 6/11", c.Suspected.Share)
	}
	if g := ids(c.Suspected.Examples); !slices.Equal(g, []string{"c1", "c2", "c3"}) {
		t.Errorf("examples %v, want the first three copies", g)
	}
	all := story.Coordinate(load(t), story.Options{From: from, To: to, Cut: words})
	if g, want := of(all), (counts{items: 19, copies: 9, fresh: 9, bursts: 6, masked: 5, suspected: 6}); g != want {
		t.Errorf("window: %+v, want %+v", g, want)
	}
}

// TestClusterOrder checks that the stories do not depend on the order of
// the input.
func TestClusterOrder(t *testing.T) {
	items := load(t)
	want := story.Cluster(items, story.Options{From: from, To: to, Cut: words})
	r := rand.New(rand.NewPCG(1, 2))
	for range 5 {
		r.Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
		got := story.Cluster(items, story.Options{From: from, To: to, Cut: words})
		if len(got) != len(want) {
			t.Fatalf("%d stories, want %d", len(got), len(want))
		}
		for i := range got {
			if got[i].ID != want[i].ID || !slices.Equal(ids(got[i].Items), ids(want[i].Items)) {
				t.Errorf("story %d: %s %v, want %s %v", i, got[i].ID, ids(got[i].Items), want[i].ID, ids(want[i].Items))
			}
		}
	}
}

func item(id, author, text string, at time.Duration) trustwatch.Item {
	return trustwatch.Item{ID: id, Platform: "weibo", Author: author, Text: text, Time: from.Add(at)}
}

// TestAdversarial feeds inputs that break naive grouping.
func TestAdversarial(t *testing.T) {
	long := "曜川 Y9 刹车 失灵 千万 别买 官方 不 回应"
	tests := []struct {
		name    string
		items   []trustwatch.Item
		stories []int // item counts of the stories
		copies  int   // Coordinate's Copies over the window
		bursts  int
		masked  int
		// suspected is checked when checkSuspected is set.
		checkSuspected bool
		suspected      int
	}{
		{name: "empty", items: nil},
		{name: "empty text", items: []trustwatch.Item{item("1", "a", "", 0), item("2", "b", "", 1), item("3", "c", "  ", 2)}},
		{name: "all emoticons", items: []trustwatch.Item{
			item("1", "a", "[doge][doge]", 0), item("2", "b", "[允悲]", time.Minute), item("3", "c", "[赞][赞][赞]", 2*time.Minute)}},
		{name: "stop words only", items: []trustwatch.Item{
			item("1", "a", "哈哈哈", 0), item("2", "b", "转发微博", time.Minute), item("3", "c", "同感！", 2*time.Minute)}},
		{name: "identical texts from one author are one group, not copies", items: []trustwatch.Item{
			item("1", "a", long, 0), item("2", "a", long, time.Minute), item("3", "a", long, 2*time.Minute), item("4", "a", long, 3*time.Minute)},
			stories: []int{4}},
		{name: "no author counts as one account", items: []trustwatch.Item{
			item("1", "", long, 0), item("2", "", long, time.Minute), item("3", "", long, 2*time.Minute)},
			stories: []int{3}},
		{name: "mentions links and emoticons do not make a text new", items: []trustwatch.Item{
			item("1", "a", long, 0), item("2", "b", "@某人 "+long+" [怒]", time.Minute), item("3", "c", long+" https://t.cn/x?y=1", 2*time.Minute)},
			stories: []int{3}, copies: 3},
		{name: "repost chain is someone else's words", items: []trustwatch.Item{
			item("1", "a", "提车 一周 交付 很快 销售 服务 好", 0),
			item("2", "b", "说得对//@a: "+long, time.Minute), item("3", "c", "同感//@a: "+long, 2*time.Minute), item("4", "d", "确实//@a: "+long, 3*time.Minute)}},
		{name: "a repost outside the window's parent says nothing", items: []trustwatch.Item{
			{ID: "1", Platform: "weibo", Author: "a", Kind: trustwatch.KindRepost, ParentID: "gone", Text: "转发微博", Time: from},
			{ID: "2", Platform: "weibo", Author: "b", Kind: trustwatch.KindRepost, ParentID: "gone", Text: "转发微博", Time: from.Add(time.Minute)},
			{ID: "3", Platform: "weibo", Author: "c", Kind: trustwatch.KindRepost, ParentID: "gone", Text: "转发微博", Time: from.Add(time.Minute)}}},
		{name: "five accounts spread over ten minutes are no burst", items: []trustwatch.Item{
			item("1", "a", long, 0), item("2", "b", long, 150*time.Second), item("3", "c", long, 300*time.Second),
			item("4", "d", long, 450*time.Second), item("5", "e", long, 600*time.Second)},
			stories: []int{5}, copies: 5},
		{name: "five accounts within five minutes are a burst", items: []trustwatch.Item{
			item("1", "a", long, 0), item("2", "b", long, 60*time.Second), item("3", "c", long, 120*time.Second),
			item("4", "d", long, 180*time.Second), item("5", "e", long, 300*time.Second), item("6", "f", long, 2*time.Hour)},
			stories: []int{6}, copies: 6, bursts: 5},
		{name: "three accounts with one prefix and digits are a pattern, two are not", items: []trustwatch.Item{
			item("1", "曜川车主100001", long, 0), item("2", "曜川车主100002", long, time.Minute), item("3", "曜川车主100003", long, 2*time.Minute),
			item("4", "小王123456", long, 3*time.Minute), item("5", "小王654321", long, 4*time.Minute)},
			stories: []int{5}, copies: 5, bursts: 5, masked: 3},
		{name: "copies by new accounts alone are not suspected", items: []trustwatch.Item{
			item("1", "a", long, 0), item("2", "b", long, time.Hour), item("3", "c", long, 2*time.Hour), item("4", "d", long, 3*time.Hour)},
			stories: []int{4}, copies: 4, checkSuspected: true, suspected: 0},
		{name: "copies by new accounts with default names are", items: []trustwatch.Item{
			item("0", "用户1000000009", "周末 去 门店", -48*time.Hour),
			item("1", "用户1000000001", long, 0), item("2", "用户1000000002", long, time.Hour), item("3", "手机用户", long, 2*time.Hour),
			item("4", "用户1000000009", long, 3*time.Hour), item("5", "用户1234567", long, 4*time.Hour)},
			stories: []int{5}, copies: 5, masked: 4, checkSuspected: true, suspected: 3},
		{name: "ids and hashes are not nickname patterns", items: []trustwatch.Item{
			item("1", "c1764139080", long, 0), item("2", "c1819408105", long, time.Hour), item("3", "c1165965035", long, 2*time.Hour),
			item("4", "用户1234567", long, 3*time.Hour), item("5", "用户7654321", long, 4*time.Hour), item("6", "用户2345678", long, 5*time.Hour)},
			stories: []int{6}, copies: 6},
		{name: "short texts differing in punctuation are one group", items: []trustwatch.Item{
			item("1", "a", "续航 虚标！", 0), item("2", "b", "续航虚标", time.Hour), item("3", "c", "续航，虚标……", 2*time.Hour)},
			stories: []int{3}, copies: 3},
		{name: "short texts differing in a word are not", items: []trustwatch.Item{
			item("1", "a", "续航 虚标", 0), item("2", "b", "续航 真 虚标", time.Hour), item("3", "c", "续航 不 虚标", 2*time.Hour)},
			stories: []int{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opt := story.Options{From: from, To: to, Cut: words}
			got := story.Cluster(tt.items, opt)
			var sizes []int
			for _, s := range got {
				sizes = append(sizes, s.Count())
			}
			if !slices.Equal(sizes, tt.stories) && (len(sizes) > 0 || len(tt.stories) > 0) {
				t.Errorf("stories of %v items, want %v", sizes, tt.stories)
			}
			c := story.Coordinate(tt.items, opt)
			if c.Copies.Count != tt.copies || c.Bursts.Count != tt.bursts || c.Masked.Count != tt.masked {
				t.Errorf("copies %d bursts %d masked %d, want %d %d %d", c.Copies.Count, c.Bursts.Count, c.Masked.Count, tt.copies, tt.bursts, tt.masked)
			}
			if tt.checkSuspected && c.Suspected.Count != tt.suspected {
				t.Errorf("suspected %d, want %d", c.Suspected.Count, tt.suspected)
			}
		})
	}
}

// TestTimeline checks the brake story's hours: a1 and its two reposts at
// 02:00, a2 at 03:00, a3 at 04:00, seven empty hours, the six copies at
// 12:00; one day of 11.
func TestTimeline(t *testing.T) {
	brake := story.Cluster(load(t), story.Options{From: from, To: to, Cut: words})[0]
	var hours []int64
	for _, p := range brake.Timeline(trustwatch.Hour, time.UTC) {
		hours = append(hours, p.Count)
	}
	if want := []int64{3, 1, 1, 0, 0, 0, 0, 0, 0, 0, 6}; !slices.Equal(hours, want) {
		t.Errorf("hours %v, want %v", hours, want)
	}
	first := brake.Timeline(trustwatch.Hour, time.UTC)[0]
	if !first.Period.Equal(from.Add(2*time.Hour)) || first.Neg != 1 || first.Neu != 2 {
		t.Errorf("first hour %+v, want 02:00 with 1 negative and 2 neutral", first)
	}
	days := brake.Timeline(trustwatch.Day, time.UTC)
	if len(days) != 1 || days[0].Count != 11 || !days[0].Period.Equal(from) {
		t.Errorf("days %+v, want one day of 11", days)
	}
}
