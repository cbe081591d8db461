package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"trustwatch"
)

// Compile-time check that DB keeps source rounds.
var _ trustwatch.SourceStore = (*DB)(nil)

// CommitSource writes what one read of a source produced and how far it
// read, in one transaction: quarantine records, items (with rollups),
// points, events, the file's position and the feed's validators. Either
// all of it is stored or none, so a crash between two reads neither loses
// the records behind a position nor reads them twice into new rows (they
// would be duplicates anyway). It returns the counts PutItems, PutPoints
// and PutEvents would.
func (db *DB) CommitSource(ctx context.Context, c trustwatch.SourceCommit) (stored, duplicates int, err error) {
	if len(c.Items) > 0 {
		if err := db.syncRollupZone(ctx); err != nil {
			return 0, 0, err
		}
	}
	err = db.update(ctx, "commit source", func(tx *Tx) error {
		stored, duplicates = 0, 0
		if len(c.Quarantine) > 0 {
			if _, err := putQuarantine(ctx, tx, c.Quarantine); err != nil {
				return err
			}
		}
		for _, put := range []func() (int, int, error){
			func() (int, int, error) {
				if len(c.Items) == 0 {
					return 0, 0, nil
				}
				return putItems(ctx, tx, c.Items)
			},
			func() (int, int, error) { return putPoints(ctx, tx, c.Points) },
			func() (int, int, error) { return putEvents(ctx, tx, c.Events) },
		} {
			s, d, err := put()
			if err != nil {
				return err
			}
			stored, duplicates = stored+s, duplicates+d
		}
		if stored > 0 && len(c.Items) > 0 {
			if err := markPending(ctx, tx, trustwatch.OldestTime(c.Items)); err != nil {
				return err
			}
		}
		if f := c.File; f != nil {
			if _, err := tx.ExecContext(ctx, `INSERT INTO source_files (source, path, offset, size, mtime, lines, sum)
				VALUES (?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (source, path) DO UPDATE SET offset = excluded.offset, size = excluded.size,
					mtime = excluded.mtime, lines = excluded.lines, sum = excluded.sum`,
				f.Source, f.Path, f.Offset, f.Size, f.ModTime.UnixNano(), f.Lines, f.Sum); err != nil {
				return err
			}
		}
		if f := c.Feed; f != nil {
			if _, err := tx.ExecContext(ctx, `INSERT INTO source_feeds (source, etag, last_modified) VALUES (?, ?, ?)
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
	return stored, duplicates, nil
}

// SourceFiles returns the positions of a dir source's files by path.
func (db *DB) SourceFiles(ctx context.Context, source string) (map[string]trustwatch.SourceFile, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT path, offset, size, mtime, lines, sum FROM source_files WHERE source = ?`, source)
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
	return out, wrap("source files", rows.Err())
}

// FeedState returns a feed source's validators; none yet is the zero state.
func (db *DB) FeedState(ctx context.Context, source string) (trustwatch.FeedState, error) {
	st := trustwatch.FeedState{Source: source}
	rows, err := db.db.QueryContext(ctx, `SELECT etag, last_modified FROM source_feeds WHERE source = ?`, source)
	if err != nil {
		return st, wrap("feed state", err)
	}
	defer rows.Close()
	if rows.Next() {
		if err := rows.Scan(&st.ETag, &st.LastModified); err != nil {
			return st, wrap("feed state", err)
		}
	}
	return st, wrap("feed state", rows.Err())
}

// PutSourceRound adds a round to the history.
func (db *DB) PutSourceRound(ctx context.Context, r trustwatch.SourceRound) error {
	return db.update(ctx, "put source round", func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO source_rounds (source, kind, started, duration, read, stored,
			duplicates, quarantined, failed, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.Source, r.Kind, r.Started.UnixNano(), int64(r.Duration), r.Read, r.Stored, r.Duplicates,
			r.Quarantined, r.Failed, r.Err)
		return err
	})
}

// SourceRounds returns the matching rounds, oldest first.
func (db *DB) SourceRounds(ctx context.Context, f trustwatch.SourceRoundFilter) ([]trustwatch.SourceRound, error) {
	var conds []string
	var args []any
	if f.Source != "" {
		conds = append(conds, "source = ?")
		args = append(args, f.Source)
	}
	if !f.Since.IsZero() {
		conds = append(conds, "started >= ?")
		args = append(args, f.Since.UnixNano())
	}
	q := `SELECT source, kind, started, duration, read, stored, duplicates, quarantined, failed, error
		FROM source_rounds` + whereClause(conds) + ` ORDER BY started DESC, id DESC` + limitOffset(f.Limit, 0)
	rows, err := db.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, wrap("source rounds", err)
	}
	defer rows.Close()
	var out []trustwatch.SourceRound
	for rows.Next() {
		var r trustwatch.SourceRound
		var started, dur int64
		if err := rows.Scan(&r.Source, &r.Kind, &started, &dur, &r.Read, &r.Stored, &r.Duplicates,
			&r.Quarantined, &r.Failed, &r.Err); err != nil {
			return nil, wrap("source rounds", err)
		}
		r.Started, r.Duration = time.Unix(0, started).UTC(), time.Duration(dur)
		out = append(out, r)
	}
	// Newest first was for the limit; callers read history forwards.
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, wrap("source rounds", rows.Err())
}

// markPending widens the detectors' pending window to t.
func markPending(ctx context.Context, tx *Tx, t time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO detect_pending (id, since, seq) VALUES (1, ?, 1)
		ON CONFLICT (id) DO UPDATE SET since = min(since, excluded.since), seq = seq + 1`, t.Unix())
	return err
}

// MarkPending widens the window the daemon's next detector pass must cover
// to t's time (a push, whose items were stored by another transaction).
func (db *DB) MarkPending(ctx context.Context, t time.Time) error {
	return db.update(ctx, "mark pending", func(tx *Tx) error { return markPending(ctx, tx, t) })
}

// Pending returns the oldest time the detectors still have to look at, and
// the mark's sequence number; ok is false when nothing is pending.
func (db *DB) Pending(ctx context.Context) (since time.Time, seq int64, ok bool, err error) {
	var sec int64
	err = db.db.QueryRowContext(ctx, `SELECT since, seq FROM detect_pending WHERE id = 1`).Scan(&sec, &seq)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, 0, false, nil
	}
	if err != nil {
		return time.Time{}, 0, false, wrap("pending", err)
	}
	return time.Unix(sec, 0).UTC(), seq, true, nil
}

// ClearPending removes the mark a completed pass covered, unless data came
// in since (its seq changed).
func (db *DB) ClearPending(ctx context.Context, seq int64) error {
	return db.update(ctx, "clear pending", func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM detect_pending WHERE id = 1 AND seq = ?`, seq)
		return err
	})
}
