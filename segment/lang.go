package segment

import (
	"unicode"
	"unicode/utf8"
)

// Lang guesses the language of raw text from its scripts, as a BCP 47 tag:
// "zh" (Simplified or undetermined Chinese), "zh-Hant" (Traditional), "ja"
// (kana among the Han characters), "ko" (Hangul), "en" (Latin letters
// only, nearly all ASCII) or "" when the text has too few letters to say.
// It is a script count, not a language model: it tells a Hong Kong post
// from a mainland one and an English review from both, which is what
// filtering a stream of Chinese social media needs.
func Lang(text string) string {
	var han, kana, hangul, latin, ascii int
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Han, r):
			han++
		case unicode.In(r, unicode.Hiragana, unicode.Katakana):
			kana++
		case unicode.Is(unicode.Hangul, r):
			hangul++
		case unicode.Is(unicode.Latin, r):
			latin++
			if r < utf8.RuneSelf {
				ascii++
			}
		}
	}
	switch {
	case hangul > 0 && hangul >= han+kana:
		return "ko"
	case kana > 0 && kana*10 >= han:
		return "ja"
	case han > 0 && han*4 >= latin:
		if traditional(text, han) {
			return "zh-Hant"
		}
		return "zh"
	case latin >= 3 && ascii*10 >= latin*9:
		return "en"
	}
	return ""
}

// traditional reports whether enough of the text's han Han characters are
// ones t2s folds. It counts them in the table rather than converting (a
// conversion costs tens of µs per post): a few such characters occur in
// Simplified text too (著 of 著名, kept by OpenCC's phrases), so it takes
// two of them, or one in twenty Han characters in a longer text.
func traditional(text string, han int) bool {
	t2s.once.Do(loadT2S)
	if t2s.err != nil {
		return false
	}
	n := 0
	for _, r := range text {
		if changes(r) {
			n++
		}
	}
	return n >= max(2, han/20)
}
