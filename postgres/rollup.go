package postgres

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"trustwatch"
)

// The rollups count items per hour and per day of DB.Location, for all
// items (entity '') and per entity, split by platform and kind, and
// separately per aspect. PutItems adds to them in its transaction, only for
// the items it stores, with INSERT ... ON CONFLICT DO UPDATE SET count =
// count + excluded.count: the row lock that takes makes concurrent
// increments of one row add up, so the rollups always equal a count over
// the committed items. UpdateAnalysis moves a re-analysed item's counts
// the same way (sub, then add) and deletes rows that fall to 0. The
// counting rules (which periods, the one label of
// an aspect) are the SQLite store's (sqlite/rollup.go); the suite holds
// both to the same numbers.

// rollupKey names one row of rollups.
type rollupKey struct {
	period   trustwatch.Period
	entity   string
	start    time.Time
	platform string
	kind     string
}

// aspectKey names one row of aspect_rollups.
type aspectKey struct {
	period trustwatch.Period
	entity string
	aspect string
	start  time.Time
}

// tally is a count split by sentiment label.
type tally struct{ count, pos, neg, neu int64 }

// add counts d items (d < 0 takes them away) with label l.
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

// zero reports whether t changes nothing (an item counted out and back in
// with the same label).
func (t *tally) zero() bool { return *t == tally{} }

// rollupAgg sums a batch in memory, so each rollup row is written once per
// batch (ON CONFLICT DO UPDATE cannot touch one row twice in a statement).
type rollupAgg struct {
	loc     *time.Location
	items   map[rollupKey]*tally
	aspects map[aspectKey]*tally
}

func newRollupAgg(loc *time.Location) *rollupAgg {
	return &rollupAgg{loc: loc, items: make(map[rollupKey]*tally), aspects: make(map[aspectKey]*tally)}
}

