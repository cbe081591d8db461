package terms

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"trustwatch"
)

// TestSlidingBackground slides a two-day background over four days: first
// over days 0 and 1 with the candidate 雷总, then over days 1 and 2 (day 2
// enters, day 0 leaves) with 雷总 and 小米, which is new and counted over
// the kept days. The counts are checked by hand and against
// countBackground reading the same documents. Day 1's comment c1 is under
// day 0's 小米 post p0, so it is in 小米's scope only while day 0 is in
// the background; day 2's comment c2 is under p2 of the same day.
func TestSlidingBackground(t *testing.T) {
	loc := trustwatch.DefaultLocation()
	w := &trustwatch.Watch{Entities: []trustwatch.Entity{
		{ID: "xiaomi", Kind: trustwatch.EntityBrand, Name: "小米"},
		{ID: "leijun", Kind: trustwatch.EntityPerson, Name: "雷军"},
	}}
	const day0 = 20_000
	docsOf := func(day int32, docs ...Doc) []Doc {
		for i := range docs {
			docs[i].Time = dayTime(day, loc).Add(10*time.Hour + time.Duration(i)*time.Minute)
			if docs[i].Thread == "" {
				docs[i].Thread = docs[i].ID
			}
		}
		return docs
	}
	days := [][]Doc{
		docsOf(day0, Doc{ID: "p0", Text: "小米汽车发布"}, Doc{ID: "a0", Text: "雷总加油"}),
		docsOf(day0+1, Doc{ID: "c1", Thread: "p0", Text: "雷总好"}, Doc{ID: "b1", Text: "小米雷总"}, Doc{ID: "r1", Text: "雷军雷总"}),
		docsOf(day0+2, Doc{ID: "e2", Text: "雷总"}, Doc{ID: "p2", Text: "小米新车"}, Doc{ID: "c2", Thread: "p2", Text: "雷总真棒"}),
	}
	// The documents as the store would stream them, before the replay
	// reads them (keep gives them their units).
	var stream [][]Doc
	for _, docs := range days {
		stream = append(stream, append([]Doc(nil), docs...))
	}
	c := &dayDocs{loc: loc, watched: newWatched(w), u: newUnits(), days: map[int32][]Doc{}, seqs: map[int32][]uint32{}, roots: map[string]rootMention{}}
	c.slide = newSlidingBackground(len(c.watched.ids), c.u)
	for k, docs := range days {
		c.keep(day0+int32(k), docs)
	}
	win := newWindow(Options{Location: loc}.withDefaults(), newWatched(w), c.u)
	cand := func(text string, id int32) *candidate {
		return &candidate{id: id, text: text, seq: c.u.append(nil, text, true)[:len([]rune(text))]}
	}
	leiZong, xiaomi := cand("雷总", 0), cand("小米", 1)

	for _, tt := range []struct {
		name  string
		lo    int32 // first background day (after day0)
		cands []*candidate
		want  background // total, docs, entDocs (小米, 雷军), joint
		// 雷总's documents on each background day and its first time
		daily []int
		first string
	}{
		{"days 0 and 1", 0, []*candidate{leiZong}, background{total: 5, docs: []int{4}, entDocs: []int{3, 1},
			joint: []int32{2, 1}}, []int{1, 3}, "a0"},
		{"days 1 and 2, 小米 new", 1, []*candidate{leiZong, xiaomi}, background{total: 6, docs: []int{5, 2}, entDocs: []int{3, 1},
			joint: []int32{2, 1, 2, 0}}, []int{3, 2}, "c1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			lo, hi := day0+tt.lo, day0+tt.lo+2
			got, err := c.slide.count(c, tt.cands, lo, hi)
			if err != nil {
				t.Fatal(err)
			}
			var bgDocs []Doc
			for _, docs := range stream[tt.lo : tt.lo+2] {
				bgDocs = append(bgDocs, docs...)
			}
			recount, err := countBackground(Docs(bgDocs), win, tt.cands, lo, hi)
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []*background{&tt.want, recount} {
				if got.total != want.total || !reflect.DeepEqual(got.docs, want.docs) ||
					!reflect.DeepEqual(got.entDocs, want.entDocs) || !reflect.DeepEqual(got.joint, want.joint) {
					t.Errorf("total %d, docs %v, entity docs %v, joint %v; want %d, %v, %v, %v",
						got.total, got.docs, got.entDocs, got.joint, want.total, want.docs, want.entDocs, want.joint)
				}
			}
			if !reflect.DeepEqual(got.dayDocs, recount.dayDocs) || !reflect.DeepEqual(got.days, recount.days) {
				t.Errorf("days %v %v; recount %v %v", got.dayDocs, got.days, recount.dayDocs, recount.days)
			}
			for i, want := range tt.daily {
				if n, again := got.daily(leiZong, lo+int32(i)), recount.daily(leiZong, lo+int32(i)); n != want || again != want {
					t.Errorf("雷总 on day %d: %d, recount %d; want %d", i, n, again, want)
				}
			}
			var first int64
			for _, docs := range stream {
				for _, d := range docs {
					if d.ID == tt.first {
						first = d.Time.UnixNano()
					}
				}
			}
			if f, again := got.first(leiZong), recount.first(leiZong); f != first || again != first {
				t.Errorf("雷总 first seen %d, recount %d; want %d (%s)", f, again, first, tt.first)
			}
		})
	}
}

// TestUnitIndex: 米 is at 1 and 4 of 小米小|米, after the boundary at 3;
// the boundaries are not indexed, and scratch is left zero.
func TestUnitIndex(t *testing.T) {
	u := newUnits()
	seq := u.append(nil, "小米小，米", false) // 小 米 小 | 米 |
	scratch := make([]int32, wordBase)
	x := newUnitIndex(seq, scratch)
	for _, tt := range []struct {
		unit uint32
		want []int32
	}{
		{'小', []int32{0, 2}},
		{'米', []int32{1, 4}},
		{'车', nil},
		{boundary, nil},
	} {
		got, ok := x.at(tt.unit)
		if ok != (tt.want != nil) || !reflect.DeepEqual(got, tt.want) && len(tt.want) > 0 {
			t.Errorf("at(%q) = %v, %v; want %v", rune(tt.unit), got, ok, tt.want)
		}
	}
	if slices.ContainsFunc(scratch, func(n int32) bool { return n != 0 }) {
		t.Errorf("scratch not left zero")
	}
}
