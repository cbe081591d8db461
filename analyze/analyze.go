package analyze

import (
	"context"
	"fmt"
	"sort"
	"time"

	"trustwatch"
	"trustwatch/alert"
	"trustwatch/detect/burst"
	"trustwatch/detect/ledger"
	"trustwatch/detect/terms"
	"trustwatch/detect/voice"
)

// Runner runs the detectors over a store.
type Runner struct {
	Store    trustwatch.Store
	Watch    *trustwatch.Watch
	Location *time.Location
	Engine   *alert.Engine
	// Known tells the words the segmenter's dictionary has, so that only
	// unknown terms are reported as new.
	Known func(string) bool

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
		// Windows are [from, to): one second past the newest item (times
		// are stored to the second) so that it is looked at.
		to = last.Add(time.Second)
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
		for _, step := range replayTimes(from, to, loc) {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			ds, err := burst.DetectSpikes(ctx, r.Store, r.Watch, step.at, r.Watch.Rules)
			if err := add(ds, err, "spikes"); err != nil {
				return nil, err
			}
			if step.dayEnd {
				rep.Days++
				ds, err := terms.Detect(ctx, r.Store, r.Watch, step.at, r.Known)
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
	dets, err = r.dropNicknamesAsEmerging(ctx, dets)
	if err != nil {
		return nil, err
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

type replayStep struct {
	at     time.Time
	dayEnd bool // at is a midnight closing a day (or the end of the data)
}

// replayTimes returns the midnight closing every day from from's day on,
// then every hour of the last (partial) day, then to itself.
func replayTimes(from, to time.Time, loc *time.Location) []replayStep {
	if to.IsZero() || to.Before(from) {
		return nil
	}
	var steps []replayStep
	f := from.In(loc)
	day := time.Date(f.Year(), f.Month(), f.Day(), 0, 0, 0, 0, loc).AddDate(0, 0, 1)
	for ; !day.After(to); day = day.AddDate(0, 0, 1) {
		steps = append(steps, replayStep{at: day, dayEnd: true})
	}
	for h := day.AddDate(0, 0, -1).Add(time.Hour); h.Before(to); h = h.Add(time.Hour) {
		steps = append(steps, replayStep{at: h})
	}
	if len(steps) > 0 && steps[len(steps)-1].at.Equal(to) {
		return steps // to is a midnight, already closing its day
	}
	return append(steps, replayStep{at: to, dayEnd: true})
}

// dropNicknamesAsEmerging removes term.emerging findings for terms already
// known as a nickname (in this run or in a stored alert): on a day when
// the link to the person is weaker, the same word would otherwise raise a
// second, lesser alert beside the nickname's.
func (r *Runner) dropNicknamesAsEmerging(ctx context.Context, dets []trustwatch.Detection) ([]trustwatch.Detection, error) {
	nick := map[string]bool{}
	for _, d := range dets {
		if d.Kind == terms.KindNickname {
			nick[d.Subject] = true
		}
	}
	stored, _, err := r.Store.FindAlerts(ctx, trustwatch.AlertFilter{Kind: terms.KindNickname})
	if err != nil {
		return nil, fmt.Errorf("analyze: %w", err)
	}
	for _, a := range stored {
		nick[a.Subject] = true
	}
	out := dets[:0]
	for _, d := range dets {
		if d.Kind == terms.KindEmerging && nick[d.Subject] {
			continue
		}
		out = append(out, d)
	}
	return out, nil
}
