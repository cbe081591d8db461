package burst

import "math"

// Interval is a burst: the periods Start..End (inclusive) spent at Level or
// above. Weight is how much cheaper the data is to explain at Level than at
// Level-1 over those periods (Kleinberg's burst weight, in nats).
type Interval struct {
	Level  int     `json:"level"`
	Start  int     `json:"start"`
	End    int     `json:"end"`
	Weight float64 `json:"weight"`
}

// Default parameters of the batched automaton, as in Kleinberg (2002).
const (
	DefaultS     = 2.0
	DefaultGamma = 1.0
)

// maxRate keeps the top state's rate below 1 so its cost stays finite.
const maxRate = 0.9999

// Kleinberg runs the batched burst automaton on r[t] relevant events out of
// d[t] in each period. State i emits at rate p0·s^i, where p0 = Σr/Σd; moving
// up i→j costs (j−i)·γ·ln n (n periods), moving down is free, and the system
// starts in state 0. The state sequence is the exact minimum-cost path
// (Viterbi), not a greedy one. Periods with d[t] = 0 cost nothing in any
// state. It returns the states and, for every level ≥ 1, the maximal runs at
// that level or above with their weights, ordered by start then level.
//
// s ≤ 1 is replaced by DefaultS, gamma < 0 by DefaultGamma, and states < 2
// by 2. r and d must have the same length.
func Kleinberg(r, d []int, s, gamma float64, states int) ([]int, []Interval) {
	n := len(r)
	if n == 0 || len(d) != n {
		return nil, nil
	}
	if s <= 1 {
		s = DefaultS
	}
	if gamma < 0 {
		gamma = DefaultGamma
	}
	if states < 2 {
		states = 2
	}
	var sumR, sumD float64
	for t := range n {
		rt, dt := clampCounts(r[t], d[t])
		sumR += float64(rt)
		sumD += float64(dt)
	}
	path := make([]int, n)
	if sumR == 0 || sumD == 0 {
		return path, nil
	}
	p := make([]float64, states)
	for i := range p {
		p[i] = math.Min(sumR/sumD*math.Pow(s, float64(i)), maxRate)
	}
	cost := func(i, t int) float64 {
		rt, dt := clampCounts(r[t], d[t])
		return -(float64(rt)*math.Log(p[i]) + float64(dt-rt)*math.Log1p(-p[i]))
	}
	up := gamma * math.Log(float64(n))
	trans := func(i, j int) float64 {
		if j > i {
			return float64(j-i) * up
		}
		return 0
	}

	// Viterbi: best[j] is the cheapest cost of being in state j after
	// period t; from[t][j] the state at t−1 on that path.
	best := make([]float64, states)
	next := make([]float64, states)
	from := make([][]int, n)
	for j := range states {
		best[j] = trans(0, j) + cost(j, 0)
	}
	from[0] = make([]int, states)
	for t := 1; t < n; t++ {
		from[t] = make([]int, states)
		for j := range states {
			bi, bc := 0, math.Inf(1)
			for i := range states {
				if c := best[i] + trans(i, j); c < bc {
					bi, bc = i, c
				}
			}
			next[j] = bc + cost(j, t)
			from[t][j] = bi
		}
		best, next = next, best
	}
	last := 0
	for j := range states {
		if best[j] < best[last] {
			last = j
		}
	}
	for t := n - 1; t >= 0; t-- {
		path[t] = last
		last = from[t][last]
	}

	var bursts []Interval
	for t := 0; t < n; t++ {
		for level := 1; level <= path[t]; level++ {
			if t > 0 && path[t-1] >= level {
				continue // this run started earlier
			}
			end := t
			for end+1 < n && path[end+1] >= level {
				end++
			}
			w := 0.0
			for u := t; u <= end; u++ {
				w += cost(level-1, u) - cost(level, u)
			}
			bursts = append(bursts, Interval{Level: level, Start: t, End: end, Weight: w})
		}
	}
	return path, bursts
}

// clampCounts keeps 0 ≤ r ≤ d.
func clampCounts(r, d int) (int, int) {
	d = max(d, 0)
	return min(max(r, 0), d), d
}
