package web_test

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"trustwatch"
	"trustwatch/query"
)

// fakeStore is an in-memory trustwatch.Store for the web tests. It keeps
// items and quarantine records and computes rollups on the fly, in loc.
// Err, when set, is returned by every read, to test error handling.
type fakeStore struct {
	mu         sync.Mutex
	loc        *time.Location
	items      []trustwatch.Item
	quarantine []trustwatch.Quarantined
	Err        error
}

var _ trustwatch.Store = (*fakeStore)(nil)

func newFakeStore(loc *time.Location) *fakeStore { return &fakeStore{loc: loc} }

func (s *fakeStore) PutItems(_ context.Context, items []trustwatch.Item) (stored, dups int, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, it := range items {
		if slices.ContainsFunc(s.items, func(o trustwatch.Item) bool { return o.ID == it.ID && o.Platform == it.Platform }) {
			dups++
			continue
		}
		s.items = append(s.items, it)
		stored++
	}
	return stored, dups, nil
}

func (s *fakeStore) match(it *trustwatch.Item, f trustwatch.ItemFilter) bool {
	switch {
	case f.Entity != "" && !slices.Contains(it.Entities, f.Entity),
		f.Platform != "" && it.Platform != f.Platform,
		f.Kind != "" && it.Kind != f.Kind,
		f.Author != "" && it.Author != f.Author,
		f.ParentID != "" && it.ParentID != f.ParentID,
		f.Label != "" && it.Sentiment != f.Label,
		f.Aspect != "" && !slices.ContainsFunc(it.Aspects, func(h trustwatch.AspectHit) bool { return h.Aspect == f.Aspect }),
		len(f.IDs) > 0 && !slices.Contains(f.IDs, it.ID),
		!f.From.IsZero() && it.Time.Before(f.From),
		!f.To.IsZero() && !it.Time.Before(f.To):
		return false
	}
	if strings.TrimSpace(f.Query) != "" {
		// As the stores mean it; a query that does not parse matches
		// nothing here.
		q, err := query.Parse(f.Query, query.Options{})
		return err == nil && q.Match(query.NewDoc(it))
	}
	return true
}

func (s *fakeStore) FindItems(_ context.Context, f trustwatch.ItemFilter) ([]trustwatch.Item, int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return nil, 0, s.Err
	}
	var out []trustwatch.Item
	for i := range s.items {
		if s.match(&s.items[i], f) {
			out = append(out, s.items[i])
		}
	}
	slices.SortStableFunc(out, func(a, b trustwatch.Item) int {
		switch f.Order {
		case "time_asc":
			return a.Time.Compare(b.Time)
		case "engagement":
			return cmp.Or(cmp.Compare(b.Engagement(), a.Engagement()), b.Time.Compare(a.Time))
		}
		return b.Time.Compare(a.Time)
	})
	total := len(out)
	out = out[min(f.Offset, len(out)):]
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out, total, nil
}

func (s *fakeStore) ItemByID(_ context.Context, id string) (*trustwatch.Item, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return nil, s.Err
	}
	for _, it := range s.items {
		if it.ID == id {
			return &it, nil
		}
	}
	return nil, trustwatch.Errorf(trustwatch.ENOTFOUND, "Item %q not found.", id)
}

func (s *fakeStore) EachItem(ctx context.Context, f trustwatch.ItemFilter, fn func(*trustwatch.Item) error) error {
	f.Order = "time_asc"
	items, _, err := s.FindItems(ctx, f)
	if err != nil {
		return err
	}
	for i := range items {
		if err := fn(&items[i]); err != nil {
			return err
		}
	}
	return nil
}

// rows calls fn for every count the rollups hold for f: once per item, or
// once per matching aspect hit with the hit's label when counting aspects.
func (s *fakeStore) rows(f trustwatch.VolumeFilter, byAspect bool, fn func(it *trustwatch.Item, aspect string, l trustwatch.Label)) {
	for i := range s.items {
		it := &s.items[i]
		if !s.match(it, trustwatch.ItemFilter{Entity: f.Entity, Platform: f.Platform, Kind: f.Kind, From: f.From, To: f.To}) {
			continue
		}
		if f.Aspect == "" && !byAspect {
			fn(it, "", it.Sentiment)
			continue
		}
		for _, h := range it.Aspects {
			if f.Aspect == "" || h.Aspect == f.Aspect {
				fn(it, h.Aspect, h.Label)
			}
		}
	}
}

