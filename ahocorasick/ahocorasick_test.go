package ahocorasick_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"trustwatch/ahocorasick"
)

// occurrences lists what Each reports as "key@start-end".
func occurrences(a *ahocorasick.Automaton, text string) []string {
	var out []string
	a.Each(text, func(k, start, end int) bool {
		out = append(out, fmt.Sprintf("%d@%d-%d", k, start, end))
		return true
	})
	return out
}

func TestEach(t *testing.T) {
	tests := []struct {
		name string
		keys []string
		text string
		want []string
	}{
		{"none", []string{"刹车"}, "续航很好", nil},
		// 刹车 ends at byte 6, 刹车片 at 9; 车片 (key 2) also ends at 9 and is
		// shorter, so it comes after 刹车片.
		{"overlapping and nested", []string{"刹车", "刹车片", "车片"}, "刹车片", []string{"0@0-6", "1@0-9", "2@3-9"}},
		{"a key inside another found through the failure link", []string{"he", "she", "his", "hers"}, "ushers",
			[]string{"1@1-4", "0@2-4", "3@2-6"}},
		{"repeated overlapping occurrences", []string{"aa"}, "aaaa", []string{"0@0-2", "0@1-3", "0@2-4"}},
		{"a key given twice is reported under both indices", []string{"异响", "x", "异响"}, "有异响", []string{"0@3-9", "2@3-9"}},
		{"empty key is ignored", []string{"", "a"}, "ba", []string{"1@1-2"}},
		{"bytes of a character are not characters", []string{"\xbd\x86"}, "但", []string{"0@1-3"}},
		{"no keys", nil, "anything", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := ahocorasick.New(tt.keys)
			if got := occurrences(a, tt.text); !slices.Equal(got, tt.want) {
				t.Errorf("Each(%q) = %q; want %q", tt.text, got, tt.want)
			}
			if got, want := a.Contains(tt.text), len(tt.want) > 0; got != want {
				t.Errorf("Contains(%q) = %v; want %v", tt.text, got, want)
			}
		})
	}
}

func TestEachStops(t *testing.T) {
	a := ahocorasick.New([]string{"a"})
	n := 0
	a.Each("aaaa", func(int, int, int) bool { n++; return n < 2 })
	if n != 2 {
		t.Errorf("fn called %d times after returning false at the second; want 2", n)
	}
}

// TestEachFindsWhatIndexFinds compares Each with strings.Index at every
// offset, on random keys and texts over small alphabets (so that keys
// overlap and nest often), one of them bytes that are not UTF-8.
func TestEachFindsWhatIndexFinds(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, letters := range [][]string{{"a", "b"}, {"a", "b", "c", "但", "是", "不"}, {"\x00", "\xff", "\x80", "a"}} {
		word := func(n int) string {
			var b strings.Builder
			for range n {
				b.WriteString(letters[r.IntN(len(letters))])
			}
			return b.String()
		}
		for range 300 {
			keys := make([]string, 1+r.IntN(8))
			for i := range keys {
				keys[i] = word(1 + r.IntN(4))
			}
			text := word(r.IntN(40))
			var want []string
			for end := 1; end <= len(text); end++ {
				// Longer keys first at the same end, then by index.
				var at []string
				for length := end; length >= 1; length-- {
					for k, key := range keys {
						if len(key) == length && text[end-length:end] == key {
							at = append(at, fmt.Sprintf("%d@%d-%d", k, end-length, end))
						}
					}
				}
				want = append(want, at...)
			}
			if got := occurrences(ahocorasick.New(keys), text); !slices.Equal(got, want) {
				t.Fatalf("keys %q, text %q:\n got %q\nwant %q", keys, text, got, want)
			}
		}
	}
}

func BenchmarkEach(b *testing.B) {
	keys := []string{"刹车", "制动", "续航", "充电", "电池", "客服", "售后", "车机", "黑屏", "异响", "外观", "设计", "价格", "交付", "abs", "ota"}
	a := ahocorasick.New(keys)
	text := "外观设计很漂亮，但是车机经常黑屏，客服也不回复，等了二十分钟才有人接，刹车倒是没问题"
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		a.Each(text, func(int, int, int) bool { return true })
	}
}
