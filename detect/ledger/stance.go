package ledger

import (
	"regexp"
	"strings"

	"trustwatch"
)

// Stance is how an item bears on a claim.
type Stance string

// Stances.
const (
	Confirms    Stance = "confirms"
	Contradicts Stance = "contradicts"
	Unrelated   Stance = "unrelated"
)

// Signal weights: a broken- or kept-promise pattern outweighs the polarity
// of the subject's clause, which outweighs the item's overall sentiment.
// An item takes a stance at |score| ≥ stanceThreshold, so the item's
// sentiment alone never decides.
const (
	patternPoints   = 3
	clausePoints    = 2
	itemPoints      = 1
	stanceThreshold = 2
)

// brokenPhrases say the promise was not kept.
var brokenPhrases = []string{
	"名不副实", "货不对板", "货不对版", "虚假宣传", "夸大宣传", "虚标", "言过其实", "根本达不到", "达不到宣传",
	"跟宣传不一样", "和宣传不一样", "与宣传不符", "与宣传不一致", "跟宣传的不一样", "和宣传的不一样",
	"宣传不符", "欺骗消费者", "消费欺诈", "退一赔三", "徒有其表", "纯属噱头", "智商税", "被骗", "骗人",
	"打脸", "不是真的", "是假的", "只是装饰", "纯装饰", "摆设",
}

// keptPhrases say the promise was kept.
var keptPhrases = []string{
	"名副其实", "说到做到", "言出必行", "实至名归", "诚不欺我", "没有夸张", "没有夸大", "不吹不黑",
	"没骗人", "没有骗人", "真的做到", "货真价实", "物有所值", "名不虚传", "做到了",
}

// intensifiers ("确实", "果然") confirm what the clause says: a positive
// clause confirms the claim, a negative one confirms the complaint.
var intensifiers = []string{"确实", "果然", "的确", "真的"}

var (
	// brokenPatterns: 说好的…呢, 宣传的…却/实际, 实际只有.
	brokenPatterns = []*regexp.Regexp{
		regexp.MustCompile(`说好的.{0,15}呢`),
		regexp.MustCompile(`宣传的?.{0,12}(却|但是|但|实际|其实|结果|根本)`),
		regexp.MustCompile(`实际(只有|才|仅|仅有)`),
	}
	// keptPatterns: 实测…达到.
	keptPatterns = []*regexp.Regexp{
		regexp.MustCompile(`实测.{0,12}(达到|做到|超过|跑出|符合|跑到)`),
	}
)

// Classify gives an item's stance on a claim whose subject words are
// subject (folded), with the reasons. Signals, strongest first: patterns of
// broken or kept promise (a negator right before flips one: "并非虚假宣传"),
// the polarity of the clauses that mention the subject (or the item's
// aspect hits on them), and the item's own sentiment label.
func Classify(it *trustwatch.Item, subject []string) (Stance, []string) {
	text := fold(it.FullText())
	score, reasons := 0, []string(nil)
	addPhrase := func(phrases []string, sign int, label string) {
		for _, p := range phrases {
			at := strings.Index(text, p)
			if at < 0 {
				continue
			}
			if negatedBefore(text, at) {
				score -= sign * clausePoints
				reasons = append(reasons, "否定的"+label+"「"+p+"」")
				continue
			}
			score += sign * patternPoints
			reasons = append(reasons, label+"「"+p+"」")
		}
	}
	addPhrase(brokenPhrases, -1, "违约表述")
	addPhrase(keptPhrases, +1, "兑现表述")
	for _, re := range brokenPatterns {
		if m := re.FindStringIndex(text); m != nil && !negatedBefore(text, m[0]) {
			score -= patternPoints
			reasons = append(reasons, "违约表述「"+text[m[0]:m[1]]+"」")
		}
	}
	for _, re := range keptPatterns {
		if m := re.FindStringIndex(text); m != nil && !negatedBefore(text, m[0]) {
			score += patternPoints
			reasons = append(reasons, "兑现表述「"+text[m[0]:m[1]]+"」")
		}
	}

	// The clauses about the subject.
	clausePolarity, intensified := 0, ""
	for _, c := range clauses(text) {
		if !containsAny(c, subject) {
			continue
		}
		clausePolarity += polarity(c)
		for _, w := range intensifiers {
			if strings.Contains(c, w) {
				intensified = w
			}
		}
	}
	if clausePolarity == 0 {
		clausePolarity = aspectPolarity(it, subject)
	}
	switch {
	case clausePolarity > 0:
		score += clausePoints
		reasons = append(reasons, "主题所在分句正面")
	case clausePolarity < 0:
		score -= clausePoints
		reasons = append(reasons, "主题所在分句负面")
	}
	if intensified != "" && clausePolarity != 0 {
		sign := 1
		if clausePolarity < 0 {
			sign = -1
		}
		score += sign * patternPoints
		reasons = append(reasons, "「"+intensified+"」坐实分句的判断")
	}

	switch it.Sentiment {
	case trustwatch.Positive:
		score += itemPoints
		reasons = append(reasons, "条目情感正面")
	case trustwatch.Negative:
		score -= itemPoints
		reasons = append(reasons, "条目情感负面")
	}

	switch {
	case score >= stanceThreshold:
		return Confirms, reasons
	case score <= -stanceThreshold:
		return Contradicts, reasons
	}
	return Unrelated, reasons
}

// aspectPolarity is the sign of the item's aspect hits whose word or
// clause mentions the subject, as analysed at ingest.
func aspectPolarity(it *trustwatch.Item, subject []string) int {
	p := 0
	for _, h := range it.Aspects {
		if !containsAny(fold(h.Word), subject) && !containsAny(fold(h.Clause), subject) {
			continue
		}
		switch h.Label {
		case trustwatch.Positive:
			p++
		case trustwatch.Negative:
			p--
		}
	}
	return p
}

// containsAny reports whether s contains one of words.
func containsAny(s string, words []string) bool {
	for _, w := range words {
		if w != "" && strings.Contains(s, w) {
			return true
		}
	}
	return false
}
