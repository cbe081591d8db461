package segment

import (
	"sort"
	"strings"
	"unicode/utf8"

	"trustwatch"
)

// Matcher finds the watched entities a text mentions.
type Matcher struct {
	seg     *Segmenter
	aliases []alias
	parents map[string]string
}

type alias struct {
	text   string // normalised
	entity string
}

// NewMatcher builds a matcher for the watch file's entities. seg must know
// the same names (see ForWatch) so that they come out as whole words.
func NewMatcher(seg *Segmenter, w *trustwatch.Watch) *Matcher {
	m := &Matcher{seg: seg, parents: map[string]string{}}
	if w == nil {
		return m
	}
	for _, e := range w.Entities {
		if e.Parent != "" {
			m.parents[e.ID] = e.Parent
		}
		for _, n := range e.Names() {
			if n = Normalize(n); n != "" {
				m.aliases = append(m.aliases, alias{text: n, entity: e.ID})
			}
		}
	}
	// Longer aliases first, so "小米su7" is tried before "小米".
	sort.SliceStable(m.aliases, func(i, j int) bool { return len(m.aliases[i].text) > len(m.aliases[j].text) })
	return m
}

// Analysis is what segmentation gives an item.
type Analysis struct {
	Normalized string
	Tokens     []string
	Entities   []string
}

// Analyze normalises text, cuts it into words and finds the entities it
// mentions. An entity mentioned through one of its products or people
// (Parent) is counted for the parent too, so a brand's volume includes its
// products' mentions.
func (m *Matcher) Analyze(text string) Analysis {
	norm := Normalize(text)
	pieces := m.seg.cutAll(norm)
	a := Analysis{Normalized: norm, Tokens: make([]string, 0, len(pieces))}
	// bounds[i]: a word of the segmentation starts or ends at byte i.
	bounds := make([]bool, len(norm)+1)
	off := 0
	bounds[0] = true
	for _, p := range pieces {
		off += len(p)
		bounds[off] = true
		if isWord(p) {
			a.Tokens = append(a.Tokens, strings.TrimSpace(p))
		}
	}
	a.Entities = m.find(norm, bounds)
	return a
}

func (m *Matcher) find(norm string, bounds []bool) []string {
	var found []string
	seen := map[string]bool{}
	add := func(id string) {
		for id != "" && !seen[id] {
			seen[id] = true
			found = append(found, id)
			id = m.parents[id]
		}
	}
	for _, al := range m.aliases {
		if seen[al.entity] {
			continue
		}
		for start := 0; start < len(norm); {
			i := strings.Index(norm[start:], al.text)
			if i < 0 {
				break
			}
			i += start
			if edgeOK(norm, i, bounds, true) && edgeOK(norm, i+len(al.text), bounds, false) {
				add(al.entity)
				break
			}
			_, size := utf8.DecodeRuneInString(norm[i:])
			start = i + size
		}
	}
	sort.Strings(found)
	return found
}

// edgeOK accepts a match edge at a word boundary of the segmentation, or, for
// Latin names, where a Latin letter or digit meets anything else ("su7" in
// "小米su7", but not in "su70").
func edgeOK(s string, at int, bounds []bool, start bool) bool {
	if at == 0 || at == len(s) {
		return true
	}
	before, _ := utf8.DecodeLastRuneInString(s[:at])
	after, _ := utf8.DecodeRuneInString(s[at:])
	inside, outside := after, before
	if !start {
		inside, outside = before, after
	}
	if isLatin(inside) {
		return !isLatin(outside)
	}
	return bounds[at]
}
