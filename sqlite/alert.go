package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"trustwatch"
)

// PutAlert inserts the alert or replaces every field of the one with the
// same ID but its assignee and snooze, which only UpdateAlert changes. A
// zero Opened or Updated is set to now, on a as well.
func (db *DB) PutAlert(ctx context.Context, a *trustwatch.Alert) error {
	return db.update(ctx, "put alert", func(tx *Tx) error { return putAlert(ctx, tx, a) })
}

// FindAlerts returns the alerts matching f, open ones first, then the most
// severe, then the most recently opened; and how many match in all.
func (db *DB) FindAlerts(ctx context.Context, f trustwatch.AlertFilter) ([]trustwatch.Alert, int, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, wrap("find alerts", err)
	}
	defer tx.Rollback()

	as, n, err := findAlerts(ctx, tx, f)
	if err != nil {
		return nil, 0, wrap("find alerts", err)
	}
	return as, n, nil
}

// UpdateAlert acknowledges, resolves, comments on, assigns and/or snoozes
// the alert at u.At (default now) and returns it; ENOTFOUND if there is
// none with that id. An alert already acknowledged or resolved keeps its
// first time. Each change is one row of the audit trail under u.By, in the
// same transaction.
func (db *DB) UpdateAlert(ctx context.Context, id string, u trustwatch.AlertUpdate) (*trustwatch.Alert, error) {
	var a *trustwatch.Alert
	err := db.update(ctx, "update alert", func(tx *Tx) (err error) {
		a, err = updateAlert(ctx, tx, id, u)
		return err
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

func putAlert(ctx context.Context, tx *Tx, a *trustwatch.Alert) error {
	if a.ID == "" {
		return trustwatch.Errorf(trustwatch.EINVALID, "alert: missing id")
	}
	if a.Opened.IsZero() {
		a.Opened = tx.now
	}
	if a.Updated.IsZero() {
		a.Updated = tx.now
	}
	evidence := a.Evidence
	if evidence == nil {
		evidence = []trustwatch.Evidence{}
	}
	buf, err := json.Marshal(evidence)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO alerts (id, rule, kind, entity, series, subject, severity, severity_rank,
			opened, updated, resolved, acked, value, statement, evidence)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET
			rule = excluded.rule, kind = excluded.kind, entity = excluded.entity, series = excluded.series,
			subject = excluded.subject, severity = excluded.severity, severity_rank = excluded.severity_rank,
			opened = excluded.opened, updated = excluded.updated, resolved = excluded.resolved,
			acked = excluded.acked, value = excluded.value, statement = excluded.statement,
			evidence = excluded.evidence`,
		a.ID, a.Rule, a.Kind, a.Entity, a.Series, a.Subject, a.Severity, trustwatch.SeverityRank(a.Severity),
		a.Opened.Unix(), a.Updated.Unix(), nullUnix(a.Resolved), nullUnix(a.Acked), a.Value, a.Statement, string(buf))
	return err
}

func updateAlert(ctx context.Context, tx *Tx, id string, u trustwatch.AlertUpdate) (*trustwatch.Alert, error) {
	at := u.At
	if at.IsZero() {
		at = tx.now
	}
	as, _, err := findAlerts(ctx, tx, trustwatch.AlertFilter{ID: id})
	if err != nil {
		return nil, err
	}
	if len(as) == 0 {
		return nil, trustwatch.Errorf(trustwatch.ENOTFOUND, "alert %q not found", id)
	}
	before := as[0]
	// Only what changes is recorded: a second ack of an acked alert keeps
	// its first time and adds nothing to the trail.
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
			snooze, detail = u.Snooze.Unix(), u.Snooze.UTC().Format(time.RFC3339)
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
		ack = at.Unix()
	}
	if u.Resolve {
		resolve = at.Unix()
	}
	assignee := before.Assignee
	if u.Assign != nil {
		assignee = *u.Assign
	}
	if _, err := tx.ExecContext(ctx, `UPDATE alerts SET acked = COALESCE(acked, ?), resolved = COALESCE(resolved, ?),
			assignee = ?, snoozed_until = CASE WHEN ? THEN ? ELSE snoozed_until END
		WHERE id = ?`, ack, resolve, assignee, u.Snooze != nil, snooze, id); err != nil {
		return nil, err
	}
	for _, c := range changes {
		if _, err := tx.ExecContext(ctx, `INSERT INTO alert_audit (alert, time, actor, action, detail) VALUES (?, ?, ?, ?, ?)`,
			id, at.Unix(), u.By, c.action, c.detail); err != nil {
			return nil, err
		}
	}
	if as, _, err = findAlerts(ctx, tx, trustwatch.AlertFilter{ID: id}); err != nil {
		return nil, err
	}
	return &as[0], nil
}

// AlertAudit returns the audit trail of an alert, oldest first.
func (db *DB) AlertAudit(ctx context.Context, alertID string) ([]trustwatch.AuditEntry, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id, alert, time, actor, action, detail FROM alert_audit
		WHERE alert = ? ORDER BY id`, alertID)
	if err != nil {
		return nil, wrap("alert audit", err)
	}
	defer rows.Close()
	out := []trustwatch.AuditEntry{}
	for rows.Next() {
		var e trustwatch.AuditEntry
		var t int64
		if err := rows.Scan(&e.ID, &e.Alert, &t, &e.Actor, &e.Action, &e.Detail); err != nil {
			return nil, wrap("alert audit", err)
		}
		e.Time = fromUnix(t)
		out = append(out, e)
	}
	return out, wrap("alert audit", rows.Err())
}

func findAlerts(ctx context.Context, tx *Tx, f trustwatch.AlertFilter) ([]trustwatch.Alert, int, error) {
	var conds []string
	var args []any
	for _, c := range []struct{ col, v string }{{"id", f.ID}, {"rule", f.Rule}, {"kind", f.Kind}, {"entity", f.Entity}} {
		if c.v != "" {
			conds = append(conds, c.col+" = ?")
			args = append(args, c.v)
		}
	}
	if !f.Since.IsZero() {
		conds = append(conds, "opened >= ?")
		args = append(args, f.Since.Unix())
	}
	if f.Open {
		conds = append(conds, "resolved IS NULL")
	}
	if !f.AwakeAt.IsZero() {
		conds = append(conds, "(snoozed_until IS NULL OR snoozed_until <= ?)")
		args = append(args, f.AwakeAt.Unix())
	}
	where := whereClause(conds)
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM alerts`+where, args...).Scan(&n); err != nil {
		return nil, 0, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, rule, kind, entity, series, subject, severity,
			opened, updated, resolved, acked, value, statement, evidence, assignee, snoozed_until
		FROM alerts`+where+`
		ORDER BY resolved IS NULL DESC, severity_rank DESC, opened DESC, id`+limitOffset(f.Limit, f.Offset), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()

	as := make([]trustwatch.Alert, 0)
	for rows.Next() {
		var a trustwatch.Alert
		var opened, updated int64
		var resolved, acked, snoozed sql.NullInt64
		var evidence []byte
		if err := rows.Scan(&a.ID, &a.Rule, &a.Kind, &a.Entity, &a.Series, &a.Subject, &a.Severity,
			&opened, &updated, &resolved, &acked, &a.Value, &a.Statement, &evidence, &a.Assignee, &snoozed); err != nil {
			return nil, 0, err
		}
		a.Opened, a.Updated = fromUnix(opened), fromUnix(updated)
		a.Resolved, a.Acked, a.SnoozedUntil = fromNullUnix(resolved), fromNullUnix(acked), fromNullUnix(snoozed)
		if err := json.Unmarshal(evidence, &a.Evidence); err != nil {
			return nil, 0, err
		}
		if len(a.Evidence) == 0 {
			a.Evidence = nil
		}
		as = append(as, a)
	}
	return as, n, rows.Err()
}
