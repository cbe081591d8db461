package terms

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"trustwatch"
)

func TestFragment(t *testing.T) {
	tests := []struct {
		term string
		want bool
	}{
		{"y9的", true},   // a name and a particle
		{"程不群吗", true},  // a modal particle at the end
		{"吧台灯", true},   // or at the start
		{"了解锁", true},   // an aspect marker never starts a word
		{"飞快地", true},   // a structural particle never ends one
		{"阳了", false},   // but an aspect marker may end a new word
		{"程不群", false},  //
		{"yu7", false},  //
		{"方舱医院", false}, //
	}
	for _, tt := range tests {
		if got := fragment(tt.term); got != tt.want {
			t.Errorf("fragment(%s) = %v, want %v", tt.term, got, tt.want)
		}
	}
}

func TestPhrase(t *testing.T) {
	dict := map[string]bool{"车主": true, "胜诉": true, "今天": true, "交付": true, "很快": true, "稳定": true, "不群": true}
	known := func(s string) bool { return dict[s] }
	tests := []struct {
		term  string
		known func(string) bool
		want  bool
	}{
		{"很满意", nil, true},    // degree adverb + evaluative word, no dictionary needed
		{"太失望", nil, true},    //
		{"非常稳定", known, true}, // degree adverb + a dictionary word
		{"烦死了", nil, true},    // a degree complement
		{"熟悉的味道", nil, true},  // 的 inside
		{"车主胜诉", known, true}, // two dictionary words
		{"今天y9", func(s string) bool { return s == "今天" || s == "y9" }, true},
		{"交付很快", known, true},
		{"程不群", known, false}, // 程 + 不群: a single character beside a word
		{"太空人", nil, false},   // 太 + 空人: no evaluative word after the adverb
		{"车主胜诉", nil, false},  // no dictionary, no phrase
		{"白肺", known, false},
		{"能不能", nil, true},  // A-not-A questions
		{"有没有", nil, true},  //
		{"喜不喜欢", nil, true}, //
		{"程不群", nil, false}, // 不 in the middle, but no repeat
		{"什么时候", nil, true}, // a question word inside
		{"怎么办", nil, true},  //
	}
	for _, tt := range tests {
		if got := phrase(tt.term, tt.known); got != tt.want {
			t.Errorf("phrase(%s) = %v, want %v", tt.term, got, tt.want)
		}
	}
}

// TestUnitsBrackets: brackets are boundaries of their own kind, so that
// the content of [doge] sits between an opening and a closing mark.
func TestUnitsBrackets(t *testing.T) {
	u := newUnits()
	tests := []struct {
		text string
		want []uint32 // 'a' stands for any non-boundary unit
	}{
		{"很满意[doge]", []uint32{'a', 'a', 'a', bracketOpen, 'a', bracketClose}},
		{"认真的（doge）。", []uint32{'a', 'a', 'a', bracketOpen, 'a', bracketClose}},
		{"[赞][允悲]", []uint32{bracketOpen, 'a', bracketClose, bracketOpen, 'a', 'a', bracketClose}},
		{"好，【新】", []uint32{'a', bracketOpen, 'a', bracketClose}},
		{"好，", []uint32{'a', boundary}},
	}
	for _, tt := range tests {
		seq := u.append(nil, tt.text, false)
		got := make([]uint32, len(seq))
		for i, id := range seq {
			got[i] = id
			if !isBoundary(id) {
				got[i] = 'a'
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("units of %q = %v, want %v", tt.text, got, tt.want)
		}
	}
}

// TestFindDropsEmoticonsAndFragments: in a window where 40 posts end with
// [doge], 30 say y9的 and 20 say 很满意, none of doge, y9的 and 很满意
// is new, and the fragment and the emoticon are not terms at all; 程不群,
// planted in 25 posts, is.
func TestFindDropsEmoticonsAndFragments(t *testing.T) {
	g := lcgState(5)
	subjects := []string{"今天", "网友", "记者", "车主", "我们", "大家", "朋友", "媒体"}
	tails := []string{"真的", "怎么看", "还行吧", "有点意外", "说实话", "无语", "值得吗", "期待", "笑死", "离谱"}
	verbs := []string{"讨论续航问题", "吐槽售后服务", "晒出提车照片", "关注电池安全", "比较价格配置", "聊起智能驾驶", "说起刹车盘", "分享试驾体验"}
	leads := []string{"说", "骂", "笑", "又是", "还是", "叫他", "这个", "那个"}
	loc := trustwatch.DefaultLocation()
	day := time.Date(2025, 6, 1, 0, 0, 0, 0, loc)
	var win []Doc
	for i := range 400 {
		s := subjects[g.next(len(subjects))] + verbs[g.next(len(verbs))] + "，" + tails[g.next(len(tails))]
		switch {
		case i < 40:
			s += "[doge]"
		case i < 70:
			s = subjects[g.next(len(subjects))] + leads[g.next(len(leads))] + "y9的" + verbs[g.next(len(verbs))] + "，" + s
		case i < 90:
			s = subjects[g.next(len(subjects))] + leads[g.next(len(leads))] + "很满意" + tails[g.next(len(tails))] + "，" + s
		case i < 115:
			s = subjects[g.next(len(subjects))] + leads[g.next(len(leads))] + "程不群" + tails[g.next(len(tails))] + "，" + s
		}
		win = append(win, Doc{ID: fmt.Sprint(i), Time: day.Add(time.Duration(i) * time.Minute), Text: s})
	}
	w := &trustwatch.Watch{Entities: []trustwatch.Entity{{ID: "y9", Kind: trustwatch.EntityProduct, Name: "曜川Y9", Aliases: []string{"Y9"}}}}
	got, err := Find(Docs(win), nil, w, Options{Top: 100})
	if err != nil {
		t.Fatal(err)
	}
	byTerm := map[string]Term{}
	for _, tm := range got {
		byTerm[tm.Term] = tm
	}
	if tm, ok := byTerm["程不群"]; !ok || !tm.New {
		t.Errorf("程不群 = %+v, want a new term; terms %v", tm, termsOf(got))
	}
	for _, s := range []string{"doge", "y9的"} {
		if _, ok := byTerm[s]; ok {
			t.Errorf("%s is a term; terms %v", s, termsOf(got))
		}
	}
	for _, s := range []string{"很满意", "y9"} {
		if tm, ok := byTerm[s]; ok && tm.New {
			t.Errorf("%s is new", s)
		}
	}
	// Without brackets doge is a word like any other.
	for i := range 40 {
		win[i].Text = win[i].Text[:len(win[i].Text)-len("[doge]")] + "doge"
	}
	got, err = Find(Docs(win), nil, w, Options{Top: 100})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(termsOf(got), "doge") {
		t.Errorf("unbracketed doge is not a term: %v", termsOf(got))
	}
}

func termsOf(ts []Term) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Term)
	}
	return out
}
