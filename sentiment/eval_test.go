package sentiment

import (
	"math"
	"testing"

	"trustwatch"
)

func TestConfusion(t *testing.T) {
	P, N, U := trustwatch.Positive, trustwatch.Negative, trustwatch.Neutral
	var c Confusion
	// gold pos: 3 pos, 1 neg; gold neg: 1 pos, 2 neg, 1 neu.
	for _, p := range [][2]trustwatch.Label{{P, P}, {P, P}, {P, P}, {P, N}, {N, P}, {N, N}, {N, N}, {N, U}} {
		c.Add(p[0], p[1])
	}
	if c.Total() != 8 {
		t.Errorf("Total = %d", c.Total())
	}
	if got := c.Accuracy(); got != 5.0/8 {
		t.Errorf("Accuracy = %v, want 5/8", got)
	}
	// pos: P 3/4, R 3/4, F1 .75; neg: P 2/3, R 2/4, F1 4/7. Neu is not a gold class.
	want := (0.75 + 4.0/7) / 2
	if got := c.MacroF1(); math.Abs(got-want) > 1e-12 {
		t.Errorf("MacroF1 = %v, want %v", got, want)
	}
	var empty Confusion
	if empty.Accuracy() != 0 || empty.MacroF1() != 0 {
		t.Error("empty confusion must score 0")
	}
}

func TestEvaluate(t *testing.T) {
	m := Default()
	exs := []Example{
		{Text: "非常满意，推荐", Label: trustwatch.Positive},
		{Text: "太差了，失望", Label: trustwatch.Negative},
		{Text: "", Label: trustwatch.Neutral},
	}
	rep := Evaluate(m, exs)
	if rep.N != 3 || rep.Accuracy != 1 || rep.BinaryAccuracy != 1 || rep.MacroF1 != 1 {
		t.Errorf("report %+v: want all three right", rep)
	}
	if rep.NeutralShare != 1.0/3 || rep.Confusion[2][2] != 1 {
		t.Errorf("neutral share %v, confusion %v", rep.NeutralShare, rep.Confusion)
	}
}
