package terms

import (
	"context"
	"time"

	"trustwatch"
)

// dayDocs keeps the documents of the days a replay still needs, each day
// read from the store once. Replaying N days against a background of
// DefaultBackgroundDays then reads N + DefaultBackgroundDays days of
// items, where Detect at every step reads its window and the whole
// background again (the background is re-read 30 times over).
//
// The store must not change while a replay runs: a day once read is not
// read again.
//
// Each document's entities under the watch file and its units are found
// once, when its day is read, and kept with it (Doc.mask, Doc.units): every
// window and background of the replay reads texts with the same units.
// The background of a step is the sum of per-day counts (slidingBackground),
// not a count over its documents.
type dayDocs struct {
	ctx     context.Context
	items   trustwatch.ItemStore
	loc     *time.Location
	watched *watched
	u       *units
	days    map[int32][]Doc
	// seqs are the kept days' units, document after document (each
	// document's units are a piece of its day's).
	seqs map[int32][]uint32
	// roots are the kept days' root posts that mention a watched entity:
	// their comments on later days inherit it.
	roots map[string]rootMention
	slide *slidingBackground
}

// rootMention is what a root post mentions, and the day it is on.
type rootMention struct {
	day  int32
	mask uint64
}

func newDayDocs(ctx context.Context, items trustwatch.ItemStore, w *trustwatch.Watch, loc *time.Location) *dayDocs {
	c := &dayDocs{ctx: ctx, items: items, loc: loc, u: newUnits(), days: map[int32][]Doc{}, seqs: map[int32][]uint32{},
		roots: map[string]rootMention{}}
	nE := 0
	if w != nil {
		c.watched = newWatched(w)
		nE = len(c.watched.ids)
	}
	c.slide = newSlidingBackground(nE, c.u)
	return c
}

func (c *dayDocs) units() *units { return c.u }

// between gives the documents of [from, to) in the store's order (time,
// then the order they were stored in), as the store would.
func (c *dayDocs) between(from, to time.Time) Source {
	return func(fn func(*Doc) error) error {
		if !from.Before(to) {
			return nil
		}
		last := dayIndex(to.Add(-time.Nanosecond), c.loc)
		for day := dayIndex(from, c.loc); day <= last; day++ {
			docs, err := c.day(day)
			if err != nil {
				return err
			}
			for i := range docs {
				// Item times are whole seconds: this is the store's
				// time >= ceil(from) AND time < ceil(to).
				if t := docs[i].Time; t.Before(from) || !t.Before(to) {
					continue
				}
				d := docs[i] // fn may not keep or change the cached one
				if err := fn(&d); err != nil {
					return err
				}
			}
		}
		return nil
	}
}

// background counts [from, to) from the per-day counts when it is whole
// days and the same days as the context (as Detect asks), else by reading
// its documents.
func (c *dayDocs) background(from, to time.Time) counter {
	return func(win *window, cands []*candidate, ctxFrom, firstDay int32) (*background, error) {
		lo := dayIndex(from, c.loc)
		if ctxFrom != lo || !from.Equal(dayTime(lo, c.loc)) || !to.Equal(dayTime(firstDay, c.loc)) ||
			len(win.ents.ids) != c.slide.nE || c.watched != nil && win.ents.of != c.watched.of {
			return countBackground(c.between(from, to), win, cands, ctxFrom, firstDay)
		}
		return c.slide.count(c, cands, lo, firstDay)
	}
}

func (c *dayDocs) day(day int32) ([]Doc, error) {
	if docs, ok := c.days[day]; ok {
		return docs, nil
	}
	docs := []Doc{}
	err := c.items.EachItem(c.ctx, trustwatch.ItemFilter{From: dayTime(day, c.loc), To: dayTime(day+1, c.loc), Order: "time_asc"},
		func(it *trustwatch.Item) error {
			docs = append(docs, docOf(it))
			return nil
		})
	if err != nil {
		return nil, err
	}
	c.keep(day, docs)
	return docs, nil
}

// keep keeps a day's documents, oldest first, with their entities and
// units; its root posts that mention an entity are kept in c.roots.
func (c *dayDocs) keep(day int32, docs []Doc) {
	var seq []uint32 // one array holds the day's units
	ends := make([]int, len(docs))
	for i := range docs {
		d := &docs[i]
		if c.watched != nil && len(c.watched.ids) > 0 {
			d.mask, d.maskOf = c.watched.mask(d), c.watched.of
			if isRoot(d) && d.mask != 0 {
				c.roots[d.ID] = rootMention{day: day, mask: d.mask}
			}
		}
		seq = c.u.append(seq, d.Text, false)
		ends[i] = len(seq)
	}
	start := 0
	for i := range docs {
		docs[i].unitsOf, docs[i].units = c.u, seq[start:ends[i]:ends[i]]
		start = ends[i]
	}
	c.days[day], c.seqs[day] = docs, seq
}

// forget drops the days before day.
func (c *dayDocs) forget(day int32) {
	for d := range c.days {
		if d < day {
			delete(c.days, d)
			delete(c.seqs, d)
		}
	}
	for id, r := range c.roots {
		if r.day < day {
			delete(c.roots, id)
		}
	}
}
