package postgres

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"

	"trustwatch"
)

// reindexBatch is how many items one transaction of reindexUnits rewrites.
const reindexBatch = 5000

// reindexUnits rewrites the text vectors of the items stored before
// migration 0004 (which held words without positions) with their units,
// from units_reindex.after on, a batch per transaction together with the
// new position: a process killed midway goes on at the next Open, and a
// batch rewritten twice is the same. The row goes when all items are done.
func (db *DB) reindexUnits(ctx context.Context) error {
	var total int64
	start := time.Now()
	for {
		var n int
		done := false
		err := db.update(ctx, "reindex text", func(tx pgx.Tx) error {
			var after int64
			err := tx.QueryRow(ctx, `SELECT after FROM units_reindex WHERE id = 1 FOR UPDATE`).Scan(&after)
			if err == pgx.ErrNoRows {
				done = true
				return nil
			} else if err != nil {
				return err
			}
			rows, err := tx.Query(ctx, `SELECT pk, time, title, text FROM items WHERE pk > $1 ORDER BY pk LIMIT $2`,
				after, reindexBatch)
			if err != nil {
				return err
			}
			var pks []int64
			var times []time.Time
			var vecs []string
			for rows.Next() {
				var pk int64
				var t time.Time
				var it trustwatch.Item
				if err := rows.Scan(&pk, &t, &it.Title, &it.Text); err != nil {
					rows.Close()
					return err
				}
				pks, times, vecs = append(pks, pk), append(times, t), append(vecs, unitsVector(&it))
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			if len(pks) == 0 {
				done = true
				_, err := tx.Exec(ctx, `DELETE FROM units_reindex`)
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE items i SET words = c.v::tsvector
				FROM unnest($1::bigint[], $2::timestamptz[], $3::text[]) AS c (pk, time, v)
				WHERE i.pk = c.pk AND i.time = c.time`, pks, times, vecs); err != nil {
				return err
			}
			n = len(pks)
			_, err = tx.Exec(ctx, `UPDATE units_reindex SET after = $1`, pks[len(pks)-1])
			return err
		})
		if err != nil {
			return err
		}
		if total == 0 && n > 0 {
			slog.Info("postgres: indexing the text of stored items for the query language (migration 0004)")
		}
		total += int64(n)
		if done {
			if total > 0 {
				slog.Info("postgres: text index complete", "items", total, "took", time.Since(start).Round(time.Millisecond))
			}
			return nil
		}
		if total%(20*reindexBatch) < reindexBatch {
			slog.Info("postgres: indexing text", "items", total)
		}
	}
}
