package sqlite

import (
	"context"
	"strings"
	"time"

	"trustwatch"
)

var _ trustwatch.VerdictStore = (*DB)(nil)

// PutVerdict marks the alert a false alarm, replacing an earlier verdict,
// with a row in its audit trail (the note as detail) in one transaction.
func (db *DB) PutVerdict(ctx context.Context, v trustwatch.Verdict) error {
	if v.Alert == "" || v.By == "" || v.At.IsZero() {
		return trustwatch.Errorf(trustwatch.EINVALID, "verdict: alert, by and at are required")
	}
	return db.update(ctx, "put verdict", func(tx *Tx) error {
		if err := alertExists(ctx, tx, v.Alert); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO verdicts (alert, actor, time, note) VALUES (?, ?, ?, ?)
			ON CONFLICT (alert) DO UPDATE SET actor = excluded.actor, time = excluded.time, note = excluded.note`,
			v.Alert, v.By, v.At.Unix(), strings.TrimSpace(v.Note)); err != nil {
			return err
		}
		return audit(ctx, tx, v.Alert, v.At, v.By, trustwatch.AuditFalseAlarm, strings.TrimSpace(v.Note))
	})
}

// DeleteVerdict withdraws the alert's verdict, audited in the same
// transaction; ENOTFOUND when it has none.
func (db *DB) DeleteVerdict(ctx context.Context, alert, by string, at time.Time) error {
	return db.update(ctx, "delete verdict", func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM verdicts WHERE alert = ?`, alert)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return trustwatch.Errorf(trustwatch.ENOTFOUND, "alert %q has no verdict", alert)
		}
		return audit(ctx, tx, alert, at, by, trustwatch.AuditWithdraw, "")
	})
}

// FindVerdicts returns the verdicts matching f, by alert id.
func (db *DB) FindVerdicts(ctx context.Context, f trustwatch.VerdictFilter) ([]trustwatch.Verdict, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, wrap("find verdicts", err)
	}
	defer tx.Rollback()
	q, args := `SELECT alert, actor, time, note FROM verdicts`, []any{}
	if f.Alert != "" {
		q, args = q+` WHERE alert = ?`, append(args, f.Alert)
	}
	rows, err := tx.QueryContext(ctx, q+` ORDER BY alert`, args...)
	if err != nil {
		return nil, wrap("find verdicts", err)
	}
	defer rows.Close()
	var out []trustwatch.Verdict
	for rows.Next() {
		var v trustwatch.Verdict
		var at int64
		if err := rows.Scan(&v.Alert, &v.By, &at, &v.Note); err != nil {
			return nil, wrap("find verdicts", err)
		}
		v.At = time.Unix(at, 0).In(db.location())
		out = append(out, v)
	}
	return out, wrap("find verdicts", rows.Err())
}

func alertExists(ctx context.Context, tx *Tx, id string) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM alerts WHERE id = ?`, id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return trustwatch.Errorf(trustwatch.ENOTFOUND, "alert %q not found", id)
	}
	return nil
}

// audit adds one row to the alert's audit trail.
func audit(ctx context.Context, tx *Tx, alert string, at time.Time, by, action, detail string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO alert_audit (alert, time, actor, action, detail) VALUES (?, ?, ?, ?, ?)`,
		alert, at.Unix(), by, action, detail)
	return err
}