func tally(c, pos, neg, neu *int64, l trustwatch.Label) {
	*c++
	switch l {
	case trustwatch.Positive:
		*pos++
	case trustwatch.Negative:
		*neg++
	default:
		*neu++
	}
}

func (s *fakeStore) Volume(_ context.Context, f trustwatch.VolumeFilter) ([]trustwatch.VolumePoint, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return nil, s.Err
	}
	by := map[int64]*trustwatch.VolumePoint{}
	s.rows(f, false, func(it *trustwatch.Item, _ string, l trustwatch.Label) {
		t := it.Time.In(s.loc)
		start := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, s.loc)
		if f.By == trustwatch.Hour {
			start = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), 0, 0, 0, s.loc)
		}
		p := by[start.Unix()]
		if p == nil {
			p = &trustwatch.VolumePoint{Period: start}
			by[start.Unix()] = p
		}
		tally(&p.Count, &p.Pos, &p.Neg, &p.Neu, l)
	})
	var out []trustwatch.VolumePoint
	for _, p := range by {
		out = append(out, *p)
	}
	slices.SortFunc(out, func(a, b trustwatch.VolumePoint) int { return a.Period.Compare(b.Period) })
	return out, nil
}

func (s *fakeStore) Breakdown(_ context.Context, by string, f trustwatch.VolumeFilter) ([]trustwatch.VolumeBreakdown, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return nil, s.Err
	}
	groups := map[string]*trustwatch.VolumeBreakdown{}
	add := func(key string, l trustwatch.Label) {
		g := groups[key]
		if g == nil {
			g = &trustwatch.VolumeBreakdown{Key: key}
			groups[key] = g
		}
		tally(&g.Count, &g.Pos, &g.Neg, &g.Neu, l)
	}
	s.rows(f, by == "aspect", func(it *trustwatch.Item, aspect string, l trustwatch.Label) {
		switch by {
		case "platform":
			add(it.Platform, l)
		case "kind":
			add(string(it.Kind), l)
		case "aspect":
			add(aspect, l)
		case "entity":
			for _, e := range it.Entities {
				add(e, l)
			}
		}
	})
	var out []trustwatch.VolumeBreakdown
	for _, g := range groups {
		out = append(out, *g)
	}
	slices.SortFunc(out, func(a, b trustwatch.VolumeBreakdown) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Key, b.Key))
	})
	return out, nil
}

func (s *fakeStore) Span(context.Context) (first, last time.Time, n int64, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return first, last, 0, s.Err
	}
	for _, it := range s.items {
		if first.IsZero() || it.Time.Before(first) {
			first = it.Time
		}
		if it.Time.After(last) {
			last = it.Time
		}
	}
	return first, last, int64(len(s.items)), nil
}

func (s *fakeStore) PutQuarantine(_ context.Context, q []trustwatch.Quarantined) (int, int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range q {
		r.ID = int64(len(s.quarantine) + 1)
		s.quarantine = append(s.quarantine, r)
	}
	return len(q), 0, nil
}

func (s *fakeStore) FindQuarantine(_ context.Context, f trustwatch.QuarantineFilter) ([]trustwatch.Quarantined, int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return nil, 0, s.Err
	}
	var out []trustwatch.Quarantined
	for _, r := range s.quarantine {
		if f.File == "" || r.File == f.File {
			out = append(out, r)
		}
	}
	total := len(out)
	out = out[min(f.Offset, len(out)):]
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out, total, nil
}

func (s *fakeStore) PutPoints(context.Context, []trustwatch.Point) (int, int, error) {
	return 0, 0, nil
}
func (s *fakeStore) Points(context.Context, trustwatch.PointFilter) ([]trustwatch.Point, error) {
	return nil, nil
}
func (s *fakeStore) SeriesIDs(context.Context) ([]string, error) { return nil, nil }
func (s *fakeStore) PutEvents(context.Context, []trustwatch.Event) (int, int, error) {
	return 0, 0, nil
}
func (s *fakeStore) FindEvents(context.Context, trustwatch.EventFilter) ([]trustwatch.Event, error) {
	return nil, nil
}
func (s *fakeStore) PutAlert(context.Context, *trustwatch.Alert) error { return nil }
func (s *fakeStore) FindAlerts(context.Context, trustwatch.AlertFilter) ([]trustwatch.Alert, int, error) {
	return nil, 0, nil
}
func (s *fakeStore) UpdateAlert(context.Context, string, trustwatch.AlertUpdate) (*trustwatch.Alert, error) {
	return nil, trustwatch.Errorf(trustwatch.ENOTFOUND, "no alerts")
}
func (s *fakeStore) Close() error { return nil }
