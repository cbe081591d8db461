package ledger

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// fold is the form all matching is done in: NFKC (full-width to
// half-width), lower case, no white space, so "SU7 Ultra", "ＳＵ７Ｕｌｔｒａ"
// and "su7ultra" are one string.
func fold(s string) string {
	s = norm.NFKC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// clauses splits folded text at clause punctuation.
func clauses(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		switch r {
		case '，', '。', '！', '？', '；', '!', '?', ';', ',', '\n', '…', '～', '~':
			return true
		}
		return false
	})
}

// negators deny what follows them within a few characters.
var negators = []string{"不是", "并非", "并不", "没有", "没", "不", "无", "未", "别", "非"}

// negatedBefore reports whether a negator ends within the three runes
// before byte offset at of s.
func negatedBefore(s string, at int) bool {
	rs := []rune(s[:at])
	before := string(rs[max(0, len(rs)-3):])
	for _, n := range negators {
		if strings.Contains(before, n) {
			return true
		}
	}
	return false
}

// polarWords is a small clause-level lexicon: enough to tell "机盖很好看"
// from "机盖就是个摆设". Entries that carry their own negation (不错, 没用)
// are whole words, matched before the negation rule applies.
var polarWords = map[string]int{
	// positive
	"好": 1, "不错": 1, "满意": 1, "喜欢": 1, "靠谱": 1, "给力": 1, "惊艳": 1, "优秀": 1, "稳": 1,
	"强": 1, "值": 1, "值得": 1, "漂亮": 1, "好看": 1, "舒服": 1, "舒适": 1, "流畅": 1, "实用": 1,
	"有效": 1, "真香": 1, "厉害": 1, "牛": 1, "没问题": 1, "没毛病": 1, "放心": 1, "推荐": 1, "达标": 1,
	"超出预期": 1, "好用": 1, "清晰": 1, "安静": 1, "省心": 1,
	// negative
	"差": -1, "烂": -1, "坑": -1, "垃圾": -1, "失望": -1, "后悔": -1, "不行": -1, "没用": -1, "无用": -1,
	"摆设": -1, "装饰": -1, "假": -1, "骗": -1, "问题": -1, "故障": -1, "投诉": -1, "退车": -1, "退款": -1,
	"维权": -1, "难看": -1, "异响": -1, "缩水": -1, "翻车": -1, "糟糕": -1, "差劲": -1, "鸡肋": -1,
	"智商税": -1, "韭菜": -1, "噱头": -1, "不值": -1, "不如": -1, "坑人": -1, "气愤": -1, "恶心": -1,
	// "好" that is not praise.
	"说好": 0, "好像": 0, "好几": 0, "只好": 0, "正好": 0, "刚好": 0, "好多": 0, "好久": 0, "好在": 0,
	"离谱": -1, "起诉": -1, "质疑": -1, "吐槽": -1, "塌": -1, "开裂": -1, "漏水": -1, "卡顿": -1,
	// "好" in a choice or a plan ("买A好还是B好", "想好了").
	"好还是": 0, "想好": 0,
	// "假" that is not fake: holidays, and 假如 ("if").
	"假期": 0, "假日": 0, "放假": 0, "请假": 0, "休假": 0, "暑假": 0, "寒假": 0, "假如": 0,
}

// maxPolarLen is the longest polar word, in runes.
const maxPolarLen = 4

// polarity scores a folded clause with polarWords, flipping a word's sign
// when a negator precedes it ("不好", "没有问题").
func polarity(clause string) int {
	rs := []rune(clause)
	score := 0
	for i := 0; i < len(rs); {
		n, p := 0, 0
		for l := min(maxPolarLen, len(rs)-i); l > 0; l-- {
			if v, ok := polarWords[string(rs[i:i+l])]; ok {
				n, p = l, v
				break
			}
		}
		if n == 0 {
			i++
			continue
		}
		if negatedBefore(clause, len(string(rs[:i]))) {
			p = -p
		}
		score += p
		i += n
	}
	return score
}
