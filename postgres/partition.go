package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// month returns the start of t's month in UTC: items are partitioned by
// UTC month, whatever zone the rollups are cut in.
func month(t time.Time) time.Time {
	y, m, _ := t.UTC().Date()
	return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
}

// partitionName names the items partition of the month starting at m.
func partitionName(m time.Time) string {
	return fmt.Sprintf("items_%04d%02d", m.Year(), int(m.Month()))
}

// ensurePartitions makes sure an items partition exists for each month in
// months. It runs in a transaction of its own, before PutItems' own:
// CREATE TABLE ... PARTITION OF takes an ACCESS EXCLUSIVE lock on items,
// which held for a whole batch would stop every reader and writer. An
// advisory lock serialises the creators, so two writers touching a new
// month at once do not race on CREATE TABLE IF NOT EXISTS (which can fail
// with a duplicate-type error when they do); the second finds the table.
// Months known to exist are remembered, so the usual batch costs nothing.
func (db *DB) ensurePartitions(ctx context.Context, months map[time.Time]bool) error {
	db.partMu.Lock()
	defer db.partMu.Unlock()
	var missing []time.Time
	for m := range months {
		if !db.parts[m] {
			missing = append(missing, m)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	err := db.update(ctx, "create partitions", func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, lockPartitions); err != nil {
			return err
		}
		for _, m := range missing {
			// The names are made here from a date, never from input.
			q := fmt.Sprintf(`CREATE TABLE IF NOT EXISTS %s PARTITION OF items FOR VALUES FROM ('%s') TO ('%s')`,
				partitionName(m), m.Format(time.RFC3339), m.AddDate(0, 1, 0).Format(time.RFC3339))
			if _, err := tx.Exec(ctx, q); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, m := range missing {
		db.parts[m] = true
	}
	return nil
}
