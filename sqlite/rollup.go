package sqlite

import (
	"context"
	"database/sql"
	"time"

	"trustwatch"
)

// The rollups count items per hour and per day of DB.Location, for all items
// (entity '') and per entity, split by platform and kind, and separately per
// aspect. PutItems adds to them in its transaction, only for the items it
// stores, and UpdateAnalysis moves an item's counts when its analysis
// changes, so they always equal a count over the items.

// rollupKey names one row of rollups.
type rollupKey struct {
	period   trustwatch.Period
	entity   string
	start    int64
	platform string
	kind     string
}

// aspectKey names one row of aspect_rollups.
type aspectKey struct {
	period trustwatch.Period
	entity string
	aspect string
	start  int64
}

// tally is a count split by sentiment label; in a batch of changes it is
// a difference and may be negative.
type tally struct{ count, pos, neg, neu int64 }

// add counts d items (1, or -1 for one taken away) labelled l.
func (t *tally) add(l trustwatch.Label, d int64) {
	t.count += d
	switch l {
	case trustwatch.Positive:
		t.pos += d
	case trustwatch.Negative:
		t.neg += d
	case trustwatch.Neutral:
		t.neu += d
	}
}

func (t *tally) zero() bool { return *t == tally{} }

// rollupAgg sums a batch of items in memory, so that each rollup row is
// written once per batch rather than once per item.
type rollupAgg struct {
	loc     *time.Location
	items   map[rollupKey]*tally
	aspects map[aspectKey]*tally
	labels  map[string][2]int // per aspect of the current item: pos, neg hits
}

func newRollupAgg(loc *time.Location) *rollupAgg {
	return &rollupAgg{
		loc:     loc,
		items:   make(map[rollupKey]*tally),
		aspects: make(map[aspectKey]*tally),
		labels:  make(map[string][2]int),
	}
}

// periodStarts returns the unix seconds at which the hour and the day
// holding t begin, in loc.
func periodStarts(t time.Time, loc *time.Location) (hour, day int64) {
	l := t.In(loc)
	y, m, d := l.Date()
	return time.Date(y, m, d, l.Hour(), 0, 0, 0, loc).Unix(), time.Date(y, m, d, 0, 0, 0, 0, loc).Unix()
}

// aspectLabel is the one label an item gives an aspect it mentions pos
// times positively and neg times negatively: bad news first, so a tie
// between praise and complaint counts as a complaint.
func aspectLabel(pos, neg int) trustwatch.Label {
	switch {
	case neg > 0 && neg >= pos:
		return trustwatch.Negative
	case pos > neg:
		return trustwatch.Positive
	}
	return trustwatch.Neutral
}

// add counts a stored item; entities are its distinct entities.
func (a *rollupAgg) add(it *trustwatch.Item, entities []string) { a.count(it, entities, 1) }

// sub takes back what add counted for the same item and entities.
func (a *rollupAgg) sub(it *trustwatch.Item, entities []string) { a.count(it, entities, -1) }

func (a *rollupAgg) count(it *trustwatch.Item, entities []string, d int64) {
	hour, day := periodStarts(it.Time, a.loc)
	for _, p := range [2]struct {
		period trustwatch.Period
		start  int64
	}{{trustwatch.Hour, hour}, {trustwatch.Day, day}} {
		for i := -1; i < len(entities); i++ {
			entity := ""
			if i >= 0 {
				entity = entities[i]
			}
			k := rollupKey{p.period, entity, p.start, it.Platform, string(it.Kind)}
			t := a.items[k]
			if t == nil {
				t = new(tally)
				a.items[k] = t
			}
			t.add(it.Sentiment, d)
		}
	}
	if len(it.Aspects) == 0 {
		return
	}
	clear(a.labels)
	for _, h := range it.Aspects {
		if h.Aspect == "" {
			continue
		}
		c := a.labels[h.Aspect]
		switch h.Label {
		case trustwatch.Positive:
			c[0]++
		case trustwatch.Negative:
			c[1]++
		}
		a.labels[h.Aspect] = c
	}
	for aspect, c := range a.labels {
		label := aspectLabel(c[0], c[1])
		for _, p := range [2]struct {
			period trustwatch.Period
			start  int64
		}{{trustwatch.Hour, hour}, {trustwatch.Day, day}} {
			for i := -1; i < len(entities); i++ {
				entity := ""
				if i >= 0 {
					entity = entities[i]
				}
				k := aspectKey{p.period, entity, aspect, p.start}
				t := a.aspects[k]
				if t == nil {
					t = new(tally)
					a.aspects[k] = t
				}
				t.add(label, d)
			}
		}
	}
}

