package sqlite

import (
	"context"
	"database/sql"
	"log/slog"
	"strconv"
	"time"

	"trustwatch"
)

// reindexBatch is how many items one transaction of reindexUnits indexes.
const reindexBatch = 5000

// reindexUnits fills the text index with the units of the items stored
// before migration 0007, which left settings.units_reindexed to say how far
// it has come (the pk up to which items are indexed). Each batch of items
// and the progress are written in one transaction, so a process killed
// midway leaves the index of the items up to the recorded pk and nothing
// else, and the next Open goes on from there: the index it ends with is the
// one an uninterrupted run makes. Two processes opening the store at once
// take turns at batches. The setting is removed when every item is indexed.
func (db *DB) reindexUnits(ctx context.Context) error {
	var total int64
	start := time.Now()
	for {
		done, n, last, err := db.reindexStep(ctx)
		if err != nil {
			return wrap("reindex text", err)
		}
		if total == 0 && n > 0 {
			db.logger().Info("sqlite: indexing the text of stored items for the query language (migration 0007)",
				"path", db.Path)
		}
		total += int64(n)
		if done {
			if total > 0 {
				db.logger().Info("sqlite: text index complete", "items", total, "took", time.Since(start).Round(time.Millisecond))
			}
			return nil
		}
		if total%(20*reindexBatch) < reindexBatch {
			db.logger().Info("sqlite: indexing text", "items", total, "last_pk", last)
		}
	}
}

// reindexStep indexes the next batch. It returns done when there was
// nothing left (and the setting is gone), else the items it read and the
// last pk.
func (db *DB) reindexStep(ctx context.Context) (done bool, n int, last int64, err error) {
	err = db.update(ctx, "reindex text", func(tx *Tx) error {
		var v string
		err := tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE name = 'units_reindexed'`).Scan(&v)
		if err == sql.ErrNoRows {
			done = true
			return nil
		} else if err != nil {
			return err
		}
		after, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT pk, title, text FROM items WHERE pk > ? ORDER BY pk LIMIT ?`,
			after, reindexBatch)
		if err != nil {
			return err
		}
		ins := newBulkInsert(tx, `INSERT INTO items_fts (rowid, units)`, 2, 500, "")
		defer ins.close()
		type row struct {
			pk    int64
			units string
		}
		var batch []row
		for rows.Next() {
			var r row
			var it trustwatch.Item
			if err := rows.Scan(&r.pk, &it.Title, &it.Text); err != nil {
				rows.Close()
				return err
			}
			r.units = indexText(&it)
			batch = append(batch, r)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if len(batch) == 0 {
			done = true
			_, err := tx.ExecContext(ctx, `DELETE FROM settings WHERE name = 'units_reindexed'`)
			return err
		}
		for _, r := range batch {
			if r.units != "" {
				if err := ins.add(ctx, r.pk, r.units); err != nil {
					return err
				}
			}
		}
		if err := ins.flush(ctx); err != nil {
			return err
		}
		n, last = len(batch), batch[len(batch)-1].pk
		_, err = tx.ExecContext(ctx, `UPDATE settings SET value = ? WHERE name = 'units_reindexed'`,
			strconv.FormatInt(last, 10))
		return err
	})
	return done, n, last, err
}

// logger is where the store reports long work: db.Logger, or slog's
// default.
func (db *DB) logger() *slog.Logger {
	if db.Logger != nil {
		return db.Logger
	}
	return slog.Default()
}
