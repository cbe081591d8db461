package postgres

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"

	"trustwatch"
)

// PutAlert inserts the alert or replaces every field of the one with the
// same ID but its assignee and snooze, which only UpdateAlert changes. A
// zero Opened or Updated is set to now, on a as well.
func (db *DB) PutAlert(ctx context.Context, a *trustwatch.Alert) error {
	if a.ID == "" {
		return trustwatch.Errorf(trustwatch.EINVALID, "alert: missing id")
	}
	now := db.now()
	if a.Opened.IsZero() {
		a.Opened = now
	}
	if a.Updated.IsZero() {
		a.Updated = now
	}
	evidence := a.Evidence
	if evidence == nil {
		evidence = []trustwatch.Evidence{}
	}
	buf, err := json.Marshal(evidence)
	if err != nil {
		return wrap("put alert", err)
	}
	_, err = db.pool.Exec(ctx, `INSERT INTO alerts (id, rule, kind, entity, series, subject, severity, severity_rank,
			opened, updated, resolved, acked, value, statement, evidence)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::jsonb)
		ON CONFLICT (id) DO UPDATE SET
			rule = excluded.rule, kind = excluded.kind, entity = excluded.entity, series = excluded.series,
			subject = excluded.subject, severity = excluded.severity, severity_rank = excluded.severity_rank,
			opened = excluded.opened, updated = excluded.updated, resolved = excluded.resolved,
			acked = excluded.acked, value = excluded.value, statement = excluded.statement,
			evidence = excluded.evidence`,
		a.ID, a.Rule, a.Kind, a.Entity, a.Series, a.Subject, a.Severity, trustwatch.SeverityRank(a.Severity),
		utc(a.Opened), utc(a.Updated), nullTime(a.Resolved), nullTime(a.Acked), a.Value, a.Statement, string(buf))
	return wrap("put alert", err)
}

