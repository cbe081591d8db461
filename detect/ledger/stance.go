package ledger

import (
	"regexp"
	"slices"
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

// Event words: what the brand admitted or remedied, what an authority
// found or did, what was swapped or cut. They count in a clause that
// names the subject (a recall of another part says nothing of this claim)
// and at most once per group.
var (
	admissionWords    = []string{"道歉", "致歉", "承认", "召回", "赔偿", "退款", "整改"}
	sanctionWords     = []string{"被罚", "罚款", "处罚", "立案", "认定", "判决", "裁定", "败诉", "约谈"}
	substitutionWords = []string{"偷换", "换成", "减配", "缩水"}
	// findingWords are the sanctions that are an authority's finding, not
	// only a step towards one (立案, 约谈): a contradicting item with one
	// is a ruling (EvidenceItem.Ruling). 认定 needs an authority named.
	findingWords = []string{"被罚", "罚款", "处罚", "判决", "裁定", "败诉", "认定"}
	authorities  = []string{"法院", "法庭", "监管", "市监", "市场监督", "工商", "工信部", "消协", "仲裁"}
	// verdictWords take the direction of what was found: "法院认定并非虚假宣传"
	// is a finding for the claim.
	verdictWords = []string{"认定", "判决", "裁定"}
	// refusals deny an admission as a negator does ("拒绝道歉").
	refusals = []string{"拒绝", "拒不"}
	// rumourWords mark a clause about a rumour: an apology or a fine there
	// is the rumour-monger's ("博主就造谣续航道歉").
	rumourWords = []string{"造谣", "谣言", "辟谣", "不实", "黑公关", "诽谤"}
	// wishWords make a substitution a wish, not a report ("希望把电池换成…").
	wishWords = []string{"想", "希望", "建议", "能不能", "能否", "可不可以", "如果", "要是", "可以"}
	// newsWords mark neutral news: a clause about the subject that reports
	// a patent, a launch or a price restates the brand's message, so its
	// polarity and the item's sentiment do not count. A news word that is
	// part of a subject word (定价 for a price claim) is the subject instead.
	newsWords = []string{"专利", "获授权", "发布", "上市", "亮相", "开售", "售价", "定价", "起售", "预售", "首发"}
)

// Classify gives an item's stance on a claim whose subject words are
// subject (folded), with the reasons. Signals, strongest first: patterns of
// broken or kept promise (a negator right before flips one: "并非虚假宣传"),
// event words in a clause about the subject (an apology, a fine, a swap),
// the polarity of the clauses that mention the subject (or the item's
// aspect hits on them), and the item's own sentiment label. It does not
// know the claim's figures; ClassifyClaim does.
func Classify(it *trustwatch.Item, subject []string) (Stance, []string) {
	st, reasons, _ := classify(it, claimFacts{}, subject)
	return st, reasons
}

// ClassifyClaim is Classify that also checks the item's figures against
// those of the claim's text: "实际只有420公里" contradicts "续航700公里", and
// "硬度只有6级" contradicts "硬度更高".
func ClassifyClaim(it *trustwatch.Item, claim string, subject []string) (Stance, []string) {
	st, reasons, _ := classify(it, parseClaim(claim, subject), subject)
	return st, reasons
}

// classify also reports whether the item is a ruling: it contradicts the
// claim through an authority's finding.
func classify(it *trustwatch.Item, facts claimFacts, subject []string) (Stance, []string, bool) {
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
	var about []string
	news := ""
	for _, c := range clauses(text) {
		if containsAny(c, subject) {
			about = append(about, c)
			if w := newsWord(c, subject); w != "" && news == "" {
				news = w
			}
		}
	}
	ev, evReasons, ruling := eventSignals(about, text, score)
	score += ev
	reasons = append(reasons, evReasons...)
	num, numReasons := numberSignals(text, facts, subject)
	score += num
	reasons = append(reasons, numReasons...)

	clausePolarity, intensified, newsOnly := 0, "", len(about) > 0
	for _, c := range about {
		if newsWord(c, subject) != "" {
			continue
		}
		newsOnly = false
		clausePolarity += polarity(c)
		for _, w := range intensifiers {
			if strings.Contains(c, w) {
				intensified = w
			}
		}
	}
	if newsOnly {
		// Neutral news: the clause's words and the item's mood are the
		// news's, not a user's verdict on the claim.
		reasons = append(reasons, "中性新闻「"+news+"」")
	} else {
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
	}

	switch {
	case score >= stanceThreshold:
		return Confirms, reasons, false
	case score <= -stanceThreshold:
		return Contradicts, reasons, ruling
	}
	return Unrelated, reasons, false
}

// newsWord returns the news word of a clause about the subject, or "".
func newsWord(clause string, subject []string) string {
	for _, w := range newsWords {
		if strings.Contains(clause, w) && !partOfSubject(clause, w, subject) {
			return w
		}
	}
	return ""
}

// partOfSubject reports whether every occurrence of w in clause lies
// inside an occurrence of a subject word.
func partOfSubject(clause, w string, subject []string) bool {
	for at := 0; ; {
		i := strings.Index(clause[at:], w)
		if i < 0 {
			return true
		}
		i += at
		inside := false
		for _, s := range subject {
			if s == "" || !strings.Contains(s, w) {
				continue
			}
			for from := 0; ; {
				j := strings.Index(clause[from:], s)
				if j < 0 {
					break
				}
				j += from
				if j <= i && i+len(w) <= j+len(s) {
					inside = true
					break
				}
				from = j + 1
			}
			if inside {
				break
			}
		}
		if !inside {
			return false
		}
		at = i + len(w)
	}
}

// eventSignals scores the event words in the clauses about the subject:
// an admission, a sanction or a substitution contradicts (−3 each group,
// once); a negated one says nothing ("没有道歉", "未被罚"), except a denied
// cut, which confirms a little (+2, "不是减配"), as a denied broken
// promise does. A verdict takes the direction of what was found: when the
// item already leans to the claim (prior > 0, "法院认定并非虚假宣传") it
// confirms. ruling reports an authority's finding against the claim.
func eventSignals(about []string, text string, prior int) (score int, reasons []string, ruling bool) {
	authority := containsAny(text, authorities)
	admitted, sanctioned, substituted := false, false, false
	for _, c := range about {
		rumour := containsAny(c, rumourWords)
		if !admitted && !rumour {
			if w, at, ok := firstWord(c, admissionWords); ok {
				if negatedBefore(c, at) || refusedBefore(c, at) {
					reasons = append(reasons, "否定的认错或补救「"+w+"」")
				} else {
					score -= patternPoints
					reasons = append(reasons, "认错或补救「"+w+"」")
				}
				admitted = true
			}
		}
		if !sanctioned && !rumour {
			if w, at, ok := firstWord(c, sanctionWords); ok {
				sanctioned = true
				switch {
				case negatedBefore(c, at) || refusedBefore(c, at):
					reasons = append(reasons, "否定的处罚或裁决「"+w+"」")
				case slices.Contains(verdictWords, w) && prior > 0:
					score += patternPoints
					reasons = append(reasons, "裁决有利于承诺「"+w+"」")
				default:
					score -= patternPoints
					reasons = append(reasons, "处罚或裁决「"+w+"」")
					ruling = slices.Contains(findingWords, w) && (w != "认定" || authority)
				}
			}
		}
		if !substituted {
			if w, at, ok := firstWord(c, substitutionWords); ok && !wishBefore(c, at) {
				substituted = true
				if negatedBefore(c, at) {
					score += clausePoints
					reasons = append(reasons, "否定的替换或减配「"+w+"」")
				} else {
					score -= patternPoints
					reasons = append(reasons, "替换或减配「"+w+"」")
				}
			} else if span := changeSignal(c); span != "" {
				substituted = true
				score -= patternPoints
				reasons = append(reasons, "替换或减配「"+span+"」")
			}
		}
	}
	return score, reasons, ruling
}

// firstWord returns the earliest of words in s and its byte offset.
func firstWord(s string, words []string) (string, int, bool) {
	best, at := "", -1
	for _, w := range words {
		if i := strings.Index(s, w); i >= 0 && (at < 0 || i < at) {
			best, at = w, i
		}
	}
	return best, at, at >= 0
}

// deniedActRe is a negator or refusal whose scope is a prepositional verb
// phrase: "没有为芯片道歉", "拒绝就续航问题致歉", "未对此罚款".
var deniedActRe = regexp.MustCompile(`(没有|没|未|不|拒绝|拒不)(就|对|为|向|给)`)

// refusedBefore reports whether a refusal ends within three runes before
// byte offset at, or a negated prepositional phrase leads up to it.
func refusedBefore(s string, at int) bool {
	if _, ok := endsWithin(s, at, 3, refusals); ok {
		return true
	}
	return deniedActRe.MatchString(s[:at])
}

// wishBefore reports whether the clause wishes or supposes what follows:
// a wish word anywhere before byte offset at.
func wishBefore(s string, at int) bool { return containsAny(s[:at], wishWords) }

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
