package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"trustwatch"
)

var _ trustwatch.ResultStore = (*DB)(nil)

// SaveResult stores data under key with its version, replacing the row
// that was there (migration 0009).
func (db *DB) SaveResult(ctx context.Context, key, version string, data []byte) error {
	if data == nil {
		data = []byte{} // the column is NOT NULL; an empty result is still a result
	}
	return db.update(ctx, "save result", func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO results (key, version, data, saved) VALUES (?, ?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET version = excluded.version, data = excluded.data, saved = excluded.saved`,
			key, version, data, unix(tx.now))
		return err
	})
}

// Result returns the version and data saved under key, or ENOTFOUND.
func (db *DB) Result(ctx context.Context, key string) (version string, data []byte, err error) {
	err = db.db.QueryRowContext(ctx, `SELECT version, data FROM results WHERE key = ?`, key).Scan(&version, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, trustwatch.Errorf(trustwatch.ENOTFOUND, "No stored result %q.", key)
	}
	if err != nil {
		return "", nil, wrap("result", err)
	}
	return version, data, nil
}
