package ingest

import (
	"context"
	"errors"
	"slices"
	"sort"

	"trustwatch"
)

// RetagStore is a store whose items can be analysed again in place. The
// SQLite store is one; it is not part of trustwatch.Store, so a store that
// cannot do it still serves everything else.
type RetagStore interface {
	// ItemsAfter returns up to n items in storage order after a cursor
	// (0 for the first), and the cursor of the last one.
	ItemsAfter(ctx context.Context, after int64, n int) ([]trustwatch.Item, int64, error)
	// UpdateAnalysis replaces the items' analysis and their counts in the
	// rollups in one transaction, and says how many changed.
	UpdateAnalysis(ctx context.Context, items []trustwatch.Item) (changed int, err error)
	Breakdown(ctx context.Context, by string, f trustwatch.VolumeFilter) ([]trustwatch.VolumeBreakdown, error)
}

// Retagger runs the analysis of ingest again over every stored item, for
// when the watch file changed: words are cut again with the watch file's
// names, entities, sentiment and aspects found again, from the stored text,
// by the same Analyzer ingest uses, so that the store ends as ingesting the
// same items afresh would leave it.
type Retagger struct {
	Store    RetagStore
	Analyzer *Analyzer
	// BatchSize items are read, analysed and written together, each batch
	// in its own transaction (default 10000, as for ingest).
	BatchSize int
	// Workers analyse items in parallel (default 2).
	Workers int
}

// EntityCount is how many stored items an entity counted before and after
// a retag.
type EntityCount struct {
	Entity string `json:"entity"`
	Before int64  `json:"before"`
	After  int64  `json:"after"`
}

// RetagSummary counts what a retag did.
type RetagSummary struct {
	Read int `json:"read"`
	// Changed counts the items whose analysis (words, entities, sentiment
	// or aspects) changed; EntitiesChanged those whose entities did.
	Changed         int `json:"changed"`
	EntitiesChanged int `json:"entities_changed"`
	// Entities lists every entity with items before or after, by id.
	Entities []EntityCount `json:"entities"`
}

// Retag analyses every stored item again and writes what changed, batch by
// batch. Each batch commits on its own, so an interrupted retag leaves a
// consistent store (some items re-analysed, rollups exact) and running it
// again finishes the job; a retag that finds nothing to change writes
// nothing.
func (r *Retagger) Retag(ctx context.Context) (RetagSummary, error) {
	var sum RetagSummary
	if r.Analyzer == nil {
		return sum, errors.New("retag: no analyzer")
	}
	batch := r.BatchSize
	if batch <= 0 {
		batch = 10000
	}
	workers := r.Workers
	if workers <= 0 {
		workers = 2
	}
	before, err := entityCounts(ctx, r.Store)
	if err != nil {
		return sum, err
	}
	var cursor int64
	for {
		items, next, err := r.Store.ItemsAfter(ctx, cursor, batch)
		if err != nil {
			return sum, err
		} else if len(items) == 0 {
			break
		}
		// Analyze replaces the slices, so these stay as stored.
		stored := make([][]string, len(items))
		for i := range items {
			stored[i] = items[i].Entities
		}
		r.Analyzer.analyzeAll(items, workers)
		changed, err := r.Store.UpdateAnalysis(ctx, items)
		if err != nil {
			return sum, err
		}
		sum.Read += len(items)
		sum.Changed += changed
		for i := range items {
			if !sameSet(stored[i], items[i].Entities) {
				sum.EntitiesChanged++
			}
		}
		cursor = next
	}
	after, err := entityCounts(ctx, r.Store)
	if err != nil {
		return sum, err
	}
	for e, n := range before {
		sum.Entities = append(sum.Entities, EntityCount{Entity: e, Before: n, After: after[e]})
	}
	for e, n := range after {
		if _, ok := before[e]; !ok {
			sum.Entities = append(sum.Entities, EntityCount{Entity: e, After: n})
		}
	}
	sort.Slice(sum.Entities, func(i, j int) bool { return sum.Entities[i].Entity < sum.Entities[j].Entity })
	return sum, nil
}

// entityCounts is the number of stored items of each entity, from the
// daily rollups over all time.
func entityCounts(ctx context.Context, st RetagStore) (map[string]int64, error) {
	bs, err := st.Breakdown(ctx, "entity", trustwatch.VolumeFilter{By: trustwatch.Day})
	if err != nil {
		return nil, err
	}
	counts := make(map[string]int64, len(bs))
	for _, b := range bs {
		counts[b.Key] = b.Count
	}
	return counts, nil
}

// sameSet reports whether a and b hold the same strings, in any order.
func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
