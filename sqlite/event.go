package sqlite

import (
	"context"

	"trustwatch"
)

// PutEvents stores events by ID. An event stored with the same fields
// counts as a duplicate; one with other fields (a corrected title, say)
// replaces it and counts as stored.
func (db *DB) PutEvents(ctx context.Context, evs []trustwatch.Event) (stored, duplicates int, err error) {
	if len(evs) == 0 {
		return 0, 0, nil
	}
	err = db.update(ctx, "put events", func(tx *Tx) (err error) {
		stored, duplicates, err = putEvents(ctx, tx, evs)
		return err
	})
	if err != nil {
		return 0, 0, err
	}
	return stored, duplicates, nil
}

// FindEvents returns the events matching f, oldest first.
func (db *DB) FindEvents(ctx context.Context, f trustwatch.EventFilter) ([]trustwatch.Event, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, wrap("find events", err)
	}
	defer tx.Rollback()

	evs, err := findEvents(ctx, tx, f)
	if err != nil {
		return nil, wrap("find events", err)
	}
	return evs, nil
}

func putEvents(ctx context.Context, tx *Tx, evs []trustwatch.Event) (stored, duplicates int, err error) {
	for i, e := range evs {
		if e.ID == "" {
			return 0, 0, trustwatch.Errorf(trustwatch.EINVALID, "event %d: missing id", i)
		} else if e.Time.IsZero() {
			return 0, 0, trustwatch.Errorf(trustwatch.EINVALID, "event %d (%s): missing time", i, e.ID)
		}
	}
	st, err := tx.PrepareContext(ctx, `INSERT INTO events (id, time, entity, kind, title, text, url)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET
			time = excluded.time, entity = excluded.entity, kind = excluded.kind,
			title = excluded.title, text = excluded.text, url = excluded.url
		WHERE time <> excluded.time OR entity <> excluded.entity OR kind <> excluded.kind
			OR title <> excluded.title OR text <> excluded.text OR url <> excluded.url`)
	if err != nil {
		return 0, 0, err
	}
	defer st.Close()
	return upsertEach(ctx, st, len(evs), func(i int) []any {
		e := &evs[i]
		return []any{e.ID, e.Time.Unix(), e.Entity, e.Kind, e.Title, e.Text, e.URL}
	})
}

func findEvents(ctx context.Context, tx *Tx, f trustwatch.EventFilter) ([]trustwatch.Event, error) {
	var conds []string
	var args []any
	if f.Entity != "" {
		conds = append(conds, "entity = ?")
		args = append(args, f.Entity)
	}
	if f.Kind != "" {
		conds = append(conds, "kind = ?")
		args = append(args, f.Kind)
	}
	if !f.From.IsZero() {
		conds = append(conds, "time >= ?")
		args = append(args, ceilUnix(f.From))
	}
	if !f.To.IsZero() {
		conds = append(conds, "time < ?")
		args = append(args, ceilUnix(f.To))
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, time, entity, kind, title, text, url FROM events`+
		whereClause(conds)+` ORDER BY time, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	evs := make([]trustwatch.Event, 0)
	for rows.Next() {
		var e trustwatch.Event
		var t int64
		if err := rows.Scan(&e.ID, &t, &e.Entity, &e.Kind, &e.Title, &e.Text, &e.URL); err != nil {
			return nil, err
		}
		e.Time = fromUnix(t)
		evs = append(evs, e)
	}
	return evs, rows.Err()
}
