package burst

import "math"

// PoissonTail returns P(X ≥ x) for X ~ Poisson(lambda): how surprising it
// is to see x or more events when lambda are expected.
func PoissonTail(x int, lambda float64) float64 {
	if x <= 0 {
		return 1
	}
	if lambda <= 0 {
		return 0
	}
	logTerm := func(k int) float64 {
		lg, _ := math.Lgamma(float64(k) + 1)
		return -lambda + float64(k)*math.Log(lambda) - lg
	}
	if float64(x) <= lambda {
		// Upper tail is large: 1 − P(X ≤ x−1), summed from below.
		sum := 0.0
		for k := 0; k < x; k++ {
			sum += math.Exp(logTerm(k))
		}
		return math.Max(0, 1-sum)
	}
	// Terms fall from k = x on; sum until they stop mattering.
	sum := 0.0
	for k := x; ; k++ {
		term := math.Exp(logTerm(k))
		sum += term
		if term < sum*1e-15 || k > x+100000 {
			break
		}
	}
	return math.Min(1, sum)
}

// Window compares a current window with the trailing baseline just before
// it: Count events in Current against Baseline events in a baseline span
// Span times longer.
type Window struct {
	Count    int
	Baseline int
	// Span is the baseline span divided by the current span (12 for the
	// last hour against the previous 12 hours, 14 for a day against 14 days).
	Span float64
}

// Expected is the count the baseline predicts for the current window, with
// one pseudo-event added to the baseline so that a silent baseline does not
// make every event infinitely surprising.
func (w Window) Expected() float64 {
	span := w.Span
	if span <= 0 {
		span = 1
	}
	return (float64(w.Baseline) + 1) / span
}

// Ratio is the current count over the expected count.
func (w Window) Ratio() float64 { return float64(w.Count) / w.Expected() }

// PValue is the Poisson surprise of the current count against the baseline.
func (w Window) PValue() float64 { return PoissonTail(w.Count, w.Expected()) }

// Thresholds decide when a window is a spike.
type Thresholds struct {
	MinCount int     // fewer events never alarm
	Ratio    float64 // current / expected at least this
	PValue   float64 // Poisson tail at most this
}

// Default spike thresholds. Five items is a small count on purpose: a
// hot-search title stands for a whole trending topic, and a crisis's first
// day there has a handful of them against a baseline near zero; the ratio
// and the Poisson tail, not the count, keep large streams quiet. The tail
// is 1e-4, not the usual 1e-3, because every day tests each entity and
// each of its aspects in two windows: some hundred tests a day, among which
// 1e-3 would let a chance spike through every few days.
var DefaultThresholds = Thresholds{MinCount: 5, Ratio: 3, PValue: 1e-4}

// VolumeSpike reports whether the window's count is a spike: at least
// MinCount events, Ratio times the baseline's rate and a Poisson tail at or
// below PValue.
func (th Thresholds) VolumeSpike(w Window) bool {
	th = th.withDefaults()
	return w.Count >= th.MinCount && w.Ratio() >= th.Ratio && w.PValue() <= th.PValue
}

// Share is the negative share of a current window against its baseline.
type Share struct {
	Neg, Total                 int // current window
	BaselineNeg, BaselineTotal int
}

// BaselineShare is the baseline's negative share, smoothed towards one half
// by one pseudo-item each way so that an empty baseline is not 0.
func (s Share) BaselineShare() float64 {
	return (float64(s.BaselineNeg) + 1) / (float64(s.BaselineTotal) + 2)
}

// CurrentShare is the current negative share, 0 without items.
func (s Share) CurrentShare() float64 {
	if s.Total == 0 {
		return 0
	}
	return float64(s.Neg) / float64(s.Total)
}

// Expected is how many negative items the baseline share predicts among the
// current window's items.
func (s Share) Expected() float64 { return float64(s.Total) * s.BaselineShare() }

// PValue is the Poisson surprise of the negative count against Expected.
func (s Share) PValue() float64 { return PoissonTail(s.Neg, s.Expected()) }

// minShareRise is how far the negative share must rise (absolute), so that
// a large, steady audience does not alarm on a statistically significant
// but meaningless 2-point wobble.
const minShareRise = 0.10

// SentimentSpike reports whether the negative share rose: at least MinCount
// negative items, a share Ratio/2 (at least 1.5) times the baseline's and
// 10 points above it, and a Poisson tail at or below PValue.
func (th Thresholds) SentimentSpike(s Share) bool {
	th = th.withDefaults()
	cur, base := s.CurrentShare(), s.BaselineShare()
	return s.Neg >= th.MinCount && cur >= base*math.Max(1.5, th.Ratio/2) &&
		cur-base >= minShareRise && s.PValue() <= th.PValue
}

func (th Thresholds) withDefaults() Thresholds {
	if th.MinCount <= 0 {
		th.MinCount = DefaultThresholds.MinCount
	}
	if th.Ratio <= 0 {
		th.Ratio = DefaultThresholds.Ratio
	}
	if th.PValue <= 0 {
		th.PValue = DefaultThresholds.PValue
	}
	return th
}
