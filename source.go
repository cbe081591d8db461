package trustwatch

import (
	"context"
	"time"
)

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
	// Failed counts records read but not written (the store failed or the
	// round was stopped); they are read again next round.
	Failed int `json:"failed,omitempty"`
	// Err is why the round failed (a fetch error, an unreadable file); "" when it did not.
	Err string `json:"error,omitempty"`
}

// RoundRecorder is told of every round, e.g. to count it for /metrics.
type RoundRecorder interface {
	Round(SourceRound)
}

// SourceFile is how far a dir source has read one file: the file had Size
// bytes and ModTime when it was read up to Offset, the bytes before Offset
// hold Lines line ends and hash to Sum (hex SHA-256). The next round reads
// from Offset when the file only grew; when it shrank, or its first Offset
// bytes no longer hash to Sum, it was rewritten and is read again from 0.
type SourceFile struct {
	Source  string    `json:"source"`
	Path    string    `json:"path"`
	Offset  int64     `json:"offset"`
	Size    int64     `json:"size"`
	ModTime time.Time `json:"mod_time"`
	Lines   int       `json:"lines"`
	Sum     string    `json:"sum"`
}

// FeedState is what a feed source remembers between rounds for a
// conditional GET.
type FeedState struct {
	Source       string `json:"source"`
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
}

// SourceCommit is what one read of a source writes, in one transaction:
// the records it read and how far it read, so that the position never runs
// ahead of, or behind, the data it covers. File or Feed may be nil.
type SourceCommit struct {
	Items      []Item
	Points     []Point
	Events     []Event
	Quarantine []Quarantined
	File       *SourceFile
	Feed       *FeedState
}

// SourceRoundFilter selects rounds of one source (all when Source is "").
type SourceRoundFilter struct {
	Source string
	Since  time.Time // started at or after
	// Limit keeps the newest Limit rounds; 0 keeps all.
	Limit int
}

// SourceStore keeps the history of source rounds, which the source health
// detector (detect/health) reads through DetectInput.Sources.
type SourceStore interface {
	PutSourceRound(ctx context.Context, r SourceRound) error
	// SourceRounds returns the matching rounds, oldest first.
	SourceRounds(ctx context.Context, f SourceRoundFilter) ([]SourceRound, error)
}
