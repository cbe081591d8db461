package sqlite

import (
	"context"
	"math"

	"trustwatch"
)

// PutPoints stores metric points. A point is identified by series, time
// (to the second) and batch: putting one that is stored with the same
// fields counts as a duplicate; with other fields it replaces the stored
// one and counts as stored.
func (db *DB) PutPoints(ctx context.Context, pts []trustwatch.Point) (stored, duplicates int, err error) {
	if len(pts) == 0 {
		return 0, 0, nil
	}
	err = db.update(ctx, "put points", func(tx *Tx) (err error) {
		stored, duplicates, err = putPoints(ctx, tx, pts)
		return err
	})
	if err != nil {
		return 0, 0, err
	}
	return stored, duplicates, nil
}

// Points returns the points of f.Series (every series when empty) in
// [From, To), oldest first.
func (db *DB) Points(ctx context.Context, f trustwatch.PointFilter) ([]trustwatch.Point, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, wrap("points", err)
	}
	defer tx.Rollback()

	pts, err := findPoints(ctx, tx, f)
	if err != nil {
		return nil, wrap("points", err)
	}
	return pts, nil
}

// SeriesIDs returns the ids of the series that have points, sorted.
func (db *DB) SeriesIDs(ctx context.Context) ([]string, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, wrap("series ids", err)
	}
	defer tx.Rollback()

	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT series FROM points ORDER BY series`)
	if err != nil {
		return nil, wrap("series ids", err)
	}
	defer rows.Close()
	ids := make([]string, 0)
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, wrap("series ids", err)
		}
		ids = append(ids, id)
	}
	return ids, wrap("series ids", rows.Err())
}

func putPoints(ctx context.Context, tx *Tx, pts []trustwatch.Point) (stored, duplicates int, err error) {
	for i, p := range pts {
		switch {
		case p.Series == "":
			return 0, 0, trustwatch.Errorf(trustwatch.EINVALID, "point %d: missing series", i)
		case p.Time.IsZero():
			return 0, 0, trustwatch.Errorf(trustwatch.EINVALID, "point %d (%s): missing time", i, p.Series)
		case math.IsNaN(p.Value) || math.IsNaN(p.Count) || math.IsNaN(p.Sample):
			return 0, 0, trustwatch.Errorf(trustwatch.EINVALID, "point %d (%s): value is not a number", i, p.Series)
		}
	}
	// The WHERE makes an identical re-put change no row, which is how it is
	// told apart from a replacement.
	st, err := tx.PrepareContext(ctx, `INSERT INTO points (series, time, batch, value, entity, unit, count, sample)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (series, time, batch) DO UPDATE SET
			value = excluded.value, entity = excluded.entity, unit = excluded.unit,
			count = excluded.count, sample = excluded.sample
		WHERE value <> excluded.value OR entity <> excluded.entity OR unit <> excluded.unit
			OR count <> excluded.count OR sample <> excluded.sample`)
	if err != nil {
		return 0, 0, err
	}
	defer st.Close()
	return upsertEach(ctx, st, len(pts), func(i int) []any {
		p := &pts[i]
		return []any{p.Series, p.Time.Unix(), p.Batch, p.Value, p.Entity, p.Unit, p.Count, p.Sample}
	})
}

func findPoints(ctx context.Context, tx *Tx, f trustwatch.PointFilter) ([]trustwatch.Point, error) {
	var conds []string
	var args []any
	if f.Series != "" {
		conds = append(conds, "series = ?")
		args = append(args, f.Series)
	}
	if !f.From.IsZero() {
		conds = append(conds, "time >= ?")
		args = append(args, ceilUnix(f.From))
	}
	if !f.To.IsZero() {
		conds = append(conds, "time < ?")
		args = append(args, ceilUnix(f.To))
	}
	rows, err := tx.QueryContext(ctx, `SELECT series, time, batch, value, entity, unit, count, sample FROM points`+
		whereClause(conds)+` ORDER BY time, series, batch`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	pts := make([]trustwatch.Point, 0)
	for rows.Next() {
		var p trustwatch.Point
		var t int64
		if err := rows.Scan(&p.Series, &t, &p.Batch, &p.Value, &p.Entity, &p.Unit, &p.Count, &p.Sample); err != nil {
			return nil, err
		}
		p.Time = fromUnix(t)
		pts = append(pts, p)
	}
	return pts, rows.Err()
}