// flush adds the sums to the rollup tables. A row whose count falls to 0
// is deleted, as periods without items are absent: the tables then hold
// exactly what counting the items afresh would write.
func (a *rollupAgg) flush(ctx context.Context, tx *Tx) error {
	if len(a.items) > 0 {
		st, err := tx.PrepareContext(ctx, `INSERT INTO rollups (period, entity, start, platform, kind, count, pos, neg, neu)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (period, entity, start, platform, kind) DO UPDATE SET
				count = count + excluded.count, pos = pos + excluded.pos,
				neg = neg + excluded.neg, neu = neu + excluded.neu`)
		if err != nil {
			return err
		}
		defer st.Close()
		var del *sql.Stmt
		for k, t := range a.items {
			if t.zero() {
				continue
			}
			args := []any{string(k.period), k.entity, k.start, k.platform, k.kind}
			if _, err := st.ExecContext(ctx, append(args, t.count, t.pos, t.neg, t.neu)...); err != nil {
				return err
			}
			if t.count < 0 {
				if del == nil {
					if del, err = tx.PrepareContext(ctx, `DELETE FROM rollups WHERE period = ? AND entity = ?
						AND start = ? AND platform = ? AND kind = ? AND count = 0`); err != nil {
						return err
					}
					defer del.Close()
				}
				if _, err := del.ExecContext(ctx, args...); err != nil {
					return err
				}
			}
		}
	}
	if len(a.aspects) > 0 {
		st, err := tx.PrepareContext(ctx, `INSERT INTO aspect_rollups (period, entity, aspect, start, count, pos, neg, neu)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (period, entity, aspect, start) DO UPDATE SET
				count = count + excluded.count, pos = pos + excluded.pos,
				neg = neg + excluded.neg, neu = neu + excluded.neu`)
		if err != nil {
			return err
		}
		defer st.Close()
		var del *sql.Stmt
		for k, t := range a.aspects {
			if t.zero() {
				continue
			}
			args := []any{string(k.period), k.entity, k.aspect, k.start}
			if _, err := st.ExecContext(ctx, append(args, t.count, t.pos, t.neg, t.neu)...); err != nil {
				return err
			}
			if t.count < 0 {
				if del == nil {
					if del, err = tx.PrepareContext(ctx, `DELETE FROM aspect_rollups WHERE period = ? AND entity = ?
						AND aspect = ? AND start = ? AND count = 0`); err != nil {
						return err
					}
					defer del.Close()
				}
				if _, err := del.ExecContext(ctx, args...); err != nil {
					return err
				}
			}
		}
	}
	clear(a.items)
	clear(a.aspects)
	return nil
}

// syncRollupZone makes sure the stored rollups were cut in DB.Location and
// rebuilds them from the items when they were not (the zone changed since
// they were written). Once checked, a zone is not checked again.
func (db *DB) syncRollupZone(ctx context.Context) error {
	zone := db.location().String()
	db.zoneMu.Lock()
	defer db.zoneMu.Unlock()
	if db.zoneChecked == zone {
		return nil
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return wrap("rollup zone", err)
	}
	defer tx.Rollback()

	var stored string
	err = tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE name = 'rollup_zone'`).Scan(&stored)
	if err != nil && err != sql.ErrNoRows {
		return wrap("rollup zone", err)
	}
	if stored != zone {
		if err := rebuildRollups(ctx, tx); err != nil {
			return wrap("rebuild rollups", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings (name, value) VALUES ('rollup_zone', ?)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value`, zone); err != nil {
			return wrap("rollup zone", err)
		}
		if err := tx.Commit(); err != nil {
			return wrap("rollup zone", err)
		}
	}
	db.zoneChecked = zone
	return nil
}

// rebuildRollups recomputes the rollups from the stored items in the zone
// of tx's DB, streaming the items through the same aggregation as PutItems.
func rebuildRollups(ctx context.Context, tx *Tx) error {
	for _, q := range []string{`DELETE FROM rollups`, `DELETE FROM aspect_rollups`} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	agg := newRollupAgg(tx.db.location())
	err := queryItems(ctx, tx, "", nil, orderStored, 0, 0, func(it *trustwatch.Item) error {
		agg.add(it, it.Entities)
		return nil
	})
	if err != nil {
		return err
	}
	return agg.flush(ctx, tx)
}

// Volume returns the item counts per period of f.By (default day) in
// [From, To) — a period is in when its start is — summed over the
// dimensions f leaves empty, oldest period first. With f.Aspect set it
// counts the items mentioning that aspect; those counts are not split by
// platform or kind, so asking for both is EINVALID.
func (db *DB) Volume(ctx context.Context, f trustwatch.VolumeFilter) ([]trustwatch.VolumePoint, error) {
	if err := db.syncRollupZone(ctx); err != nil {
		return nil, err
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, wrap("volume", err)
	}
	defer tx.Rollback()

	pts, err := volume(ctx, tx, f)
	if err != nil {
		return nil, wrap("volume", err)
	}
	return pts, nil
}

