package voice

import (
	"math"
	"strings"
	"testing"
)

// TestCrossEntropyByHand checks the model against values worked out by hand
// for a corpus of one text, "ab", order 3, alphabet of 4 characters. With
// every count 1, the count-of-counts leave the discounts undefined, so each
// order uses D1 = 0.5. The padded text is "⋄⋄ab" (⋄ the start symbol).
//
//	unigram (continuation counts a:1 b:1, total 2, γ = 0.5·2/2 = 0.5):
//	  P1(a) = P1(b) = 0.5/2 + 0.5·1/4 = 0.375,  P1(c) = 0.5·1/4 = 0.125
//	bigram contexts "⋄" {a:1} and "a" {b:1}, γ = 0.5:
//	  P2(a|⋄) = 0.5 + 0.5·0.375 = 0.6875,  P2(b|⋄) = 0.5·0.375 = 0.1875
//	trigram contexts "⋄⋄" {a:1} and "⋄a" {b:1}, γ = 0.5:
//	  P(a|⋄⋄) = 0.5 + 0.5·0.6875 = 0.84375 and likewise P(b|⋄a) = 0.84375
//	  P(b|⋄⋄) = 0.5·0.1875 = 0.09375 = 3/32
//	  P(a|⋄b) = P1(a) = 0.375 = 3/8 (context "b" unseen: back off fully)
//	  P(c|⋄⋄) = 0.5·0.5·0.125 = 1/32
//
// so H("ab") = −log2(0.84375) = 0.245112, H("ba") = (log2(32/3) + log2(8/3))/2
// = 2.415037, and H("c") = 5 bits.
func TestCrossEntropyByHand(t *testing.T) {
	m := New(3)
	m.alphabet = 4
	m.Add("ab")
	tests := []struct {
		name string
		text string
		want float64
	}{
		{"seen", "ab", -math.Log2(0.84375)},
		{"reversed", "ba", (math.Log2(32.0/3) + math.Log2(8.0/3)) / 2},
		{"unseen character", "c", 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := m.CrossEntropy(tt.text); math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("CrossEntropy(%q) = %.9f, want %.9f", tt.text, got, tt.want)
			}
		})
	}
	if got := m.Prob([]rune("a"), 'b'); math.Abs(got-0.84375) > 1e-12 {
		t.Errorf("Prob(a, b) = %v, want 0.84375", got)
	}
	if got := m.Prob(nil, 'b'); math.Abs(got-0.09375) > 1e-12 {
		t.Errorf("Prob(start, b) = %v, want 0.09375", got)
	}
}

func TestDiscounts(t *testing.T) {
	tests := []struct {
		name string
		coc  [5]int
		want [4]float64
	}{
		// Y = 10/18; D1 = 1 − 2Y·4/10, D2 = 2 − 3Y·2/4, D3 = 3 − 4Y·1/2.
		{"estimated", [5]int{0, 10, 4, 2, 1}, [4]float64{0, 5.0 / 9, 2 - 5.0/6, 3 - 10.0/9}},
		{"no doubletons", [5]int{0, 7, 0, 0, 0}, [4]float64{0, 0.5, 1, 1.5}},
		// Y = 2/4; D1 = 1 − 2·0.5·1/2 = 0.5; D2 = 2 − 3·0.5·0/1 = 2 is out of (0, 2); D3 has no n3.
		{"partly estimated", [5]int{0, 2, 1, 0, 0}, [4]float64{0, 0.5, 1, 1.5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := level{coc: tt.coc}
			got := l.discounts()
			for k := 1; k <= 3; k++ {
				if math.Abs(got[k]-tt.want[k]) > 1e-12 {
					t.Errorf("D%d = %v, want %v", k, got[k], tt.want[k])
				}
			}
		})
	}
}

var corpus = []string{
	"今天发布会，我们带来了一款颠覆性的产品，性能地表最强。",
	"感谢大家的支持！我们一直在努力，和用户做朋友。",
	"小米SU7交付破万台，感谢每一位车主的信任。",
	"我们的初心从未改变：做感动人心、价格厚道的好产品。",
	"雨天开车注意安全，辅助驾驶不是自动驾驶。",
	"Are you OK? 这款产品真的很不错！",
	"性能地表最强，安全超级安全，颠覆性黑科技。",
}

// sumOverAlphabet is Σ P(r | ctx) over the seen vocabulary plus the
// remaining characters of the alphabet, which all share one probability.
func sumOverAlphabet(m *Model, ctx []rune, upto int) float64 {
	vocab := m.Vocabulary()
	sum := 0.0
	for _, r := range vocab {
		sum += m.probUpto(ctx, r, upto)
	}
	unseen := float64(m.Alphabet() - len(vocab))
	return sum + unseen*m.probUpto(ctx, '\uE000', upto)
}

// probUpto is Prob using only orders 1..upto.
func (m *Model) probUpto(context []rune, r rune, upto int) float64 {
	h := make([]rune, 0, m.order-1)
	for i := len(context) - (m.order - 1); i < len(context); i++ {
		if i < 0 {
			h = append(h, bos)
		} else {
			h = append(h, context[i])
		}
	}
	s := string(h) + string(r)
	var offs []int
	for i := range s {
		offs = append(offs, i)
	}
	return m.prob(s, append(offs, len(s)), m.order-1, upto)
}

