package nickname

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/mozillazg/go-pinyin"
)

// Person is a watched person: an id, a name and aliases.
type Person struct {
	ID      string
	Name    string
	Aliases []string
}

func (p Person) names() []string {
	var out []string
	for _, n := range append([]string{p.Name}, p.Aliases...) {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// Stats is how a term and a person occur together.
type Stats struct {
	// Over posts: docs with the term, with the person, with both, in all.
	Docs, PersonDocs, JointDocs, TotalDocs int
	// Over threads (a post and its comments), likewise.
	Threads, PersonThreads, JointThreads, TotalThreads int
	// Correlation of the term's and the person's daily counts over the
	// window; NaN when either is constant or there are too few days.
	Correlation float64
}

// PMI returns ln(P(t,p)/(P(t)P(p))) for joint, a, b out of n, and false
// when it is undefined (no joint occurrence).
func PMI(joint, a, b, n int) (float64, bool) {
	if joint == 0 || a == 0 || b == 0 || n == 0 {
		return 0, false
	}
	return math.Log(float64(joint) * float64(n) / (float64(a) * float64(b))), true
}

// Link is the decision for one term and one person.
type Link struct {
	Entity string
	// Nickname is set when the term stands for the person without naming
	// them; a term that contains the name is linked but is no nickname.
	Nickname bool
	// Figure is the borrowed figure, if the term is a morph of one.
	Figure  *Figure
	Reasons []string
}

// Guard is what is never a nickname of a watched person, whatever the
// surface and the statistics say: the person's own names and aliases (and
// parts of them), the names and aliases of every other watched entity
// (other people are not nicknames of each other: 俞敏洪 is not a nickname of
// 董宇辉), the words of the dictionary (回应 is a word, not a nickname),
// and terms shaped like another person's full name (孟羽童).
type Guard struct {
	// Names are the names and aliases of every watched entity.
	Names []string
	// Known reports the dictionary's words; nil knows none.
	Known func(string) bool
}

// Excludes returns why term can never be a nickname of p, or "".
func (g Guard) Excludes(term string, p Person) string {
	term = strings.TrimSpace(term)
	own := p.names()
	for _, n := range own {
		if strings.EqualFold(term, n) || strings.Contains(strings.ToLower(n), strings.ToLower(term)) {
			return fmt.Sprintf("是「%s」本人的名字或其一部分", n)
		}
	}
	for _, n := range g.Names {
		n = strings.TrimSpace(n)
		if n == "" || slices.ContainsFunc(own, func(o string) bool { return strings.EqualFold(o, n) }) {
			continue
		}
		t, ln := strings.ToLower(term), strings.ToLower(n)
		if strings.Contains(t, ln) || strings.Contains(ln, t) {
			return fmt.Sprintf("与被监控对象的名字「%s」重合", n)
		}
	}
	if g.Known != nil && g.Known(term) {
		return "是词典里的词"
	}
	if otherPerson(term, own) {
		return "形如另一个人的全名（常见姓氏开头，与本人名字无共同字）"
	}
	return ""
}

// surnames are the hundred or so commonest Chinese surnames.
const surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"

// otherPerson reports a term shaped like somebody else's full name: two or
// three Han characters opening with a common surname, sharing no character
// with the person's names. A homophone alone does not make 孟羽童 a
// nickname of 董宇辉: she is a person of her own. A nickname that keeps a
// character (雷布斯 for 雷军, 程不群 for 程朗) is not caught.
func otherPerson(term string, names []string) bool {
	rs := []rune(term)
	if len(rs) < 2 || len(rs) > 3 || !strings.ContainsRune(surnames, rs[0]) {
		return false
	}
	for _, r := range rs {
		if !isHan(r) {
			return false
		}
		for _, n := range names {
			if strings.ContainsRune(n, r) {
				return false
			}
		}
	}
	return true
}

// Thresholds of the statistical evidence.
const (
	minJoint       = 2   // co-occurrences needed before PMI counts
	minPMI         = 0.5 // nats: 1.65 times chance
	minCorrelation = 0.5
)

// Decide links term to p when the surface agrees (a shared character, a
// homophone, a borrowed figure, or the name itself) and so do the
// statistics (co-occurrence above chance over posts or threads, or daily
// counts rising together). It returns the link with every reason found.
func Decide(term string, p Person, st Stats) (Link, bool) {
	l := Link{Entity: p.ID}
	surface := false
	for _, n := range p.names() {
		if strings.Contains(term, n) {
			l.Reasons = append(l.Reasons, fmt.Sprintf("含有名字「%s」", n))
			l.Entity = p.ID
			return l, true
		}
	}
	if r := SharedChars(term, p); r != "" {
		l.Reasons = append(l.Reasons, r)
		surface = true
	}
	if r := Homophones(term, p); r != "" {
		l.Reasons = append(l.Reasons, r)
		surface = true
	}
	if f := Morph(term); f != nil && surface {
		l.Figure = f
		l.Reasons = append(l.Reasons, fmt.Sprintf("化用%s（%s）", f.Name, f.Connotation))
	}
	if !surface {
		return l, false
	}
	statistical := false
	if pmi, ok := PMI(st.JointDocs, st.Docs, st.PersonDocs, st.TotalDocs); ok && st.JointDocs >= minJoint && pmi >= minPMI {
		l.Reasons = append(l.Reasons, fmt.Sprintf("按帖子的 PMI %.2f（共现 %d 帖；含该词 %d 帖，提及此人 %d 帖，共 %d 帖）",
			pmi, st.JointDocs, st.Docs, st.PersonDocs, st.TotalDocs))
		statistical = true
	}
	if pmi, ok := PMI(st.JointThreads, st.Threads, st.PersonThreads, st.TotalThreads); ok && st.JointThreads >= minJoint && pmi >= minPMI {
		l.Reasons = append(l.Reasons, fmt.Sprintf("按讨论串的 PMI %.2f（共现 %d 串；含该词 %d 串，提及此人 %d 串，共 %d 串）",
			pmi, st.JointThreads, st.Threads, st.PersonThreads, st.TotalThreads))
		statistical = true
	}
	if !math.IsNaN(st.Correlation) && st.Correlation >= minCorrelation {
		l.Reasons = append(l.Reasons, fmt.Sprintf("每日条数随此人的提及量升降（r=%.2f）", st.Correlation))
		statistical = true
	}
	if !statistical {
		return l, false
	}
	l.Nickname = true
	return l, true
}

// SharedChars describes the characters of the person's names that the
// term contains, or "".
func SharedChars(term string, p Person) string {
	var shared []string
	seen := map[rune]bool{}
	for _, n := range p.names() {
		for _, r := range n {
			if isHan(r) && !seen[r] && strings.ContainsRune(term, r) {
				seen[r] = true
				shared = append(shared, string(r))
			}
		}
	}
	if len(shared) == 0 {
		return ""
	}
	return fmt.Sprintf("与「%s」共用「%s」", p.Name, strings.Join(shared, ""))
}

// Homophones describes the term's characters that sound like a character
// of the person's names (same pinyin, tones ignored, any reading), or "".
func Homophones(term string, p Person) string {
	nameReadings := map[string]rune{}
	for _, n := range p.names() {
		for _, r := range n {
			for _, py := range readings(r) {
				if _, ok := nameReadings[py]; !ok {
					nameReadings[py] = r
				}
			}
		}
	}
	var found []string
	for _, r := range term {
		if !isHan(r) || strings.ContainsRune(strings.Join(p.names(), ""), r) {
			continue
		}
		for _, py := range readings(r) {
			if nr, ok := nameReadings[py]; ok {
				found = append(found, fmt.Sprintf("%c~%c (%s)", r, nr, py))
				break
			}
		}
	}
	if len(found) == 0 {
		return ""
	}
	return fmt.Sprintf("谐音「%s」：%s", p.Name, strings.Join(found, "，"))
}

// Morph returns the figure whose name the term borrows (two or more
// characters of it, in order) without being that name, or nil.
func Morph(term string) *Figure {
	for i := range Figures {
		f := &Figures[i]
		if term == f.Name {
			continue
		}
		rs := []rune(f.Name)
		for n := len(rs); n >= 2; n-- {
			for s := 0; s+n <= len(rs); s++ {
				if strings.Contains(term, string(rs[s:s+n])) {
					return f
				}
			}
		}
	}
	return nil
}

var pinyinArgs = func() pinyin.Args {
	a := pinyin.NewArgs()
	a.Heteronym = true
	a.Style = pinyin.Normal
	return a
}()

func readings(r rune) []string {
	py := pinyin.Pinyin(string(r), pinyinArgs)
	if len(py) == 0 {
		return nil
	}
	return py[0]
}

func isHan(r rune) bool { return r >= 0x3400 && r <= 0x2FFFF }
