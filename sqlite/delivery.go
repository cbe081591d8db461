package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"trustwatch"
)

// Compile-time checks of the operational interfaces.
var (
	_ trustwatch.DeliveryStore = (*DB)(nil)
	_ trustwatch.DigestStore   = (*DB)(nil)
	_ trustwatch.HealthStore   = (*DB)(nil)
)

// PutDeliveries stores delivery attempts.
func (db *DB) PutDeliveries(ctx context.Context, rs []trustwatch.DeliveryRecord) error {
	if len(rs) == 0 {
		return nil
	}
	return db.update(ctx, "put deliveries", func(tx *Tx) error {
		st, err := tx.PrepareContext(ctx, `INSERT INTO deliveries (subject, channel, type, attempt, time, state, status, error)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, r := range rs {
			t := r.Time
			if t.IsZero() {
				t = tx.now
			}
			if _, err := st.ExecContext(ctx, r.Subject, r.Channel, r.Type, r.Attempt, unix(t), r.State, r.Status, r.Error); err != nil {
				return err
			}
		}
		return nil
	})
}

// FindDeliveries returns the attempts for subject in the order they were made.
func (db *DB) FindDeliveries(ctx context.Context, subject string) ([]trustwatch.DeliveryRecord, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT subject, channel, type, attempt, time, state, status, error
		FROM deliveries WHERE subject = ? ORDER BY seq`, subject)
	if err != nil {
		return nil, wrap("find deliveries", err)
	}
	defer rows.Close()
	var out []trustwatch.DeliveryRecord
	for rows.Next() {
		var r trustwatch.DeliveryRecord
		var t int64
		if err := rows.Scan(&r.Subject, &r.Channel, &r.Type, &r.Attempt, &t, &r.State, &r.Status, &r.Error); err != nil {
			return nil, wrap("find deliveries", err)
		}
		r.Time = fromUnix(t)
		out = append(out, r)
	}
	return out, wrap("find deliveries", rows.Err())
}

// CountDeliveries counts every stored attempt by channel, type and state.
func (db *DB) CountDeliveries(ctx context.Context) ([]trustwatch.DeliveryCount, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT channel, type, state, COUNT(*) FROM deliveries
		GROUP BY channel, type, state ORDER BY channel, type, state`)
	if err != nil {
		return nil, wrap("count deliveries", err)
	}
	defer rows.Close()
	var out []trustwatch.DeliveryCount
	for rows.Next() {
		var c trustwatch.DeliveryCount
		if err := rows.Scan(&c.Channel, &c.Type, &c.State, &c.N); err != nil {
			return nil, wrap("count deliveries", err)
		}
		out = append(out, c)
	}
	return out, wrap("count deliveries", rows.Err())
}

// DigestSent returns the last period the digest reached the channel, "" if never.
func (db *DB) DigestSent(ctx context.Context, digest, channel string) (string, error) {
	var p string
	err := db.db.QueryRowContext(ctx, `SELECT period FROM digest_sent WHERE digest = ? AND channel = ?`, digest, channel).Scan(&p)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return p, wrap("digest sent", err)
}

// MarkDigestSent records that the digest reached the channel for period.
func (db *DB) MarkDigestSent(ctx context.Context, digest, channel, period string, at time.Time) error {
	return db.update(ctx, "mark digest sent", func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO digest_sent (digest, channel, period, sent) VALUES (?, ?, ?, ?)
			ON CONFLICT (digest, channel) DO UPDATE SET period = excluded.period, sent = excluded.sent`,
			digest, channel, period, unix(at))
		return err
	})
}

// CheckWrite rewrites the one row of ready_check: it fails when the file
// cannot be written (read-only, disk full, locked for longer than the busy
// timeout).
func (db *DB) CheckWrite(ctx context.Context) error {
	return db.update(ctx, "check write", func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO ready_check (id, checked) VALUES (1, ?)
			ON CONFLICT (id) DO UPDATE SET checked = excluded.checked`, unix(tx.now))
		return err
	})
}

// SizeBytes is the size of the database's pages (the main file; the WAL
// is not counted).
func (db *DB) SizeBytes(ctx context.Context) (int64, error) {
	var pages, size int64
	if err := db.db.QueryRowContext(ctx, `PRAGMA page_count`).Scan(&pages); err != nil {
		return 0, wrap("size", err)
	}
	if err := db.db.QueryRowContext(ctx, `PRAGMA page_size`).Scan(&size); err != nil {
		return 0, wrap("size", err)
	}
	return pages * size, nil
}
