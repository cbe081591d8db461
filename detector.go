package trustwatch

import (
	"context"
	"time"
)

// Detector finds what deserves an alert in the stored data. Each one lives
// in its own package under detect/ and is listed once in detect.All.
type Detector interface {
	// Name is the detector's short name (spikes, terms, metric …).
	Name() string
	// Kinds lists every kind of finding it emits.
	Kinds() []DetectionKind
	// Detect reports the findings whose data falls in [in.From, in.To),
	// using the data before From as their baseline. A detector without
	// enough history says nothing rather than guess.
	Detect(ctx context.Context, in DetectInput) ([]Detection, error)
}

// DetectionKind describes one kind of finding.
type DetectionKind struct {
	Kind     string // e.g. volume.spike
	Label    string // what users read: 声量激增
	Severity string // the severity when neither the detector nor a rule sets one
	// Rule is the word a watch-file rule's detector field uses to run this
	// kind over a series ("low", "sla"); empty for kinds found in items,
	// which rules name by Kind.
	Rule string
}

// DetectInput is what a detector looks at.
type DetectInput struct {
	Items  ItemStore
	Events EventStore
	Series SeriesStore
	// Sources is the history of source rounds, for the source health
	// detector; nil (as in a batch analyze without rounds) says nothing.
	Sources SourceStore
	Watch   *Watch
	// Location cuts days; the watch file's zone.
	Location *time.Location
	// From and To bound the period reported on, [From, To). Zero From is
	// the first stored item; zero To is just past the newest.
	From, To time.Time
	// Known reports whether a word is in the segmenter's dictionary, so
	// that only unknown words are reported as new; nil knows none.
	Known func(string) bool
}

// ReplayStep is one instant at which a detector that looks at a window
// ending "now" is run, when it replays a period of history.
type ReplayStep struct {
	At     time.Time
	DayEnd bool // At closes a day (a midnight, or the end of the data)
}

// ReplayTimes returns the steps covering [from, to) in loc: the midnight
// closing every day from from's day on, then, when hourly, every hour of
// the last (partial) day, then to itself. Each finding of a replay so
// carries the day (or hour) it happened.
func ReplayTimes(from, to time.Time, loc *time.Location, hourly bool) []ReplayStep {
	if to.IsZero() || to.Before(from) {
		return nil
	}
	var steps []ReplayStep
	f := from.In(loc)
	day := time.Date(f.Year(), f.Month(), f.Day(), 0, 0, 0, 0, loc).AddDate(0, 0, 1)
	for ; !day.After(to); day = day.AddDate(0, 0, 1) {
		steps = append(steps, ReplayStep{At: day, DayEnd: true})
	}
	if hourly {
		for h := day.AddDate(0, 0, -1).Add(time.Hour); h.Before(to); h = h.Add(time.Hour) {
			steps = append(steps, ReplayStep{At: h})
		}
	}
	if len(steps) > 0 && steps[len(steps)-1].At.Equal(to) {
		return steps // to is a midnight, already closing its day
	}
	return append(steps, ReplayStep{At: to, DayEnd: true})
}
