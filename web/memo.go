package web

import (
	"context"
	"fmt"
	"sync"
)

// memo keeps the results of the pages' slow computations (the ledger's
// evidence, a voice profile) for as long as the stored items do not
// change, so that looking at the same ledger twice costs one computation.
// It is small and forgets everything when full: the pages are few.
type memo struct {
	mu sync.Mutex
	m  map[string]any
}

const memoSize = 64

// remember returns the value computed for key over the store's current
// items, computing it on a miss. The version of the items is their count
// and time span: ingest only adds items, so a new item changes it.
func remember[T any](ctx context.Context, s *Server, key string, compute func() (T, error)) (T, error) {
	var zero T
	first, last, n, err := s.Store.Span(ctx)
	if err != nil {
		return zero, err
	}
	key = fmt.Sprintf("%s@%d/%d/%d", key, n, first.Unix(), last.Unix())
	s.memo.mu.Lock()
	v, ok := s.memo.m[key]
	s.memo.mu.Unlock()
	if ok {
		return v.(T), nil
	}
	t, err := compute()
	if err != nil {
		return zero, err
	}
	s.memo.mu.Lock()
	if s.memo.m == nil || len(s.memo.m) >= memoSize {
		s.memo.m = map[string]any{}
	}
	s.memo.m[key] = t
	s.memo.mu.Unlock()
	return t, nil
}