func TestProbabilitiesSumToOne(t *testing.T) {
	contexts := []string{"", "性能地", "我们", "感谢大家的", "xyz", "地表最强，安全"}
	for order := MinOrder; order <= MaxOrder; order++ {
		m := Train(corpus, order)
		for upto := 1; upto <= order; upto++ {
			for _, c := range contexts {
				ctx := []rune(Normalize(c))
				if got := sumOverAlphabet(m, ctx, upto); math.Abs(got-1) > 1e-9 {
					t.Errorf("order %d, orders 1..%d, context %q: Σ P = %.12f, want 1", order, upto, c, got)
				}
			}
		}
	}
}

func TestRepeatedTextScoresLower(t *testing.T) {
	m := Train(corpus, DefaultOrder)
	repeated := m.CrossEntropy(corpus[2])
	fresh := m.CrossEntropy("周末去公园散步，看见湖面上有几只白鹭在飞。")
	if !(repeated < fresh/3) {
		t.Errorf("repeated text %.2f bits/char, new text %.2f: want the repeat far lower", repeated, fresh)
	}
	// A post stitched from earlier phrases is far more predictable than a new one too.
	stitched := m.CrossEntropy("感谢大家的支持！性能地表最强，和用户做朋友。")
	if !(stitched < fresh/3) {
		t.Errorf("stitched %.2f bits/char, new text %.2f: want the stitched far lower", stitched, fresh)
	}
}

// TestRemoveRestores checks that removing a text leaves exactly the model
// trained without it.
func TestRemoveRestores(t *testing.T) {
	base := Train(corpus[:4], 4)
	m := Train(corpus[:4], 4)
	for _, extra := range corpus[4:] {
		m.Add(extra)
	}
	for _, extra := range corpus[4:] {
		m.Remove(extra)
	}
	for _, probe := range append(corpus, "全新的句子") {
		if a, b := base.CrossEntropy(probe), m.CrossEntropy(probe); math.Abs(a-b) > 1e-12 {
			t.Errorf("%q: %v after add+remove, %v trained without", probe, b, a)
		}
	}
	if got, want := string(m.Vocabulary()), string(base.Vocabulary()); got != want {
		t.Errorf("vocabulary %q after add+remove, want %q", got, want)
	}
	for k := range m.levels {
		if len(m.levels[k].counts) != len(base.levels[k].counts) || m.levels[k].coc != base.levels[k].coc || len(m.levels[k].ctx) != len(base.levels[k].ctx) {
			t.Errorf("order %d: counts differ after add+remove", k+1)
		}
	}
}

func TestEmptyModelIsUniform(t *testing.T) {
	m := New(4)
	if got, want := m.CrossEntropy("你好"), 16.0; got != want {
		t.Errorf("empty model: %v bits/char, want %v", got, want)
	}
	if got := m.CrossEntropy("  \n"); !math.IsNaN(got) {
		t.Errorf("blank text: %v, want NaN", got)
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ＡＢＣ１２３，好", "abc123,好"},
		{"看这里 http://t.cn/A6abc 好车", "看这里 好车"},
		{"  多个\t\n空白  ", "多个 空白"},
		{"控制\x02字符\uFFFD", "控制字符"},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func BenchmarkAddRemove(b *testing.B) {
	text := strings.Repeat(corpus[0]+corpus[1], 3)
	m := Train(corpus, DefaultOrder)
	for b.Loop() {
		m.Add(text)
		m.Remove(text)
	}
}

func BenchmarkCrossEntropy(b *testing.B) {
	m := Train(corpus, DefaultOrder)
	text := strings.Repeat(corpus[3], 3)
	for b.Loop() {
		m.CrossEntropy(text)
	}
}

// FuzzAddRemove checks on any text that adding and removing it restores
// the model and that probabilities stay proper.
func FuzzAddRemove(f *testing.F) {
	for _, s := range corpus {
		f.Add(s)
	}
	f.Add("\x02\x02\xff\xfe 𝄞 http://t.cn/x")
	f.Fuzz(func(t *testing.T, s string) {
		base := Train(corpus[:3], 4)
		m := Train(corpus[:3], 4)
		m.Add(s)
		if h := m.CrossEntropy(s); Normalize(s) != "" && (math.IsNaN(h) || h < 0 || math.IsInf(h, 0)) {
			t.Fatalf("CrossEntropy(%q) = %v", s, h)
		}
		if got := sumOverAlphabet(m, []rune(Normalize(s)), 4); math.Abs(got-1) > 1e-9 {
			t.Fatalf("after adding %q: Σ P = %v", s, got)
		}
		m.Remove(s)
		for k := range m.levels {
			if len(m.levels[k].counts) != len(base.levels[k].counts) || m.levels[k].coc != base.levels[k].coc {
				t.Fatalf("order %d differs after adding and removing %q", k+1, s)
			}
		}
	})
}
