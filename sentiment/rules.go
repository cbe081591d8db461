package sentiment

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The rules in this file run around the trained model, in ClassifyTokens.
// They fix two kinds of error the model cannot learn from its corpora:
//
//   - A text without words of its own (a bare repost, digits, links,
//     mentions) has nothing to judge, yet its n-grams ("转发", digits) carry
//     the weights they picked up elsewhere: 「已转」 came out negative.
//   - Laughter and emoticons ([赞], [哈哈], 😂, 哈哈) carry large positive
//     weights, learnt from Weibo posts whose labels were derived from the
//     emoticons. On a complaint they are mostly irony (「刹车偏软[赞]」), so
//     when the text's own words lean negative the decoration must not turn
//     it positive.

// ironicMaxLetters is the longest own text, in letters, whose decoration
// is read as irony. Irony on a complaint is a short-text habit
// (「刹车偏软[赞]」); on longer Weibo posts a smile over mildly negative words
// is mostly meant (measured on the held-out NLPCC rows: docs/sentiment.md).
const ironicMaxLetters = 8

// ironic returns the score of a decorated text whose model score is z.
// When the text's own words (without emoticons, emoji and laughter) are
// short and score negative, and the decoration pulled the whole towards
// positive, the decoration's pull is reversed: a smile on a complaint makes
// it more negative, never positive.
func (m *Model) ironic(text string, tokens []string, z float64) float64 {
	own := ownText(text, true)
	letters := 0
	for _, r := range own {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	if letters < 2 || letters > ironicMaxLetters {
		return z
	}
	zo, n := m.score(own, ownTokens(text, tokens))
	if n == 0 || zo >= 0 || z <= zo {
		return z
	}
	return 2*zo - z
}

// repostPhrases are the words a platform or a user puts on a share instead
// of a comment. Only a text made of nothing else is a bare repost, so
// 「转发了这条微博，太坑了」 is still judged by its words.
var repostPhrases = []string{
	"转发微博", "轉發微博", "转发了", "轉發了", "转发", "轉發", "已转", "已轉", "转了", "轉了",
	"repost", "retweet", "rt",
}

// hasOwnWords reports whether text holds anything a person wrote besides
// repost boilerplate, repost chains, mentions, links, digits and
// punctuation. An emoticon or emoji is the author's own: 「[赞]」 alone is
// an opinion.
func hasOwnWords(text string) bool {
	rest := ownText(text, false)
	if len(rest) < len(text) && hasDecoration(text) {
		return true
	}
	rest = strings.ToLower(rest)
	for _, p := range repostPhrases {
		rest = strings.ReplaceAll(rest, p, " ")
	}
	for _, r := range rest {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// ownText returns text with mentions, "//@" markers, links, emoticons and
// emoji replaced by spaces (so that no n-gram spans them), and with
// laughter runs too when laughter is true. Spaces keep the scanner's
// boundaries where the removed parts were.
func ownText(text string, laughter bool) string {
	var b strings.Builder
	b.Grow(len(text))
	for i := 0; i < len(text); {
		if e := decorationEnd(text[i:], laughter); e > 0 {
			b.WriteByte(' ')
			i += e
			continue
		}
		switch c := text[i]; {
		case c == '@':
			i += mentionEnd(text[i:])
			b.WriteByte(' ')
			continue
		case c == '/' && strings.HasPrefix(text[i:], "//@"):
			i += 2
			continue
		case c == 'h':
			if e := urlEnd(text[i:]); e > 0 {
				i += e
				b.WriteByte(' ')
				continue
			}
		}
		_, size := utf8.DecodeRuneInString(text[i:])
		b.WriteString(text[i : i+size])
		i += size
	}
	return b.String()
}

// decorationEnd returns the byte length of the emoticon, emoji or (when
// laughter is true) laughter run at the start of s, or 0.
func decorationEnd(s string, laughter bool) int {
	if s[0] == '[' {
		return emoticonEnd(s)
	}
	r, size := utf8.DecodeRuneInString(s)
	if isEmoji(r) {
		n := size
		for n < len(s) {
			r, size := utf8.DecodeRuneInString(s[n:])
			if !isEmoji(r) && r != 0x200D && r != 0xFE0F && (r < 0x1F3FB || r > 0x1F3FF) {
				break
			}
			n += size
		}
		return n
	}
	if laughter {
		return laughterEnd(s)
	}
	return 0
}

// isEmoji reports whether r is a pictograph: the emoji blocks and the
// symbols other than letters that Weibo and Douyin users type as emoji.
func isEmoji(r rune) bool {
	return r >= 0x1F000 && r <= 0x1FAFF || r >= 0x2600 && r <= 0x27BF
}

// laughterEnd returns the byte length of a laughter run at the start of s:
// one laughing syllable repeated (哈哈, 呵呵呵, 嘿嘿, 嘻嘻, hhh) or 2333….
// A single 哈 is part of words (哈尔滨) and stays.
func laughterEnd(s string) int {
	r, size := utf8.DecodeRuneInString(s)
	least := 2
	switch r {
	case '哈', '呵', '嘿', '嘻', '嘎':
	case 'h', 'H':
		least = 3
	case '2':
		n := 1
		for n < len(s) && s[n] == '3' {
			n++
		}
		if n >= 3 {
			return n
		}
		return 0
	default:
		return 0
	}
	n, count := size, 1
	for n < len(s) {
		r2, size := utf8.DecodeRuneInString(s[n:])
		if r2 != r && !(r == 'h' && r2 == 'H') && !(r == 'H' && r2 == 'h') {
			break
		}
		n += size
		count++
	}
	if count < least {
		return 0
	}
	return n
}

// ownTokens returns the words of text's own part: tokens without the words
// that came from its decoration (an emoticon's inside, such as 赞 of [赞],
// and laughter runs). Filtering the words the caller already has keeps
// ClassifyTokens from segmenting a second time.
func ownTokens(text string, tokens []string) []string {
	var decor []string
	for i := 0; i < len(text); {
		if e := decorationEnd(text[i:], true); e > 0 {
			d := text[i : i+e]
			if d[0] == '[' {
				d = d[1 : len(d)-1]
			}
			decor = append(decor, strings.ToLower(d))
			i += e
			continue
		}
		_, size := utf8.DecodeRuneInString(text[i:])
		i += size
	}
	out := make([]string, 0, len(tokens))
	for _, t := range tokens {
		if laughterEnd(t) == len(t) {
			continue
		}
		if j := indexOf(decor, t); j >= 0 {
			decor = append(decor[:j], decor[j+1:]...)
			continue
		}
		out = append(out, t)
	}
	return out
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// hasDecoration reports whether text has an emoticon, an emoji or a
// laughter run.
func hasDecoration(text string) bool {
	for i := 0; i < len(text); {
		if decorationEnd(text[i:], true) > 0 {
			return true
		}
		_, size := utf8.DecodeRuneInString(text[i:])
		i += size
	}
	return false
}
