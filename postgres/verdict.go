package postgres

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"trustwatch"
)

var _ trustwatch.VerdictStore = (*DB)(nil)

// PutVerdict marks the alert a false alarm, replacing an earlier verdict,
// with a row in its audit trail (the note as detail) in one transaction.
func (db *DB) PutVerdict(ctx context.Context, v trustwatch.Verdict) error {
	if v.Alert == "" || v.By == "" || v.At.IsZero() {
		return trustwatch.Errorf(trustwatch.EINVALID, "verdict: alert, by and at are required")
	}
	note := strings.TrimSpace(v.Note)
	return db.update(ctx, "put verdict", func(tx pgx.Tx) error {
		var exists bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM alerts WHERE id = $1)`, v.Alert).Scan(&exists); err != nil {
			return err
		}
		if !exists {
			return trustwatch.Errorf(trustwatch.ENOTFOUND, "alert %q not found", v.Alert)
		}
		b := &pgx.Batch{}
		b.Queue(`INSERT INTO verdicts (alert, actor, time, note) VALUES ($1, $2, $3, $4)
			ON CONFLICT (alert) DO UPDATE SET actor = excluded.actor, time = excluded.time, note = excluded.note`,
			v.Alert, v.By, utc(v.At), note)
		b.Queue(`INSERT INTO alert_audit (alert, time, actor, action, detail) VALUES ($1, $2, $3, $4, $5)`,
			v.Alert, utc(v.At), v.By, trustwatch.AuditFalseAlarm, note)
		return tx.SendBatch(ctx, b).Close()
	})
}

// DeleteVerdict withdraws the alert's verdict, audited in the same
// transaction; ENOTFOUND when it has none.
func (db *DB) DeleteVerdict(ctx context.Context, alert, by string, at time.Time) error {
	return db.update(ctx, "delete verdict", func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM verdicts WHERE alert = $1`, alert)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return trustwatch.Errorf(trustwatch.ENOTFOUND, "alert %q has no verdict", alert)
		}
		_, err = tx.Exec(ctx, `INSERT INTO alert_audit (alert, time, actor, action, detail) VALUES ($1, $2, $3, $4, '')`,
			alert, utc(at), by, trustwatch.AuditWithdraw)
		return err
	})
}

// FindVerdicts returns the verdicts matching f, by alert id.
func (db *DB) FindVerdicts(ctx context.Context, f trustwatch.VerdictFilter) ([]trustwatch.Verdict, error) {
	var out []trustwatch.Verdict
	err := db.read(ctx, "find verdicts", func(tx pgx.Tx) error {
		q, args := `SELECT alert, actor, time, note FROM verdicts`, []any{}
		if f.Alert != "" {
			q, args = q+` WHERE alert = $1`, append(args, f.Alert)
		}
		rows, err := tx.Query(ctx, q+` ORDER BY alert`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var v trustwatch.Verdict
			if err := rows.Scan(&v.Alert, &v.By, &v.At, &v.Note); err != nil {
				return err
			}
			v.At = v.At.In(db.location())
			out = append(out, v)
		}
		return rows.Err()
	})
	return out, err
}
