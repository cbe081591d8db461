package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"trustwatch"
)

// Compile-time check that DB keeps source rounds. That it is also a
// source.Store, an ingest.RetagStore and a monitor.PendingStore is checked
// in the tests: those packages are heavier than a store should import.
var _ trustwatch.SourceStore = (*DB)(nil)

// CommitSource writes what one read of a source produced and how far it
// read, in one transaction: quarantine records, items (with rollups),
// points, events, the detectors' pending mark, the file's position and the
// feed's validators. Either all of it is stored or none, so a crash between
// two reads neither loses the records behind a position nor reads them
// twice into new rows (they would be duplicates anyway). It returns the
// counts PutItems, PutPoints and PutEvents would, summed. Items go through
// PutItems' path (staging, identity claiming, rollups); their partitions
// are made before the transaction.
func (db *DB) CommitSource(ctx context.Context, c trustwatch.SourceCommit) (stored, duplicates int, err error) {
	var items *itemBatch
	if len(c.Items) > 0 {
		if items, err = db.prepareItems(ctx, c.Items); err != nil {
			return 0, 0, err
		}
	}
	if err := checkPoints(c.Points); err != nil {
		return 0, 0, err
	}
	if err := checkEvents(c.Events); err != nil {
		return 0, 0, err
	}
	now := db.now()
	err = db.update(ctx, "commit source", func(tx pgx.Tx) error {
		stored = 0
		if len(c.Quarantine) > 0 {
			if _, err := putQuarantine(ctx, tx, c.Quarantine, now); err != nil {
				return err
			}
		}
		if items != nil {
			n, err := items.put(ctx, tx)
			if err != nil {
				return err
			}
			stored += n
		}
		if len(c.Points) > 0 {
			n, err := putPoints(ctx, tx, c.Points)
			if err != nil {
				return err
			}
			stored += n
		}
		if len(c.Events) > 0 {
			n, err := putEvents(ctx, tx, c.Events)
			if err != nil {
				return err
			}
			stored += n
		}
		// As in the SQLite store: a commit that stored anything and read
		// items widens the window to its oldest item.
		if stored > 0 && len(c.Items) > 0 {
			if err := markPending(ctx, tx, trustwatch.OldestTime(c.Items)); err != nil {
				return err
			}
		}
		if f := c.File; f != nil {
			if _, err := tx.Exec(ctx, `INSERT INTO source_files (source, path, "offset", size, mtime, lines, sum)
				VALUES ($1, $2, $3, $4, $5, $6, $7)
				ON CONFLICT (source, path) DO UPDATE SET "offset" = excluded."offset", size = excluded.size,
					mtime = excluded.mtime, lines = excluded.lines, sum = excluded.sum`,
				f.Source, f.Path, f.Offset, f.Size, f.ModTime.UnixNano(), f.Lines, f.Sum); err != nil {
				return err
			}
		}
		if f := c.Feed; f != nil {
			if _, err := tx.Exec(ctx, `INSERT INTO source_feeds (source, etag, last_modified) VALUES ($1, $2, $3)
				ON CONFLICT (source) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified`,
				f.Source, f.ETag, f.LastModified); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	return stored, len(c.Items) + len(c.Points) + len(c.Events) - stored, nil
}

// SourceFiles returns the positions of a dir source's files by path.
func (db *DB) SourceFiles(ctx context.Context, source string) (map[string]trustwatch.SourceFile, error) {
	rows, err := db.pool.Query(ctx, `SELECT path, "offset", size, mtime, lines, sum FROM source_files WHERE source = $1`, source)
	if err != nil {
		return nil, wrap("source files", err)
	}
	defer rows.Close()
	out := map[string]trustwatch.SourceFile{}
	for rows.Next() {
		f := trustwatch.SourceFile{Source: source}
		var mtime int64
		if err := rows.Scan(&f.Path, &f.Offset, &f.Size, &mtime, &f.Lines, &f.Sum); err != nil {
			return nil, wrap("source files", err)
		}
		f.ModTime = time.Unix(0, mtime).UTC()
		out[f.Path] = f
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("source files", err)
	}
	return out, nil
}

// FeedState returns a feed source's validators; none yet is the zero state.
func (db *DB) FeedState(ctx context.Context, source string) (trustwatch.FeedState, error) {
	st := trustwatch.FeedState{Source: source}
	err := db.pool.QueryRow(ctx, `SELECT etag, last_modified FROM source_feeds WHERE source = $1`, source).
		Scan(&st.ETag, &st.LastModified)
	if err != nil && err != pgx.ErrNoRows {
		return st, wrap("feed state", err)
	}
	return st, nil
}

// PutSourceRound adds a round to the history. Started is kept to the
// microsecond, as timestamptz keeps times.
func (db *DB) PutSourceRound(ctx context.Context, r trustwatch.SourceRound) error {
	_, err := db.pool.Exec(ctx, `INSERT INTO source_rounds (source, kind, started, duration, read, stored,
		duplicates, quarantined, failed, error) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		r.Source, r.Kind, r.Started.UTC(), int64(r.Duration), r.Read, r.Stored, r.Duplicates,
		r.Quarantined, r.Failed, r.Err)
	return wrap("put source round", err)
}

// SourceRounds returns the matching rounds, oldest first; with f.Limit,
// the newest f.Limit of them.
func (db *DB) SourceRounds(ctx context.Context, f trustwatch.SourceRoundFilter) ([]trustwatch.SourceRound, error) {
	var a args
	var conds []string
	if f.Source != "" {
		conds = append(conds, "source = "+a.add(f.Source))
	}
	if !f.Since.IsZero() {
		conds = append(conds, "started >= "+a.add(f.Since.UTC()))
	}
	// Newest first for the limit, then turned round: callers read
	// history forwards.
	rows, err := db.pool.Query(ctx, `SELECT * FROM (
		SELECT source, kind, started, duration, read, stored, duplicates, quarantined, failed, error, id
		FROM source_rounds`+whereClause(conds)+` ORDER BY started DESC, id DESC`+limitOffset(f.Limit, 0)+`) r
		ORDER BY started, id`, a...)
	if err != nil {
		return nil, wrap("source rounds", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (trustwatch.SourceRound, error) {
		var r trustwatch.SourceRound
		var dur, id int64
		err := row.Scan(&r.Source, &r.Kind, &r.Started, &dur, &r.Read, &r.Stored, &r.Duplicates,
			&r.Quarantined, &r.Failed, &r.Err, &id)
		r.Started, r.Duration = r.Started.UTC(), time.Duration(dur)
		return r, err
	})
	if err != nil {
		return nil, wrap("source rounds", err)
	}
	return out, nil
}

// markPending widens the detectors' pending window to t (to the second,
// as the SQLite store keeps it) and bumps its sequence number.
func markPending(ctx context.Context, tx pgx.Tx, t time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO detect_pending AS p (id, since, seq) VALUES (1, $1, 1)
		ON CONFLICT (id) DO UPDATE SET since = least(p.since, excluded.since), seq = p.seq + 1`, utc(t))
	return err
}

// MarkPending widens the window the daemon's next detector pass must cover
// to t's time (a push, whose items were stored by another transaction).
func (db *DB) MarkPending(ctx context.Context, t time.Time) error {
	return db.update(ctx, "mark pending", func(tx pgx.Tx) error { return markPending(ctx, tx, t) })
}

// Pending returns the oldest time the detectors still have to look at, and
// the mark's sequence number; ok is false when nothing is pending.
func (db *DB) Pending(ctx context.Context) (since time.Time, seq int64, ok bool, err error) {
	err = db.pool.QueryRow(ctx, `SELECT since, seq FROM detect_pending WHERE id = 1`).Scan(&since, &seq)
	if err == pgx.ErrNoRows {
		return time.Time{}, 0, false, nil
	} else if err != nil {
		return time.Time{}, 0, false, wrap("pending", err)
	}
	return since.UTC(), seq, true, nil
}

// ClearPending removes the mark a completed pass covered, unless data came
// in since (its seq changed).
func (db *DB) ClearPending(ctx context.Context, seq int64) error {
	_, err := db.pool.Exec(ctx, `DELETE FROM detect_pending WHERE id = 1 AND seq = $1`, seq)
	return wrap("clear pending", err)
}
