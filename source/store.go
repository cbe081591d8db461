package source

import (
	"context"
	"time"

	"trustwatch"
	"trustwatch/ingest"
)

// Store is what sources commit to; the SQLite store implements it.
type Store interface {
	CommitSource(ctx context.Context, c trustwatch.SourceCommit) (stored, duplicates int, err error)
	SourceFiles(ctx context.Context, source string) (map[string]trustwatch.SourceFile, error)
	FeedState(ctx context.Context, source string) (trustwatch.FeedState, error)
}

// Result is what one round of one source did. Earliest is the time of the
// oldest record in a commit that stored something: the detectors need to
// look again from its day on. Skipped says the round did not run (a feed
// backing off).
type Result struct {
	trustwatch.SourceRound
	Earliest time.Time
	Skipped  bool
}

// commit analyses the items and writes sc, counting into res. The commit
// runs to its end even when ctx is cancelled (SIGTERM finishes the
// transaction); a failed commit counts its records as failed.
func commit(ctx context.Context, st Store, an *ingest.Analyzer, res *Result, sc trustwatch.SourceCommit) error {
	if an != nil {
		an.AnalyzeAll(sc.Items, 2)
	}
	n := len(sc.Items) + len(sc.Points) + len(sc.Events)
	stored, dup, err := st.CommitSource(context.WithoutCancel(ctx), sc)
	if err != nil {
		res.Failed += n + len(sc.Quarantine)
		return err
	}
	res.Stored += stored
	res.Duplicates += dup
	res.Quarantined += len(sc.Quarantine)
	if stored > 0 {
		for _, t := range recordTimes(sc) {
			if res.Earliest.IsZero() || t.Before(res.Earliest) {
				res.Earliest = t
			}
		}
	}
	return nil
}

func recordTimes(sc trustwatch.SourceCommit) []time.Time {
	var ts []time.Time
	for _, it := range sc.Items {
		ts = append(ts, it.Time)
	}
	for _, p := range sc.Points {
		ts = append(ts, p.Time)
	}
	for _, e := range sc.Events {
		ts = append(ts, e.Time)
	}
	return ts
}

func clock(now func() time.Time) time.Time {
	if now != nil {
		return now()
	}
	return time.Now()
}