// periodStarts returns the starts of the hour and the day holding t in loc.
func periodStarts(t time.Time, loc *time.Location) (hour, day time.Time) {
	l := t.In(loc)
	y, m, d := l.Date()
	return time.Date(y, m, d, l.Hour(), 0, 0, 0, loc).UTC(), time.Date(y, m, d, 0, 0, 0, 0, loc).UTC()
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

// sub takes back what add counted for an item (its analysis is replaced).
func (a *rollupAgg) sub(it *trustwatch.Item, entities []string) { a.count(it, entities, -1) }

// count adds d times an item to the sums.
func (a *rollupAgg) count(it *trustwatch.Item, entities []string, d int64) {
	hour, day := periodStarts(it.Time, a.loc)
	periods := [2]struct {
		period trustwatch.Period
		start  time.Time
	}{{trustwatch.Hour, hour}, {trustwatch.Day, day}}
	groups := append([]string{""}, entities...)
	for _, p := range periods {
		for _, e := range groups {
			k := rollupKey{p.period, e, p.start, it.Platform, string(it.Kind)}
			if a.items[k] == nil {
				a.items[k] = new(tally)
			}
			a.items[k].add(it.Sentiment, d)
		}
	}
	labels := make(map[string][2]int) // per aspect: pos, neg hits
	for _, h := range it.Aspects {
		if h.Aspect == "" {
			continue
		}
		c := labels[h.Aspect]
		switch h.Label {
		case trustwatch.Positive:
			c[0]++
		case trustwatch.Negative:
			c[1]++
		}
		labels[h.Aspect] = c
	}
	for aspect, c := range labels {
		label := aspectLabel(c[0], c[1])
		for _, p := range periods {
			for _, e := range groups {
				k := aspectKey{p.period, e, aspect, p.start}
				if a.aspects[k] == nil {
					a.aspects[k] = new(tally)
				}
				a.aspects[k].add(label, d)
			}
		}
	}
}

// flush adds the sums to the rollup tables, one statement per table. Rows
// go in sorted by key (unnest keeps the arrays' order), so two writers
// lock the rows they share in the same order and cannot deadlock. Sums
// that change nothing are not written. A row whose count falls to 0 (an
// item's analysis moved it elsewhere) is deleted, as periods without items
// are absent: the tables then hold exactly what counting the items afresh
// would write. The delete runs while this transaction holds the row's
// lock, and a concurrent writer waiting to add to the row inserts it anew.
func (a *rollupAgg) flush(ctx context.Context, tx pgx.Tx) error {
	if len(a.items) > 0 {
		keys := make([]rollupKey, 0, len(a.items))
		for k, t := range a.items {
			if !t.zero() {
				keys = append(keys, k)
			}
		}
		slices.SortFunc(keys, func(x, y rollupKey) int {
			return cmp.Or(cmp.Compare(x.period, y.period), cmp.Compare(x.entity, y.entity),
				x.start.Compare(y.start), cmp.Compare(x.platform, y.platform), cmp.Compare(x.kind, y.kind))
		})
		var periods, entities, platforms, kinds []string
		var starts []time.Time
		var counts, pos, neg, neu []int64
		shrunk := false
		for _, k := range keys {
			t := a.items[k]
			periods, entities, starts = append(periods, string(k.period)), append(entities, k.entity), append(starts, k.start)
			platforms, kinds = append(platforms, k.platform), append(kinds, k.kind)
			counts, pos, neg, neu = append(counts, t.count), append(pos, t.pos), append(neg, t.neg), append(neu, t.neu)
			shrunk = shrunk || t.count < 0
		}
		if len(keys) > 0 {
			if _, err := tx.Exec(ctx, `INSERT INTO rollups AS r (period, entity, start, platform, kind, count, pos, neg, neu)
				SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::text[],
					$6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[])
				ON CONFLICT (period, entity, start, platform, kind) DO UPDATE SET
					count = r.count + excluded.count, pos = r.pos + excluded.pos,
					neg = r.neg + excluded.neg, neu = r.neu + excluded.neu`,
				periods, entities, starts, platforms, kinds, counts, pos, neg, neu); err != nil {
				return err
			}
		}
		if shrunk {
			if _, err := tx.Exec(ctx, `DELETE FROM rollups r
				USING unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::bigint[])
					AS k (period, entity, start, platform, kind, count)
				WHERE k.count < 0 AND r.count = 0 AND r.period = k.period AND r.entity = k.entity
					AND r.start = k.start AND r.platform = k.platform AND r.kind = k.kind`,
				periods, entities, starts, platforms, kinds, counts); err != nil {
				return err
			}
		}
	}
	if len(a.aspects) > 0 {
		keys := make([]aspectKey, 0, len(a.aspects))
		for k, t := range a.aspects {
			if !t.zero() {
				keys = append(keys, k)
			}
		}
		slices.SortFunc(keys, func(x, y aspectKey) int {
			return cmp.Or(cmp.Compare(x.period, y.period), cmp.Compare(x.entity, y.entity),
				cmp.Compare(x.aspect, y.aspect), x.start.Compare(y.start))
		})
		var periods, entities, aspects []string
		var starts []time.Time
		var counts, pos, neg, neu []int64
		shrunk := false
		for _, k := range keys {
			t := a.aspects[k]
			periods, entities, aspects, starts = append(periods, string(k.period)), append(entities, k.entity), append(aspects, k.aspect), append(starts, k.start)
			counts, pos, neg, neu = append(counts, t.count), append(pos, t.pos), append(neg, t.neg), append(neu, t.neu)
			shrunk = shrunk || t.count < 0
		}
		if len(keys) > 0 {
			if _, err := tx.Exec(ctx, `INSERT INTO aspect_rollups AS r (period, entity, aspect, start, count, pos, neg, neu)
				SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[],
					$5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[])
				ON CONFLICT (period, entity, aspect, start) DO UPDATE SET
					count = r.count + excluded.count, pos = r.pos + excluded.pos,
					neg = r.neg + excluded.neg, neu = r.neu + excluded.neu`,
				periods, entities, aspects, starts, counts, pos, neg, neu); err != nil {
				return err
			}
		}
		if shrunk {
			if _, err := tx.Exec(ctx, `DELETE FROM aspect_rollups r
				USING unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::bigint[])
					AS k (period, entity, aspect, start, count)
				WHERE k.count < 0 AND r.count = 0 AND r.period = k.period AND r.entity = k.entity
					AND r.aspect = k.aspect AND r.start = k.start`,
				periods, entities, aspects, starts, counts); err != nil {
				return err
			}
		}
	}
	return nil
}

// Volume returns the item counts per period of f.By (default day) in
// [From, To) — a period is in when its start is — summed over the
// dimensions f leaves empty, oldest period first. With f.Aspect set it
// counts the items mentioning that aspect; those counts are not split by
// platform or kind, so asking for both is EINVALID.
func (db *DB) Volume(ctx context.Context, f trustwatch.VolumeFilter) ([]trustwatch.VolumePoint, error) {
	period := f.By
	if period == "" {
		period = trustwatch.Day
	}
	var a args
	table, where, err := rollupSource(f, period, false, false, &a)
	if err != nil {
		return nil, err
	}
	rows, err := db.pool.Query(ctx, `SELECT start, sum(count)::bigint, sum(pos)::bigint, sum(neg)::bigint, sum(neu)::bigint
		FROM `+table+where+` GROUP BY start ORDER BY start`, a...)
	if err != nil {
		return nil, wrap("volume", err)
	}
	loc := db.location()
	pts, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (trustwatch.VolumePoint, error) {
		var p trustwatch.VolumePoint
		err := row.Scan(&p.Period, &p.Count, &p.Pos, &p.Neg, &p.Neu)
		p.Period = p.Period.In(loc)
		return p, err
	})
	if err != nil {
		return nil, wrap("volume", err)
	}
	if pts == nil {
		pts = []trustwatch.VolumePoint{}
	}
	return pts, nil
}

