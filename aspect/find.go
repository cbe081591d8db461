package aspect

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"trustwatch"
	"trustwatch/ahocorasick"
	"trustwatch/sentiment"
)

// Find returns one hit per aspect that text mentions, in the lexicon's
// order. Each hit's label comes from the clause that mentions the aspect
// (the strongest one when several do), not from the whole text: a negated
// problem word ("没有异响") is positive, a mentioned one ("异响") negative,
// an aspect denied as the cause ("不是刹车的问题") neutral, and otherwise the
// clause's own complaint words or, failing them, the model decide. A nil
// model means sentiment.Default().
//
// Each clause is read once by the lexicon's automaton, which finds every
// word of every aspect in it together; only the words found are scored.
func (l *Lexicon) Find(text string, m *sentiment.Model) []trustwatch.AspectHit {
	w := l.compiled()
	clauses := splitClauses(text)
	// found are the first occurrences of the lexicon's patterns, one per
	// pattern and clause.
	var found []occurrence
	var lowered []string
	for ci, c := range clauses {
		lc := strings.ToLower(c)
		first := len(found)
		w.automaton.Each(lc, func(key, start, end int) bool {
			for _, pi := range w.patternsOf[key] {
				if slices.ContainsFunc(found[first:], func(o occurrence) bool { return o.pattern == pi }) {
					continue // not its first occurrence in the clause
				}
				o := occurrence{pattern: pi, clause: ci, at: start, end: end}
				if p := w.patterns[pi]; p.prefix != "" {
					// The key was the prefix: the gap pattern matches where
					// its own rule says, or not at all.
					o.at, o.end = p.match(lc)
				}
				found = append(found, o)
			}
			return true
		})
		if len(found) > first && lowered == nil {
			lowered = make([]string, len(clauses))
		}
		if lowered != nil {
			lowered[ci] = lc
		}
	}
	if len(found) == 0 {
		return nil
	}
	if m == nil {
		m = sentiment.Default()
	}
	// The model is asked about each clause at most once, however many
	// aspects and words the clause mentions.
	type verdict struct {
		label trustwatch.Label
		p     float64
	}
	memo := make(map[string]verdict, len(clauses))
	classify := func(clause string) (trustwatch.Label, float64) {
		v, ok := memo[clause]
		if !ok {
			v.label, v.p = m.Classify(clause)
			memo[clause] = v
		}
		return v.label, v.p
	}
	// In the order of aspects, then clauses, then each aspect's words: the
	// first of equally strong mentions wins.
	slices.SortFunc(found, func(a, b occurrence) int {
		if c := cmp.Compare(w.aspectOf[a.pattern], w.aspectOf[b.pattern]); c != 0 {
			return c
		}
		if c := cmp.Compare(a.clause, b.clause); c != 0 {
			return c
		}
		return cmp.Compare(a.pattern, b.pattern)
	})
	var hits []trustwatch.AspectHit
	for i := 0; i < len(found); {
		ai := w.aspectOf[found[i].pattern]
		best, bestStrength := trustwatch.AspectHit{}, -1.0
		for ; i < len(found) && w.aspectOf[found[i].pattern] == ai; i++ {
			o := found[i]
			if o.at < 0 {
				continue
			}
			p, lc := w.patterns[o.pattern], lowered[o.clause]
			label, strength := clauseSentiment(lc, o.at, o.end, p.problem, classify)
			if strength > bestStrength {
				best = trustwatch.AspectHit{Aspect: l.aspects[ai].id, Label: label, Word: p.word, Clause: clauses[o.clause]}
				bestStrength = strength
			}
		}
		if bestStrength >= 0 {
			hits = append(hits, best)
		}
	}
	return hits
}

// occurrence is where a pattern of the lexicon first occurs in a clause:
// the byte span [at, end) of the lower-cased clause, or at = -1 for a gap
// pattern whose prefix occurs without the rest.
type occurrence struct {
	pattern, clause int
	at, end         int
}

// compiledWords is a lexicon's patterns in one automaton.
type compiledWords struct {
	automaton *ahocorasick.Automaton
	// patternsOf[key] are the patterns the automaton's key stands for: the
	// same word may be an aspect's word and another's, a gap pattern's
	// prefix a plain word.
	patternsOf [][]int
	patterns   []*pattern // every aspect's, in the lexicon's order
	aspectOf   []int      // index in l.aspects of each pattern's aspect
}

func (l *Lexicon) compiled() *compiledWords {
	l.wordsOnce.Do(func() {
		w := &compiledWords{}
		var keys []string
		keyOf := map[string]int{}
		for ai := range l.aspects {
			for pi := range l.aspects[ai].words {
				p := &l.aspects[ai].words[pi]
				key := p.word
				if p.prefix != "" {
					key = p.prefix
				}
				k, ok := keyOf[key]
				if !ok {
					k = len(keys)
					keyOf[key] = k
					keys = append(keys, key)
					w.patternsOf = append(w.patternsOf, nil)
				}
				w.patternsOf[k] = append(w.patternsOf[k], len(w.patterns))
				w.patterns = append(w.patterns, p)
				w.aspectOf = append(w.aspectOf, ai)
			}
		}
		w.automaton = ahocorasick.New(keys)
		l.words = w
	})
	return l.words
}

