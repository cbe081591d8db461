package trustwatch

import (
	"context"
	"time"
)

// ItemStore keeps items with their analysis, the rollups derived from them
// and a word index over their segmented text.
type ItemStore interface {
	// PutItems stores the items that are not stored yet (same Platform and
	// ID) and updates the rollups in the same transaction. It returns how
	// many were stored and how many were already there.
	PutItems(ctx context.Context, items []Item) (stored, duplicates int, err error)

	// FindItems returns the items matching the filter and the total number
	// of matches (ignoring Offset and Limit). Items come back with their
	// analysis but without Tokens: words are indexed for Query, not kept.
	FindItems(ctx context.Context, f ItemFilter) ([]Item, int, error)

	// ItemByID returns the item with the given ID, or ENOTFOUND.
	ItemByID(ctx context.Context, id string) (*Item, error)

	// EachItem calls fn for every matching item in time order, streaming,
	// without loading them all. Offset and Limit are honoured.
	EachItem(ctx context.Context, f ItemFilter, fn func(*Item) error) error

	// Volume returns the rollup series; periods without items are absent.
	Volume(ctx context.Context, f VolumeFilter) ([]VolumePoint, error)

	// Breakdown returns the volume over [From, To) grouped by "platform",
	// "entity", "kind" or "aspect" (the latter for Entity if set).
	Breakdown(ctx context.Context, by string, f VolumeFilter) ([]VolumeBreakdown, error)

	// Span returns the times of the oldest and newest stored items.
	Span(ctx context.Context) (first, last time.Time, n int64, err error)
}

// QuarantineStore keeps input that could not be read. PutQuarantine is
// idempotent (same file, line, reason and raw bytes: one record) and says
// how many records were new and how many were kept already.
type QuarantineStore interface {
	PutQuarantine(ctx context.Context, q []Quarantined) (stored, duplicates int, err error)
	FindQuarantine(ctx context.Context, f QuarantineFilter) ([]Quarantined, int, error)
}

// SeriesStore keeps metric points. Putting a point that exists (same series
// and time, and batch) replaces its value: re-ingesting changes nothing.
type SeriesStore interface {
	PutPoints(ctx context.Context, pts []Point) (stored, duplicates int, err error)
	Points(ctx context.Context, f PointFilter) ([]Point, error)
	SeriesIDs(ctx context.Context) ([]string, error)
}

// EventStore keeps events (lawsuits, recalls ...). Identity is the Event's ID.
type EventStore interface {
	PutEvents(ctx context.Context, evs []Event) (stored, duplicates int, err error)
	FindEvents(ctx context.Context, f EventFilter) ([]Event, error)
}

// AlertStore keeps alerts.
type AlertStore interface {
	// PutAlert inserts the alert, or replaces the one with the same ID.
	PutAlert(ctx context.Context, a *Alert) error
	FindAlerts(ctx context.Context, f AlertFilter) ([]Alert, int, error)
	// UpdateAlert acknowledges or resolves an alert; ENOTFOUND if absent.
	UpdateAlert(ctx context.Context, id string, u AlertUpdate) (*Alert, error)
}

// Store is everything trustwatch keeps. The SQLite store (the default) and
// the PostgreSQL store implement it, and both pass storetest.
type Store interface {
	ItemStore
	QuarantineStore
	SeriesStore
	EventStore
	AlertStore
	Close() error
}

// Segmenter cuts normalised text into words. A better segmenter must be a
// drop-in replacement.
type Segmenter interface {
	Cut(text string) []string
}

// ResultStore keeps results computed ahead of the pages that show them
// (the ledger, a claim's evidence, a voice profile, the report), so that
// the first look after a restart reads a stored result instead of
// computing it again. A result is opaque bytes under a key, saved with the
// version of the data it was computed from: the caller compares versions,
// the store does not interpret them. The SQLite and PostgreSQL stores
// implement it; package results says what the keys and versions are.
type ResultStore interface {
	// SaveResult stores data under key, replacing what was there.
	SaveResult(ctx context.Context, key, version string, data []byte) error
	// Result returns the version and data saved under key, or ENOTFOUND.
	Result(ctx context.Context, key string) (version string, data []byte, err error)
}
