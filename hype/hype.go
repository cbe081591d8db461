package hype

import (
	"math"
	"strings"
	"unicode"
)

// Reason is one matched span and the rule it triggered. Start and End are
// byte offsets into the scored text; Points is what the span added to the
// score (0 when it was seen but not counted, and Note says why).
type Reason struct {
	Rule   string  `json:"rule"`
	Span   string  `json:"span"`
	Start  int     `json:"start"`
	End    int     `json:"end"`
	Points float64 `json:"points"`
	Note   string  `json:"note,omitempty"`
}

// labNumberBonus is added to a lab condition quoted with a number: a lab
// extreme presented as what the buyer gets.
const labNumberBonus = 10

// genericSuperlative is the weight of 最 followed by a word not in the list.
const genericSuperlative = 15

// negations, said just before a term, deny it ("并非最强").
var negations = []string{"不是", "并非", "并不", "不算", "谈不上", "算不上", "称不上", "没有", "不敢说", "不能说"}

// comparisons before "100%" make it a relative figure ("提升100%"), not a
// promise of certainty.
var comparisons = []string{"提升", "提高", "增加", "增长", "超", "高出", "降低", "减少", "多", "快", "大"}

// Score rates how much text spends on hype, from 0 (plain) to 100, with the
// reasons. The score is the sum of the reasons' points, capped at 100.
func Score(text string) (score int, reasons []Reason) {
	lx := theLexicon()
	rs, offs := normalise(text)
	ns, nOffs := runeString(rs)
	seen := map[string]bool{}
	var total float64
	for i := 0; i < len(rs); {
		n, t, isExempt := lx.match(ns, nOffs, i)
		if isExempt {
			i += n
			continue
		}
		if n == 0 {
			if rs[i] == '最' && i+1 < len(rs) && unicode.Is(unicode.Han, rs[i+1]) {
				n, t = 2, term{rule: RuleSuperlative, points: genericSuperlative, note: "最+X"}
			} else {
				i++
				continue
			}
		}
		span := ns[nOffs[i]:nOffs[i+n]]
		if span == "100%" && precededBy(rs, i, comparisons) {
			i += n
			continue
		}
		r := Reason{Rule: t.rule, Span: text[offs[i]:offs[i+n]], Start: offs[i], End: offs[i+n], Points: t.points, Note: t.note}
		if t.rule == RuleLabCondition && numberInSentence(rs, i, i+n) {
			r.Rule = RuleLabExtreme
			r.Points += labNumberBonus
			r.Note = "实验室/极限条件下的数字"
		}
		switch {
		case precededBy(rs, i, negations):
			r.Points, r.Note = 0, "前有否定, 不计"
		case seen[r.Rule+"\x00"+span]:
			r.Points, r.Note = 0, "重复, 不计"
		}
		seen[r.Rule+"\x00"+span] = true
		total += r.Points
		reasons = append(reasons, r)
		i += n
	}
	return int(math.Round(min(total, 100))), reasons
}

// match returns the longest lexicon entry starting at rune i of ns (whose
// rune byte offsets are offs): its length in runes, the term, and whether
// it is an exemption. Keys are substrings of ns, so nothing is allocated.
func (lx *lexicon) match(ns string, offs []int, i int) (n int, t term, isExempt bool) {
	for l := min(lx.maxLen, len(offs)-1-i); l > 0; l-- {
		w := ns[offs[i]:offs[i+l]]
		if _, ok := lx.exempt[w]; ok {
			return l, term{}, true
		}
		if t, ok := lx.terms[w]; ok {
			return l, t, false
		}
	}
	return 0, term{}, false
}

// runeString returns rs as a string and the byte offset of every rune in
// it, with len appended.
func runeString(rs []rune) (string, []int) {
	var b strings.Builder
	offs := make([]int, 0, len(rs)+1)
	for _, r := range rs {
		offs = append(offs, b.Len())
		b.WriteRune(r)
	}
	return b.String(), append(offs, b.Len())
}

// normalise folds full-width ASCII to half-width and upper case to lower,
// rune by rune, and returns the byte offset of every rune in the original
// text (with len(text) appended) so spans map back.
func normalise(text string) ([]rune, []int) {
	rs := make([]rune, 0, len(text)/2)
	offs := make([]int, 0, len(text)/2+1)
	for off, r := range text {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFEE0
		case r == 0x3000:
			r = ' '
		}
		rs = append(rs, unicode.ToLower(r))
		offs = append(offs, off)
	}
	return rs, append(offs, len(text))
}

// precededBy reports whether one of words ends right before rs[i].
func precededBy(rs []rune, i int, words []string) bool {
	before := string(rs[max(0, i-4):i])
	for _, w := range words {
		if strings.HasSuffix(before, w) {
			return true
		}
	}
	return false
}

// isSentenceBreak reports whether rs[i] ends a sentence.
func isSentenceBreak(rs []rune, i int) bool {
	switch rs[i] {
	case '。', '！', '？', '；', '!', '?', ';', '\n':
		return true
	}
	return false
}

// numberInSentence reports whether the sentence around rs[from:to] holds a
// digit: "实验室极限工况下，百公里加速仅需1.98秒" quotes the lab figure in the
// next clause.
func numberInSentence(rs []rune, from, to int) bool {
	for i := from - 1; i >= 0 && !isSentenceBreak(rs, i); i-- {
		if unicode.IsDigit(rs[i]) {
			return true
		}
	}
	for i := to; i < len(rs) && !isSentenceBreak(rs, i); i++ {
		if unicode.IsDigit(rs[i]) {
			return true
		}
	}
	return false
}
