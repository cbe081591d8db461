package segment

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"trustwatch"
)

// userWordFreq is the frequency given to watch-file names, high enough that
// "雷总" or "小米su7" stay whole instead of being split.
const userWordFreq = 20000

// base is gse's embedded dictionary, loaded once per process (it takes
// seconds) and shared read-only by every Segmenter.
var base = sync.OnceValues(loadEmbedded)

// Segmenter cuts normalised text into words: the most probable path
// through gse's embedded dictionary plus the segmenter's user words. It is
// safe for concurrent use; user words of one Segmenter do not leak into
// another.
type Segmenter struct {
	c cutter
}

var _ trustwatch.Segmenter = (*Segmenter)(nil)

// New returns a segmenter that keeps userWords (entity names and aliases)
// whole. A user word gets frequency userWordFreq, also when the dictionary
// already has it at a lower one: a watched name must stay whole ("期末",
// frequency 179 in gse's dictionary, would otherwise be cut "期 末了").
// gse's AddToken keeps the lower frequency instead; this is the one place
// where cuts differ from gse's. The first call loads the embedded
// dictionary.
func New(userWords []string) (*Segmenter, error) {
	d, err := base()
	if err != nil {
		return nil, trustwatch.Errorf(trustwatch.EINTERNAL, "segment: load dictionary: %v", err)
	}
	user := &dictionary{freq: map[string]float64{}}
	for _, w := range userWords {
		w = Normalize(w)
		if w == "" {
			continue
		}
		if f, _ := d.lookup(w); f >= userWordFreq {
			continue
		}
		user.add(w, userWordFreq)
	}
	return &Segmenter{c: cutter{base: d, user: user.compile()}}, nil
}

// ForWatch returns a segmenter that knows the watch file's names and aliases.
func ForWatch(w *trustwatch.Watch) (*Segmenter, error) {
	var words []string
	if w != nil {
		for _, e := range w.Entities {
			words = append(words, e.Names()...)
		}
	}
	return New(words)
}

// Cut returns the words of already-normalised text, without white space
// and punctuation.
func (s *Segmenter) Cut(text string) []string {
	raw := s.c.cut(text)
	out := raw[:0]
	for _, w := range raw {
		if isWord(w) {
			out = append(out, strings.TrimSpace(w))
		}
	}
	return out
}

// Words normalises raw text and cuts it: the words of a query or a claim,
// cut the way stored text was.
func (s *Segmenter) Words(text string) []string { return s.Cut(Normalize(text)) }

// cutAll returns every piece, white space and punctuation included, so
// that the pieces concatenate back to text.
func (s *Segmenter) cutAll(text string) []string { return s.c.cut(text) }

// Known reports whether the dictionary (embedded or user words) has word.
func (s *Segmenter) Known(word string) bool {
	f, _ := s.c.lookup(Normalize(word))
	return f > 0
}

// isWord reports whether a piece has a letter or digit.
func isWord(w string) bool {
	for _, r := range w {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// isLatin reports whether r is an ASCII letter or digit: the characters for
// which a word boundary is a change of script or a non-alphanumeric.
func isLatin(r rune) bool {
	return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
}
