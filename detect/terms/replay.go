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
// Each document's entities under the watch file are found once, when its
// day is read, and kept with it (Doc.mask).
type dayDocs struct {
	ctx     context.Context
	items   trustwatch.ItemStore
	loc     *time.Location
	watched *watched
	days    map[int32][]Doc
}

func newDayDocs(ctx context.Context, items trustwatch.ItemStore, w *trustwatch.Watch, loc *time.Location) *dayDocs {
	c := &dayDocs{ctx: ctx, items: items, loc: loc, days: map[int32][]Doc{}}
	if w != nil {
		c.watched = newWatched(w)
	}
	return c
}

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

func (c *dayDocs) day(day int32) ([]Doc, error) {
	if docs, ok := c.days[day]; ok {
		return docs, nil
	}
	docs := []Doc{}
	err := c.items.EachItem(c.ctx, trustwatch.ItemFilter{From: dayTime(day, c.loc), To: dayTime(day+1, c.loc), Order: "time_asc"},
		func(it *trustwatch.Item) error {
			d := docOf(it)
			if c.watched != nil && len(c.watched.ids) > 0 {
				d.mask, d.maskOf = c.watched.mask(&d), c.watched.of
			}
			docs = append(docs, d)
			return nil
		})
	if err != nil {
		return nil, err
	}
	c.days[day] = docs
	return docs, nil
}

// forget drops the days before day.
func (c *dayDocs) forget(day int32) {
	for d := range c.days {
		if d < day {
			delete(c.days, d)
		}
	}
}
