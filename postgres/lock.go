package postgres

import (
	"context"
	"time"

	"trustwatch"
)

var _ trustwatch.DetectorLock = (*DB)(nil)

// lockDetectorsClass is the first key of the detector lock's two-key
// advisory lock; the second is the hash of the store's schema, so that the
// stores of several schemas in one database (search_path) lock apart. The
// two-key space does not overlap the one-key space of lockMigrate and
// lockPartitions.
const lockDetectorsClass int32 = 0x7477 // "tw"

// LockDetectors takes a session advisory lock (pg_try_advisory_lock) on a
// connection of its own, held out of the pool until unlock. Any number of
// processes may share the database; one at a time holds the lock. If the
// connection dies the server releases the lock.
func (db *DB) LockDetectors(ctx context.Context) (unlock func(), ok bool, err error) {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return nil, false, wrap("lock detectors", err)
	}
	const key = `$1::int4, hashtext(current_schema())`
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock(`+key+`)`, lockDetectorsClass).Scan(&ok); err != nil {
		conn.Release()
		return nil, false, wrap("lock detectors", err)
	}
	if !ok {
		conn.Release()
		return nil, false, nil
	}
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		var released bool
		if err := conn.QueryRow(ctx, `SELECT pg_advisory_unlock(`+key+`)`, lockDetectorsClass).Scan(&released); err != nil || !released {
			// Closing the session releases its locks.
			_ = conn.Conn().Close(ctx)
		}
		conn.Release()
	}, true, nil
}
