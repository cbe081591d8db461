package analyze

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"trustwatch"
	"trustwatch/alert"
	"trustwatch/detect"
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
	// Detectors run; detect.All() when nil.
	Detectors []trustwatch.Detector

	// From and To bound the period analysed. Zero From means the first
	// stored item, zero To the newest: by default all stored data.
	From, To time.Time
}

// Report says what a run found.
type Report struct {
	From       time.Time      `json:"from"`
	To         time.Time      `json:"to"`
	Days       int            `json:"days"`
	Detections int            `json:"detections"`
	ByKind     map[string]int `json:"by_kind"`
	// Notes say what could not be judged, e.g. too little history.
	Notes  []string     `json:"notes,omitempty"`
	Result alert.Result `json:"result"`
}

// minBaselineDays is the history under which the report warns that most
// item detectors are still silent for lack of a baseline.
const minBaselineDays = 7

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
	if to.IsZero() && n > 0 {
		// Windows are [from, to): one second past the newest item (times
		// are stored to the second) so that it is looked at.
		to = last.Add(time.Second)
	}
	from := cmp.Or(r.From, first)
	rep := &Report{From: from, To: to, ByKind: map[string]int{}}
	for _, s := range trustwatch.ReplayTimes(from, to, loc, false) {
		if s.DayEnd {
			rep.Days++
		}
	}
	if n > 0 {
		if days := to.Sub(first).Hours() / 24; days < minBaselineDays {
			rep.Notes = append(rep.Notes, fmt.Sprintf("the store holds %.1f days of items: spikes and new terms need a baseline (the first day never alarms; daily spikes need %d days)", days, minBaselineDays))
		}
	}
	in := trustwatch.DetectInput{
		Items: r.Store, Events: r.Store, Series: r.Store, Watch: r.Watch,
		Location: loc, From: from, To: to, Known: r.Known,
	}
	detectors := r.Detectors
	if detectors == nil {
		detectors = detect.All()
	}
	var dets []trustwatch.Detection
	for _, d := range detectors {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		ds, err := d.Detect(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("analyze: %s: %w", d.Name(), err)
		}
		for i := range ds {
			if k, ok := detect.Kind(ds[i].Kind); ok && ds[i].Severity == "" {
				ds[i].Severity = k.Severity
			}
			// A non-finite score is a detector's bug; it must not reach
			// the store, the JSON API or a channel.
			if v := ds[i].Value; math.IsNaN(v) || math.IsInf(v, 0) {
				rep.Notes = append(rep.Notes, fmt.Sprintf("%s: %s on %s had a non-finite score (%v), stored as 0", d.Name(), ds[i].Kind, ds[i].Subject, v))
				ds[i].Value = 0
			}
		}
		dets = append(dets, ds...)
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
