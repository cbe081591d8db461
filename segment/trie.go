package segment

import (
	"math"
	"slices"
	"sort"
)

// trie is a dictionary laid out for the cutter: a rune trie in flat arrays,
// children of a node contiguous and sorted, so that walking a word from a
// position costs one small search per rune and no hashing of ever longer
// substrings. Node 0 is the root; its children are also in a table by
// rune (rootBMP for the Basic Multilingual Plane, where nearly every text
// character is, root for the rest), as it has thousands and every position
// of every text starts there.
type trie struct {
	label []rune    // the rune on the edge into the node
	freq  []float64 // frequency of the word ending at the node; 0 for a prefix only
	logf  []float64 // its logarithm, computed once
	first []int32   // index of the node's first child
	count []int32   // number of children
	root  map[rune]int32
	// rootBMP[r] is the root's child along r < 0x10000, or 0 for none
	// (node 0 is nobody's child).
	rootBMP []int32
	total   float64 // sum of all word frequencies
}

// compile builds the trie of a dictionary's words (entries with a
// frequency above zero; prefixes follow from them).
func (d *dictionary) compile() *trie {
	type word struct {
		r []rune
		f float64
	}
	words := make([]word, 0, len(d.freq)/2)
	for w, f := range d.freq {
		if f > 0 {
			words = append(words, word{[]rune(w), f})
		}
	}
	sort.Slice(words, func(i, j int) bool { return slices.Compare(words[i].r, words[j].r) < 0 })

	t := &trie{total: d.total, root: map[rune]int32{}, rootBMP: make([]int32, 0x10000)}
	t.label = append(t.label, 0)
	t.freq = append(t.freq, 0)
	t.first = append(t.first, 0)
	t.count = append(t.count, 0)
	// Breadth first: a node's children are appended together, so they are
	// contiguous, and in sorted order because the words are sorted.
	type span struct{ lo, hi, depth, node int }
	queue := []span{{0, len(words), 0, 0}}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		lo := s.lo
		if lo < s.hi && len(words[lo].r) == s.depth {
			t.freq[s.node] = words[lo].f
			lo++
		}
		t.first[s.node] = int32(len(t.label))
		for lo < s.hi {
			r := words[lo].r[s.depth]
			hi := lo + 1
			for hi < s.hi && words[hi].r[s.depth] == r {
				hi++
			}
			child := len(t.label)
			t.label = append(t.label, r)
			t.freq = append(t.freq, 0)
			t.first = append(t.first, 0)
			t.count = append(t.count, 0)
			t.count[s.node]++
			if s.node == 0 {
				if r < 0x10000 && r >= 0 {
					t.rootBMP[r] = int32(child)
				} else {
					t.root[r] = int32(child)
				}
			}
			queue = append(queue, span{lo, hi, s.depth + 1, child})
			lo = hi
		}
	}
	t.logf = make([]float64, len(t.freq))
	for i, f := range t.freq {
		t.logf[i] = math.Log(f)
	}
	return t
}

// child returns the child of node along r, or -1.
func (t *trie) child(node int32, r rune) int32 {
	if node == 0 {
		if uint32(r) < 0x10000 {
			if c := t.rootBMP[r]; c != 0 {
				return c
			}
			return -1
		}
		if c, ok := t.root[r]; ok {
			return c
		}
		return -1
	}
	lo, hi := t.first[node], t.first[node]+t.count[node]
	for lo < hi {
		mid := int32(uint32(lo+hi) >> 1)
		switch l := t.label[mid]; {
		case l == r:
			return mid
		case l < r:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return -1
}

// lookup returns a word's frequency and whether s is a word or a prefix
// of one.
func (t *trie) lookup(s string) (float64, bool) {
	node := int32(0)
	for _, r := range s {
		if node = t.child(node, r); node < 0 {
			return 0, false
		}
	}
	return t.freq[node], true
}

// empty reports whether the trie has no words.
func (t *trie) empty() bool { return len(t.label) == 1 }
