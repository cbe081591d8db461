package report

import (
	"math"
	"testing"
)

func TestWilsonMargin(t *testing.T) {
	// Hand-computed: z/(1+z²/n) · √(p(1−p)/n + z²/4n²), z = 1.96.
	tests := []struct {
		k, n   int64
		want   float64
		little bool // over DefaultMaxMargin
	}{
		{134, 268, 0.0594, false}, // n=268 is not 数据少, even at 50%
		{20, 40, 0.1480, true},
		{5, 12, 0.2436, true},
		{0, 5, 0.2172, true},
		{500, 1000, 0.0309, false},
	}
	for _, tt := range tests {
		got := wilsonMargin(tt.k, tt.n)
		if math.Abs(got-tt.want) > 0.0005 {
			t.Errorf("wilsonMargin(%d, %d) = %.4f, want %.4f", tt.k, tt.n, got, tt.want)
		}
		if (got > DefaultMaxMargin) != tt.little {
			t.Errorf("wilsonMargin(%d, %d) = %.4f: little data = %v, want %v", tt.k, tt.n, got, !tt.little, tt.little)
		}
	}
	if m := wilsonMargin(0, 0); !math.IsInf(m, 1) {
		t.Errorf("wilsonMargin(0, 0) = %v, want +Inf", m)
	}
}

func TestLittleDataByMargin(t *testing.T) {
	b := &builder{opt: Options{MaxMargin: DefaultMaxMargin}}
	for _, tt := range []struct {
		name string
		s    share
		want bool
	}{
		{"n=268 both periods", share{n: 268, neg: 80, prevN: 250, prevNeg: 60}, false},
		{"n=40", share{n: 40, neg: 20, prevN: 400, prevNeg: 80}, true},
		{"the previous period is thin", share{n: 400, neg: 80, prevN: 12, prevNeg: 5}, true},
		{"no previous period", share{n: 300, neg: 30}, false},
		{"a wider margin allowed", share{n: 40, neg: 20}, false},
	} {
		if tt.name == "a wider margin allowed" {
			b.opt.MaxMargin = 0.2
		}
		if got := b.isLittle(tt.s); got != tt.want {
			t.Errorf("%s: little = %v, want %v (margin %.3f)", tt.name, got, tt.want, b.margin(tt.s))
		}
	}
}
