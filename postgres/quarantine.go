package postgres

import (
	"context"
	"crypto/sha256"
	"time"

	"github.com/jackc/pgx/v5"

	"trustwatch"
)

// PutQuarantine keeps input that could not be read. A record with the same
// file, line, reason and raw bytes as a kept one is not kept again, so
// re-reading a bad file does not grow the quarantine; stored counts the
// new records, duplicates those kept already. A zero Time is the time of
// the call.
func (db *DB) PutQuarantine(ctx context.Context, qs []trustwatch.Quarantined) (stored, duplicates int, err error) {
	if len(qs) == 0 {
		return 0, 0, nil
	}
	now := db.now()
	err = db.update(ctx, "put quarantine", func(tx pgx.Tx) error {
		var err error
		stored, err = putQuarantine(ctx, tx, qs, now)
		return err
	})
	if err != nil {
		return 0, 0, err
	}
	return stored, len(qs) - stored, nil
}

// putQuarantine keeps qs in tx and returns how many were new; a zero Time
// is now.
func putQuarantine(ctx context.Context, tx pgx.Tx, qs []trustwatch.Quarantined, now time.Time) (int, error) {
	b := &pgx.Batch{}
	for _, q := range qs {
		t := utc(q.Time)
		if q.Time.IsZero() {
			t = now
		}
		raw := q.Raw
		if raw == nil {
			raw = []byte{} // NOT NULL: no bytes is still a record
		}
		h := sha256.Sum256(raw)
		b.Queue(`INSERT INTO quarantine (file, line, reason, raw, raw_hash, time) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (file, line, reason, raw_hash) DO NOTHING`, q.File, q.Line, q.Reason, raw, h[:], t)
	}
	res := tx.SendBatch(ctx, b)
	stored := 0
	for range qs {
		tag, err := res.Exec()
		if err != nil {
			res.Close()
			return 0, err
		}
		stored += int(tag.RowsAffected())
	}
	return stored, res.Close()
}

// FindQuarantine returns the records matching f in the order they were
// kept, and how many match in all.
func (db *DB) FindQuarantine(ctx context.Context, f trustwatch.QuarantineFilter) ([]trustwatch.Quarantined, int, error) {
	var a args
	var conds []string
	if f.File != "" {
		conds = append(conds, "file = "+a.add(f.File))
	}
	where := whereClause(conds)
	qs := make([]trustwatch.Quarantined, 0)
	var n int
	err := db.read(ctx, "find quarantine", func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM quarantine`+where, a...).Scan(&n); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT id, file, line, reason, raw, time FROM quarantine`+where+
			` ORDER BY id`+limitOffset(f.Limit, f.Offset), a...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var q trustwatch.Quarantined
			if err := rows.Scan(&q.ID, &q.File, &q.Line, &q.Reason, &q.Raw, &q.Time); err != nil {
				return err
			}
			q.Time = q.Time.UTC()
			qs = append(qs, q)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, 0, err
	}
	return qs, n, nil
}
