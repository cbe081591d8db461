package ledger

import (
	"time"

	"trustwatch"
)

// Defaults.
const (
	DefaultHalfLife       = 30 * 24 * time.Hour
	DefaultMinEvidence    = 3
	DefaultTopEvidence    = 5
	DefaultReactionWindow = 14 * 24 * time.Hour
)

// Options tune the ledger. The zero value uses the defaults; the package
// functions Evidence, Ledger and Detect use the zero value.
type Options struct {
	// Cut segments a claim's text into words for its default subject; nil
	// splits at punctuation only (give subjects in the watch file then).
	Cut func(string) []string
	// HalfLife is the default forgetting half-life; HalfLifeByKind
	// overrides it per claim kind, and a claim's own half_life overrides
	// both.
	HalfLife       time.Duration
	HalfLifeByKind map[string]time.Duration
	// MinEvidence is the number of distinct items with a stance a claim
	// needs before it leaves "open".
	MinEvidence int
	// TopEvidence is how many item ids a row lists.
	TopEvidence int
	// ReactionWindow is how long after an event items count as the
	// public's reaction to it.
	ReactionWindow time.Duration
	// Location is where days start; nil uses the watch file's time zone.
	Location *time.Location
}

func (o Options) withDefaults(w *trustwatch.Watch) Options {
	if o.HalfLife <= 0 {
		o.HalfLife = DefaultHalfLife
	}
	if o.MinEvidence <= 0 {
		o.MinEvidence = DefaultMinEvidence
	}
	if o.TopEvidence <= 0 {
		o.TopEvidence = DefaultTopEvidence
	}
	if o.ReactionWindow <= 0 {
		o.ReactionWindow = DefaultReactionWindow
	}
	if o.Location == nil {
		o.Location = trustwatch.DefaultLocation()
		if w != nil && w.Timezone != "" {
			if loc, err := time.LoadLocation(w.Timezone); err == nil {
				o.Location = loc
			}
		}
	}
	return o
}

// halfLife is the half-life that applies to c.
func (o Options) halfLife(c trustwatch.Claim) time.Duration {
	if c.HalfLife > 0 {
		return c.HalfLife.D()
	}
	if d, ok := o.HalfLifeByKind[c.Kind]; ok && d > 0 {
		return d
	}
	return o.HalfLife
}
