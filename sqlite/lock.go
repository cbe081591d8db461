package sqlite

import (
	"context"

	"trustwatch"
)

var _ trustwatch.DetectorLock = (*DB)(nil)

// LockDetectors takes the detector lock of the store file. SQLite lets
// several processes open one file, and its write lock is per transaction,
// not per detector run, so two `trustwatch analyze` (or a run daemon and an
// analyze) would both run the detectors. The lock is an exclusive flock(2)
// on a file beside the store, PATH.detectors.lock, left in place; the
// kernel releases it when the process dies. An in-memory store is private
// to its process, so its lock is always free.
func (db *DB) LockDetectors(ctx context.Context) (unlock func(), ok bool, err error) {
	if db.Path == ":memory:" {
		return func() {}, true, nil
	}
	return lockFile(db.Path + ".detectors.lock")
}
