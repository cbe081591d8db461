package terms

import (
	"fmt"
	"math"
	"testing"
	"time"

	"trustwatch"
)

// TestRiseG2 pins Dunning's G² on hand-computed tables. With T = n + m
// documents and K = a + b containing the term, the expected counts are
// n·K/T (window, term), n − n·K/T, m·K/T, m − m·K/T, and
// G² = 2 Σ O ln(O/E):
//
// A place name at 949 of a day's 10,000 posts against 60 a day over 30
// days (1,800 of 300,000): K = 2,749, T = 310,000, E = 88.677, 9,911.323,
// 2,660.323, 297,339.677;
// G² = 2 (949 ln(949/88.677) + 9,051 ln(9,051/9,911.323)
// + 1,800 ln(1,800/2,660.323) + 298,200 ln(298,200/297,339.677))
// = 2 (2,249.51 − 821.85 − 703.19 + 861.57) = 3,172.07.
//
// A term at 50 against 2 a day (60 of 300,000): E = 3.548, 9,996.452,
// 106.452, 299,893.548; G² = 2 (132.28 − 46.34 − 34.40 + 46.46) = 195.97.
//
// A term at 100 against none: E = 3.226, 9,996.774, 96.774, 299,903.226;
// G² = 2 (343.40 − 96.30 + 0 + 96.79) = 687.77. The old score
// ln((count+1)/(expected+1))·ln(1+count) put it first (21.3 against the
// place name's 18.8): a ratio with nothing below it beat 949 posts.
func TestRiseG2(t *testing.T) {
	tests := []struct {
		name       string
		a, n, b, m int
		want       float64
	}{
		{"949 vs 60/day", 949, 10000, 1800, 300000, 3172.07},
		{"50 vs 2/day", 50, 10000, 60, 300000, 195.97},
		{"100 vs none", 100, 10000, 0, 300000, 687.77},
		// Same share in both: no rise.
		{"flat", 100, 1000, 1000, 10000, 0},
		// 10 of 1,000 against 200 of 10,000: a fall, signed negative.
		// E = 19.091, 980.909, 190.909, 9,809.091;
		// G² = 2 (−6.466 + 9.133 + 9.304 − 9.087) = 5.768.
		{"fall", 10, 1000, 200, 10000, -5.768},
		{"no background", 5, 100, 0, 0, 0},
		{"empty window", 0, 0, 3, 100, 0},
	}
	for _, tt := range tests {
		got := riseG2(tt.a, tt.n, tt.b, tt.m)
		if math.Abs(got-tt.want) > 0.005 {
			t.Errorf("%s: riseG2(%d, %d, %d, %d) = %.3f, want %.2f", tt.name, tt.a, tt.n, tt.b, tt.m, got, tt.want)
		}
	}
	a, b, c := riseG2(949, 10000, 1800, 300000), riseG2(50, 10000, 60, 300000), riseG2(100, 10000, 0, 300000)
	if !(a > c && c > b) {
		t.Errorf("ranking %.1f, %.1f, %.1f: want 949-vs-60/day above 100-vs-0 above 50-vs-2/day", a, c, b)
	}
}

// FuzzRiseG2: for any counts the score is finite, 0 without a baseline,
// and signed like the difference of the shares.
func FuzzRiseG2(f *testing.F) {
	f.Add(949, 10000, 1800, 300000)
	f.Add(0, 1, 0, 1)
	f.Add(5, 5, 0, 1_000_000)
	f.Fuzz(func(t *testing.T, a, n, b, m int) {
		n, m = n%10_000_000, m%10_000_000
		g := riseG2(a, n, b, m)
		if math.IsNaN(g) || math.IsInf(g, 0) {
			t.Fatalf("riseG2(%d, %d, %d, %d) = %v", a, n, b, m, g)
		}
		if n > 0 && m > 0 && a >= 0 && a <= n && b >= 0 && b <= m {
			if d := float64(a)*float64(m) - float64(b)*float64(n); d < 0 && g > 0 || d > 0 && g < 0 {
				t.Fatalf("riseG2(%d, %d, %d, %d) = %v, sign against the shares", a, n, b, m, g)
			}
		}
	})
}

