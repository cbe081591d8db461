package aspect

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"trustwatch"
)

// aspect is one entry of a lexicon.
type aspect struct {
	id, name string
	words    []pattern
}

// pattern is an aspect word. "等了…分钟" (or "等了*分钟") is a gap pattern:
// the prefix, then up to maxGap characters, then the suffix, in one clause.
// A problem word is a complaint by itself ("异响", "黑屏"): mentioned, it is
// negative; negated ("没有异响"), positive.
type pattern struct {
	word           string // as written, lower-cased
	prefix, suffix string // set for gap patterns
	problem        bool
}

// maxGap is the most characters a gap pattern's gap may span.
const maxGap = 6

func newPattern(word string, problem bool) (pattern, error) {
	w := strings.ToLower(strings.TrimSpace(word))
	if w == "" {
		return pattern{}, fmt.Errorf("empty word")
	}
	p := pattern{word: w, problem: problem}
	for _, gap := range []string{"…", "...", "*"} {
		if pre, suf, ok := strings.Cut(w, gap); ok {
			pre, suf = strings.TrimSpace(pre), strings.TrimSpace(suf)
			if pre == "" || suf == "" {
				return pattern{}, fmt.Errorf("gap pattern %q needs text on both sides", word)
			}
			p.prefix, p.suffix = pre, suf
			break
		}
	}
	return p, nil
}

// Lexicon is a set of aspects and their words. It is immutable: With
// returns a new one.
type Lexicon struct {
	aspects []aspect

	// words is every aspect's patterns compiled into one automaton, on
	// first use.
	wordsOnce sync.Once
	words     *compiledWords
}

// Aspects returns the aspect ids in a stable order: the defaults first, then
// those added, in the order they were added.
func (l *Lexicon) Aspects() []string {
	ids := make([]string, len(l.aspects))
	for i, a := range l.aspects {
		ids[i] = a.id
	}
	return ids
}

// Name returns an aspect's display name, or "" for an unknown id.
func (l *Lexicon) Name(id string) string {
	if a := l.find(id); a != nil {
		return a.name
	}
	return ""
}

// Words returns an aspect's words as written (gap patterns with "…").
func (l *Lexicon) Words(id string) []string {
	a := l.find(id)
	if a == nil {
		return nil
	}
	out := make([]string, len(a.words))
	for i, p := range a.words {
		out[i] = p.word
	}
	return out
}

func (l *Lexicon) find(id string) *aspect {
	for i := range l.aspects {
		if l.aspects[i].id == id {
			return &l.aspects[i]
		}
	}
	return nil
}

// With returns a lexicon with the watch file's aspect definitions applied:
// a new id adds an aspect; a known one gets the words added, or replaced
// when Replace is set, and its name changed when Name is set. It returns an
// EINVALID error naming the faulty definition.
func (l *Lexicon) With(defs []trustwatch.AspectDef) (*Lexicon, error) {
	out := &Lexicon{aspects: make([]aspect, len(l.aspects))}
	for i, a := range l.aspects {
		a.words = slices.Clone(a.words)
		out.aspects[i] = a
	}
	for i, d := range defs {
		id := strings.TrimSpace(d.ID)
		if id == "" {
			return nil, trustwatch.Errorf(trustwatch.EINVALID, "aspects[%d]: missing id", i)
		}
		var words []pattern
		for _, w := range d.Words {
			p, err := newPattern(w, false)
			if err != nil {
				return nil, trustwatch.Errorf(trustwatch.EINVALID, "aspects[%d] %s: %v", i, id, err)
			}
			words = append(words, p)
		}
		a := out.find(id)
		if a == nil {
			if len(words) == 0 {
				return nil, trustwatch.Errorf(trustwatch.EINVALID, "aspects[%d] %s: a new aspect needs words", i, id)
			}
			name := d.Name
			if name == "" {
				name = id
			}
			out.aspects = append(out.aspects, aspect{id: id, name: name, words: words})
			continue
		}
		if d.Name != "" {
			a.name = d.Name
		}
		if d.Replace {
			if len(words) == 0 {
				return nil, trustwatch.Errorf(trustwatch.EINVALID, "aspects[%d] %s: replace needs words", i, id)
			}
			a.words = words
			continue
		}
		for _, p := range words {
			if !slices.ContainsFunc(a.words, func(q pattern) bool { return q.word == p.word }) {
				a.words = append(a.words, p)
			}
		}
	}
	return out, nil
}
