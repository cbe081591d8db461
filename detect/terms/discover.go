package terms

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"trustwatch"
)

// Detection kinds raised by Detect.
const (
	KindEmerging = "term.emerging"
	KindNickname = "term.nickname"
)

// DefaultBackgroundDays is the background span before the window when none
// is given.
const DefaultBackgroundDays = 30

// MinHistoryDays is the fewest days with items that the background (the
// DefaultBackgroundDays before the day Detect looks at) must have before
// Detect emits anything. Without a baseline every word of a new store is
// new and surging; on a store's first days Detect is silent.
const MinHistoryDays = 7

// itemSource streams the items of f as documents, oldest first.
func itemSource(ctx context.Context, items trustwatch.ItemStore, f trustwatch.ItemFilter) Source {
	f.Order = "time_asc"
	return func(fn func(*Doc) error) error {
		var d Doc
		return items.EachItem(ctx, f, func(it *trustwatch.Item) error {
			d = docOf(it)
			return fn(&d)
		})
	}
}

func docOf(it *trustwatch.Item) Doc {
	thread := it.ParentID
	if thread == "" {
		thread = it.ID
	}
	return Doc{ID: it.ID, Time: it.Time, Text: it.FullText(), Thread: thread, Entities: it.Entities, Author: it.Author}
}

// corpus supplies a discovery's documents: read from the store each time
// (storeCorpus), or from the days a replay keeps (dayDocs).
type corpus interface {
	// between gives the documents of [from, to), oldest first.
	between(from, to time.Time) Source
	// background counts what the documents of [from, to) say about a
	// window's candidates.
	background(from, to time.Time) counter
	// units is what turns the documents' texts into units: shared by
	// every discovery over the corpus, or a new one for each.
	units() *units
}

// storeCorpus reads the items of the store, mentioning entity if set.
type storeCorpus struct {
	ctx    context.Context
	items  trustwatch.ItemStore
	entity string
}

func (s storeCorpus) between(from, to time.Time) Source {
	return itemSource(s.ctx, s.items, trustwatch.ItemFilter{From: from, To: to, Entity: s.entity})
}

func (s storeCorpus) background(from, to time.Time) counter {
	return streamCounter(s.between(from, to))
}

func (storeCorpus) units() *units { return newUnits() }

// location is the watch file's time zone, or the default.
func location(w *trustwatch.Watch) (*time.Location, error) {
	if w == nil || w.Timezone == "" {
		return trustwatch.DefaultLocation(), nil
	}
	loc, err := time.LoadLocation(w.Timezone)
	if err != nil {
		return nil, trustwatch.Errorf(trustwatch.EINVALID, "unknown timezone %q", w.Timezone)
	}
	return loc, nil
}

// Discover finds the terms of the items in [From, To) against the items in
// [BgFrom, BgTo) (by default the DefaultBackgroundDays before From). With
// opt.Entity set, both sides are restricted to items mentioning it. A zero
// To is the newest item's time; a zero From is the start of To's day.
func Discover(ctx context.Context, items trustwatch.ItemStore, w *trustwatch.Watch, opt Options) ([]Term, error) {
	r, err := DiscoverResult(ctx, items, w, opt)
	if err != nil {
		return nil, err
	}
	return r.Terms, nil
}

// DiscoverResult is Discover with the size of the window and the
// background, so that a caller can tell "nothing rose" from "there was
// nothing to compare with" (BackgroundDays < MinHistoryDays).
func DiscoverResult(ctx context.Context, items trustwatch.ItemStore, w *trustwatch.Watch, opt Options) (*Result, error) {
	if opt.Location == nil {
		loc, err := location(w)
		if err != nil {
			return nil, err
		}
		opt.Location = loc
	}
	if opt.To.IsZero() {
		_, last, n, err := items.Span(ctx)
		if err != nil {
			return nil, fmt.Errorf("terms: span: %w", err)
		}
		if n == 0 {
			return &Result{}, nil
		}
		opt.To = last.Add(time.Nanosecond)
	}
	return discoverBetween(storeCorpus{ctx, items, opt.Entity}, w, opt)
}

// discoverBetween is DiscoverResult once Location and To are known, over
// the documents docs gives.
func discoverBetween(docs corpus, w *trustwatch.Watch, opt Options) (*Result, error) {
	if opt.From.IsZero() {
		opt.From = dayTime(dayIndex(opt.To.Add(-time.Nanosecond), opt.Location), opt.Location)
	}
	if !opt.From.Before(opt.To) {
		return nil, trustwatch.Errorf(trustwatch.EINVALID, "empty window: from %s is not before to %s", opt.From.Format(time.RFC3339), opt.To.Format(time.RFC3339))
	}
	if opt.BgTo.IsZero() {
		opt.BgTo = opt.From
	}
	if opt.BgFrom.IsZero() {
		opt.BgFrom = opt.BgTo.AddDate(0, 0, -DefaultBackgroundDays)
	}
	bg := streamCounter(nil)
	if opt.BgFrom.Before(opt.BgTo) {
		bg = docs.background(opt.BgFrom, opt.BgTo)
	}
	return find(docs.between(opt.From, opt.To), bg, w, opt, docs.units())
}

