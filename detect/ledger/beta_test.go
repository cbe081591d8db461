package ledger_test

import (
	"math"
	"testing"
	"time"

	"trustwatch/detect/ledger"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestBeta(t *testing.T) {
	tests := []struct {
		name         string
		b            ledger.Beta
		wantE, wantR float64
	}{
		// (9)/(12) and (6)/(12).
		{"8 confirm 2 contradict", ledger.Beta{R: 8, S: 2}, 0.75, 0.5},
		{"nothing known", ledger.Beta{}, 0.5, 0},
		{"2 contradict", ledger.Beta{S: 2}, 0.25, -0.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if e := tt.b.E(); !near(e, tt.wantE, 1e-12) {
				t.Errorf("E = %v, want %v", e, tt.wantE)
			}
			if r := tt.b.Rep(); !near(r, tt.wantR, 1e-12) {
				t.Errorf("Rep = %v, want %v", r, tt.wantR)
			}
		})
	}
}

// TestBetaForgetting: λ=0.9 over +,+,−,+.
// r: 1, 1.9, 1.71, 2.539; s: 0, 0, 1, 0.9; E = 3.539/5.439 ≈ 0.6507.
func TestBetaForgetting(t *testing.T) {
	var b ledger.Beta
	for _, confirm := range []bool{true, true, false, true} {
		if confirm {
			b = b.Observe(1, 0, 0.9)
		} else {
			b = b.Observe(0, 1, 0.9)
		}
	}
	if !near(b.R, 2.539, 1e-9) || !near(b.S, 0.9, 1e-9) {
		t.Fatalf("r, s = %v, %v; want 2.539, 0.9", b.R, b.S)
	}
	if e := b.E(); !near(e, 0.6507, 5e-5) {
		t.Fatalf("E = %v, want ≈0.6507", e)
	}
}

func TestDecayFactor(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		dt, hl time.Duration
		want   float64
	}{
		{30 * day, 30 * day, 0.5},
		{60 * day, 30 * day, 0.25},
		{0, 30 * day, 1},
		{10 * day, 0, 1},
	}
	for _, tt := range tests {
		if got := ledger.DecayFactor(tt.dt, tt.hl); !near(got, tt.want, 1e-12) {
			t.Errorf("DecayFactor(%v, %v) = %v, want %v", tt.dt, tt.hl, got, tt.want)
		}
	}
}

func TestStatus(t *testing.T) {
	tests := []struct {
		name           string
		b              ledger.Beta
		n              int
		beforeDelivery bool
		want           string
	}{
		{"before delivery", ledger.Beta{S: 9}, 9, true, ledger.StatusOpen},
		{"too little evidence", ledger.Beta{S: 2}, 2, false, ledger.StatusOpen},
		{"repaid", ledger.Beta{R: 8, S: 2}, 10, false, ledger.StatusRepaid},    // Rep 0.5
		{"repaying", ledger.Beta{R: 3, S: 1}, 4, false, ledger.StatusRepaying}, // Rep 0.333
		{"disputed", ledger.Beta{R: 3, S: 3}, 6, false, ledger.StatusDisputed},
		{"defaulting", ledger.Beta{R: 1, S: 3}, 4, false, ledger.StatusDefaulting}, // Rep −0.333
		{"defaulted", ledger.Beta{S: 3}, 3, false, ledger.StatusDefaulted},         // Rep −0.6
		{"faded", ledger.Beta{R: 0.2, S: 0.2}, 5, false, ledger.StatusOpen},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, _ := ledger.Status(tt.b, tt.n, 3, tt.beforeDelivery); got != tt.want {
				t.Errorf("Status = %s, want %s (Rep %.3f)", got, tt.want, tt.b.Rep())
			}
		})
	}
}
