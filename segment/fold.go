package segment

import (
	"sync"
	"unicode/utf8"

	"github.com/longbridgeapp/opencc"
)

// Traditional Chinese is folded to Simplified with OpenCC's "t2s"
// conversion (Traditional phrases, then characters; the dictionaries of
// the OpenCC project, Apache License 2.0, embedded by the pure-Go port
// github.com/longbridgeapp/opencc). So 「小米汽車剎車異響」 is analysed and
// indexed as 「小米汽车刹车异响」, and a query in either script finds both.
//
// The conversion is costly next to the rest of Normalize, and most text has
// no Traditional character at all: a table of the characters t2s changes,
// probed once from the character dictionary, lets that text through
// untouched.
var t2s struct {
	once sync.Once
	cc   *opencc.OpenCC
	// changes holds, for the code points below len(changes)*64, whether
	// t2s changes that character alone.
	changes []uint64
	err     error
}

// cjkLimit bounds the characters probed: the BMP's CJK blocks and the
// compatibility ideographs; Traditional forms beyond it are rare in posts.
const cjkLimit = 0x10000

func loadT2S() {
	t2s.cc, t2s.err = opencc.New("t2s")
	if t2s.err != nil {
		return
	}
	t2s.changes = make([]uint64, cjkLimit/64)
	for _, group := range t2s.cc.DictChains {
		for _, d := range group.Dicts {
			for r := rune(0x2E80); r < cjkLimit; r++ {
				s := string(r)
				// PrefixMatch, not Get: the dictionary's Get misses
				// some keys that PrefixMatch finds (豈).
				m, err := d.PrefixMatch(s)
				if v := m[s]; err == nil && len(v) > 0 && v[0] != s {
					t2s.changes[r/64] |= 1 << (r % 64)
				}
			}
		}
	}
}

// hasTraditional reports whether s has a character that t2s changes.
func hasTraditional(s string) bool {
	for _, r := range s {
		if changes(r) {
			return true
		}
	}
	return false
}

// changes reports whether t2s changes r alone; t2s must be loaded.
func changes(r rune) bool {
	return r >= 0x2E80 && r < cjkLimit && t2s.changes[r/64]&(1<<(r%64)) != 0
}

// ToSimplified folds Traditional Chinese characters and phrases in s to
// Simplified; other text is returned as it is.
func ToSimplified(s string) string {
	if isASCII(s) {
		return s
	}
	t2s.once.Do(loadT2S)
	if t2s.err != nil || !hasTraditional(s) {
		return s
	}
	out, err := t2s.cc.Convert(s)
	if err != nil || !utf8.ValidString(out) {
		return s
	}
	return out
}
