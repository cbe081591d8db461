package ledger

import (
	"strconv"
	"strings"
	"unicode"
)

// quantity is a number with its unit in folded text ("420公里"), the unit
// in canonical form, and where it stands (byte offsets).
type quantity struct {
	value      float64
	unit       string
	start, end int
}

// units are the written units a number may carry, longest first within a
// prefix, each with its canonical form. Units whose better direction is
// unclear (天, 周, 小时: a wait or a battery life) or whose reading is
// ambiguous (w: watts, or 万 as in "5w") are left out, so they never
// decide a stance.
var units = []struct{ written, canon string }{
	{"千米", "km"}, {"公里", "km"}, {"km", "km"},
	{"kwh", "kwh"}, {"度电", "kwh"}, {"kw", "kw"}, {"千瓦", "kw"},
	{"mah", "mah"}, {"核", "核"}, {"级", "级"}, {"马力", "hp"}, {"匹", "hp"}, {"ps", "hp"}, {"hp", "hp"},
	{"gb", "gb"}, {"tb", "tb"}, {"英寸", "寸"}, {"寸", "寸"},
	{"秒", "s"}, {"s", "s"}, {"分钟", "min"},
	{"万元", "万"}, {"万", "万"}, {"元", "元"},
}

// lowerBetter are the canonical units where less is better: times and
// prices. For every other unit more is better.
var lowerBetter = map[string]bool{"s": true, "min": true, "万": true, "元": true}

// quantities returns the numbers with a known unit in folded text. "700多公里"
// counts as 700.
func quantities(text string) []quantity {
	var out []quantity
	for i := 0; i < len(text); {
		if text[i] < '0' || text[i] > '9' {
			i++
			continue
		}
		j := i
		for j < len(text) && (text[j] >= '0' && text[j] <= '9' || text[j] == '.' && j+1 < len(text) && text[j+1] >= '0' && text[j+1] <= '9') {
			j++
		}
		if i > 0 && isASCIILetter(text[i-1]) {
			// Part of a name: the 7 of "su7", the 14 of "mi14".
			i = j
			continue
		}
		v, err := strconv.ParseFloat(text[i:j], 64)
		k := j
		for _, filler := range []string{"多", "余", "+"} {
			k += len(filler) * boolInt(strings.HasPrefix(text[k:], filler))
		}
		if err == nil {
			for _, u := range units {
				// An ASCII unit must end the word: "5g" is not "5 gb".
				if strings.HasPrefix(text[k:], u.written) && !(isASCIILetter(u.written[0]) && k+len(u.written) < len(text) && isASCIILetter(text[k+len(u.written)])) {
					out = append(out, quantity{value: v, unit: u.canon, start: i, end: k + len(u.written)})
					break
				}
			}
		}
		i = j
	}
	return out
}

func isASCIILetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// endsWithin reports whether one of words ends within n runes before byte
// offset at of s (touching it counts), and returns it.
func endsWithin(s string, at, n int, words []string) (string, bool) {
	rs := []rune(s[:at])
	for gap := 0; gap <= n && gap <= len(rs); gap++ {
		head := string(rs[:len(rs)-gap])
		for _, w := range words {
			if strings.HasSuffix(head, w) {
				return w, true
			}
		}
	}
	return "", false
}

// Words around a number that say how it relates to a claimed figure.
var (
	// limitingWords say a figure falls short ("只有420公里").
	limitingWords = []string{"只有", "仅有", "仅", "才", "不到", "缩水到", "只剩", "只能跑", "最多", "只"}
	// measuredWords report a figure either way ("实测420公里").
	measuredWords = []string{"实测", "实际", "测试", "跑了"}
	// reachingWords say a figure was reached ("跑出720公里").
	reachingWords = []string{"达到", "超过", "超", "跑出", "足足", "高达", "做到", "突破"}
	// fastWords praise a time or price ("仅需2.8秒").
	fastWords = []string{"仅需", "只需", "只要", "仅要", "仅"}
	// comparatives mark a claim that compares an aspect ("硬度更高").
	comparatives = []string{"更高", "更强", "更硬", "更长", "更快", "更大", "更多", "更耐", "更好", "提升"}
	// changeWords join two figures of one unit ("8核换4核").
	changeWords = []string{"换成", "换", "变成", "降为", "降到", "缩水到", "缩水为", "砍到", "减到", "改成"}
)

// claimFacts is what Classify can check an item against beyond the
// subject words: the claim's figures and the aspects it quantifies or
// compares.
type claimFacts struct {
	nums []quantity
	// quantified are the words right before a claimed figure (续航 in
	// 续航700公里); compared, the words right before a comparative (硬度 in
	// 硬度更高). Both include the subject words found there.
	quantified, compared []string
}

