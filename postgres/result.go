package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"trustwatch"
)

var _ trustwatch.ResultStore = (*DB)(nil)

// SaveResult stores data under key with its version, replacing the row
// that was there (migration 0006).
func (db *DB) SaveResult(ctx context.Context, key, version string, data []byte) error {
	if data == nil {
		data = []byte{} // the column is NOT NULL; an empty result is still a result
	}
	_, err := db.pool.Exec(ctx, `INSERT INTO results (key, version, data, saved) VALUES ($1, $2, $3, now())
		ON CONFLICT (key) DO UPDATE SET version = excluded.version, data = excluded.data, saved = excluded.saved`,
		key, version, data)
	return wrap("save result", err)
}

// Result returns the version and data saved under key, or ENOTFOUND.
func (db *DB) Result(ctx context.Context, key string) (version string, data []byte, err error) {
	err = db.pool.QueryRow(ctx, `SELECT version, data FROM results WHERE key = $1`, key).Scan(&version, &data)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil, trustwatch.Errorf(trustwatch.ENOTFOUND, "No stored result %q.", key)
	}
	if err != nil {
		return "", nil, wrap("result", err)
	}
	return version, data, nil
}
