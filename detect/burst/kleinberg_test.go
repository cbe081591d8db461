package burst_test

import (
	"math"
	"slices"
	"testing"

	"trustwatch/detect/burst"
)

func TestKleinberg(t *testing.T) {
	hundred := func(n int) []int {
		d := make([]int, n)
		for i := range d {
			d[i] = 100
		}
		return d
	}
	tests := []struct {
		name   string
		r, d   []int
		states int
		want   []int
		bursts []burst.Interval
	}{
		{
			// The test vector. Weight by hand: p0 = 165/1000, p1 = 0.33,
			// Σ over t=3..5 of r·ln2 + (100−r)·ln(0.67/0.835) = 5.383+9.951+5.383.
			name:   "issue vector",
			r:      []int{10, 10, 10, 30, 35, 30, 10, 10, 10, 10},
			d:      hundred(10),
			states: 2,
			want:   []int{0, 0, 0, 1, 1, 1, 0, 0, 0, 0},
			bursts: []burst.Interval{{Level: 1, Start: 3, End: 5, Weight: 20.717}},
		},
		{
			name:   "flat series has no burst",
			r:      []int{10, 10, 10, 10, 10, 10},
			d:      hundred(6),
			states: 2,
			want:   []int{0, 0, 0, 0, 0, 0},
		},
		{
			name:   "no events",
			r:      []int{0, 0, 0},
			d:      hundred(3),
			states: 3,
			want:   []int{0, 0, 0},
		},
		{
			// A single bump of 14 vs 10 is not worth the ln(10) entry cost.
			name:   "small bump stays in base state",
			r:      []int{10, 10, 10, 14, 10, 10, 10, 10, 10, 10},
			d:      hundred(10),
			states: 2,
			want:   []int{0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
		},
		{
			name:   "period without documents costs nothing",
			r:      []int{1, 1, 0, 30, 30, 1, 1},
			d:      []int{100, 100, 0, 100, 100, 100, 100},
			states: 2,
			want:   []int{0, 0, 0, 1, 1, 0, 0},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, bursts := burst.Kleinberg(tt.r, tt.d, 2, 1, tt.states)
			if !slices.Equal(got, tt.want) {
				t.Fatalf("states = %v, want %v", got, tt.want)
			}
			if tt.bursts == nil {
				return
			}
			if len(bursts) != len(tt.bursts) {
				t.Fatalf("bursts = %+v, want %+v", bursts, tt.bursts)
			}
			for i, b := range bursts {
				w := tt.bursts[i]
				if b.Level != w.Level || b.Start != w.Start || b.End != w.End || math.Abs(b.Weight-w.Weight) > 5e-4 {
					t.Errorf("burst %d = %+v, want %+v", i, b, w)
				}
			}
		})
	}
}

// TestKleinbergNested: 30 quiet periods at 5/1000 around shoulders of 22
// and a peak of 60: p0 ≈ 0.0092, so 22 is nearest state 1 (0.018) and 60
// nearest state 2 (0.037); the level-2 run nests inside the level-1 run.
func TestKleinbergNested(t *testing.T) {
	r, d := make([]int, 34), make([]int, 34)
	for i := range r {
		r[i], d[i] = 5, 1000
	}
	r[15], r[16], r[17], r[18] = 22, 60, 60, 22
	states, bursts := burst.Kleinberg(r, d, 2, 1, 3)
	if got := states[14:20]; !slices.Equal(got, []int{0, 1, 2, 2, 1, 0}) {
		t.Fatalf("states[14:20] = %v, want [0 1 2 2 1 0]", got)
	}
	if len(bursts) != 2 {
		t.Fatalf("bursts = %+v, want a level-1 run 15..18 and a level-2 run 16..17", bursts)
	}
	if b := bursts[0]; b.Level != 1 || b.Start != 15 || b.End != 18 || b.Weight <= 0 {
		t.Errorf("level-1 burst = %+v, want 15..18 with positive weight", b)
	}
	if b := bursts[1]; b.Level != 2 || b.Start != 16 || b.End != 17 || b.Weight <= 0 {
		t.Errorf("level-2 burst = %+v, want 16..17 with positive weight", b)
	}
}

// TestKleinbergIsOptimal checks the Viterbi path against an exhaustive
// search over every state sequence, which a greedy port fails: its path
// costs more than the minimum.
func TestKleinbergIsOptimal(t *testing.T) {
	series := [][]int{
		{10, 10, 10, 30, 35, 30, 10, 10, 10, 10},
		{3, 9, 2, 14, 3, 18, 17, 2, 9, 1},
		{0, 0, 25, 0, 0, 26, 0, 0, 24, 0},
		{12, 13, 30, 11, 29, 31, 12, 60, 59, 12},
	}
	for _, r := range series {
		d := make([]int, len(r))
		for i := range d {
			d[i] = 100
		}
		for _, k := range []int{2, 3} {
			got, _ := burst.Kleinberg(r, d, 2, 1, k)
			best := math.Inf(1)
			var bestPath []int
			path := make([]int, len(r))
			var walk func(t int)
			walk = func(t int) {
				if t == len(r) {
					if c := pathCost(r, d, path, k); c < best-1e-9 {
						best, bestPath = c, slices.Clone(path)
					}
					return
				}
				for s := range k {
					path[t] = s
					walk(t + 1)
				}
			}
			walk(0)
			if c := pathCost(r, d, got, k); math.Abs(c-best) > 1e-9 {
				t.Errorf("r=%v k=%d: path %v costs %.4f, optimum %v costs %.4f", r, k, got, c, bestPath, best)
			}
		}
	}
}

// pathCost is the automaton's cost written out independently of the
// package: emission −ln(p^r (1−p)^(d−r)), entry (j−i)·ln n, from state 0.
func pathCost(r, d, path []int, k int) float64 {
	var sr, sd float64
	for i := range r {
		sr += float64(r[i])
		sd += float64(d[i])
	}
	c, prev := 0.0, 0
	for t, s := range path {
		p := math.Min(sr/sd*math.Pow(2, float64(s)), 0.9999)
		c -= float64(r[t])*math.Log(p) + float64(d[t]-r[t])*math.Log(1-p)
		if s > prev {
			c += float64(s-prev) * math.Log(float64(len(r)))
		}
		prev = s
	}
	return c
}

func BenchmarkKleinberg(b *testing.B) {
	r := make([]int, 2000)
	d := make([]int, 2000)
	for i := range r {
		d[i] = 1000
		r[i] = 10 + (i%97)/10
	}
	for b.Loop() {
		burst.Kleinberg(r, d, 2, 1, 3)
	}
}
