package story

import (
	"math/rand/v2"
	"slices"
	"testing"

	"trustwatch"
)

// TestNearPairs checks the banded index against comparing every pair:
// random fingerprints, some copied with one to four bits flipped and some
// repeated exactly; the index must report exactly the pairs at most
// MaxDistance apart.
func TestNearPairs(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var fps []uint64
	for range 1500 {
		fps = append(fps, r.Uint64())
	}
	for i := range 300 {
		fp := fps[i]
		for range 1 + i%4 { // 1–4 flips; a flip may undo another
			fp ^= 1 << r.IntN(64)
		}
		fps = append(fps, fp)
	}
	fps = append(fps, fps[7], fps[7], fps[1600])

	type pair [2]int
	norm := func(i, j int) pair {
		if i > j {
			i, j = j, i
		}
		return pair{i, j}
	}
	want := map[pair]bool{}
	for i := range fps {
		for j := i + 1; j < len(fps); j++ {
			if distance(fps[i], fps[j]) <= MaxDistance {
				want[norm(i, j)] = true
			}
		}
	}
	got := map[pair]bool{}
	nearPairs(fps, func(i, j int) {
		if distance(fps[i], fps[j]) > MaxDistance {
			t.Errorf("pair %d, %d is %d bits apart", i, j, distance(fps[i], fps[j]))
		}
		got[norm(i, j)] = true
	})
	// Equal fingerprints are reported against the first of them only, so
	// compare the groups the pairs make, as Cluster uses them.
	groups := func(pairs map[pair]bool) []int {
		parent := make([]int, len(fps))
		for i := range parent {
			parent[i] = i
		}
		for p := range pairs {
			union(parent, p[0], p[1])
		}
		for i := range parent {
			parent[i] = find(parent, i)
		}
		return parent
	}
	if len(want) < 200 {
		t.Fatalf("only %d near pairs planted", len(want))
	}
	if g, w := groups(got), groups(want); !slices.Equal(g, w) {
		t.Errorf("the index's groups differ from the brute force's")
	}
}

func TestOwnText(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"刹车失灵[怒][怒]", "刹车失灵  "},
		{"@曜川汽车 刹车失灵", " 刹车失灵"},
		{"刹车失灵 http://t.cn/A6x?x=1 真的", "刹车失灵  真的"},
		{"说得对//@小王: 刹车失灵//@老李: 原文", "说得对"},
		{"[不是表情 很长的方括号内容]", "[不是表情 很长的方括号内容]"},
		{"数组a[1]", "数组a "},
	} {
		if got := ownText(&trustwatch.Item{Text: tt.in}); got != tt.want {
			t.Errorf("ownText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
