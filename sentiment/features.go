package sentiment

import (
	"unicode"
	"unicode/utf8"
)

// Feature kinds are mixed into the hash so that, say, the bigram "好吃" and
// an emoticon "[好吃]" land in different buckets.
const (
	kindUni   uint64 = 0x9e3779b97f4a7c15
	kindBi    uint64 = 0xc2b2ae3d27d4eb4f
	kindTri   uint64 = 0x165667b19e3779f9
	kindEmo   uint64 = 0x27d4eb2f165667c5
	kindPunct uint64 = 0x85ebca77c2b2ae63
	kindWord  uint64 = 0xc4ceb9fe1a85ec53
	kindLex   uint64 = 0x4cf5ad432745937f
)

// Lexicon polarities, as stored in a scanner's lexicon.
const (
	lexPos int8 = 1
	lexNeg int8 = -1
)

// lexKey is the key of the word made of runes (oldest first) in a lexicon.
func lexKey(runes []uint64) uint64 {
	h := uint64(len(runes))
	for _, r := range runes {
		h = mix64(h<<21 ^ r)
	}
	return h
}

// isNegation reports whether r negates the sentiment word that follows it.
func isNegation(r uint64) bool {
	switch rune(r) {
	case '不', '没', '无', '非', '未', '别', '莫', '勿', '毫':
		return true
	}
	return false
}

// mix64 is the murmur3 64-bit finaliser: a cheap, well-spread hash of a key
// that already holds the n-gram's runes.
func mix64(k uint64) uint64 {
	k ^= k >> 33
	k *= 0xff51afd7ed558ccd
	k ^= k >> 33
	k *= 0xc4ceb9fe1a85ec53
	k ^= k >> 33
	return k
}

// hashString hashes a token (emoticon, word) with FNV-1a, then mixes in its kind.
func hashString(kind uint64, s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return mix64(h ^ kind)
}

// normRune folds the variants that carry no sentiment: full-width ASCII to
// ASCII, upper to lower case, every digit to '0', and the ideographic full
// stop and ellipsis to their ASCII forms.
func normRune(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		r -= 0xFEE0
	case r == 0x3000:
		return ' '
	case r == '。':
		return '.'
	case r == '…':
		return '.'
	}
	switch {
	case r >= 'A' && r <= 'Z':
		return r + 'a' - 'A'
	case r >= '0' && r <= '9':
		return '0'
	}
	return r
}

// isRunPunct reports whether repeating r ("！！！", "？？", "。。。") says
// something of its own.
func isRunPunct(r rune) bool {
	return r == '!' || r == '?' || r == '.' || r == '~'
}

// scanner walks a text once and reports every feature hash. It never
// allocates; both training and classification use it, so they cannot
// disagree on what a feature is.
type scanner struct {
	maxN       int  // longest character n-gram, 1..3
	stripEmoji bool // drop "[...]" emoticons instead of emitting them
	// lex maps the lexKey of sentiment words of 2 to 4 runes to their
	// polarity; each hit is a feature (polarity × negated), so that words
	// never seen in training still count.
	lex map[uint64]int8
}

// maxLexRunes is the longest lexicon word the scanner looks for.
const maxLexRunes = 4

// emoticonEnd returns the byte offset just past the "]" closing an emoticon
// that starts at s[0] == '[', or 0 when s does not start with one. An
// emoticon is 1 to 8 runes without spaces or brackets: "[泪]", "[哈哈]", "[good]".
func emoticonEnd(s string) int {
	n := 0
	for i, r := range s[1:] {
		switch {
		case r == ']':
			if n == 0 {
				return 0
			}
			return i + 2
		case r == '[' || unicode.IsSpace(r) || n == 8:
			return 0
		}
		n++
	}
	return 0
}

// mentionEnd returns the byte offset past a "@name" mention (and its colon)
// starting at s[0] == '@'. Names carry no sentiment but vary endlessly.
func mentionEnd(s string) int {
	n := 0
	for i, r := range s[1:] {
		switch {
		case r == ':' || r == '：':
			return 1 + i + utf8.RuneLen(r)
		case unicode.IsSpace(r) || r == '@' || r == '/' || r == '，' || r == ',' || n == 30:
			return 1 + i
		}
		n++
	}
	return len(s)
}

