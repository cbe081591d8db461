package query

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"trustwatch"
	"trustwatch/segment"
)

func loadItems(t testing.TB) []trustwatch.Item {
	t.Helper()
	b, err := os.ReadFile("testdata/items.json")
	if err != nil {
		t.Fatal(err)
	}
	var items []trustwatch.Item
	if err := json.Unmarshal(b, &items); err != nil {
		t.Fatal(err)
	}
	return items
}

// matching returns the ids of the items q matches.
func matching(t *testing.T, items []trustwatch.Item, query string) []string {
	t.Helper()
	q, err := Parse(query, Options{Cut: fakeCut})
	if err != nil {
		t.Fatalf("Parse(%q): %v", query, err)
	}
	var ids []string
	for i := range items {
		if q.Match(NewDoc(&items[i])) {
			ids = append(ids, items[i].ID)
		}
	}
	return ids
}

// TestMatch runs hand-checked queries over testdata/items.json; the
// expected ids were worked out by reading the items.
func TestMatch(t *testing.T) {
	items := loadItems(t)
	tests := []struct {
		query string
		want  string // ids, space-separated
	}{
		{"刹车", "p1 p2 p5 p6 p7 p12"},
		// A character finds the words it is part of.
		{"车", "p1 p2 p5 p6 p7 p9 p12"},
		{"刹车 -SU7", "p2 p6 p12"},
		{"刹车 NOT su7", "p2 p6 p12"},
		{`"刹车异响"`, "p6"},
		{"刹车异响", "p1 p5 p6 p12"},
		// 刹车有点异响: 车有, 有点, 点异 are the three units between.
		{"刹车 NEAR/3 异响", "p1 p5 p6"},
		{"异响 NEAR/3 刹车", "p1 p5 p6"},
		{"刹车 NEAR/2 异响", "p6"},
		{"刹车 NEAR/12 异响", "p1 p5 p6"},
		{"刹车 NEAR/13 异响", "p1 p5 p6 p12"},
		{"刹车 NEAR 异响", "p1 p5 p6"},
		{"squeal NEAR/2 speed", "p3"},
		{"squeal NEAR/1 speed", ""},
		// Latin words match whole: brake is in p3's title, not a prefix of brakes.
		{"brake", "p3"},
		{"BRAKES OR 刹车很灵", "p2 p3"},
		{`"小米 su7"`, "p1 p5"},
		{"东方甄选", "p11"},
		{"-小米", "p2 p3 p4 p7 p9 p10 p12"},
		{"platform:weibo sentiment:neg", "p1 p5 p12"},
		{"platform:WEIBO sentiment:负面", "p1 p5 p12"},
		{"likes:>1000", "p1 p4 p7"},
		{"likes:>=1500", "p1 p4 p7"},
		{"likes:<50", "p2 p5 p10 p11 p12"},
		{"likes:<=50 kind:comment", "p2 p9 p12"},
		{"likes:800", "p6"},
		{"favorites:5 views:>9999 reposts:20 replies:>29", "p1"},
		{"kind:repost OR kind:statement", "p5 p7"},
		{"lang:en", "p3"},
		{"-lang:zh", "p3"},
		{"lang:zh-hans", "p12"},
		{"lang:zh-han", ""},
		{"aspect:brakes -sentiment:neg", "p2 p6"},
		{"entity:leijun", "p2"},
		{"topic:xiaomi", "p1 p2 p3 p4 p5 p6 p7 p9 p11"},
		{"keyword:东方甄选", "p11"},
		{"keyword:小米SU7", "p1"}, // any case: p1 was found by 小米su7
		{"tag:官方回应", "p6"},
		{"author:车主小王", "p1"},
		{"author:车主", ""},
		{"(platform:xhs OR platform:douyin) SU7", "p3 p4"},
		{"YU7 -续航", ""},
	}
	for _, tt := range tests {
		got := strings.Join(matching(t, items, tt.query), " ")
		if got != tt.want {
			t.Errorf("%s: matches %q, want %q", tt.query, got, tt.want)
		}
	}
}

// TestMatchTraditional checks that Traditional text and queries meet their
// Simplified forms; it needs segment.Normalize to fold Traditional to
// Simplified.
func TestMatchTraditional(t *testing.T) {
	if segment.Normalize("剎車") != "刹车" {
		t.Skip("segment.Normalize does not fold Traditional Chinese yet")
	}
	items := []trustwatch.Item{
		{ID: "t1", Text: "小米汽車剎車異響怎麼辦"},
		{ID: "s1", Text: "小米汽车刹车异响怎么办"},
		{ID: "x", Text: "今天天气真好"},
	}
	for _, query := range []string{"剎車", "刹车", `"剎車異響"`, `"刹车异响"`, "汽車 NEAR/3 異響"} {
		if got := matching(t, items, query); !slices.Equal(got, []string{"t1", "s1"}) {
			t.Errorf("%s: matches %q, want t1 s1", query, got)
		}
	}
}

// Every run of Chinese characters drawn from an item's own text matches it,
// at every length: the property the matcher and the stores rely on.
func TestMatchOwnPhrases(t *testing.T) {
	for _, it := range loadItems(t) {
		d := NewDoc(&it)
		rs := []rune(segment.Normalize(it.FullText()))
		for i := range rs {
			for j := i + 1; j <= len(rs) && j <= i+4 && isCJK(rs[j-1]); j++ {
				p := PhraseUnits(string(rs[i:j]))
				if p == nil {
					break
				}
				if !(&Query{Root: p}).Match(d) {
					t.Errorf("%s: own phrase %q (%q) does not match", it.ID, string(rs[i:j]), p.Units)
				}
			}
		}
	}
}
