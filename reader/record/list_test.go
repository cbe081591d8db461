package record_test

import (
	"reflect"
	"strings"
	"testing"

	"trustwatch/reader/record"
)

func TestRepostChain(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"two hops", "转发理由//@甲:说的对//@乙:原话", []string{"甲", "乙"}},
		{"full-width colon", "同意//@小米汽车：交付安排公告", []string{"小米汽车"}},
		{"spaces around", "嗯 // @甲 : 对 //@ 乙:好", []string{"甲", "乙"}},
		{"no chain", "SU7 刹车有点软", nil},
		{"url is not a mark", "看这里 https://t.cn/A6abc //@甲:转", []string{"甲"}},
		{"no colon", "转发微博//@甲 说的对", []string{"甲"}},
		{"no colon at end", "转发//@车主小李", []string{"车主小李"}},
		{"empty name", "转发//@:空的//@乙:有", []string{"乙"}},
		{"mark first", "//@甲:原话", []string{"甲"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := record.RepostChain(tt.text); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("RepostChain(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestSplitList(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"小米SU7,提车日记", []string{"小米SU7", "提车日记"}},
		{" 小米SU7 ， 提车日记、小米SU7 ", []string{"小米SU7", "提车日记"}},
		{`["SU7","刹车"]`, []string{"SU7", "刹车"}},
		{`['SU7', '刹车']`, []string{"SU7", "刹车"}},
		{"#小米SU7#,#雷军#", []string{"小米SU7", "雷军"}},
		{"", nil},
		{",,", nil},
	}
	for _, tt := range tests {
		if got := record.SplitList(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("SplitList(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzRepostChain(f *testing.F) {
	for _, s := range []string{"转发理由//@甲:说的对//@乙:原话", "//@甲：x", "// @ 甲 :", "//@", "http://a//@b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, name := range record.RepostChain(s) {
			if name == "" || strings.ContainsAny(name, ":：/@ \t\n") {
				t.Fatalf("RepostChain(%q): bad name %q", s, name)
			}
		}
	})
}

func FuzzSplitList(f *testing.F) {
	for _, s := range []string{"a,b", `["a"]`, "['a', 'b']", "#x#、y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		seen := map[string]bool{}
		for _, p := range record.SplitList(s) {
			if p == "" || seen[p] || p != strings.TrimSpace(p) {
				t.Fatalf("SplitList(%q): bad or repeated item %q", s, p)
			}
			seen[p] = true
		}
	})
}
