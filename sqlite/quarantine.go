package sqlite

import (
	"context"
	"crypto/sha256"

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
	err = db.update(ctx, "put quarantine", func(tx *Tx) error {
		var err error
		stored, err = putQuarantine(ctx, tx, qs)
		return err
	})
	if err != nil {
		return 0, 0, err
	}
	return stored, len(qs) - stored, nil
}

// FindQuarantine returns the records matching f in the order they were
// kept, and how many match in all.
func (db *DB) FindQuarantine(ctx context.Context, f trustwatch.QuarantineFilter) ([]trustwatch.Quarantined, int, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, wrap("find quarantine", err)
	}
	defer tx.Rollback()

	qs, n, err := findQuarantine(ctx, tx, f)
	if err != nil {
		return nil, 0, wrap("find quarantine", err)
	}
	return qs, n, nil
}

// putQuarantine keeps qs in tx and returns how many were new.
func putQuarantine(ctx context.Context, tx *Tx, qs []trustwatch.Quarantined) (int, error) {
	st, err := tx.PrepareContext(ctx, `INSERT INTO quarantine (file, line, reason, raw, raw_hash, time)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (file, line, reason, raw_hash) DO NOTHING`)
	if err != nil {
		return 0, err
	}
	stored := 0
	defer st.Close()
	for _, q := range qs {
		t := q.Time
		if t.IsZero() {
			t = tx.now
		}
		raw := q.Raw
		if raw == nil {
			raw = []byte{} // NOT NULL: no bytes is still a record
		}
		h := sha256.Sum256(raw)
		res, err := st.ExecContext(ctx, q.File, q.Line, q.Reason, raw, h[:], t.Unix())
		if err != nil {
			return 0, err
		}
		if n, err := res.RowsAffected(); err == nil {
			stored += int(n)
		}
	}
	return stored, nil
}

func findQuarantine(ctx context.Context, tx *Tx, f trustwatch.QuarantineFilter) ([]trustwatch.Quarantined, int, error) {
	var conds []string
	var args []any
	if f.File != "" {
		conds = append(conds, "file = ?")
		args = append(args, f.File)
	}
	where := whereClause(conds)
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM quarantine`+where, args...).Scan(&n); err != nil {
		return nil, 0, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, file, line, reason, raw, time FROM quarantine`+where+
		` ORDER BY id`+limitOffset(f.Limit, f.Offset), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()

	qs := make([]trustwatch.Quarantined, 0)
	for rows.Next() {
		var q trustwatch.Quarantined
		var t int64
		if err := rows.Scan(&q.ID, &q.File, &q.Line, &q.Reason, &q.Raw, &t); err != nil {
			return nil, 0, err
		}
		q.Time = fromUnix(t)
		qs = append(qs, q)
	}
	return qs, n, rows.Err()
}
