package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"trustwatch"
)

// Compile-time checks of the operational interfaces.
var (
	_ trustwatch.DeliveryStore = (*DB)(nil)
	_ trustwatch.DigestStore   = (*DB)(nil)
	_ trustwatch.HealthStore   = (*DB)(nil)
)

// PutDeliveries stores delivery attempts, in order, in one transaction; a
// record without a time gets now.
func (db *DB) PutDeliveries(ctx context.Context, rs []trustwatch.DeliveryRecord) error {
	if len(rs) == 0 {
		return nil
	}
	now := db.now()
	b := &pgx.Batch{}
	for _, r := range rs {
		t := utc(r.Time)
		if r.Time.IsZero() {
			t = now
		}
		b.Queue(`INSERT INTO deliveries (subject, channel, type, attempt, time, state, status, error)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			r.Subject, r.Channel, r.Type, r.Attempt, t, r.State, r.Status, r.Error)
	}
	return db.update(ctx, "put deliveries", func(tx pgx.Tx) error {
		return tx.SendBatch(ctx, b).Close()
	})
}

// FindDeliveries returns the attempts for subject in the order they were
// stored; nil when there are none.
func (db *DB) FindDeliveries(ctx context.Context, subject string) ([]trustwatch.DeliveryRecord, error) {
	rows, err := db.pool.Query(ctx, `SELECT subject, channel, type, attempt, time, state, status, error
		FROM deliveries WHERE subject = $1 ORDER BY seq`, subject)
	if err != nil {
		return nil, wrap("find deliveries", err)
	}
	defer rows.Close()
	var out []trustwatch.DeliveryRecord
	for rows.Next() {
		var r trustwatch.DeliveryRecord
		if err := rows.Scan(&r.Subject, &r.Channel, &r.Type, &r.Attempt, &r.Time, &r.State, &r.Status, &r.Error); err != nil {
			return nil, wrap("find deliveries", err)
		}
		r.Time = r.Time.UTC()
		out = append(out, r)
	}
	return out, wrap("find deliveries", rows.Err())
}

// CountDeliveries counts every stored attempt by channel, type and state,
// in that order (byte order, as SQLite compares).
func (db *DB) CountDeliveries(ctx context.Context) ([]trustwatch.DeliveryCount, error) {
	rows, err := db.pool.Query(ctx, `SELECT channel, type, state, count(*) FROM deliveries
		GROUP BY channel, type, state ORDER BY channel COLLATE "C", type COLLATE "C", state COLLATE "C"`)
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

// DigestSent returns the last period the digest reached the channel, ""
// if never.
func (db *DB) DigestSent(ctx context.Context, digest, channel string) (string, error) {
	var p string
	err := db.pool.QueryRow(ctx, `SELECT period FROM digest_sent WHERE digest = $1 AND channel = $2`, digest, channel).Scan(&p)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	return p, wrap("digest sent", err)
}

// MarkDigestSent records that the digest reached the channel for period.
func (db *DB) MarkDigestSent(ctx context.Context, digest, channel, period string, at time.Time) error {
	_, err := db.pool.Exec(ctx, `INSERT INTO digest_sent (digest, channel, period, sent) VALUES ($1, $2, $3, $4)
		ON CONFLICT (digest, channel) DO UPDATE SET period = excluded.period, sent = excluded.sent`,
		digest, channel, period, utc(at))
	return wrap("mark digest sent", err)
}

// CheckWrite rewrites the one row of ready_check: it fails when the
// server cannot write (down, read-only, a standby, disk full).
func (db *DB) CheckWrite(ctx context.Context) error {
	_, err := db.pool.Exec(ctx, `INSERT INTO ready_check (id, checked) VALUES (1, $1)
		ON CONFLICT (id) DO UPDATE SET checked = excluded.checked`, db.now())
	return wrap("check write", err)
}

// SizeBytes is the size on disk of the store's tables in its schema (the
// first of the search path), with their indexes and TOAST: not the whole
// database, which may hold other stores' schemas; the WAL is not counted.
func (db *DB) SizeBytes(ctx context.Context) (int64, error) {
	var n int64
	err := db.pool.QueryRow(ctx, `SELECT COALESCE(sum(pg_total_relation_size(c.oid)), 0)::bigint
		FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
		WHERE ns.nspname = current_schema() AND c.relkind IN ('r', 'm')`).Scan(&n)
	return n, wrap("size", err)
}