// urlEnd returns the byte offset past a URL starting at s, or 0.
func urlEnd(s string) int {
	var rest string
	switch {
	case len(s) >= 7 && s[:7] == "http://":
		rest = s[7:]
	case len(s) >= 8 && s[:8] == "https://":
		rest = s[8:]
	default:
		return 0
	}
	i := 0
	for i < len(rest) && rest[i] > ' ' && rest[i] < 0x80 {
		i++
	}
	return len(s) - len(rest) + i
}

// scan calls emit for each feature of text and returns how many it emitted.
func (sc scanner) scan(text string, emit func(h uint64)) int {
	var (
		n      int
		r1, r2 uint64                  // the previous two runes of the current n-gram window
		win    int                     // runes in the window since the last boundary
		hist   [maxLexRunes + 2]uint64 // hist[0] is the current rune, hist[1] the one before ...
		run    rune                    // punctuation rune repeated in the current run
		runLen int
	)
	endRun := func() {
		if runLen >= 2 {
			l := uint64(min(runLen, 4))
			emit(mix64(uint64(run)<<8 | l ^ kindPunct))
			n++
		}
		runLen = 0
	}
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == '[':
			if e := emoticonEnd(text[i:]); e > 0 {
				if !sc.stripEmoji {
					emit(hashString(kindEmo, text[i:i+e]))
					n++
				}
				i += e
				win = 0
				endRun()
				continue
			}
		case c == '@':
			i += mentionEnd(text[i:])
			win = 0
			endRun()
			continue
		case c == '/' && i+2 < len(text) && text[i+1] == '/' && text[i+2] == '@':
			i += 2
			continue
		case c == 'h':
			if e := urlEnd(text[i:]); e > 0 {
				// A link says nothing about sentiment; it only cuts n-grams.
				i += e
				win = 0
				endRun()
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		if unicode.IsSpace(r) {
			win = 0
			endRun()
			continue
		}
		r = normRune(r)
		if r == ' ' {
			win = 0
			endRun()
			continue
		}
		if isRunPunct(r) && r == run {
			runLen++
		} else {
			endRun()
			if isRunPunct(r) {
				run, runLen = r, 1
			}
		}
		r0 := uint64(r)
		emit(mix64(r0 ^ kindUni))
		n++
		if win >= 1 && sc.maxN >= 2 {
			emit(mix64(r1<<21 | r0 ^ kindBi))
			n++
		}
		if win >= 2 && sc.maxN >= 3 {
			emit(mix64(r2<<42 | r1<<21 | r0 ^ kindTri))
			n++
		}
		if sc.lex != nil {
			copy(hist[1:], hist[:len(hist)-1])
			hist[0] = r0
			n += sc.lexicon(&hist, win+1, emit)
		}
		r2, r1 = r1, r0
		win++
	}
	endRun()
	return n
}

// lexicon emits a feature for each lexicon word ending at hist[0]; win is
// the number of runes in hist that belong to the current stretch of text.
func (sc scanner) lexicon(hist *[maxLexRunes + 2]uint64, win int, emit func(uint64)) int {
	var key [maxLexRunes]uint64
	n := 0
	for k := 2; k <= maxLexRunes && k <= win; k++ {
		for i := range k {
			key[i] = hist[k-1-i]
		}
		pol, ok := sc.lex[lexKey(key[:k])]
		if !ok {
			continue
		}
		neg := uint64(0)
		if (k < win && isNegation(hist[k])) || (k+1 < win && isNegation(hist[k+1])) {
			neg = 1
		}
		emit(mix64(kindLex ^ uint64(uint8(pol))<<1 ^ neg))
		n++
	}
	return n
}

// StripEmoticons removes "[...]" emoticons from text, the way Weibo corpora
// must be read when their labels were derived from those emoticons.
func StripEmoticons(text string) string {
	if !containsByte(text, '[') {
		return text
	}
	b := make([]byte, 0, len(text))
	for i := 0; i < len(text); {
		if text[i] == '[' {
			if e := emoticonEnd(text[i:]); e > 0 {
				i += e
				continue
			}
		}
		b = append(b, text[i])
		i++
	}
	return string(b)
}

func containsByte(s string, c byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return true
		}
	}
	return false
}