// Breakdown returns the counts over [From, To) grouped by "platform",
// "entity", "kind" or "aspect", largest first, then by key (bytewise, as
// in the SQLite store). The rollups of f.By are used (default hour, so
// that From and To are honoured to the hour). The aspect rollups are not
// split by platform or kind: combining them is EINVALID.
func (db *DB) Breakdown(ctx context.Context, by string, f trustwatch.VolumeFilter) ([]trustwatch.VolumeBreakdown, error) {
	period := f.By
	if period == "" {
		period = trustwatch.Hour
	}
	var a args
	var table, where string
	var err error
	switch by {
	case "platform", "kind":
		if f.Aspect != "" {
			return nil, trustwatch.Errorf(trustwatch.EINVALID, "aspect volumes are not split by %s", by)
		}
		table, where, err = rollupSource(f, period, false, false, &a)
	case "entity":
		table, where, err = rollupSource(f, period, true, false, &a)
	case "aspect":
		table, where, err = rollupSource(f, period, false, true, &a)
	default:
		return nil, trustwatch.Errorf(trustwatch.EINVALID, "unknown breakdown %q (want platform, entity, kind or aspect)", by)
	}
	if err != nil {
		return nil, err
	}
	// by is one of the column names above, never user text.
	rows, err := db.pool.Query(ctx, `SELECT `+by+`, sum(count)::bigint, sum(pos)::bigint, sum(neg)::bigint, sum(neu)::bigint
		FROM `+table+where+` GROUP BY `+by+` ORDER BY sum(count) DESC, `+by+` COLLATE "C"`, a...)
	if err != nil {
		return nil, wrap("breakdown", err)
	}
	bs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (trustwatch.VolumeBreakdown, error) {
		var b trustwatch.VolumeBreakdown
		err := row.Scan(&b.Key, &b.Count, &b.Pos, &b.Neg, &b.Neu)
		return b, err
	})
	if err != nil {
		return nil, wrap("breakdown", err)
	}
	if bs == nil {
		bs = []trustwatch.VolumeBreakdown{}
	}
	return bs, nil
}

// rollupSource picks the table and conditions for f: the aspect rollups
// when f.Aspect is set or the grouping is by aspect, the item rollups
// otherwise. groupByEntity selects the per-entity rows, of every entity
// unless f.Entity is set.
func rollupSource(f trustwatch.VolumeFilter, period trustwatch.Period, groupByEntity, byAspect bool, a *args) (table, where string, err error) {
	if period != trustwatch.Hour && period != trustwatch.Day {
		return "", "", trustwatch.Errorf(trustwatch.EINVALID, "unknown period %q (want hour or day)", period)
	}
	conds := []string{"period = " + a.add(string(period))}
	if groupByEntity {
		conds = append(conds, "entity <> ''")
		if f.Entity != "" {
			conds = append(conds, "entity = "+a.add(f.Entity))
		}
	} else {
		conds = append(conds, "entity = "+a.add(f.Entity))
	}
	if f.Aspect != "" || byAspect {
		if f.Platform != "" || f.Kind != "" {
			return "", "", trustwatch.Errorf(trustwatch.EINVALID, "aspect volumes are not split by platform or kind")
		}
		table = "aspect_rollups"
		if f.Aspect != "" {
			conds = append(conds, "aspect = "+a.add(f.Aspect))
		}
	} else {
		table = "rollups"
		if f.Platform != "" {
			conds = append(conds, "platform = "+a.add(f.Platform))
		}
		if f.Kind != "" {
			conds = append(conds, "kind = "+a.add(string(f.Kind)))
		}
	}
	if !f.From.IsZero() {
		conds = append(conds, "start >= "+a.add(ceilSecond(f.From)))
	}
	if !f.To.IsZero() {
		conds = append(conds, "start < "+a.add(ceilSecond(f.To)))
	}
	return table, whereClause(conds), nil
}
