package hype_test

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"trustwatch/hype"
)

func rules(rs []hype.Reason) []string {
	var out []string
	for _, r := range rs {
		if r.Points > 0 {
			out = append(out, r.Rule+":"+r.Span)
		}
	}
	return out
}

func TestScore(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		score int
		rules []string
	}{
		{"plain", "配备20个扬声器，支持7.1.4声道", 0, nil},
		{"statute term", "最佳驾控", 25, []string{"adlaw9.absolute:最佳"}},
		// 地表最强 is one span (30), not 最强 inside it as well.
		{"longest match", "地表最强", 30, []string{"superlative:地表最强"}},
		{"generic superlative", "最萌的车", 15, []string{"superlative:最萌"}},
		{"full width folded", "ＮＯ．１的选择", 20, []string{"rank:ＮＯ．１"}},
		// False positives of bare matching: facts of time and order, an
		// institution, an unrelated word.
		{"最近 is time", "我们最近升级了车机系统", 0, nil},
		{"第一次 is order", "第一次开上电动车，感觉很平稳", 0, nil},
		{"世界杯 is not 世界", "世界杯期间到店试驾送球衣", 0, nil},
		{"最高人民法院 is an institution", "最高人民法院发布典型案例", 0, nil},
		{"最多 is a quantity", "最多可坐5人", 0, nil},
		{"最好别 is advice", "雨天最好别开太快", 0, nil},
		{"第一款 is a legal article", "依据第九条第一款", 0, nil},
		{"提升100% is a comparison", "提升100%的充电速度", 0, nil},
		// Negation right before a term: seen, not counted.
		{"negated", "我们并非最强，但足够好", 0, nil},
		{"repeat counts once", "绝对安全，绝对安全", 15, []string{"certainty:绝对安全"}},
		{"lab without number", "实验室环境下测得", 12, []string{"lab.condition:实验室"}},
		{"lab with number in the sentence", "实验室极限工况下，百公里加速仅需1.98秒", 47,
			[]string{"lab.extreme:实验室", "lab.extreme:极限工况"}},
		{"number in another sentence does not count", "理论上很快。售价20万", 10, []string{"lab.condition:理论"}},
		{"capped at 100", "地表最强，遥遥领先，史无前例的黑科技，绝对安全，全球第一", 100, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			score, rs := hype.Score(tt.text)
			if score != tt.score {
				t.Errorf("Score(%q) = %d, want %d (reasons %v)", tt.text, score, tt.score, rs)
			}
			if tt.rules != nil && !slices.Equal(rules(rs), tt.rules) {
				t.Errorf("Score(%q) rules = %v, want %v", tt.text, rules(rs), tt.rules)
			}
			for _, r := range rs {
				if tt.text[r.Start:r.End] != r.Span {
					t.Errorf("reason %+v: span does not match text[%d:%d] = %q", r, r.Start, r.End, tt.text[r.Start:r.End])
				}
			}
		})
	}
}

func TestScoreNegatedReasonKept(t *testing.T) {
	_, rs := hype.Score("并非最强")
	if len(rs) != 1 || rs[0].Points != 0 || !strings.Contains(rs[0].Note, "否定") {
		t.Fatalf("reasons = %+v, want one zero-point reason noting the negation", rs)
	}
}

// TestScoreSlogans pins the scores shown in docs/ledger.md; each is the sum
// of the listed terms' points (see terms.go), checked by hand.
func TestScoreSlogans(t *testing.T) {
	want := []int{55, 40, 35, 43, 47, 30, 30, 25, 20, 25, 20, 0, 0, 0, 42, 37, 45, 0, 0, 35}
	for i, s := range slogans {
		if got, rs := hype.Score(s); got != want[i] {
			t.Errorf("slogan %d %q: score %d, want %d (%v)", i+1, s, got, want[i], rules(rs))
		}
	}
}

func BenchmarkScore(b *testing.B) {
	text := strings.Repeat("全球首款量产碳纤维双风道前舱盖，源自赛道的黑科技。我们最近升级了车机系统。", 10)
	for b.Loop() {
		hype.Score(text)
	}
}

func FuzzScore(f *testing.F) {
	for _, s := range slogans {
		f.Add(s)
	}
	f.Add("最")
	f.Add("\xff最强")
	f.Fuzz(func(t *testing.T, text string) {
		score, rs := hype.Score(text)
		if score < 0 || score > 100 {
			t.Fatalf("score %d out of range", score)
		}
		for _, r := range rs {
			if r.Start < 0 || r.End > len(text) || r.Start >= r.End {
				t.Fatalf("bad span %+v for %q", r, text)
			}
			if utf8.ValidString(text) && text[r.Start:r.End] != r.Span {
				t.Fatalf("span %q != text[%d:%d]", r.Span, r.Start, r.End)
			}
		}
	})
}
