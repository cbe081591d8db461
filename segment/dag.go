package segment

import (
	"math"
	"runtime"
	"runtime/debug"
	"slices"
	"unicode/utf8"

	"github.com/go-ego/gse"
)

// dictionary gathers words and their frequencies (gse's embedded
// dictionary, or a segmenter's user words) before they are compiled into
// the trie the cutter walks; gse's own trie is then garbage.
type dictionary struct {
	freq  map[string]float64
	total float64
}

// add puts a word in; an existing word keeps its frequency, as gse's
// AddToken does, and only new words count towards the total.
func (d *dictionary) add(word string, freq float64) bool {
	if _, ok := d.freq[word]; ok {
		return false
	}
	d.freq[word] = freq
	d.total += freq
	return true
}

// loadEmbedded builds the dictionary from gse's embedded one.
func loadEmbedded() (*trie, error) {
	d, err := fromGse()
	if err != nil {
		return nil, err
	}
	t := d.compile()
	// gse's trie (about 200 MB) is garbage now: give it back to the OS
	// before the caller's work grows the heap on top of it.
	debug.FreeOSMemory()
	return t, nil
}

// fromGse reads gse's embedded simplified and traditional dictionaries
// and merges them in the order gse.NewEmbed would: a word already read
// keeps its first frequency. They are read one after the other, each
// loader dropped before the next starts, so that the process's peak memory
// is one loader's, not gse's whole dictionary's.
func fromGse() (*dictionary, error) {
	d := &dictionary{freq: make(map[string]float64, 600000)}
	for _, part := range []string{"zh_s", "zh_t"} {
		if err := addGse(d, part); err != nil {
			return nil, err
		}
		runtime.GC()
	}
	return d, nil
}

func addGse(d *dictionary, part string) error {
	var g gse.Segmenter
	if err := g.LoadDictEmbed(part); err != nil {
		return err
	}
	tokens := g.Dict.Tokens
	for j := range tokens {
		if f := tokens[j].Freq(); f > 0 {
			d.add(tokens[j].Text(), f)
		}
	}
	return nil
}

// cutter finds the most probable segmentation (jieba's DAG without HMM,
// as gse's Cut(text, false) does), over the shared dictionary and a
// segmenter's own user words.
type cutter struct {
	base *trie
	user *trie // may be empty, never nil
}

func (c *cutter) lookup(s string) (float64, bool) {
	bf, bok := c.base.lookup(s)
	if c.user.empty() {
		return bf, bok
	}
	uf, uok := c.user.lookup(s)
	return max(uf, bf), uok || bok
}

// walk appends the words that start at rune k, in ascending end order,
// found by walking t; it returns edges and whether the first rune alone
// is in t at all.
func walk(t *trie, runes []rune, k int, edges []edge) ([]edge, bool) {
	node := int32(0)
	for i := k; i < len(runes); i++ {
		if node = t.child(node, runes[i]); node < 0 {
			return edges, i > k
		}
		if t.freq[node] > 0 {
			edges = append(edges, edge{i, t.logf[node]})
		}
	}
	return edges, true
}

type edge struct {
	end  int     // index of the last rune of the word
	logf float64 // log of the word's frequency
}

// cut returns the pieces of text; they concatenate back to text. Runs of
// single ASCII letters and digits are joined into one piece.
func (c *cutter) cut(text string) []string {
	if text == "" {
		return nil
	}
	// offs[i] is the byte offset of rune i; offs[n] = len(text).
	offs := make([]int, 0, len(text)+1)
	runes := make([]rune, 0, len(text))
	for i, r := range text {
		offs = append(offs, i)
		runes = append(runes, r)
	}
	n := len(offs)
	offs = append(offs, len(text))

	// The DAG's edges from rune k are edges[from[k]:from[k+1]], in
	// ascending end order.
	edges := make([]edge, 0, 2*n)
	from := make([]int, n+1)
	var userEdges []edge
	for k := 0; k < n; k++ {
		from[k] = len(edges)
		var inBase, inUser bool
		edges, inBase = walk(c.base, runes, k, edges)
		if !c.user.empty() {
			userEdges, inUser = walk(c.user, runes, k, userEdges[:0])
			edges = mergeEdges(edges, from[k], userEdges)
		}
		if len(edges) == from[k] {
			// No word starts here: the single rune, with frequency 0 if
			// it begins a word (as gse's lookup gives) and 1 if not.
			logf := 0.0 // log 1
			if inBase || inUser {
				logf = math.Inf(-1) // log 0
			}
			edges = append(edges, edge{k, logf})
		}
	}
	from[n] = len(edges)

	logT := math.Log(c.base.total + c.user.total)
	best := make([]float64, n+1)
	next := make([]int, n+1)
	for idx := n - 1; idx >= 0; idx-- {
		for j, e := range edges[from[idx]:from[idx+1]] {
			f := e.logf - logT + best[e.end+1]
			if j == 0 || best[idx] < f || (best[idx] == f && next[idx] < e.end) {
				best[idx], next[idx] = f, e.end
			}
		}
	}

	pieces := make([]string, 0, n/2+1)
	bufStart := -1
	for x := 0; x < n; {
		y := next[x] + 1
		if y == x+1 && isASCIIAlnum(text[offs[x]:offs[y]]) {
			if bufStart < 0 {
				bufStart = x
			}
			x = y
			continue
		}
		if bufStart >= 0 {
			pieces = append(pieces, text[offs[bufStart]:offs[x]])
			bufStart = -1
		}
		pieces = append(pieces, text[offs[x]:offs[y]])
		x = y
	}
	if bufStart >= 0 {
		pieces = append(pieces, text[offs[bufStart]:])
	}
	return pieces
}

func isASCIIAlnum(s string) bool {
	if len(s) != 1 {
		return false
	}
	c := s[0]
	return c < utf8.RuneSelf && ('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9')
}

// mergeEdges merges the user words' edges into edges[lo:], both in
// ascending end order; for the same end the higher frequency wins, as a
// lookup in both dictionaries gives.
func mergeEdges(edges []edge, lo int, user []edge) []edge {
	if len(user) == 0 {
		return edges
	}
	base := slices.Clone(edges[lo:])
	edges = edges[:lo]
	i, j := 0, 0
	for i < len(base) || j < len(user) {
		switch {
		case j == len(user) || (i < len(base) && base[i].end < user[j].end):
			edges = append(edges, base[i])
			i++
		case i == len(base) || user[j].end < base[i].end:
			edges = append(edges, user[j])
			j++
		default:
			edges = append(edges, edge{base[i].end, max(base[i].logf, user[j].logf)})
			i++
			j++
		}
	}
	return edges
}
