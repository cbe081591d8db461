package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"trustwatch"
)

// PutEvents stores events by ID. An event stored with the same fields
// counts as a duplicate; one with other fields (a corrected title, say)
// replaces it and counts as stored.
func (db *DB) PutEvents(ctx context.Context, evs []trustwatch.Event) (stored, duplicates int, err error) {
	if len(evs) == 0 {
		return 0, 0, nil
	}
	if err := checkEvents(evs); err != nil {
		return 0, 0, err
	}
	err = db.update(ctx, "put events", func(tx pgx.Tx) (err error) {
		stored, err = putEvents(ctx, tx, evs)
		return err
	})
	if err != nil {
		return 0, 0, err
	}
	return stored, len(evs) - stored, nil
}

// checkEvents refuses events that cannot be stored.
func checkEvents(evs []trustwatch.Event) error {
	for i, e := range evs {
		if e.ID == "" {
			return trustwatch.Errorf(trustwatch.EINVALID, "event %d: missing id", i)
		} else if e.Time.IsZero() {
			return trustwatch.Errorf(trustwatch.EINVALID, "event %d (%s): missing time", i, e.ID)
		}
	}
	return nil
}

// putEvents writes checked events in tx and returns how many it stored.
func putEvents(ctx context.Context, tx pgx.Tx, evs []trustwatch.Event) (stored int, err error) {
	b := &pgx.Batch{}
	for _, e := range evs {
		b.Queue(`INSERT INTO events AS o (id, time, entity, kind, title, text, url)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (id) DO UPDATE SET
				time = excluded.time, entity = excluded.entity, kind = excluded.kind,
				title = excluded.title, text = excluded.text, url = excluded.url
			WHERE o.time <> excluded.time OR o.entity <> excluded.entity OR o.kind <> excluded.kind
				OR o.title <> excluded.title OR o.text <> excluded.text OR o.url <> excluded.url`,
			e.ID, utc(e.Time), e.Entity, e.Kind, e.Title, e.Text, e.URL)
	}
	return execBatch(ctx, tx, b)
}

// FindEvents returns the events matching f, oldest first.
func (db *DB) FindEvents(ctx context.Context, f trustwatch.EventFilter) ([]trustwatch.Event, error) {
	var a args
	var conds []string
	if f.Entity != "" {
		conds = append(conds, "entity = "+a.add(f.Entity))
	}
	if f.Kind != "" {
		conds = append(conds, "kind = "+a.add(f.Kind))
	}
	if !f.From.IsZero() {
		conds = append(conds, "time >= "+a.add(ceilSecond(f.From)))
	}
	if !f.To.IsZero() {
		conds = append(conds, "time < "+a.add(ceilSecond(f.To)))
	}
	rows, err := db.pool.Query(ctx, `SELECT id, time, entity, kind, title, text, url FROM events`+
		whereClause(conds)+` ORDER BY time, id COLLATE "C"`, a...)
	if err != nil {
		return nil, wrap("find events", err)
	}
	evs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (trustwatch.Event, error) {
		var e trustwatch.Event
		err := row.Scan(&e.ID, &e.Time, &e.Entity, &e.Kind, &e.Title, &e.Text, &e.URL)
		e.Time = e.Time.UTC()
		return e, err
	})
	if err != nil {
		return nil, wrap("find events", err)
	}
	if evs == nil {
		evs = []trustwatch.Event{}
	}
	return evs, nil
}
