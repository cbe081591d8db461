package terms

import (
	"context"
	"fmt"
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

// itemSource streams the items of f as documents, oldest first.
func itemSource(ctx context.Context, items trustwatch.ItemStore, f trustwatch.ItemFilter) Source {
	f.Order = "time_asc"
	return func(fn func(*Doc) error) error {
		var d Doc
		return items.EachItem(ctx, f, func(it *trustwatch.Item) error {
			thread := it.ParentID
			if thread == "" {
				thread = it.ID
			}
			d = Doc{ID: it.ID, Time: it.Time, Text: it.FullText(), Thread: thread, Entities: it.Entities}
			return fn(&d)
		})
	}
}

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
			return nil, nil
		}
		opt.To = last.Add(time.Nanosecond)
	}
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
	win := itemSource(ctx, items, trustwatch.ItemFilter{From: opt.From, To: opt.To, Entity: opt.Entity})
	var bg Source
	if opt.BgFrom.Before(opt.BgTo) {
		bg = itemSource(ctx, items, trustwatch.ItemFilter{From: opt.BgFrom, To: opt.BgTo, Entity: opt.Entity})
	}
	return Find(win, bg, w, opt)
}

// Detect looks for terms that burst on the day containing now (up to now)
// against the DefaultBackgroundDays before it: term.nickname for new terms
// linked to a watched person as nicknames, term.emerging for other new
// terms whose burst reaches the day. Time is the start of the burst day.
// known tells words the segmenter's dictionary has (they are not new); nil
// treats every term as new.
func Detect(ctx context.Context, items trustwatch.ItemStore, w *trustwatch.Watch, now time.Time, known func(string) bool) ([]trustwatch.Detection, error) {
	loc, err := location(w)
	if err != nil {
		return nil, err
	}
	day := dayIndex(now.Add(-time.Nanosecond), loc)
	from := dayTime(day, loc)
	terms, err := Discover(ctx, items, w, Options{From: from, To: now, NewOnly: true, Top: 20, Location: loc, Known: known})
	if err != nil {
		return nil, err
	}
	var out []trustwatch.Detection
	for _, t := range terms {
		if t.Burst == nil || !t.Burst.End.Equal(from) || t.Surge <= 0 {
			continue
		}
		today := t.Daily[len(t.Daily)-1].Count
		bgDaily := float64(t.BackgroundCount) / DefaultBackgroundDays
		d := trustwatch.Detection{
			// An emerging word is information; a nickname for a watched
			// person is the alarm.
			Kind: KindEmerging, Subject: t.Term, Time: from, Value: t.Score, Severity: trustwatch.SeverityLow,
			Statement: fmt.Sprintf("新词「%s」%s起爆发：当日 %d 条，背景期日均 %.1f 条",
				t.Term, t.Burst.Start.Format("1月2日"), today, bgDaily),
		}
		if t.Nickname {
			d.Kind, d.Entity, d.Severity = KindNickname, t.LinkedEntity, trustwatch.SeverityHigh
			name := t.LinkedEntity
			if e := w.Entity(t.LinkedEntity); e != nil {
				name = e.Name
			}
			d.Statement = fmt.Sprintf("新词「%s」%s起爆发，疑似指向%s的绰号：当日 %d 条，背景期日均 %.1f 条（%s）",
				t.Term, t.Burst.Start.Format("1月2日"), name, today, bgDaily, joinReasons(t.LinkReasons))
		}
		for i, id := range t.Examples {
			d.Evidence = append(d.Evidence, trustwatch.Evidence{ItemID: id, Time: t.exampleTimes[i]})
		}
		out = append(out, d)
	}
	return out, nil
}

func joinReasons(rs []string) string { return strings.Join(rs, "；") }
