package ahocorasick

// Automaton is a compiled set of keys. It is immutable and safe for
// concurrent use.
type Automaton struct {
	// class maps a byte to its column in next; bytes that occur in no
	// key share column 0, so the table is as wide as the keys' alphabet.
	class [256]uint16
	width int
	// next[s*width+c] is the state after reading a byte of class c in
	// state s: the goto function with the failure links folded in, so
	// that every byte costs one lookup.
	next []int32
	// depth is the length in bytes of the prefix a state stands for.
	depth []int32
	// out is the first state, s itself or one of its proper suffixes, at
	// which a key ends, or -1; more is the next one after it.
	out, more []int32
	// keys[s] are the indices of the keys that end at s (one, or more
	// when a key was given twice).
	keys [][]int
}

// New compiles keys. Empty keys are ignored; a key given twice is
// reported under both indices.
func New(keys []string) *Automaton {
	a := &Automaton{}
	// The alphabet: one class per byte that occurs in some key.
	var used [256]bool
	for _, k := range keys {
		for i := 0; i < len(k); i++ {
			used[k[i]] = true
		}
	}
	a.width = 1
	for b := range 256 {
		if used[b] {
			a.class[b] = uint16(a.width)
			a.width++
		}
	}
	// The trie. goto is kept in next, with -1 for no edge until the links
	// are filled in below.
	a.addState(0)
	for i, k := range keys {
		if k == "" {
			continue
		}
		s := int32(0)
		for j := 0; j < len(k); j++ {
			c := int(a.class[k[j]])
			t := a.next[int(s)*a.width+c]
			if t < 0 {
				t = a.addState(a.depth[s] + 1)
				a.next[int(s)*a.width+c] = t
			}
			s = t
		}
		a.keys[s] = append(a.keys[s], i)
	}
	// Breadth first: a state's failure link is its longest proper suffix
	// that is also a state; its missing edges are its link's edges.
	fail := make([]int32, len(a.depth))
	queue := make([]int32, 0, len(a.depth))
	for c := range a.width {
		if t := a.next[c]; t < 0 {
			a.next[c] = 0
		} else {
			fail[t] = 0
			queue = append(queue, t)
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		f := fail[s]
		if len(a.keys[s]) > 0 {
			a.out[s] = s
			a.more[s] = a.out[f]
		} else {
			a.out[s] = a.out[f]
		}
		row, frow := int(s)*a.width, int(f)*a.width
		for c := range a.width {
			if t := a.next[row+c]; t < 0 {
				a.next[row+c] = a.next[frow+c]
			} else {
				fail[t] = a.next[frow+c]
				queue = append(queue, t)
			}
		}
	}
	return a
}

func (a *Automaton) addState(depth int32) int32 {
	s := int32(len(a.depth))
	a.depth = append(a.depth, depth)
	a.out = append(a.out, -1)
	a.more = append(a.more, -1)
	a.keys = append(a.keys, nil)
	for range a.width {
		a.next = append(a.next, -1)
	}
	return s
}

// Each calls fn for every occurrence of every key in text, overlapping ones
// included, with the key's index and the occurrence's byte span
// [start, end). Occurrences come in the order of their end; of those ending
// at the same byte, the longer key first; of equal keys, the lower index
// first. fn returns false to stop.
func (a *Automaton) Each(text string, fn func(key, start, end int) bool) {
	s := int32(0)
	for i := 0; i < len(text); i++ {
		s = a.next[int(s)*a.width+int(a.class[text[i]])]
		for o := a.out[s]; o >= 0; o = a.more[o] {
			start := i + 1 - int(a.depth[o])
			for _, k := range a.keys[o] {
				if !fn(k, start, i+1) {
					return
				}
			}
		}
	}
}

// Contains reports whether some key occurs in text.
func (a *Automaton) Contains(text string) bool {
	s := int32(0)
	for i := 0; i < len(text); i++ {
		s = a.next[int(s)*a.width+int(a.class[text[i]])]
		if a.out[s] >= 0 {
			return true
		}
	}
	return false
}
