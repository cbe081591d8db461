package segment

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/go-ego/gse"

	"trustwatch"
)

// userWordFreq is the frequency given to watch-file names, high enough that
// gse keeps "雷总" or "小米su7" whole instead of splitting them.
const userWordFreq = 20000

// base is gse with its embedded dictionary, loaded once per process: loading
// takes seconds and about 200 MB, so every Segmenter shares it.
var base = sync.OnceValues(func() (*gse.Segmenter, error) {
	seg, err := gse.NewEmbed()
	if err != nil {
		return nil, err
	}
	return &seg, nil
})

// mu guards additions to the shared dictionary against concurrent cuts.
var mu sync.RWMutex

// Segmenter cuts normalised text into words with gse. It is safe for
// concurrent use.
type Segmenter struct {
	gse *gse.Segmenter
}

var _ trustwatch.Segmenter = (*Segmenter)(nil)

// New returns a segmenter that keeps userWords (entity names and aliases,
// normalised) whole. The first call loads the embedded dictionary.
func New(userWords []string) (*Segmenter, error) {
	g, err := base()
	if err != nil {
		return nil, trustwatch.Errorf(trustwatch.EINTERNAL, "segment: load dictionary: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, w := range userWords {
		w = Normalize(w)
		if w == "" {
			continue
		}
		if f, _, ok := g.Find(w); ok && f >= userWordFreq {
			continue
		}
		if err := g.AddToken(w, userWordFreq, "nz"); err != nil {
			return nil, trustwatch.Errorf(trustwatch.EINTERNAL, "segment: add %q: %v", w, err)
		}
	}
	return &Segmenter{gse: g}, nil
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
	mu.RLock()
	raw := s.gse.Cut(text, false)
	mu.RUnlock()
	out := raw[:0]
	for _, w := range raw {
		if isWord(w) {
			out = append(out, strings.TrimSpace(w))
		}
	}
	return out
}

// cutAll returns every piece gse produces, white space and punctuation
// included, so that the pieces concatenate back to text.
func (s *Segmenter) cutAll(text string) []string {
	mu.RLock()
	defer mu.RUnlock()
	return s.gse.Cut(text, false)
}

// Known reports whether the dictionary (embedded or user words) has word.
func (s *Segmenter) Known(word string) bool {
	mu.RLock()
	defer mu.RUnlock()
	_, _, ok := s.gse.Find(Normalize(word))
	return ok
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
