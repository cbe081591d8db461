package postgres

import (
	"context"
	"math"

	"github.com/jackc/pgx/v5"

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
	if err := checkPoints(pts); err != nil {
		return 0, 0, err
	}
	err = db.update(ctx, "put points", func(tx pgx.Tx) (err error) {
		stored, err = putPoints(ctx, tx, pts)
		return err
	})
	if err != nil {
		return 0, 0, err
	}
	return stored, len(pts) - stored, nil
}

// checkPoints refuses points that cannot be stored.
func checkPoints(pts []trustwatch.Point) error {
	for i, p := range pts {
		switch {
		case p.Series == "":
			return trustwatch.Errorf(trustwatch.EINVALID, "point %d: missing series", i)
		case p.Time.IsZero():
			return trustwatch.Errorf(trustwatch.EINVALID, "point %d (%s): missing time", i, p.Series)
		case math.IsNaN(p.Value) || math.IsNaN(p.Count) || math.IsNaN(p.Sample):
			return trustwatch.Errorf(trustwatch.EINVALID, "point %d (%s): value is not a number", i, p.Series)
		}
	}
	return nil
}

// putPoints writes checked points in tx and returns how many it stored.
func putPoints(ctx context.Context, tx pgx.Tx, pts []trustwatch.Point) (stored int, err error) {
	// The WHERE makes an identical re-put change no row, which is how it
	// is told apart from a replacement: only written rows return.
	b := &pgx.Batch{}
	for _, p := range pts {
		b.Queue(`INSERT INTO points AS o (series, time, batch, value, entity, unit, count, sample)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (series, time, batch) DO UPDATE SET
				value = excluded.value, entity = excluded.entity, unit = excluded.unit,
				count = excluded.count, sample = excluded.sample
			WHERE o.value <> excluded.value OR o.entity <> excluded.entity OR o.unit <> excluded.unit
				OR o.count <> excluded.count OR o.sample <> excluded.sample`,
			p.Series, utc(p.Time), p.Batch, p.Value, p.Entity, p.Unit, p.Count, p.Sample)
	}
	return execBatch(ctx, tx, b)
}

// execBatch sends b and returns how many rows its statements wrote.
func execBatch(ctx context.Context, tx pgx.Tx, b *pgx.Batch) (int, error) {
	br := tx.SendBatch(ctx, b)
	n := 0
	for range b.Len() {
		tag, err := br.Exec()
		if err != nil {
			br.Close()
			return 0, err
		}
		n += int(tag.RowsAffected())
	}
	return n, br.Close()
}

// Points returns the points of f.Series (every series when empty) in
// [From, To), oldest first.
func (db *DB) Points(ctx context.Context, f trustwatch.PointFilter) ([]trustwatch.Point, error) {
	var a args
	var conds []string
	if f.Series != "" {
		conds = append(conds, "series = "+a.add(f.Series))
	}
	if !f.From.IsZero() {
		conds = append(conds, "time >= "+a.add(ceilSecond(f.From)))
	}
	if !f.To.IsZero() {
		conds = append(conds, "time < "+a.add(ceilSecond(f.To)))
	}
	rows, err := db.pool.Query(ctx, `SELECT series, time, batch, value, entity, unit, count, sample FROM points`+
		whereClause(conds)+` ORDER BY time, series COLLATE "C", batch COLLATE "C"`, a...)
	if err != nil {
		return nil, wrap("points", err)
	}
	pts, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (trustwatch.Point, error) {
		var p trustwatch.Point
		err := row.Scan(&p.Series, &p.Time, &p.Batch, &p.Value, &p.Entity, &p.Unit, &p.Count, &p.Sample)
		p.Time = p.Time.UTC()
		return p, err
	})
	if err != nil {
		return nil, wrap("points", err)
	}
	if pts == nil {
		pts = []trustwatch.Point{}
	}
	return pts, nil
}

// SeriesIDs returns the ids of the series that have points, sorted.
func (db *DB) SeriesIDs(ctx context.Context) ([]string, error) {
	rows, err := db.pool.Query(ctx, `SELECT DISTINCT series COLLATE "C" FROM points ORDER BY 1`)
	if err != nil {
		return nil, wrap("series ids", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, wrap("series ids", err)
	}
	if ids == nil {
		ids = []string{}
	}
	return ids, nil
}
