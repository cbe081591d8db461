package sqlite

import (
	"context"
	"database/sql"
	"slices"

	"trustwatch"
)

// Re-analysis: when the watch file changes, the stored items are read in
// batches (ItemsAfter), analysed again by the caller, and their new
// analysis written back (UpdateAnalysis). These are SQLite capabilities,
// not part of trustwatch.Store; `trustwatch retag` uses them through the
// small interface ingest.RetagStore.

// ItemsAfter returns up to n items in the order they were stored, starting
// after the cursor after (0 for the first item), and the cursor of the last
// one returned; at the end it returns no items and after. The cursor is a
// position in storage order (the row's key), meaningful only to
// ItemsAfter. Items come back as FindItems returns them, without Tokens.
// Each call is its own read transaction, so a caller may write between
// calls; items stored meanwhile come after every older one.
func (db *DB) ItemsAfter(ctx context.Context, after int64, n int) ([]trustwatch.Item, int64, error) {
	if n <= 0 {
		return nil, after, trustwatch.Errorf(trustwatch.EINVALID, "items after: batch size %d", n)
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, after, wrap("items after", err)
	}
	defer tx.Rollback()

	var last sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT MAX(pk) FROM (SELECT pk FROM items WHERE pk > ? ORDER BY pk LIMIT ?)`,
		after, n).Scan(&last); err != nil {
		return nil, after, wrap("items after", err)
	}
	if !last.Valid {
		return nil, after, nil
	}
	items := make([]trustwatch.Item, 0, n)
	err = queryItems(ctx, tx, ` WHERE i.pk > ? AND i.pk <= ?`, []any{after, last.Int64}, orderStored, 0, 0,
		func(it *trustwatch.Item) error {
			items = append(items, *it)
			return nil
		})
	if err != nil {
		return nil, after, wrap("items after", err)
	}
	return items, last.Int64, nil
}

// storedAnalysis is what UpdateAnalysis compares and replaces.
type storedAnalysis struct {
	pk                int64
	kind              string
	time              int64
	entities, aspects string // as encoded in items
	sentiment         string
	pPos              float64
}

// UpdateAnalysis replaces the analysis (Entities, Sentiment, PPos and
// Aspects) of stored items, found by Platform and ID, in one transaction,
// and returns how many of them changed. Tokens are ignored: the text index
// holds the units of the item's text, which analysis does not change. An
// item whose analysis is as stored is not written at all, so updating twice
// with the same analysis changes nothing the second time. For a changed
// item it rewrites the entity and aspect index rows, and moves the item's counts in the
// rollups from its old entities, label and aspects to the new ones, so the
// rollups equal what storing the items afresh would give. An item not
// stored is ENOTFOUND and nothing is written.
func (db *DB) UpdateAnalysis(ctx context.Context, items []trustwatch.Item) (changed int, err error) {
	if len(items) == 0 {
		return 0, nil
	}
	if err := db.syncRollupZone(ctx); err != nil {
		return 0, err
	}
	err = db.update(ctx, "update analysis", func(tx *Tx) (err error) {
		changed, err = updateAnalysis(ctx, tx, items)
		return err
	})
	if err != nil {
		return 0, err
	}
	return changed, nil
}

func updateAnalysis(ctx context.Context, tx *Tx, items []trustwatch.Item) (changed int, err error) {
	prep := func(q string) (*sql.Stmt, error) { return tx.PrepareContext(ctx, q) }
	get, err := prep(`SELECT pk, kind, time, entities, sentiment, p_pos, aspects FROM items
		WHERE id = ? AND platform = ?`)
	if err != nil {
		return 0, err
	}
	defer get.Close()
	set, err := prep(`UPDATE items SET entities = ?, sentiment = ?, p_pos = ?, aspects = ? WHERE pk = ?`)
	if err != nil {
		return 0, err
	}
	defer set.Close()
	delEntity, err := prep(`DELETE FROM item_entities WHERE entity = ? AND item = ?`)
	if err != nil {
		return 0, err
	}
	defer delEntity.Close()
	delAspect, err := prep(`DELETE FROM item_aspects WHERE aspect = ? AND item = ?`)
	if err != nil {
		return 0, err
	}
	defer delAspect.Close()
	insEntities := newBulkInsert(tx, `INSERT INTO item_entities (entity, item)`, 2, 400, "")
	defer insEntities.close()
	insAspects := newBulkInsert(tx, `INSERT INTO item_aspects (aspect, item, seq, label)`, 4, 250, "")
	defer insAspects.close()
	agg := newRollupAgg(tx.db.location())

	// An item's index rows are deleted at once but inserted in bulk at the
	// end, so an item given twice would be inserted twice.
	seen := make(map[itemKey]bool, len(items))
	for i := range items {
		it := &items[i]
		k := itemKey{it.Platform, it.ID}
		if seen[k] {
			return 0, trustwatch.Errorf(trustwatch.EINVALID, "item %q (platform %q) given twice", it.ID, it.Platform)
		}
		seen[k] = true
		var old storedAnalysis
		err := get.QueryRowContext(ctx, it.ID, it.Platform).Scan(&old.pk, &old.kind, &old.time,
			&old.entities, &old.sentiment, &old.pPos, &old.aspects)
		if err == sql.ErrNoRows {
			return 0, trustwatch.Errorf(trustwatch.ENOTFOUND, "item %q (platform %q) not found", it.ID, it.Platform)
		} else if err != nil {
			return 0, err
		}
		entities := distinct(nil, it.Entities)
		encEntities, encAspects := encodeStrings(entities), encodeAspects(it.Aspects)
		if encEntities == old.entities && encAspects == old.aspects && string(it.Sentiment) == old.sentiment &&
			it.PPos == old.pPos {
			continue
		}
		changed++
		if _, err := set.ExecContext(ctx, encEntities, string(it.Sentiment), it.PPos, encAspects, old.pk); err != nil {
			return 0, err
		}

		oldEntities, err := decodeStrings([]byte(old.entities))
		if err != nil {
			return 0, err
		}
		oldAspects, err := decodeAspects([]byte(old.aspects))
		if err != nil {
			return 0, err
		}
		if encEntities != old.entities {
			for _, e := range oldEntities {
				if !slices.Contains(entities, e) {
					if _, err := delEntity.ExecContext(ctx, e, old.pk); err != nil {
						return 0, err
					}
				}
			}
			for _, e := range entities {
				if !slices.Contains(oldEntities, e) {
					if err := insEntities.add(ctx, e, old.pk); err != nil {
						return 0, err
					}
				}
			}
		}
		if encAspects != old.aspects {
			var gone []string
			for _, a := range oldAspects {
				if !slices.Contains(gone, a.Aspect) {
					gone = append(gone, a.Aspect)
					if _, err := delAspect.ExecContext(ctx, a.Aspect, old.pk); err != nil {
						return 0, err
					}
				}
			}
			for seq, a := range it.Aspects {
				if err := insAspects.add(ctx, a.Aspect, old.pk, seq, string(a.Label)); err != nil {
					return 0, err
				}
			}
		}

		// The rollups count the stored time, platform and kind, which
		// analysis does not change.
		before := trustwatch.Item{Platform: it.Platform, Kind: trustwatch.Kind(old.kind), Time: fromUnix(old.time),
			Sentiment: trustwatch.Label(old.sentiment), Aspects: oldAspects}
		after := before
		after.Sentiment, after.Aspects = it.Sentiment, it.Aspects
		agg.sub(&before, oldEntities)
		agg.add(&after, entities)
	}
	for _, b := range []*bulkInsert{insEntities, insAspects} {
		if err := b.flush(ctx); err != nil {
			return 0, err
		}
	}
	return changed, agg.flush(ctx, tx)
}