// parseClaim reads the figures and compared aspects of a claim's text.
func parseClaim(text string, subject []string) claimFacts {
	text = fold(text)
	var f claimFacts
	f.nums = quantities(text)
	for _, q := range f.nums {
		f.quantified = appendWordBefore(f.quantified, text, q.start, subject)
	}
	for _, c := range comparatives {
		for at := 0; ; {
			i := strings.Index(text[at:], c)
			if i < 0 {
				break
			}
			f.compared = appendWordBefore(f.compared, text, at+i, subject)
			at += i + len(c)
		}
	}
	return f
}

// appendWordBefore adds the aspect named right before byte offset at: a
// subject word ending within two runes, else the two runes themselves
// when they are letters (not punctuation or digits).
func appendWordBefore(words []string, text string, at int, subject []string) []string {
	if w, ok := endsWithin(text, at, 2, subject); ok && w != "" {
		return appendNew(words, w)
	}
	rs := []rune(text[:at])
	if len(rs) < 2 {
		return words
	}
	w := string(rs[len(rs)-2:])
	for _, r := range w {
		if !unicode.IsLetter(r) {
			return words
		}
	}
	return appendNew(words, w)
}

func appendNew(words []string, w string) []string {
	for _, x := range words {
		if x == w {
			return words
		}
	}
	return append(words, w)
}

// numberSignals compares the item's figures with the claim's: the same
// unit, clearly short of the smallest claimed figure (below 95%) with a
// limiting or measuring word contradicts; at or beyond it with a reaching
// or measuring word confirms (for times and prices, "beyond" is below).
// A figure counts only in a clause that names the subject or the aspect
// the claim quantifies, or right after a measuring word, so that "离公司只有
// 20公里" says nothing about a range. It returns the points and reasons.
func numberSignals(text string, f claimFacts, subject []string) (int, []string) {
	if len(f.nums) == 0 && len(f.compared) == 0 {
		return 0, nil
	}
	claimed := map[string]float64{}
	for _, q := range f.nums {
		if v, ok := claimed[q.unit]; !ok || lowerBetter[q.unit] && q.value > v || !lowerBetter[q.unit] && q.value < v {
			claimed[q.unit] = q.value
		}
	}
	score, reasons := 0, []string(nil)
	aspects := append(append(append([]string(nil), subject...), f.quantified...), f.compared...)
	for _, c := range clauses(text) {
		named := containsAny(c, aspects)
		for _, q := range quantities(c) {
			want, ok := claimed[q.unit]
			if !ok {
				continue
			}
			got := c[q.start:q.end]
			_, measured := endsWithin(c, q.start, 3, measuredWords)
			if !named && !measured {
				continue
			}
			_, limited := endsWithin(c, q.start, 3, limitingWords)
			_, reached := endsWithin(c, q.start, 3, reachingWords)
			_, fast := endsWithin(c, q.start, 3, fastWords)
			short := q.value < 0.95*want
			meets := q.value >= want
			if lowerBetter[q.unit] {
				short, meets = q.value > want*1.05, q.value <= want
				limited, reached = false, fast
			}
			switch {
			case short && (limited || measured):
				score -= patternPoints
				reasons = append(reasons, "数字不及承诺「"+got+"」")
			case meets && (reached || measured):
				score += patternPoints
				reasons = append(reasons, "数字达到承诺「"+got+"」")
			}
		}
	}
	// A compared aspect that the item limits to a figure: "硬度只有6级"
	// against "硬度更高".
	for _, a := range f.compared {
		for at := 0; ; {
			i := strings.Index(text[at:], a)
			if i < 0 {
				break
			}
			rest := text[at+i+len(a):]
			if w, ok := limitedFigure(rest); ok {
				score -= patternPoints
				reasons = append(reasons, "比较项受限「"+a+w+"」")
				return score, reasons
			}
			at += i + len(a)
		}
	}
	return score, reasons
}

// limitedFigure reports whether s starts, within three runes, with a
// limiting word followed within two runes by a digit, and returns that
// span.
func limitedFigure(s string) (string, bool) {
	rs := []rune(s)
	for skip := 0; skip <= 3 && skip < len(rs); skip++ {
		head := string(rs[skip:])
		for _, w := range limitingWords {
			if !strings.HasPrefix(head, w) {
				continue
			}
			tail := []rune(head[len(w):])
			for k := 0; k <= 2 && k < len(tail); k++ {
				if unicode.IsDigit(tail[k]) {
					return string(rs[:skip]) + w + string(tail[:k+1]), true
				}
			}
		}
	}
	return "", false
}

// changeSignal finds a figure changed into a smaller one of the same unit
// ("8核换4核", "64gb换成32gb"), a cut where more is better. It returns the
// span, or "" when there is none.
func changeSignal(clause string) string {
	qs := quantities(clause)
	for i := 0; i+1 < len(qs); i++ {
		a, b := qs[i], qs[i+1]
		if a.unit != b.unit || lowerBetter[a.unit] || b.value >= a.value {
			continue
		}
		between := clause[a.end:b.start]
		for _, w := range changeWords {
			if strings.TrimSuffix(strings.TrimPrefix(between, "了"), "了") == w {
				return clause[a.start:b.end]
			}
		}
	}
	return ""
}
