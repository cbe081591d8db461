package terms

import (
	"time"

	"trustwatch"
	"unicode"
	"unicode/utf8"
)

// Doc is one text to learn terms from.
type Doc struct {
	ID   string
	Time time.Time
	Text string
	// Thread groups a post with its comments (the root's ID); "" is the
	// doc's own thread.
	Thread string
	// Entities are the watched entities the doc is known to mention.
	Entities []string
	// Author is who wrote it: a doc by a watched entity's account is
	// about that entity.
	Author string

	// maskOf, when set, is the watch file mask was computed for: a replay
	// keeps its documents for 30 steps and finds their entities once.
	maskOf *trustwatch.Watch
	mask   uint64
	// units, when unitsOf is set, are the text's units as unitsOf reads
	// them (a replay turns each text into units once).
	unitsOf *units
	units   []uint32
}

// Source streams documents, in any order, to fn; it stops at fn's first
// error and returns it.
type Source func(fn func(*Doc) error) error

// Docs is a Source over a slice.
func Docs(docs []Doc) Source {
	return func(fn func(*Doc) error) error {
		for i := range docs {
			if err := fn(&docs[i]); err != nil {
				return err
			}
		}
		return nil
	}
}

// A text is read as a sequence of units: a Han character is one unit, a run
// of Latin letters and digits is one unit (so "小米yu7" is three units and
// "yu7" cannot be split into "yu" and "7"), and anything else is a boundary
// that no term crosses. Unit ids are the Han rune itself, or wordBase plus
// the index of the Latin word; 0 is the boundary, and an opening or a
// closing bracket is a boundary of its own kind (open, close), so that a
// term always seen as the whole content of brackets — an emoticon code
// such as [doge] or （允悲） — can be told from a word.
const (
	boundary     = 0
	bracketOpen  = 1
	bracketClose = 2
	wordBase     = 0x40000
	maxN         = 6 // longest candidate, in units
)

// isBoundary reports whether a unit ends terms: a boundary or a bracket.
func isBoundary(id uint32) bool { return id <= bracketClose }

// bracket tells opening (+1) and closing (−1) brackets, after folding.
func bracket(r rune) int {
	switch r {
	case '[', '(', '【', '〔', '{':
		return 1
	case ']', ')', '】', '〕', '}':
		return -1
	}
	return 0
}

// units interns Latin words and turns texts into unit ids.
type units struct {
	words map[string]uint32
	text  []string // word index → text
}

func newUnits() *units { return &units{words: map[string]uint32{}} }

// foldRune folds full-width forms to ASCII and Latin to lower case.
func foldRune(r rune) rune {
	if r >= 0xFF01 && r <= 0xFF5E {
		r -= 0xFEE0
	}
	if r < utf8.RuneSelf && 'A' <= r && r <= 'Z' {
		r += 'a' - 'A'
	}
	return r
}

func isHan(r rune) bool {
	return r >= 0x3400 && unicode.Is(unicode.Han, r)
}

func isWordRune(r rune) bool {
	return r < utf8.RuneSelf && ('a' <= r && r <= 'z' || '0' <= r && r <= '9')
}

// append appends the units of text to dst, followed by one boundary. When
// frozen, a word never seen before becomes a boundary instead of a new id
// (the background cannot contain the window's terms through it).
func (u *units) append(dst []uint32, text string, frozen bool) []uint32 {
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		r = foldRune(r)
		switch {
		case isHan(r):
			dst = append(dst, uint32(r))
			i += size
		case isWordRune(r):
			j := i + size
			var buf [32]byte
			word := append(buf[:0], byte(r))
			for j < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[j:])
				r2 = foldRune(r2)
				if !isWordRune(r2) {
					break
				}
				word = append(word, byte(r2))
				j += s2
			}
			i = j
			id, ok := u.words[string(word)]
			if !ok {
				if frozen {
					dst = append(dst, boundary)
					continue
				}
				id = wordBase + uint32(len(u.text))
				u.words[string(word)] = id
				u.text = append(u.text, string(word))
			}
			dst = append(dst, id)
		default:
			// Runs of punctuation are one boundary; a bracket marks it,
			// and an opening bracket after a closing one is kept apart
			// so that "[a][b]" reads as two enclosed units.
			mark := uint32(boundary)
			switch bracket(r) {
			case 1:
				mark = bracketOpen
			case -1:
				mark = bracketClose
			}
			switch n := len(dst); {
			case n == 0 || !isBoundary(dst[n-1]) || (dst[n-1] == bracketClose && mark == bracketOpen):
				dst = append(dst, mark)
			case mark != boundary:
				dst[n-1] = mark
			}
			i += size
		}
	}
	if len(dst) == 0 || !isBoundary(dst[len(dst)-1]) {
		dst = append(dst, boundary)
	}
	return dst
}

// String spells a sequence of units.
func (u *units) String(seq []uint32) string {
	var b []byte
	for _, id := range seq {
		if id >= wordBase {
			b = append(b, u.text[id-wordBase]...)
		} else {
			b = utf8.AppendRune(b, rune(id))
		}
	}
	return string(b)
}

// isWord reports whether the unit is a Latin word, and a term-worthy one
// on its own (two characters or more, with a letter).
func (u *units) isWord(id uint32) (word, alone bool) {
	if id < wordBase {
		return false, false
	}
	w := u.text[id-wordBase]
	if len(w) < 2 {
		return true, false
	}
	for i := 0; i < len(w); i++ {
		if 'a' <= w[i] && w[i] <= 'z' {
			return true, true
		}
	}
	return true, false
}

// hashUnits hashes n units (FNV-1a over 32-bit symbols with the length
// mixed in, then a finaliser): distinct n-grams of a corpus collide with
// negligible probability, so counts are keyed by hash, not by string.
func hashUnits(seq []uint32) uint64 {
	h := uint64(14695981039346656037) ^ uint64(len(seq))
	for _, x := range seq {
		h ^= uint64(x)
		h *= 1099511628211
	}
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	return h
}
