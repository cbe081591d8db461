package terms

import "math"

// sketchBits caps the pre-count of n-gram hashes (2^24 buckets, 32 MB).
const sketchBits = 24

// cell is the count of one n-gram, where it first occurs, and its index
// among the candidates (−1 when it is not one).
type cell struct {
	count, pos, idx int32
}

// table counts n-grams of one length by hash. The map holds an index into
// cells so that counting costs one map operation per occurrence.
type table struct {
	index map[uint64]int32
	cells []cell
}

func newTable(hint int) *table {
	return &table{index: make(map[uint64]int32, hint)}
}

func (t *table) add(h uint64, pos int32) {
	if i, ok := t.index[h]; ok {
		t.cells[i].count++
		return
	}
	t.index[h] = int32(len(t.cells))
	t.cells = append(t.cells, cell{count: 1, pos: pos, idx: -1})
}

func (t *table) get(h uint64) *cell {
	if i, ok := t.index[h]; ok {
		return &t.cells[i]
	}
	return nil
}

// prune keeps the n-grams seen at least min times, rebuilding the map so
// that its memory is returned.
func (t *table) prune(min int32) {
	index := make(map[uint64]int32, len(t.index)/2)
	var cells []cell
	for h, i := range t.index {
		if c := t.cells[i]; c.count >= min {
			index[h] = int32(len(cells))
			cells = append(cells, c)
		}
	}
	t.index, t.cells = index, cells
}

// grams counts the n-grams of 1..maxN units of seq that occur at least min
// times, level by level: an n-gram is counted only where its (n−1)-prefix
// and (n−1)-suffix are both frequent (an n-gram is never more frequent than
// its parts), so rare material is never hashed beyond the level at which it
// drops out. flags[i] bit n says the n-gram at i is frequent.
type grams struct {
	unitCount []int32
	total     int // units that are not boundaries
	levels    [maxN + 1]*table
	flags     []uint8
}

func countGrams(seq []uint32, vocab int, min int32) *grams {
	g := &grams{unitCount: make([]int32, wordBase+vocab), flags: make([]uint8, len(seq)+1)}
	for _, id := range seq {
		if !isBoundary(id) {
			g.unitCount[id]++
			g.total++
		}
	}
	words := newTable(256)
	for i, id := range seq {
		if !isBoundary(id) && g.unitCount[id] >= min {
			g.flags[i] |= 1 << 1
			if id >= wordBase && words.get(hashUnits(seq[i:i+1])) == nil {
				words.add(hashUnits(seq[i:i+1]), int32(i))
				words.cells[len(words.cells)-1].count = g.unitCount[id]
			}
		}
	}
	g.levels[1] = words
	// A saturating count per hash bucket is an upper bound of every
	// n-gram's count (collisions only add): n-grams whose bucket stays
	// below min are certainly rare and never reach the exact table, which
	// then holds little more than the frequent n-grams.
	// Small windows get a small sketch: about 4 buckets per unit.
	bits := 16
	for bits < sketchBits && 1<<bits < 4*len(seq) {
		bits++
	}
	sketch := make([]uint16, 1<<bits)
	for n := 2; n <= maxN; n++ {
		bit := uint8(1) << (n - 1)
		clear(sketch)
		last := len(seq) - n
		for i := 0; i <= last; i++ {
			if g.flags[i]&bit != 0 && g.flags[i+1]&bit != 0 {
				if b := &sketch[hashUnits(seq[i:i+n])>>(64-bits)]; *b < math.MaxUint16 {
					*b++
				}
			}
		}
		t := newTable(1 << 12)
		for i := 0; i <= last; i++ {
			if g.flags[i]&bit != 0 && g.flags[i+1]&bit != 0 {
				if h := hashUnits(seq[i : i+n]); int32(sketch[h>>(64-bits)]) >= min {
					t.add(h, int32(i))
				}
			}
		}
		t.prune(min)
		g.levels[n] = t
		if len(t.cells) == 0 {
			break
		}
		for i := 0; i <= last; i++ {
			if g.flags[i]&bit != 0 && g.flags[i+1]&bit != 0 {
				if h := hashUnits(seq[i : i+n]); int32(sketch[h>>(64-bits)]) >= min && t.get(h) != nil {
					g.flags[i] |= bit << 1
				}
			}
		}
	}
	return g
}

// count returns how often the units occur (0 when below the minimum).
func (g *grams) count(seq []uint32) int32 {
	if len(seq) == 1 {
		return g.unitCount[seq[0]]
	}
	if t := g.levels[len(seq)]; t != nil {
		if c := t.get(hashUnits(seq)); c != nil {
			return c.count
		}
	}
	return 0
}

// cohesion is min over binary splits a|b of p(w)/(p(a)p(b)), with p the
// count over all units: how much more often the parts occur together than
// chance predicts. A single unit has no split: its cohesion is reported as
// 0 (not applicable), never as an infinity that JSON cannot carry.
func (g *grams) cohesion(seq []uint32) float64 {
	if len(seq) < 2 {
		return 0
	}
	w := float64(g.count(seq))
	best := math.MaxFloat64
	for k := 1; k < len(seq); k++ {
		a, b := float64(g.count(seq[:k])), float64(g.count(seq[k:]))
		if a == 0 || b == 0 {
			continue // cannot happen for a counted n-gram; be safe
		}
		best = min(best, w*float64(g.total)/(a*b))
	}
	return best
}

// neighbours accumulates, for each candidate, the distribution of the unit
// before it (left) and after it (right). A boundary (start or end of text,
// punctuation) is counted as a fresh, distinct neighbour each time: it is
// where words end, not one particular character.
type neighbours struct {
	left, right         map[uint64]int32 // candidate<<32 | unit → count
	leftEdge, rightEdge []int32
	occurrences         []int32
	enclosed            []int32 // occurrences that are the whole content of brackets
}

func newNeighbours(n int) *neighbours {
	return &neighbours{
		left: map[uint64]int32{}, right: map[uint64]int32{},
		leftEdge: make([]int32, n), rightEdge: make([]int32, n), occurrences: make([]int32, n), enclosed: make([]int32, n),
	}
}

func (nb *neighbours) add(idx int32, before, after uint32) {
	nb.occurrences[idx]++
	if before == bracketOpen && after == bracketClose {
		nb.enclosed[idx]++
	}
	if isBoundary(before) {
		nb.leftEdge[idx]++
	} else {
		nb.left[uint64(idx)<<32|uint64(before)]++
	}
	if isBoundary(after) {
		nb.rightEdge[idx]++
	} else {
		nb.right[uint64(idx)<<32|uint64(after)]++
	}
}

// entropies returns the left and right neighbour entropies (nats) of every
// candidate: H = −Σ p(c|w) ln p(c|w) with p(c|w) = count(c,w)/count(w),
// where count(w) includes the boundary occurrences.
func (nb *neighbours) entropies() (left, right []float64) {
	side := func(m map[uint64]int32) []float64 {
		sumCLogC := make([]float64, len(nb.occurrences))
		for k, c := range m {
			sumCLogC[k>>32] += float64(c) * math.Log(float64(c))
		}
		h := make([]float64, len(nb.occurrences))
		for i, n := range nb.occurrences {
			if n > 0 {
				t := float64(n)
				h[i] = math.Log(t) - sumCLogC[i]/t
			}
		}
		return h
	}
	return side(nb.left), side(nb.right)
}
