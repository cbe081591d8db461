package postgres

import (
	"context"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"trustwatch"
)

// Re-analysis: when the watch file changes, the stored items are read in
// batches (ItemsAfter), analysed again by the caller, and their new
// analysis written back (UpdateAnalysis). These are capabilities beyond
// trustwatch.Store, which `trustwatch retag` uses through the small
// interface ingest.RetagStore, as with the SQLite store.

// ItemsAfter returns up to n items in the order they were stored, starting
// after the cursor after (0 for the first item), and the cursor of the last
// one returned; at the end it returns no items and after. The cursor is
// the item's pk, the order item_ids claimed it in (batch by batch, and
// within a batch by platform and id), meaningful only to ItemsAfter. Items come back as FindItems returns them, without Tokens.
// Each call is its own read transaction, so a caller may write between
// calls; items stored meanwhile come after every older one.
func (db *DB) ItemsAfter(ctx context.Context, after int64, n int) ([]trustwatch.Item, int64, error) {
	if n <= 0 {
		return nil, after, trustwatch.Errorf(trustwatch.EINVALID, "items after: batch size %d", n)
	}
	var items []trustwatch.Item
	last := after
	err := db.read(ctx, "items after", func(tx pgx.Tx) error {
		// item_ids' unique index on pk finds the batch's bounds without
		// merging every partition's.
		var hi *int64
		if err := tx.QueryRow(ctx, `SELECT max(pk) FROM (SELECT pk FROM item_ids WHERE pk > $1 ORDER BY pk LIMIT $2) b`,
			after, n).Scan(&hi); err != nil {
			return err
		}
		if hi == nil {
			return nil
		}
		last = *hi
		rows, err := tx.Query(ctx, `SELECT `+itemColumns+` FROM items i WHERE i.pk > $1 AND i.pk <= $2 ORDER BY i.pk`,
			after, last)
		if err != nil {
			return err
		}
		defer rows.Close()
		items = make([]trustwatch.Item, 0, n)
		for rows.Next() {
			it, err := scanItem(rows)
			if err != nil {
				return err
			}
			items = append(items, *it)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, after, err
	}
	return items, last, nil
}

// analysisColumns are the columns of the staging table UpdateAnalysis
// copies the new analysis into, in the order of its rows.
var analysisColumns = []string{"idx", "platform", "id", "entities", "sentiment", "p_pos", "aspects", "aspect_names"}

// createAnalysisStage makes the session's analysis staging table, once
// per connection, as createStage does for items.
const createAnalysisStage = `CREATE TEMP TABLE IF NOT EXISTS tw_restage (
	idx integer NOT NULL, platform text NOT NULL, id text NOT NULL,
	entities text[] NOT NULL, sentiment text NOT NULL, p_pos double precision NOT NULL,
	aspects text NOT NULL, aspect_names text[] NOT NULL
) ON COMMIT DELETE ROWS`

// lockAnalysis reads the stored analysis of the staged items, locking
// their rows in pk order: two updates of overlapping batches wait for each
// other rather than deadlock, and each moves the rollups from the analysis
// the other committed.
const lockAnalysis = `SELECT s.idx, i.pk, i.time, i.kind, i.entities, i.sentiment, i.p_pos, i.aspects
FROM tw_restage s
JOIN item_ids d ON d.platform = s.platform AND d.id = s.id
JOIN items i ON i.pk = d.pk AND i.time = d.time
ORDER BY i.pk
FOR UPDATE OF i`

// setAnalysis writes the staged analysis of the changed items, given by
// pk, time (so each row is found in its partition) and staging idx.
const setAnalysis = `UPDATE items i SET entities = s.entities, sentiment = s.sentiment, p_pos = s.p_pos,
	aspects = s.aspects::jsonb, aspect_names = s.aspect_names
FROM unnest($1::bigint[], $2::timestamptz[], $3::integer[]) AS c (pk, time, idx)
JOIN tw_restage s ON s.idx = c.idx
WHERE i.pk = c.pk AND i.time = c.time`

// UpdateAnalysis replaces the analysis (Entities, Sentiment, PPos and
// Aspects) of stored items, found by Platform and ID, in one transaction,
// and returns how many of them changed. Tokens are ignored: the text
// vector holds the units of the item's text, which analysis does not
// change. An item whose analysis is as stored is not written at all, so
// updating twice with the same analysis changes nothing the second time.
// For a changed item it rewrites the row's entities and aspects and moves the item's counts in the rollups from its old entities,
// label and aspects to the new ones, in the same transaction, so the
// rollups equal what storing the items afresh would give. An item not
// stored is ENOTFOUND, one given twice EINVALID, and nothing is written.
func (db *DB) UpdateAnalysis(ctx context.Context, items []trustwatch.Item) (changed int, err error) {
	if len(items) == 0 {
		return 0, nil
	}
	type key struct{ platform, id string }
	seen := make(map[key]bool, len(items))
	entities := make([][]string, len(items))
	aspects := make([]string, len(items))
	rows := make([][]any, len(items))
	for i := range items {
		it := &items[i]
		k := key{it.Platform, it.ID}
		if seen[k] {
			return 0, trustwatch.Errorf(trustwatch.EINVALID, "item %q (platform %q) given twice", it.ID, it.Platform)
		}
		seen[k] = true
		entities[i], aspects[i] = distinct(nil, it.Entities), encodeAspects(it.Aspects)
		rows[i] = []any{int32(i), it.Platform, it.ID, entities[i], string(it.Sentiment), it.PPos,
			aspects[i], aspectNames(it.Aspects)}
	}

	err = db.update(ctx, "update analysis", func(tx pgx.Tx) error {
		changed = 0
		if _, err := tx.Exec(ctx, createAnalysisStage); err != nil {
			return err
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"tw_restage"}, analysisColumns, pgx.CopyFromRows(rows)); err != nil {
			return err
		}
		old, err := tx.Query(ctx, lockAnalysis)
		if err != nil {
			return err
		}
		defer old.Close()
		found := make([]bool, len(items))
		var pks []int64
		var times []time.Time
		var idxs []int32
		agg := newRollupAgg(db.location())
		for old.Next() {
			var (
				idx            int32
				pk             int64
				t              time.Time
				kind, label    string
				oldEntities    []string
				pPos           float64
				oldAspectsJSON []byte
				oldAspects     []trustwatch.AspectHit
			)
			if err := old.Scan(&idx, &pk, &t, &kind, &oldEntities, &label, &pPos, &oldAspectsJSON); err != nil {
				return err
			}
			found[idx] = true
			if oldAspects, err = decodeAspects(oldAspectsJSON); err != nil {
				return err
			}
			it := &items[idx]
			if slices.Equal(oldEntities, entities[idx]) && label == string(it.Sentiment) &&
				pPos == it.PPos && encodeAspects(oldAspects) == aspects[idx] {
				continue
			}
			changed++
			pks, times, idxs = append(pks, pk), append(times, t), append(idxs, idx)
			// The rollups count the stored time, platform and kind, which
			// analysis does not change.
			before := trustwatch.Item{Platform: it.Platform, Kind: trustwatch.Kind(kind), Time: t,
				Sentiment: trustwatch.Label(label), Aspects: oldAspects}
			after := before
			after.Sentiment, after.Aspects = it.Sentiment, it.Aspects
			agg.sub(&before, oldEntities)
			agg.add(&after, entities[idx])
		}
		if err := old.Err(); err != nil {
			return err
		}
		for i, ok := range found {
			if !ok {
				return trustwatch.Errorf(trustwatch.ENOTFOUND, "item %q (platform %q) not found", items[i].ID, items[i].Platform)
			}
		}
		if changed == 0 {
			return nil
		}
		if _, err := tx.Exec(ctx, setAnalysis, pks, times, idxs); err != nil {
			return err
		}
		return agg.flush(ctx, tx)
	})
	if err != nil {
		return 0, err
	}
	return changed, nil
}
