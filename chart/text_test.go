package chart_test

import (
	"math"
	"testing"

	"trustwatch/chart"
)

func TestTextWidth(t *testing.T) {
	for _, tt := range []struct {
		s    string
		want float64
	}{
		{"小米", 24},
		{"SU7", 3 * 0.55 * 12},
		{"a b", (0.55*2 + 0.3) * 12},
		{"雷军SU7", (2 + 3*0.55) * 12},
		{"，。", 24}, // full-width punctuation
		{"e\u0301", 0.55 * 12},
		{"", 0},
	} {
		if got := chart.TextWidth(tt.s, 12); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("TextWidth(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}

func TestTruncate(t *testing.T) {
	for _, tt := range []struct {
		s    string
		max  float64
		want string
	}{
		{"小米汽车", 48, "小米汽车"},
		{"小米汽车", 40, "小米…"},
		{"abcdef", 30, "abc…"},
	} {
		if got := chart.Truncate(tt.s, 12, tt.max); got != tt.want {
			t.Errorf("Truncate(%q, %v) = %q, want %q", tt.s, tt.max, got, tt.want)
		}
	}
}
