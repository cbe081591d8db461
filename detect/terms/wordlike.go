package terms

import (
	"strings"
	"unicode/utf8"
)

// A cohesive, free, surging n-gram is not yet a new word. Three kinds of
// candidates are told apart here, each by a rule rather than a list of the
// strings seen to go wrong:
//
//   - fragments: a word with a particle glued to its edge (y9的, 程不群吗).
//     Particles never begin or end a word, so these are dropped: the word
//     inside is the term. The aspect markers 了 and 着 may end a new word
//     (阳了) and are only barred at the start.
//   - emoticon codes: a term that is, at least half the times it occurs,
//     the whole content of a pair of brackets ([doge], （允悲）). Dropped.
//   - phrases: a degree adverb before a word or an evaluative word (很满意,
//     太失望), a word before a degree complement (烦死了), anything with
//     the particle 的 inside (熟悉的味道), or a run of two or more
//     dictionary words of two characters or more (车主胜诉, 今天y9), an
//     A-not-A question (能不能, 有没有, 喜不喜欢) or a question word
//     inside (什么时候, 怎么办). Kept as surging terms, but never new.
//
// A word the dictionary knows (目的, 太阳) is none of these: it is a known
// word, and not new either.

// particles never begin or end a word.
const particles = "的吗呢吧啊呀嘛啦哦呗么"

// Structural particles that may not end a word, aspect markers that may not
// begin one.
const (
	notLast  = "地得"
	notFirst = "了着"
)

// fragment reports whether term has a particle at its edge.
func fragment(term string) bool {
	first, _ := utf8.DecodeRuneInString(term)
	last, _ := utf8.DecodeLastRuneInString(term)
	return strings.ContainsRune(particles, first) || strings.ContainsRune(particles, last) ||
		strings.ContainsRune(notFirst, first) || strings.ContainsRune(notLast, last)
}

// emoticon reports whether a term's occurrences are mostly the whole
// content of brackets.
func emoticon(enclosed, occurrences int32) bool {
	return occurrences > 0 && 2*enclosed >= occurrences
}

// degrees are adverbs of degree that open an opinion phrase.
var degrees = []string{"非常", "特别", "十分", "有点", "有些", "比较", "真的", "超级", "很", "太", "挺", "蛮", "好", "真"}

// complements of degree close an opinion phrase.
var complements = []string{"死了", "极了", "透了", "坏了", "得很", "得要命", "得不行"}

// evaluative words, so that opinion phrases are told without a dictionary
// too; with one, any known word after a degree adverb makes a phrase.
var evaluative = map[string]bool{
	"满意": true, "失望": true, "好": true, "差": true, "稳": true, "爽": true, "香": true, "贵": true, "便宜": true,
	"棒": true, "赞": true, "烂": true, "坑": true, "快": true, "慢": true, "好看": true, "难看": true, "好用": true,
	"难用": true, "不错": true, "离谱": true, "靠谱": true, "给力": true, "舒服": true, "后悔": true, "无语": true,
	"喜欢": true, "讨厌": true, "厉害": true, "垃圾": true, "恶心": true, "流畅": true, "卡": true, "吵": true,
}

// phrase reports whether a term no dictionary knows is a phrase of known
// material rather than a new word. isWord tells dictionary and watch-file
// words; it may be nil.
func phrase(term string, isWord func(string) bool) bool {
	if strings.ContainsRune(term, '的') || aNotA(term) {
		return true
	}
	for _, q := range questionWords {
		if strings.Contains(term, q) {
			return true
		}
	}
	for _, d := range degrees {
		if rest, ok := strings.CutPrefix(term, d); ok && rest != "" &&
			(evaluative[rest] || isWord != nil && isWord(rest)) {
			return true
		}
	}
	for _, c := range complements {
		if rest, ok := strings.CutSuffix(term, c); ok && rest != "" {
			return true
		}
	}
	return isWord != nil && compound(term, isWord)
}

// questionWords make a phrase of any term that holds one.
var questionWords = []string{"什么", "怎么", "为什么", "为啥", "哪里", "哪个", "多少", "咋"}

// aNotA reports the A-not-A question form: a character, 不 or 没, the
// same character again (能不能, 有没有, 喜不喜欢).
func aNotA(term string) bool {
	rs := []rune(term)
	return len(rs) >= 3 && (rs[1] == '不' || rs[1] == '没') && rs[0] == rs[2]
}

// compound reports whether term cuts into two or more words that isWord
// knows, each of at least two characters, without cutting a Latin run:
// 车主胜诉 is 车主 + 胜诉; 程不群 (程 + 不群) and 白肺 (白 + 肺) are not,
// because a new word is often a known word beside a single character.
func compound(term string, isWord func(string) bool) bool {
	rs := []rune(term)
	n := len(rs)
	cut := func(i int) bool { // a word may start or end before rs[i]
		return i == 0 || i == n || !(isWordRune(foldRune(rs[i-1])) && isWordRune(foldRune(rs[i])))
	}
	// pieces[i] is the fewest words covering rs[:i], 0 when none do.
	pieces := make([]int, n+1)
	pieces[0] = 0
	for i := 1; i <= n; i++ {
		if !cut(i) {
			continue
		}
		for j := 0; j <= i-2; j++ {
			if (j == 0 || pieces[j] > 0) && cut(j) && isWord(string(rs[j:i])) {
				if p := pieces[j] + 1; pieces[i] == 0 || p < pieces[i] {
					pieces[i] = p
				}
			}
		}
	}
	return pieces[n] >= 2
}
