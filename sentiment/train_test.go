package sentiment

import (
	"bytes"
	"fmt"
	"testing"

	"trustwatch"
)

// toyCorpus is a made-up corpus: positive texts praise, negative ones complain.
func toyCorpus() []Example {
	pos := []string{"很好", "非常满意", "好吃", "喜欢", "推荐", "很棒", "满意好评", "不错"}
	neg := []string{"太差", "失望", "难吃", "垃圾", "退货", "很烂", "差评", "恶心"}
	var exs []Example
	for i := range 40 {
		exs = append(exs,
			Example{Text: fmt.Sprintf("第%d次买，%s", i, pos[i%len(pos)]), Label: trustwatch.Positive},
			Example{Text: fmt.Sprintf("第%d次买，%s", i, neg[i%len(neg)]), Label: trustwatch.Negative})
	}
	exs = append(exs, Example{Text: "中性的不算", Label: trustwatch.Neutral})
	return exs
}

func TestTrainLearnsAndIsDeterministic(t *testing.T) {
	opt := TrainOptions{Seed: 7, Dim: 1 << 12, L2Grid: []float64{1e-4, 1e-3}, Folds: 2, Epochs: 20}
	m1, rep, err := TrainWithReport(toyCorpus(), opt)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Examples != 80 || len(rep.CV) != 2 {
		t.Errorf("report %+v: want 80 examples (neutral ignored) and 2 CV points", rep)
	}
	for _, tc := range []struct {
		text string
		pos  bool
	}{{"这次很棒，推荐", true}, {"难吃，差评", false}} {
		if p := m1.PPos(tc.text); (p >= 0.5) != tc.pos {
			t.Errorf("PPos(%q) = %.3f, want positive=%v", tc.text, p, tc.pos)
		}
	}
	m2, _ := Train(toyCorpus(), opt)
	var a, b bytes.Buffer
	m1.WriteTo(&a)
	m2.WriteTo(&b)
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two trainings with the same seed wrote different bytes")
	}
	opt.Seed = 8
	m3, _ := Train(toyCorpus(), opt)
	var c bytes.Buffer
	m3.WriteTo(&c)
	if bytes.Equal(a.Bytes(), c.Bytes()) {
		t.Error("a different seed wrote the same bytes")
	}
}

func TestTrainNBScaleAndGroups(t *testing.T) {
	exs := toyCorpus()
	for i := range exs {
		exs[i].Group = []string{"a", "b"}[i%4/2]
	}
	m, rep, err := TrainWithReport(exs, TrainOptions{Seed: 1, Dim: 1 << 12, NBScale: true, GroupFolds: true, L2Grid: []float64{1e-4}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.L2 != 1e-4 {
		t.Errorf("L2 = %v", rep.L2)
	}
	if p := m.PPos("难吃，差评"); p >= 0.5 {
		t.Errorf("NB-LR: PPos = %.3f, want negative", p)
	}
}

func TestTrainErrors(t *testing.T) {
	tests := []struct {
		name string
		exs  []Example
		opt  TrainOptions
	}{
		{"no examples", nil, TrainOptions{}},
		{"only neutral", []Example{{Text: "嗯", Label: trustwatch.Neutral}}, TrainOptions{}},
		{"dimension not a power of two", toyCorpus(), TrainOptions{Dim: 1000}},
		{"n-gram length", toyCorpus(), TrainOptions{MaxN: 4}},
	}
	for _, tt := range tests {
		if _, err := Train(tt.exs, tt.opt); err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
}

func TestCalibrateBand(t *testing.T) {
	// A model whose p_pos is fixed by the text: "p=0.x".
	m := &Model{maxN: 1, dim: 1 << 10, weights: make([]float32, 1<<10)}
	cal := []Example{
		{Text: "很好", Label: trustwatch.Positive}, {Text: "太差", Label: trustwatch.Negative},
		{Text: "开会", Label: trustwatch.Neutral},
	}
	// Give "很好" a positive score, "太差" a negative one; "开会" scores 0.5.
	sc := m.scanner()
	sc.scan("很好", func(h uint64) { m.weights[h&1023] = 3 })
	sc.scan("太差", func(h uint64) { m.weights[h&1023] = -3 })
	lo, hi, f1 := calibrateBand(m, cal, 0.1)
	if !(lo < 0.5 && hi > 0.5) || f1 != 1 {
		t.Errorf("band (%v, %v) F1 %v: want one around 0.5 separating all three", lo, hi, f1)
	}
}