// FindAlerts returns the alerts matching f, open ones first, then the most
// severe, then the most recently opened; and how many match in all.
func (db *DB) FindAlerts(ctx context.Context, f trustwatch.AlertFilter) ([]trustwatch.Alert, int, error) {
	var as []trustwatch.Alert
	var n int
	err := db.read(ctx, "find alerts", func(tx pgx.Tx) (err error) {
		as, n, err = findAlerts(ctx, tx, f)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return as, n, nil
}

// UpdateAlert acknowledges, resolves, comments on, assigns and/or snoozes
// the alert at u.At (default now) and returns it; ENOTFOUND if there is
// none with that id. An alert already acknowledged or resolved keeps its
// first time. Each change is one row of the audit trail under u.By, in the
// same transaction, which locks the alert's row first so that two updates
// of one alert record their changes one after the other.
func (db *DB) UpdateAlert(ctx context.Context, id string, u trustwatch.AlertUpdate) (*trustwatch.Alert, error) {
	at := utc(u.At)
	if u.At.IsZero() {
		at = db.now()
	}
	var out *trustwatch.Alert
	err := db.update(ctx, "update alert", func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT 1 FROM alerts WHERE id = $1 FOR UPDATE`, id); err != nil {
			return err
		}
		as, _, err := findAlerts(ctx, tx, trustwatch.AlertFilter{ID: id})
		if err != nil {
			return err
		}
		if len(as) == 0 {
			return trustwatch.Errorf(trustwatch.ENOTFOUND, "alert %q not found", id)
		}
		before := as[0]
		// Only what changes is recorded: a second ack of an acked alert
		// keeps its first time and adds nothing to the trail.
		type change struct{ action, detail string }
		var changes []change
		if u.Ack && before.Acked == nil {
			changes = append(changes, change{trustwatch.AuditAck, ""})
		}
		if u.Resolve && before.Resolved == nil {
			changes = append(changes, change{trustwatch.AuditResolve, ""})
		}
		if u.Assign != nil && *u.Assign != before.Assignee {
			changes = append(changes, change{trustwatch.AuditAssign, *u.Assign})
		}
		var snooze any // NULL wakes the alert
		if u.Snooze != nil {
			detail := ""
			if !u.Snooze.IsZero() {
				snooze, detail = utc(*u.Snooze), u.Snooze.UTC().Format(time.RFC3339)
			}
			if detail != "" || before.SnoozedUntil != nil {
				changes = append(changes, change{trustwatch.AuditSnooze, detail})
			}
		}
		if u.Comment != "" {
			changes = append(changes, change{trustwatch.AuditComment, u.Comment})
		}
		var ack, resolve any // NULL leaves the column as it is
		if u.Ack {
			ack = at
		}
		if u.Resolve {
			resolve = at
		}
		assignee := before.Assignee
		if u.Assign != nil {
			assignee = *u.Assign
		}
		b := &pgx.Batch{}
		b.Queue(`UPDATE alerts SET acked = COALESCE(acked, $1), resolved = COALESCE(resolved, $2),
				assignee = $3, snoozed_until = CASE WHEN $4 THEN $5::timestamptz ELSE snoozed_until END
			WHERE id = $6`, ack, resolve, assignee, u.Snooze != nil, snooze, id)
		for _, c := range changes {
			b.Queue(`INSERT INTO alert_audit (alert, time, actor, action, detail) VALUES ($1, $2, $3, $4, $5)`,
				id, at, u.By, c.action, c.detail)
		}
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		if as, _, err = findAlerts(ctx, tx, trustwatch.AlertFilter{ID: id}); err != nil {
			return err
		}
		out = &as[0]
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func findAlerts(ctx context.Context, tx pgx.Tx, f trustwatch.AlertFilter) ([]trustwatch.Alert, int, error) {
	var a args
	var conds []string
	for _, c := range []struct{ col, v string }{{"id", f.ID}, {"rule", f.Rule}, {"kind", f.Kind}, {"entity", f.Entity}} {
		if c.v != "" {
			conds = append(conds, c.col+" = "+a.add(c.v))
		}
	}
	if !f.Since.IsZero() {
		conds = append(conds, "opened >= "+a.add(utc(f.Since)))
	}
	if f.Open {
		conds = append(conds, "resolved IS NULL")
	}
	if !f.AwakeAt.IsZero() {
		conds = append(conds, "(snoozed_until IS NULL OR snoozed_until <= "+a.add(utc(f.AwakeAt))+")")
	}
	where := whereClause(conds)
	var n int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM alerts`+where, a...).Scan(&n); err != nil {
		return nil, 0, err
	}
	rows, err := tx.Query(ctx, `SELECT id, rule, kind, entity, series, subject, severity,
			opened, updated, resolved, acked, value, statement, evidence, assignee, snoozed_until
		FROM alerts`+where+`
		ORDER BY resolved IS NULL DESC, severity_rank DESC, opened DESC, id COLLATE "C"`+limitOffset(f.Limit, f.Offset), a...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	as := make([]trustwatch.Alert, 0)
	for rows.Next() {
		var al trustwatch.Alert
		var evidence []byte
		if err := rows.Scan(&al.ID, &al.Rule, &al.Kind, &al.Entity, &al.Series, &al.Subject, &al.Severity,
			&al.Opened, &al.Updated, &al.Resolved, &al.Acked, &al.Value, &al.Statement, &evidence,
			&al.Assignee, &al.SnoozedUntil); err != nil {
			return nil, 0, err
		}
		al.Opened, al.Updated = al.Opened.UTC(), al.Updated.UTC()
		al.Resolved, al.Acked, al.SnoozedUntil = fromNullTime(al.Resolved), fromNullTime(al.Acked), fromNullTime(al.SnoozedUntil)
		if err := json.Unmarshal(evidence, &al.Evidence); err != nil {
			return nil, 0, err
		}
		if len(al.Evidence) == 0 {
			al.Evidence = nil
		}
		as = append(as, al)
	}
	return as, n, rows.Err()
}
