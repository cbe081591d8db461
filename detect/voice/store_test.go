package voice_test

import (
	"context"
	"slices"
	"time"

	"trustwatch"
)

// itemStore is an in-memory trustwatch.ItemStore holding just what voice
// reads: items filtered by author, parent and time, in time order.
type itemStore struct {
	trustwatch.ItemStore // unimplemented methods panic
	items                []trustwatch.Item
}

var _ trustwatch.ItemStore = (*itemStore)(nil)

func (s *itemStore) match(f trustwatch.ItemFilter) []trustwatch.Item {
	var out []trustwatch.Item
	for _, it := range s.items {
		switch {
		case f.Author != "" && it.Author != f.Author,
			f.ParentID != "" && it.ParentID != f.ParentID,
			!f.From.IsZero() && it.Time.Before(f.From),
			!f.To.IsZero() && !it.Time.Before(f.To):
			continue
		}
		out = append(out, it)
	}
	slices.SortStableFunc(out, func(a, b trustwatch.Item) int { return a.Time.Compare(b.Time) })
	return out
}

func (s *itemStore) EachItem(_ context.Context, f trustwatch.ItemFilter, fn func(*trustwatch.Item) error) error {
	for _, it := range s.match(f) {
		if err := fn(&it); err != nil {
			return err
		}
	}
	return nil
}

func (s *itemStore) FindItems(_ context.Context, f trustwatch.ItemFilter) ([]trustwatch.Item, int, error) {
	m := s.match(f)
	return m, len(m), nil
}

var day0 = time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