// TestFindRanksByG2 runs the same comparison through Find, scaled to a
// window of 1,000 posts against 10 days of 1,000: 鹭岛湾 at 95 against 6 a
// day (G² 267.62), 琉璃盏 at 35 against none (G² 168.98) and 雾凇谷 at 5
// against 2 in all (G² 16.01). The old score ranked 琉璃盏 (12.84) above
// 鹭岛湾 (11.95).
func TestFindRanksByG2(t *testing.T) {
	g := lcgState(11)
	subjects := []string{"今天", "网友", "记者", "车主", "我们", "大家", "朋友", "媒体", "用户", "专家"}
	places := []string{"在", "去", "到", "住进", "离开", "参观", "看看", "路过"}
	tails := []string{"真的", "太难了", "怎么看", "还行吧", "有点意外", "说实话", "笑死", "无语", "值得吗", "期待"}
	filler := []string{"讨论续航问题", "吐槽售后服务", "晒出提车照片", "关注电池安全", "比较价格配置", "聊起智能驾驶"}
	post := func(term string) string {
		s := subjects[g.next(len(subjects))] + filler[g.next(len(filler))] + "，" + tails[g.next(len(tails))]
		if term != "" {
			s = subjects[g.next(len(subjects))] + places[g.next(len(places))] + term + tails[g.next(len(tails))] + "，" + s
		}
		return s
	}
	start := time.Date(2025, 5, 1, 0, 0, 0, 0, trustwatch.DefaultLocation())
	var win, bg []Doc
	plan := map[string][2]int{"鹭岛湾": {95, 6}, "琉璃盏": {35, 0}, "雾凇谷": {5, 0}}
	for day := range 11 {
		var texts []string
		for term, n := range plan {
			k := n[1]
			if day == 10 {
				k = n[0]
			} else if term == "雾凇谷" && day < 2 {
				k = 1 // 2 in the whole background
			}
			for range k {
				texts = append(texts, post(term))
			}
		}
		for len(texts) < 1000 {
			texts = append(texts, post(""))
		}
		for i, s := range texts {
			d := Doc{ID: fmt.Sprintf("d%02d-%04d", day, i), Time: start.AddDate(0, 0, day).Add(time.Duration(i) * time.Minute), Text: s}
			if day == 10 {
				win = append(win, d)
			} else {
				bg = append(bg, d)
			}
		}
	}
	from := start.AddDate(0, 0, 10)
	got, err := Find(Docs(win), Docs(bg), nil, Options{From: from, To: from.AddDate(0, 0, 1), Top: 50})
	if err != nil {
		t.Fatal(err)
	}
	rank := map[string]int{}
	score := map[string]float64{}
	for i, tm := range got {
		rank[tm.Term], score[tm.Term] = i+1, tm.Score
	}
	want := map[string]float64{"鹭岛湾": 267.625, "琉璃盏": 168.981, "雾凇谷": 16.005}
	for term, s := range want {
		if rank[term] == 0 {
			t.Fatalf("%s not found; terms %v", term, got)
		}
		if math.Abs(score[term]-s) > 0.01 {
			t.Errorf("%s score %.3f, want %.3f", term, score[term], s)
		}
	}
	if !(rank["鹭岛湾"] < rank["琉璃盏"] && rank["琉璃盏"] < rank["雾凇谷"]) {
		t.Errorf("ranks 鹭岛湾 %d, 琉璃盏 %d, 雾凇谷 %d: want that order", rank["鹭岛湾"], rank["琉璃盏"], rank["雾凇谷"])
	}
}

// lcgState is a small deterministic generator for the package's own tests.
type lcgState uint64

func (g *lcgState) next(n int) int {
	*g = *g*6364136223846793005 + 1442695040888963407
	return int(uint64(*g)>>33) % n
}

func BenchmarkRiseG2(b *testing.B) {
	var s float64
	for i := 0; b.Loop(); i++ {
		s += riseG2(900+i%100, 10000, 1800, 300000)
	}
	_ = s
}
