package trustwatch

import "context"

// DetectorLock is taken by whatever runs the detectors (trustwatch
// analyze, each pass of the run scheduler), so that of several processes
// over one store exactly one runs them at a time: two would each raise and
// deliver the same alerts. Stores shared between processes implement it.
type DetectorLock interface {
	// LockDetectors takes the lock without waiting. ok false (and a nil
	// unlock) says another holder has it. When ok, the caller holds it
	// until it calls unlock, once.
	LockDetectors(ctx context.Context) (unlock func(), ok bool, err error)
}
