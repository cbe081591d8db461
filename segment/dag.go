package segment

import (
	"math"
	"runtime/debug"
	"unicode/utf8"

	"github.com/go-ego/gse"
)

// dictionary is gse's embedded dictionary in the form the cutter needs: a
// map from every word and every prefix of a word to the word's frequency
// (0 for a prefix that is not itself a word), as in jieba's prefix
// dictionary. It is built once from gse's tokens and is read-only after,
// so segmenters share it without locks; gse's own trie is then garbage.
type dictionary struct {
	freq  map[string]float64
	total float64
}

// lookup returns a word's frequency and whether the string is a word or a
// prefix of one.
func (d *dictionary) lookup(s string) (float64, bool) {
	f, ok := d.freq[s]
	return f, ok
}

// add puts a word and its prefixes in; an existing word keeps its
// frequency, as gse's AddToken does.
func (d *dictionary) add(word string, freq float64) bool {
	if f, ok := d.freq[word]; ok && f > 0 {
		return false
	}
	d.freq[word] = freq
	d.total += freq
	for i := range word {
		if i > 0 {
			if _, ok := d.freq[word[:i]]; !ok {
				d.freq[word[:i]] = 0
			}
		}
	}
	return true
}

// loadEmbedded builds the dictionary from gse's embedded one.
func loadEmbedded() (*dictionary, error) {
	d, err := fromGse()
	if err != nil {
		return nil, err
	}
	// gse's trie (about 200 MB) is garbage now: give it back to the OS
	// before the caller's work grows the heap on top of it.
	debug.FreeOSMemory()
	return d, nil
}

func fromGse() (*dictionary, error) {
	g, err := gse.NewEmbed()
	if err != nil {
		return nil, err
	}
	tokens := g.Dict.Tokens
	d := &dictionary{freq: make(map[string]float64, len(tokens)*2)}
	for i := range tokens {
		if f := tokens[i].Freq(); f > 0 {
			d.add(tokens[i].Text(), f)
		}
	}
	// Use gse's own total so that route probabilities match its cutter.
	d.total = g.Dict.TotalFreq()
	return d, nil
}

// cutter finds the most probable segmentation (jieba's DAG without HMM,
// as gse's Cut(text, false) does), looking words up first in a segmenter's
// own user words and then in the shared dictionary.
type cutter struct {
	base *dictionary
	user *dictionary // may be empty, never nil
}

func (c *cutter) lookup(s string) (float64, bool) {
	bf, bok := c.base.lookup(s)
	if len(c.user.freq) == 0 {
		return bf, bok
	}
	uf, uok := c.user.lookup(s)
	return max(uf, bf), uok || bok
}

type edge struct {
	end  int // index of the last rune of the word
	freq float64
}

// cut returns the pieces of text; they concatenate back to text. Runs of
// single ASCII letters and digits are joined into one piece.
func (c *cutter) cut(text string) []string {
	if text == "" {
		return nil
	}
	// offs[i] is the byte offset of rune i; offs[n] = len(text).
	offs := make([]int, 0, len(text)+1)
	for i := range text {
		offs = append(offs, i)
	}
	n := len(offs)
	offs = append(offs, len(text))

	// The DAG's edges from rune k are edges[from[k]:from[k+1]], in
	// ascending end order.
	edges := make([]edge, 0, 2*n)
	from := make([]int, n+1)
	for k := 0; k < n; k++ {
		from[k] = len(edges)
		for i := k; i < n; i++ {
			f, ok := c.lookup(text[offs[k]:offs[i+1]])
			if !ok {
				break
			}
			if f > 0 {
				edges = append(edges, edge{i, f})
			}
		}
		if len(edges) == from[k] {
			f, ok := c.lookup(text[offs[k]:offs[k+1]])
			if !ok {
				f = 1
			}
			edges = append(edges, edge{k, f})
		}
	}
	from[n] = len(edges)

	logT := math.Log(c.base.total + c.user.total)
	best := make([]float64, n+1)
	next := make([]int, n+1)
	for idx := n - 1; idx >= 0; idx-- {
		for j, e := range edges[from[idx]:from[idx+1]] {
			f := math.Log(e.freq) - logT + best[e.end+1]
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
