package analyze

import (
	"context"
	"fmt"
	"sort"
	"time"

	"trustwatch"
	"trustwatch/alert"
	"trustwatch/burst"
	"trustwatch/ledger"
	"trustwatch/terms"
	"trustwatch/voice"
)

// Runner runs the detectors over a store.
type Runner struct {
	Store    trustwatch.Store
	Watch    *trustwatch.Watch
	Location *time.Location
	Engine   *alert.Engine

	// From and To bound the days replayed for the item detectors (spikes and
	// terms). Zero From means the first stored item, capped at MaxReplay
	// before To; zero To means the newest stored item.
	From, To  time.Time
	MaxReplay time.Duration
}

// Report says what a run found.
type Report struct {
	From       time.Time      `json:"from"`
	To         time.Time      `json:"to"`
	Days       int            `json:"days_replayed"`
	Detections int            `json:"detections"`
	ByKind     map[string]int `json:"by_kind"`
	Result     alert.Result   `json:"result"`
}

// DefaultMaxReplay bounds the replay of item detectors on a first run.
const DefaultMaxReplay = 400 * 24 * time.Hour

// Run runs every detector and raises the alerts.
func (r *Runner) Run(ctx context.Context) (*Report, error) {
	loc := r.Location
	if loc == nil {
		loc = trustwatch.DefaultLocation()
	}
	first, last, n, err := r.Store.Span(ctx)
	if err != nil {
		return nil, err
	}
	to := r.To
	if to.IsZero() {
		to = last
	}
	from := r.From
	if from.IsZero() {
		from = first
		max := r.MaxReplay
		if max == 0 {
			max = DefaultMaxReplay
		}
		if !to.IsZero() && to.Sub(from) > max {
			from = to.Add(-max)
		}
	}
	rep := &Report{From: from, To: to, ByKind: map[string]int{}}
	var dets []trustwatch.Detection
	add := func(ds []trustwatch.Detection, err error, what string) error {
		if err != nil {
			return fmt.Errorf("analyze: %s: %w", what, err)
		}
		dets = append(dets, ds...)
		return nil
	}

	ds, err := alert.RunSeries(ctx, r.Store, r.Watch, loc)
	if err := add(ds, err, "series"); err != nil {
		return nil, err
	}
	if n > 0 {
		// Item detectors that look at a window ending "now" are replayed at
		// the end of every day, and hour by hour over the last day, so each
		// finding carries the day it happened.
		for _, now := range replayTimes(from, to, loc) {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			ds, err := burst.DetectSpikes(ctx, r.Store, r.Watch, now, r.Watch.Rules)
			if err := add(ds, err, "spikes"); err != nil {
				return nil, err
			}
			if now.Hour() == 23 || now.Equal(to) {
				rep.Days++
				ds, err := terms.Detect(ctx, r.Store, r.Watch, now)
				if err := add(ds, err, "terms"); err != nil {
					return nil, err
				}
			}
		}
		// The ledger and the voice date their findings themselves.
		ds, err := ledger.Detect(ctx, r.Store, r.Store, r.Watch, to)
		if err := add(ds, err, "ledger"); err != nil {
			return nil, err
		}
		ds, err = voice.Detect(ctx, r.Store, r.Watch, to)
		if err := add(ds, err, "voice"); err != nil {
			return nil, err
		}
	}
	sort.SliceStable(dets, func(i, j int) bool { return dets[i].Time.Before(dets[j].Time) })
	rep.Detections = len(dets)
	for _, d := range dets {
		rep.ByKind[d.Kind]++
	}
	res, err := r.Engine.Raise(ctx, dets)
	rep.Result = res
	return rep, err
}

// replayTimes returns the end of every day from from to to, then every hour
// of the last day, then to itself.
func replayTimes(from, to time.Time, loc *time.Location) []time.Time {
	if to.IsZero() || to.Before(from) {
		return nil
	}
	var ts []time.Time
	day := time.Date(from.In(loc).Year(), from.In(loc).Month(), from.In(loc).Day(), 23, 59, 59, 0, loc)
	for ; day.Before(to); day = day.AddDate(0, 0, 1) {
		ts = append(ts, day)
	}
	lastDay := time.Date(to.In(loc).Year(), to.In(loc).Month(), to.In(loc).Day(), 0, 59, 59, 0, loc)
	for h := lastDay; h.Before(to); h = h.Add(time.Hour) {
		ts = append(ts, h)
	}
	return append(ts, to)
}
