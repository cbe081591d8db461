package voice

import (
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// Order bounds: below 3 a character model cannot tell phrasing apart; above
// 5 a person's few hundred posts are too sparse to estimate.
const (
	MinOrder     = 3
	MaxOrder     = 5
	DefaultOrder = 5
)

// DefaultAlphabet is the nominal number of characters a text may use (the
// Unicode Basic Multilingual Plane). The model's base distribution is
// uniform over it, so a character never seen before costs log2(65536) = 16
// bits before back-off weights: an empty model says "anything may come".
const DefaultAlphabet = 1 << 16

// bos pads the start of every text so the first characters have a context.
// It is a control character, which Normalize removes from input text, so it
// is never predicted and never part of the vocabulary.
const bos = '\x02'

// Model is a character n-gram language model with interpolated modified
// Kneser-Ney smoothing (Chen and Goodman 1998). The highest order uses raw
// counts, lower orders continuation counts (how many different characters
// precede an n-gram), each order has three discounts estimated from its
// count-of-counts, and the lowest order is interpolated with a uniform
// distribution over the alphabet.
//
// Texts can be added and removed, so a sliding window of history is kept
// without retraining: counts, continuation counts, context totals and
// count-of-counts are all updated in place.
type Model struct {
	order    int
	alphabet int
	// levels[k-1] holds order k.
	levels []level
	// vocab counts, per character, the unigram continuation count, so a
	// character leaves the vocabulary when its last text is removed.
	vocab map[rune]int
}

// level holds one order's counts: raw counts at the highest order,
// continuation counts below it, keyed by the n-gram as a string.
type level struct {
	counts map[string]int32
	ctx    map[string]*contextStat
	// coc[c] is how many n-grams of this order have count c, for c in 1..4.
	coc [5]int
}

// contextStat aggregates the counts of the n-grams that extend a context.
type contextStat struct {
	total int // sum of counts
	// n[1], n[2], n[3] count the extensions seen once, twice, three or more times.
	n [4]int
}

// New returns an empty model of the given order, clamped to [MinOrder, MaxOrder].
func New(order int) *Model {
	order = min(max(order, MinOrder), MaxOrder)
	m := &Model{order: order, alphabet: DefaultAlphabet, levels: make([]level, order), vocab: map[rune]int{}}
	for k := range m.levels {
		m.levels[k] = level{counts: map[string]int32{}, ctx: map[string]*contextStat{}}
	}
	return m
}

// Train returns a model of the given order trained on texts.
func Train(texts []string, order int) *Model {
	m := New(order)
	for _, t := range texts {
		m.Add(t)
	}
	return m
}

// Order returns the model's order.
func (m *Model) Order() int { return m.order }

// Vocabulary returns the characters seen in training, sorted.
func (m *Model) Vocabulary() []rune {
	v := make([]rune, 0, len(m.vocab))
	for r := range m.vocab {
		v = append(v, r)
	}
	slices.Sort(v)
	return v
}

// Alphabet returns the nominal alphabet size the base distribution spreads over.
func (m *Model) Alphabet() int { return max(m.alphabet, len(m.vocab)+1) }

// padded returns the normalised text with order−1 start symbols in front,
// and the byte offset of every rune in it (plus the end).
func (m *Model) padded(text string) (string, []int) {
	s := strings.Repeat(string(bos), m.order-1) + Normalize(text)
	offs := make([]int, 0, len(s)+1)
	for i := range s {
		offs = append(offs, i)
	}
	return s, append(offs, len(s))
}

// Add counts a text into the model.
func (m *Model) Add(text string) { m.update(text, +1) }

// Remove takes a text added before out of the model. Removing a text that
// was never added corrupts the counts.
func (m *Model) Remove(text string) { m.update(text, -1) }

func (m *Model) update(text string, delta int32) {
	s, offs := m.padded(text)
	n := m.order
	for i := n - 1; i < len(offs)-1; i++ {
		// The highest-order n-gram ending at rune i changes its raw count;
		// whenever an n-gram appears for the first time (or disappears),
		// the continuation count of its suffix one order down changes too.
		k := n
		for k >= 1 {
			gram := s[offs[i-k+1]:offs[i+1]]
			ctxLen := offs[i] - offs[i-k+1]
			if !m.levels[k-1].add(gram, ctxLen, delta) {
				break
			}
			if k == 1 {
				r, _ := utf8.DecodeRuneInString(s[offs[i]:])
				m.vocab[r] += int(delta)
				if m.vocab[r] <= 0 {
					delete(m.vocab, r)
				}
			}
			k--
		}
	}
}

// add changes an n-gram's count by delta and reports whether the n-gram
// appeared (0→1) or disappeared (1→0), which propagates one order down.
func (l *level) add(gram string, ctxLen int, delta int32) bool {
	old := l.counts[gram]
	c := old + delta
	if c <= 0 {
		delete(l.counts, gram)
		c = 0
	} else {
		l.counts[gram] = c
	}
	if int(old) >= 1 && old <= 4 {
		l.coc[old]--
	}
	if c >= 1 && c <= 4 {
		l.coc[c]++
	}
	h := gram[:ctxLen]
	st := l.ctx[h]
	if st == nil {
		st = &contextStat{}
		l.ctx[h] = st
	}
	st.total += int(c - old)
	st.n[bucket(old)]--
	st.n[bucket(c)]++
	st.n[0] = 0
	if st.total <= 0 {
		delete(l.ctx, h)
	}
	return (old == 0) != (c == 0)
}

func bucket(c int32) int {
	return int(min(c, 3))
}

// discounts returns D1, D2 and D3+ of modified Kneser-Ney estimated from the
// count-of-counts (Chen and Goodman, eq. 26). Where the estimate is
// undefined or out of (0, k) — tiny corpora — a fixed discount of k/2 is used.
func (l *level) discounts() [4]float64 {
	n1, n2, n3, n4 := float64(l.coc[1]), float64(l.coc[2]), float64(l.coc[3]), float64(l.coc[4])
	d := [4]float64{0, 0.5, 1, 1.5}
	if n1 == 0 || n2 == 0 {
		return d
	}
	y := n1 / (n1 + 2*n2)
	est := [4]float64{0, 1 - 2*y*n2/n1, 2 - 3*y*n3/n2, 0}
	if n3 > 0 {
		est[3] = 3 - 4*y*n4/n3
	}
	for k := 1; k <= 3; k++ {
		if est[k] > 0 && est[k] < float64(k) {
			d[k] = est[k]
		}
	}
	return d
}

// Prob returns P(r | context), where context is the text before r. A
// context shorter than order−1 characters is the start of a text. The
// context is normalised like training text; r is taken as is.
func (m *Model) Prob(context []rune, r rune) float64 {
	ctx := []rune(Normalize(string(context)))
	h := make([]rune, 0, m.order-1)
	for i := len(ctx) - (m.order - 1); i < len(ctx); i++ {
		if i < 0 {
			h = append(h, bos)
		} else {
			h = append(h, ctx[i])
		}
	}
	s := string(h) + string(r)
	offs := make([]int, 0, m.order+1)
	for i := range s {
		offs = append(offs, i)
	}
	offs = append(offs, len(s))
	return m.prob(s, offs, m.order-1, m.order)
}

// prob returns P(s[i] | the up to upto−1 runes before it) where offs are
// the rune offsets of s.
func (m *Model) prob(s string, offs []int, i, upto int) float64 {
	p := 1 / float64(m.Alphabet())
	for k := 1; k <= upto; k++ {
		l := &m.levels[k-1]
		start := offs[i-k+1]
		st := l.ctx[s[start:offs[i]]]
		if st == nil || st.total == 0 {
			// An unseen context has no longer extensions either.
			break
		}
		c := float64(l.counts[s[start:offs[i+1]]])
		d := l.discounts()
		disc := 0.0
		if c > 0 {
			disc = d[min(int(c), 3)]
		}
		total := float64(st.total)
		gamma := (d[1]*float64(st.n[1]) + d[2]*float64(st.n[2]) + d[3]*float64(st.n[3])) / total
		p = max(c-disc, 0)/total + gamma*p
	}
	return p
}

// CrossEntropy returns the text's cross-entropy against the model in bits
// per character: −(1/N) Σ log2 P(cᵢ | cᵢ₋ₙ₊₁ … cᵢ₋₁). It is NaN for a text
// with no characters after normalisation.
func (m *Model) CrossEntropy(text string) float64 {
	bits, n := m.Bits(text)
	if n == 0 {
		return math.NaN()
	}
	return bits / float64(n)
}

// Bits returns the total information of the text in bits and its length in
// characters, after normalisation.
func (m *Model) Bits(text string) (bits float64, chars int) {
	s, offs := m.padded(text)
	for i := m.order - 1; i < len(offs)-1; i++ {
		bits -= math.Log2(m.prob(s, offs, i, m.order))
		chars++
	}
	return bits, chars
}
