package nickname_test

import (
	"math"
	"strings"
	"testing"

	"trustwatch/detect/nickname"
)

var leijun = nickname.Person{ID: "leijun", Name: "雷军", Aliases: []string{"雷总"}}

func TestDecide(t *testing.T) {
	strong := nickname.Stats{Docs: 40, PersonDocs: 100, JointDocs: 12, TotalDocs: 1000, Correlation: math.NaN()}
	tests := []struct {
		name     string
		term     string
		st       nickname.Stats
		linked   bool
		nickname bool
		reasons  []string // substrings expected among the reasons, in order
	}{
		{
			// PMI = ln(12·1000/(40·100)) = ln 3 = 1.10
			name: "mocking morph of 岳不群", term: "雷不群", st: strong, linked: true, nickname: true,
			reasons: []string{"与「雷军」共用「雷」", "化用岳不群（伪君子）", "按帖子的 PMI 1.10（共现 12 帖"},
		},
		{
			name: "homophone of the surname", term: "累军", st: nickname.Stats{Correlation: 0.8}, linked: true, nickname: true,
			reasons: []string{"与「雷军」共用「军」", "谐音「雷军」：累~雷 (lei)", "r=0.80"},
		},
		{
			name: "morph of 乔布斯", term: "雷布斯", st: strong, linked: true, nickname: true,
			reasons: []string{"共用「雷」", "化用乔布斯"},
		},
		{
			name: "shares a character but only by chance", term: "雷雨", linked: false,
			st: nickname.Stats{Docs: 40, PersonDocs: 100, JointDocs: 4, TotalDocs: 1000, Correlation: 0.1},
		},
		{
			name: "co-occurs but looks nothing like the name", term: "不吐不快", st: strong, linked: false,
		},
		{
			name: "contains the name: linked, not a nickname", term: "雷军回应", st: nickname.Stats{Correlation: math.NaN()},
			linked: true, nickname: false, reasons: []string{"含有名字「雷军」"},
		},
		{
			name: "thread co-occurrence counts too", term: "雷神", linked: true, nickname: true,
			st:      nickname.Stats{Threads: 10, PersonThreads: 20, JointThreads: 6, TotalThreads: 100, Correlation: math.NaN()},
			reasons: []string{"共用「雷」", "按讨论串的 PMI 1.10"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, ok := nickname.Decide(tt.term, leijun, tt.st)
			if ok != tt.linked || l.Nickname != tt.nickname {
				t.Fatalf("Decide(%s) = linked %v nickname %v %q, want %v %v", tt.term, ok, l.Nickname, l.Reasons, tt.linked, tt.nickname)
			}
			all := strings.Join(l.Reasons, " | ")
			at := 0
			for _, r := range tt.reasons {
				i := strings.Index(all[at:], r)
				if i < 0 {
					t.Fatalf("reasons %q lack %q (in order)", all, r)
				}
				at += i + len(r)
			}
		})
	}
}

func TestMorph(t *testing.T) {
	tests := []struct{ term, want string }{
		{"雷不群", "岳不群"},
		{"岳不群", ""}, // the figure itself is no morph
		{"小米汽车", ""},
		{"余和珅", "和珅"},
	}
	for _, tt := range tests {
		got := ""
		if f := nickname.Morph(tt.term); f != nil {
			got = f.Name
		}
		if got != tt.want {
			t.Errorf("Morph(%s) = %q, want %q", tt.term, got, tt.want)
		}
	}
}

func TestPMI(t *testing.T) {
	if _, ok := nickname.PMI(0, 5, 5, 100); ok {
		t.Error("PMI with no joint occurrence is defined")
	}
	// independent: P(t,p) = 0.01 = 0.1·0.1
	if got, _ := nickname.PMI(1, 10, 10, 100); math.Abs(got) > 1e-12 {
		t.Errorf("PMI of independent = %g, want 0", got)
	}
}

// TestGuardExcludes: one case per exclusion, and terms that pass.
func TestGuardExcludes(t *testing.T) {
	dongyuhui := nickname.Person{ID: "dongyuhui", Name: "董宇辉", Aliases: []string{"董老师"}}
	dict := map[string]bool{"回应": true, "宇宙": true}
	g := nickname.Guard{
		Names: []string{"董宇辉", "董老师", "俞敏洪", "俞老师", "东方甄选", "孙东旭", "孟羽童"},
		Known: func(s string) bool { return dict[s] },
	}
	tests := []struct {
		name, term string
		want       string // substring of the reason; "" passes
	}{
		{"own name", "董宇辉", "本人的名字"},
		{"own alias", "董老师", "本人的名字"},
		{"part of own name", "宇辉", "本人的名字"},
		{"another watched person", "俞敏洪", "被监控对象的名字「俞敏洪」"},
		{"another watched person's alias", "俞老师", "「俞老师」"},
		{"another watched person beside a word", "孙东旭回应", "「孙东旭」"},
		{"part of another watched name", "羽童", "「孟羽童」"},
		{"a watched brand", "东方甄选", "「东方甄选」"},
		{"a dictionary word", "回应", "词典"},
		{"a dictionary word sharing a sound", "宇宙", "词典"},
		{"another person, not watched", "孟羽童", "「孟羽童」"}, // watched here; below, not
		{"somebody's full name", "林羽彤", "另一个人的全名"},
		{"a full-name shape keeping a character", "杜宇灰", ""},
		{"a nickname", "董不群", ""},
		{"a nickname with a homophone", "懂宇灰", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := g.Excludes(tt.term, dongyuhui)
			if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
				t.Errorf("Excludes(%s) = %q, want %q", tt.term, got, tt.want)
			}
		})
	}
	if got := (nickname.Guard{}).Excludes("孟羽童", dongyuhui); !strings.Contains(got, "另一个人的全名") {
		t.Errorf("an unwatched person's name: %q", got)
	}
	if got := (nickname.Guard{}).Excludes("回应", dongyuhui); got != "" {
		t.Errorf("a guard without a dictionary excludes 回应: %q", got)
	}
}