// match returns the byte span of the pattern's first occurrence in the
// lower-cased clause, or -1.
func (p pattern) match(clause string) (int, int) {
	if p.prefix == "" {
		i := strings.Index(clause, p.word)
		if i < 0 {
			return -1, -1
		}
		return i, i + len(p.word)
	}
	for off := 0; off < len(clause); {
		i := strings.Index(clause[off:], p.prefix)
		if i < 0 {
			return -1, -1
		}
		start := off + i
		rest := clause[start+len(p.prefix):]
		if j := strings.Index(rest, p.suffix); j >= 0 && utf8.RuneCountInString(rest[:j]) <= maxGap {
			return start, start + len(p.prefix) + j + len(p.suffix)
		}
		off = start + len(p.prefix)
	}
	return -1, -1
}

// contrast words open a new clause: what follows "但是" is a new judgement.
var contrast = []string{"但是", "可是", "不过", "然而", "但"}

// splitClauses cuts text at punctuation, line breaks and spaces, and before
// contrast words.
func splitClauses(text string) []string {
	parts := strings.FieldsFunc(text, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("，。！？；：,.!?;:~～…、()（）【】[]「」\"“”", r)
	})
	var out []string
	for _, p := range parts {
		for {
			cut := -1
			for _, c := range contrast {
				if i := strings.Index(p, c); i > 0 && (cut < 0 || i < cut) {
					cut = i
				}
			}
			if cut < 0 {
				break
			}
			out = append(out, p[:cut])
			p = p[cut:]
			// Step past the contrast word so the same cut is not found again.
			next := -1
			for _, c := range contrast {
				if strings.HasPrefix(p, c) {
					if i := strings.Index(p[len(c):], "但"); i >= 0 {
						next = len(c) + i
					}
					break
				}
			}
			if next <= 0 {
				break
			}
			out = append(out, p[:next])
			p = p[next:]
		}
		out = append(out, p)
	}
	return out
}

// negations negate what follows them within a few characters.
var negations = []string{"没有", "没", "无", "不", "未", "从不", "从没", "并不", "并非", "非", "别", "毫无", "不会", "不再"}

// complaints are words that make a clause about an aspect negative;
// negated ("没问题", "不卡") they make it positive.
// Single characters that occur inside other words (软 in 软件, 卡 in 卡钳)
// are left out.
var complaints = []string{"问题", "故障", "毛病", "失灵", "坏了", "太差", "很差", "真差", "烂", "垃圾", "坑", "失望", "后悔", "糟糕", "难用", "不行", "不好", "太慢", "很慢", "太吵", "太贵", "漏", "投诉", "骗", "恶心", "无语", "离谱", "太久", "拖延", "差劲", "太软"}

// praises make a clause positive; negated ("不满意"), negative.
var praises = []string{"满意", "很好", "挺好", "真好", "好用", "好看", "不错", "很灵", "灵敏", "稳", "棒", "赞", "舒服", "给力", "靠谱", "喜欢", "优秀", "安静", "漂亮", "及时", "迅速", "专业", "耐心", "值得", "放心", "清晰", "流畅", "准时"}

// denials just before an aspect word say it is not the aspect at fault.
var denials = []string{"不是", "并非", "并不是", "不怪"}

// degrees strengthen the judgement after them.
var degrees = []string{"非常", "特别", "太", "很", "超级", "极其", "十分", "相当", "真", "巨", "贼", "最"}

// negatedBefore reports whether a negation ends within two characters
// before byte offset at of s.
func negatedBefore(s string, at int) bool {
	before := s[:at]
	// Only look at the last three characters before the word.
	for k, i := 0, len(before); k < 3 && i > 0; k++ {
		_, size := utf8.DecodeLastRuneInString(before[:i])
		i -= size
		window := before[i:]
		for _, n := range negations {
			if strings.HasPrefix(window, n) {
				return true
			}
		}
	}
	return false
}

// clauseSentiment labels the clause lc (lower-cased) for the aspect word at
// [at, end) and says how strongly.
func clauseSentiment(lc string, at, end int, problem bool, classify func(string) (trustwatch.Label, float64)) (trustwatch.Label, float64) {
	// "不是刹车的问题": the aspect is denied as the cause.
	before := lc[:at]
	for _, d := range denials {
		if i := strings.LastIndex(before, d); i >= 0 && utf8.RuneCountInString(before[i+len(d):]) <= 2 {
			return trustwatch.Neutral, 0.5
		}
	}
	degree := 0.0
	for _, d := range degrees {
		if strings.Contains(lc, d) {
			degree = 0.5
			break
		}
	}
	if problem {
		if negatedBefore(lc, at) {
			return trustwatch.Positive, 2 + degree
		}
		return trustwatch.Negative, 2 + degree
	}
	// Complaint and praise words elsewhere in the clause, each flipped by a
	// negation just before it.
	score := 0
	for _, set := range []struct {
		words []string
		sign  int
	}{{complaints, -1}, {praises, 1}} {
		for _, w := range set.words {
			for off := 0; ; {
				i := strings.Index(lc[off:], w)
				if i < 0 {
					break
				}
				i += off
				off = i + len(w)
				if i < end && off > at {
					continue // inside the aspect word itself
				}
				if negatedBefore(lc, i) {
					score -= set.sign
				} else {
					score += set.sign
				}
				break
			}
		}
	}
	switch {
	case score > 0:
		return trustwatch.Positive, 1 + degree
	case score < 0:
		return trustwatch.Negative, 1 + degree
	}
	label, p := classify(lc)
	s := p - 0.5
	if s < 0 {
		s = -s
	}
	return label, s
}