// Breakdown returns the counts over [From, To) grouped by "platform",
// "entity", "kind" or "aspect", largest first. The rollups of f.By are used
// (default hour, so that From and To are honoured to the hour). Entity,
// Platform, Kind and Aspect in f narrow what is counted; the aspect
// rollups are not split by platform or kind, so grouping by aspect, or
// filtering by Aspect, together with Platform or Kind is EINVALID, and so
// is grouping by platform or kind with Aspect set.
func (db *DB) Breakdown(ctx context.Context, by string, f trustwatch.VolumeFilter) ([]trustwatch.VolumeBreakdown, error) {
	if err := db.syncRollupZone(ctx); err != nil {
		return nil, err
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, wrap("breakdown", err)
	}
	defer tx.Rollback()

	bs, err := breakdown(ctx, tx, by, f)
	if err != nil {
		return nil, wrap("breakdown", err)
	}
	return bs, nil
}

// rollupSource picks the table and conditions for f: the aspect rollups
// when f.Aspect is set or the grouping is by aspect, the item rollups
// otherwise. groupByEntity selects the per-entity rows, of every entity unless f.Entity is set.
func rollupSource(f trustwatch.VolumeFilter, period trustwatch.Period, groupByEntity, byAspect bool) (table string, conds []string, args []any, err error) {
	if period != trustwatch.Hour && period != trustwatch.Day {
		return "", nil, nil, trustwatch.Errorf(trustwatch.EINVALID, "unknown period %q (want hour or day)", period)
	}
	conds = append(conds, "period = ?")
	args = append(args, string(period))
	if groupByEntity {
		conds = append(conds, "entity <> ''")
		if f.Entity != "" {
			conds = append(conds, "entity = ?")
			args = append(args, f.Entity)
		}
	} else {
		conds = append(conds, "entity = ?")
		args = append(args, f.Entity)
	}
	if f.Aspect != "" || byAspect {
		if f.Platform != "" || f.Kind != "" {
			return "", nil, nil, trustwatch.Errorf(trustwatch.EINVALID, "aspect volumes are not split by platform or kind")
		}
		table = "aspect_rollups"
		if f.Aspect != "" {
			conds = append(conds, "aspect = ?")
			args = append(args, f.Aspect)
		}
	} else {
		table = "rollups"
		if f.Platform != "" {
			conds = append(conds, "platform = ?")
			args = append(args, f.Platform)
		}
		if f.Kind != "" {
			conds = append(conds, "kind = ?")
			args = append(args, string(f.Kind))
		}
	}
	if !f.From.IsZero() {
		conds = append(conds, "start >= ?")
		args = append(args, ceilUnix(f.From))
	}
	if !f.To.IsZero() {
		conds = append(conds, "start < ?")
		args = append(args, ceilUnix(f.To))
	}
	return table, conds, args, nil
}

func volume(ctx context.Context, tx *Tx, f trustwatch.VolumeFilter) ([]trustwatch.VolumePoint, error) {
	period := f.By
	if period == "" {
		period = trustwatch.Day
	}
	table, conds, args, err := rollupSource(f, period, false, false)
	if err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT start, SUM(count), SUM(pos), SUM(neg), SUM(neu) FROM `+table+
		whereClause(conds)+` GROUP BY start ORDER BY start`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	loc := tx.db.location()
	pts := make([]trustwatch.VolumePoint, 0)
	for rows.Next() {
		var p trustwatch.VolumePoint
		var start int64
		if err := rows.Scan(&start, &p.Count, &p.Pos, &p.Neg, &p.Neu); err != nil {
			return nil, err
		}
		p.Period = time.Unix(start, 0).In(loc)
		pts = append(pts, p)
	}
	return pts, rows.Err()
}

func breakdown(ctx context.Context, tx *Tx, by string, f trustwatch.VolumeFilter) ([]trustwatch.VolumeBreakdown, error) {
	period := f.By
	if period == "" {
		period = trustwatch.Hour
	}
	var table string
	var conds []string
	var args []any
	var err error
	switch by {
	case "platform", "kind":
		if f.Aspect != "" {
			return nil, trustwatch.Errorf(trustwatch.EINVALID, "aspect volumes are not split by %s", by)
		}
		table, conds, args, err = rollupSource(f, period, false, false)
	case "entity":
		table, conds, args, err = rollupSource(f, period, true, false)
	case "aspect":
		table, conds, args, err = rollupSource(f, period, false, true)
	default:
		return nil, trustwatch.Errorf(trustwatch.EINVALID, "unknown breakdown %q (want platform, entity, kind or aspect)", by)
	}
	if err != nil {
		return nil, err
	}
	// by is one of the column names above, never user text.
	rows, err := tx.QueryContext(ctx, `SELECT `+by+`, SUM(count), SUM(pos), SUM(neg), SUM(neu) FROM `+table+
		whereClause(conds)+` GROUP BY `+by+` ORDER BY SUM(count) DESC, `+by, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	bs := make([]trustwatch.VolumeBreakdown, 0)
	for rows.Next() {
		var b trustwatch.VolumeBreakdown
		if err := rows.Scan(&b.Key, &b.Count, &b.Pos, &b.Neg, &b.Neu); err != nil {
			return nil, err
		}
		bs = append(bs, b)
	}
	return bs, rows.Err()
}