// Detect looks for terms that burst on the day containing now (up to now)
// against the DefaultBackgroundDays before it, and are about a watched
// entity (Options.Scoped: they rise among the items in the entity's scope,
// or co-occur with it far more than chance): term.nickname for new terms
// linked to a watched person as nicknames, term.emerging for other new
// terms whose burst reaches the day. Time is the start of the burst day;
// Entity is the person for a nickname, else the entity the term is about;
// Evidence the items behind that link. Nothing is emitted before the
// background holds MinHistoryDays days of items. known tells words the
// segmenter's dictionary has (they are neither new nor nicknames); nil
// treats every term as new.
func Detect(ctx context.Context, items trustwatch.ItemStore, w *trustwatch.Watch, now time.Time, known func(string) bool) ([]trustwatch.Detection, error) {
	loc, err := location(w)
	if err != nil {
		return nil, err
	}
	// The store's first item bounds the history without reading it.
	first, _, n, err := items.Span(ctx)
	if err != nil {
		return nil, fmt.Errorf("terms: span: %w", err)
	}
	return detectBetween(storeCorpus{ctx, items, ""}, first, n, w, now, known, loc)
}

// detectBetween is Detect over the documents docs gives, the store's first
// item and count known.
func detectBetween(docs corpus, first time.Time, n int64, w *trustwatch.Watch, now time.Time, known func(string) bool, loc *time.Location) ([]trustwatch.Detection, error) {
	day := dayIndex(now.Add(-time.Nanosecond), loc)
	from := dayTime(day, loc)
	if n == 0 || dayIndex(first, loc) > day-MinHistoryDays {
		return nil, nil
	}
	res, err := discoverBetween(docs, w, Options{From: from, To: now, NewOnly: true, Top: 20, Location: loc, Known: known, Scoped: true})
	if err != nil {
		return nil, err
	}
	if res.BackgroundDays < MinHistoryDays {
		return nil, nil
	}
	var out []trustwatch.Detection
	for _, t := range res.Terms {
		if t.Burst == nil || !t.Burst.End.Equal(from) || t.About == nil {
			continue
		}
		today := t.Daily[len(t.Daily)-1].Count
		bgDaily := float64(t.BackgroundCount) / DefaultBackgroundDays
		a := t.About
		d := trustwatch.Detection{
			// An emerging word is information; a nickname for a watched
			// person is the alarm.
			Kind: KindEmerging, Entity: a.Entity, Subject: t.Term, Time: from, Value: a.Score, Severity: trustwatch.SeverityLow,
			Statement: fmt.Sprintf("新词「%s」%s起爆发：当日 %d 条，背景期日均 %.1f 条；%s",
				t.Term, t.Burst.Start.Format("1月2日"), today, bgDaily, scopeStatement(w, a, t.Count, res.Docs)),
		}
		ids, times := a.Examples, a.exampleTimes
		if t.Nickname {
			d.Kind, d.Entity, d.Severity = KindNickname, t.LinkedEntity, trustwatch.SeverityHigh
			d.Statement = fmt.Sprintf("新词「%s」%s起爆发，疑似指向%s的绰号：当日 %d 条，背景期日均 %.1f 条（%s）；%s",
				t.Term, t.Burst.Start.Format("1月2日"), entityName(w, t.LinkedEntity), today, bgDaily, joinReasons(t.LinkReasons),
				scopeStatement(w, a, t.Count, res.Docs))
			d.Evidence = evidence(t.LinkExamples, t.linkExampleTimes, "含该词且提及"+entityName(w, t.LinkedEntity))
		}
		var ts []time.Time
		for _, x := range times {
			ts = append(ts, time.Unix(0, x).In(loc))
		}
		for _, e := range evidence(ids, ts, "含该词且属于"+entityName(w, a.Entity)+"的范围") {
			if len(d.Evidence) < maxExamples && !slices.ContainsFunc(d.Evidence, func(x trustwatch.Evidence) bool { return x.ItemID == e.ItemID }) {
				d.Evidence = append(d.Evidence, e)
			}
		}
		out = append(out, d)
	}
	return out, nil
}

func evidence(ids []string, times []time.Time, note string) []trustwatch.Evidence {
	var out []trustwatch.Evidence
	for i, id := range ids {
		out = append(out, trustwatch.Evidence{ItemID: id, Time: times[i], Note: note})
	}
	return out
}

func entityName(w *trustwatch.Watch, id string) string {
	if e := w.Entity(id); e != nil {
		return e.Name
	}
	return id
}

// scopeStatement spells why the term is about the entity, with the counts
// of both tests.
func scopeStatement(w *trustwatch.Watch, a *Scope, count, total int) string {
	name := entityName(w, a.Entity)
	return fmt.Sprintf("在提及%s的条目中当日 %d/%d 条，背景期 %d/%d 条（G²=%.1f）；与%s共现 %d 条（含该词 %d 条，提及%s %d 条，共 %d 条；G²=%.1f）",
		name, a.Count, a.Docs, a.BackgroundCount, a.BackgroundDocs, a.Rise, name, a.Count, count, name, a.Docs, total, a.Cooc)
}

func joinReasons(rs []string) string { return strings.Join(rs, "；") }
