package trustwatch

import "time"

// SourceRound is what one round of `trustwatch run` did with one source.
type SourceRound struct {
	Source      string        `json:"source"`
	Kind        string        `json:"kind"`
	Started     time.Time     `json:"started"`
	Duration    time.Duration `json:"duration"`
	Read        int           `json:"read"`
	Stored      int           `json:"stored"`
	Duplicates  int           `json:"duplicates"`
	Quarantined int           `json:"quarantined"`
	// Err is why the round failed (a fetch error, an unreadable file); "" when it did not.
	Err string `json:"error,omitempty"`
}

// RoundRecorder is told of every round, e.g. to count it for /metrics.
type RoundRecorder interface {
	Round(SourceRound)
}
