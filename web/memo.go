package web

import (
	"context"
	"log/slog"
	"sync"

	"trustwatch"
	"trustwatch/results"
)

// memo keeps the results of the pages' slow computations (the ledger, a
// claim's evidence, a voice profile, the report) for as long as the data
// they were computed from does not change, so that looking at the same
// ledger twice costs one computation. Behind it is the store's
// trustwatch.ResultStore, where analyze, the demo and trustwatch run save
// the default results ahead of time (results.Precomputer) and where the
// pages save what they compute, so that a restarted server does not
// compute them again. The memory is small and forgets everything when
// full: the pages are few.
type memo struct {
	mu    sync.Mutex
	m     map[string]any
	calls map[string]*call
	// While data is being ingested the version changes with every batch,
	// and a result such as the terms takes seconds to compute. latest
	// holds the newest value computed for each key (whatever its
	// version) and computing counts the key's computations in flight: a
	// request for a version not computed yet, while another version of
	// the same key is being computed, is served the latest value instead
	// of starting a second computation beside it. So one goroutine per
	// key follows the ingest, and the pages lag it by one computation.
	latest    map[string]any
	computing map[string]int

	basisOnce sync.Once
	basis     results.Basis
}

// call is a computation in flight, which concurrent requests for the same
// result wait for instead of computing it again.
type call struct {
	done    chan struct{}
	v       any
	err     error
	waiters int // requests waiting for it besides the one computing
}

const memoSize = 64

// remember returns the value computed for key over the store's current
// data, from memory, else from the result store if it was saved for the
// same data version, else computing (once however many requests ask at the
// same time) and saving it. The version is results.Basis.Version.
func remember[T any](ctx context.Context, s *Server, key string, compute func() (T, error)) (T, error) {
	return rememberAt(ctx, s, key, "", compute)
}

// rememberAt is remember for a result that depends on more than the items
// and the watch file; extra (the alerts' version for the report) joins the
// data version.
func rememberAt[T any](ctx context.Context, s *Server, key, extra string, compute func() (T, error)) (T, error) {
	var zero T
	s.memo.basisOnce.Do(func() { s.memo.basis = results.NewBasis(s.Watch, s.Location) })
	version, err := s.memo.basis.Version(ctx, s.Store)
	if err != nil {
		return zero, err
	}
	if extra != "" {
		version += "/" + extra
	}
	mkey := key + "@" + version
	s.memo.mu.Lock()
	if v, ok := s.memo.m[mkey]; ok {
		s.memo.mu.Unlock()
		return v.(T), nil
	}
	if c, ok := s.memo.calls[mkey]; ok {
		c.waiters++
		s.memo.mu.Unlock()
		releaseSlot(ctx) // waiting costs no CPU: let another heavy page run (limit.go)
		<-c.done
		if c.err != nil {
			return zero, c.err
		}
		return c.v.(T), nil
	}
	if s.memo.computing[key] > 0 {
		if v, ok := s.memo.latest[key]; ok {
			s.memo.mu.Unlock()
			return v.(T), nil
		}
	}
	c := &call{done: make(chan struct{})}
	if s.memo.calls == nil {
		s.memo.calls, s.memo.computing = map[string]*call{}, map[string]int{}
	}
	s.memo.calls[mkey] = c
	s.memo.computing[key]++
	s.memo.mu.Unlock()

	t, err := loadOrCompute(ctx, s, key, version, compute)
	c.v, c.err = t, err
	s.memo.mu.Lock()
	delete(s.memo.calls, mkey)
	if s.memo.computing[key]--; s.memo.computing[key] == 0 {
		delete(s.memo.computing, key)
	}
	if err == nil {
		if s.memo.m == nil || len(s.memo.m) >= memoSize {
			s.memo.m, s.memo.latest = map[string]any{}, map[string]any{}
		}
		s.memo.m[mkey] = t
		s.memo.latest[key] = t
	}
	s.memo.mu.Unlock()
	close(c.done)
	return t, err
}

// loadOrCompute reads the result saved for version, or computes and saves
// it. The result store is a cache: when it fails, the page still shows the
// computed result and the failure is logged.
func loadOrCompute[T any](ctx context.Context, s *Server, key, version string, compute func() (T, error)) (T, error) {
	if s.computed != nil {
		inner := compute
		compute = func() (T, error) { s.computed(key, version); return inner() }
	}
	rs, ok := s.Store.(trustwatch.ResultStore)
	if !ok {
		return compute()
	}
	if t, ok, err := results.Load[T](ctx, rs, key, version, s.Location); err != nil {
		s.memoLogger().Warn("web: reading a stored result", "key", key, "err", err)
	} else if ok {
		return t, nil
	}
	t, err := compute()
	if err != nil {
		return t, err
	}
	if err := results.Save(ctx, rs, key, version, t); err != nil {
		s.memoLogger().Warn("web: saving a result", "key", key, "err", err)
	}
	return t, nil
}

func (s *Server) memoLogger() *slog.Logger {
	if s.Logger == nil {
		return slog.Default()
	}
	return s.Logger
}

// computer computes the pages' slow results, as the Precomputer does.
func (s *Server) computer() results.Computer {
	return results.Computer{Store: s.Store, Watch: s.Watch, Location: s.Location, Cut: s.Cut, Known: s.Known}
}
