package ledger

import (
	"math"
	"strconv"
	"time"
)

// Beta is a Beta reputation: R is the confirming weight, S the
// contradicting weight, both after forgetting.
type Beta struct {
	R float64 `json:"r"`
	S float64 `json:"s"`
}

// E is the expected probability that the claim holds, (r+1)/(r+s+2).
func (b Beta) E() float64 { return (b.R + 1) / (b.R + b.S + 2) }

// Rep is the reputation in [-1, 1], (r−s)/(r+s+2).
func (b Beta) Rep() float64 { return (b.R - b.S) / (b.R + b.S + 2) }

// Decay forgets: both weights are multiplied by f (0 < f ≤ 1).
func (b Beta) Decay(f float64) Beta { return Beta{R: b.R * f, S: b.S * f} }

// Observe forgets by lambda and then adds one observation's confirming and
// contradicting weight: r ← λr + confirm, s ← λs + contradict.
func (b Beta) Observe(confirm, contradict, lambda float64) Beta {
	b = b.Decay(lambda)
	b.R += confirm
	b.S += contradict
	return b
}

// DecayFactor is how much of a weight is left after dt with the given
// half-life: 0.5^(dt/halfLife). A non-positive half-life never forgets.
func DecayFactor(dt, halfLife time.Duration) float64 {
	if halfLife <= 0 || dt <= 0 {
		return 1
	}
	return math.Pow(0.5, float64(dt)/float64(halfLife))
}

// Claim statuses.
const (
	StatusOpen       = "open"
	StatusRepaying   = "repaying"
	StatusRepaid     = "repaid"
	StatusDisputed   = "disputed"
	StatusDefaulting = "defaulting"
	StatusDefaulted  = "defaulted"
)

// Status thresholds on Rep. Rep weighs both direction and mass: two
// contradicting items and none confirming give −0.5.
const (
	repRepaid     = 0.5
	repRepaying   = 0.15
	repDefault    = -0.5
	repDefaulting = -0.15
	// minDisputedMass is the recent weight r+s below which a balanced
	// claim is "open" (its evidence has faded), not "disputed".
	minDisputedMass = 1.0
)

// Status says where a claim stands, and why when it is open: before
// delivery, or with fewer than minEvidence distinct evidence items (n), or
// with faded evidence.
func Status(b Beta, n, minEvidence int, beforeDelivery bool) (status, note string) {
	switch rep := b.Rep(); {
	case beforeDelivery:
		return StatusOpen, "交付之前 (before delivery)"
	case n < minEvidence:
		return StatusOpen, "证据不足 (not enough evidence): " + strconv.Itoa(n) + " < " + strconv.Itoa(minEvidence)
	case rep >= repRepaid:
		return StatusRepaid, ""
	case rep >= repRepaying:
		return StatusRepaying, ""
	case rep <= repDefault:
		return StatusDefaulted, ""
	case rep <= repDefaulting:
		return StatusDefaulting, ""
	case b.R+b.S >= minDisputedMass:
		return StatusDisputed, ""
	}
	return StatusOpen, "证据已淡化 (evidence faded): r+s < 1"
}
