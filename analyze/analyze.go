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
	"trustwatch/detect/burst"
	"trustwatch/detect/terms"
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
	// Sources is the history of source rounds, for the health detector;
	// nil (a batch analyze) leaves it silent.
	Sources trustwatch.SourceStore
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
	// Absorbed counts new terms that joined a spike of their entity
	// instead of opening alerts of their own.
	Absorbed int `json:"absorbed"`
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
		Items: r.Store, Events: r.Store, Series: r.Store, Sources: r.Sources, Watch: r.Watch,
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
	dets, rep.Absorbed = absorbTerms(dets, r.Watch)
	rep.Detections = len(dets)
	for _, d := range dets {
		rep.ByKind[d.Kind]++
	}
	res, err := r.Engine.Raise(ctx, dets)
	rep.Result = res
	return rep, err
}

// spikeSpan is how long around a spike a new term about the same entity
// is part of that spike's story: from three days after it back to a day
// before it.
const (
	spikeAfter  = 3 * 24 * time.Hour
	spikeBefore = 24 * time.Hour
)

// absorbTerms keeps one alert per event: a new term about an entity whose
// family (itself, an ancestor or a descendant) spikes around the same day
// (辛巴 while 三只羊's volume surges) is the spike's story, not a second
// alarm. It joins the nearest such spike as evidence and in its statement,
// and stays on the terms page. Nicknames are alarms of their own and
// always stand.
func absorbTerms(dets []trustwatch.Detection, w *trustwatch.Watch) ([]trustwatch.Detection, int) {
	if w == nil {
		return dets, 0
	}
	family := func(a, b string) bool {
		return a != "" && b != "" && (a == b || descends(w, a, b) || descends(w, b, a))
	}
	var spikes []int
	for i, d := range dets {
		if d.Kind == burst.KindVolumeSpike || d.Kind == burst.KindSentimentSpike {
			spikes = append(spikes, i)
		}
	}
	absorbed := map[int]bool{}
	named := map[int]map[string]bool{} // terms already in a spike's statement
	for i, d := range dets {
		if d.Kind != terms.KindEmerging {
			continue
		}
		home := -1
		var best time.Duration
		for _, j := range spikes {
			s := dets[j]
			gap := d.Time.Sub(s.Time)
			if !family(d.Entity, s.Entity) || gap > spikeAfter || gap < -spikeBefore {
				continue
			}
			if gap < 0 {
				gap = -gap
			}
			if home < 0 || gap < best {
				home, best = j, gap
			}
		}
		if home < 0 {
			continue
		}
		absorbed[i] = true
		s := &dets[home]
		if named[home][d.Subject] {
			continue
		}
		if named[home] == nil {
			named[home] = map[string]bool{}
			s.Statement += "；新词："
		} else {
			s.Statement += "、"
		}
		named[home][d.Subject] = true
		s.Statement += d.Subject
		for _, e := range d.Evidence[:min(len(d.Evidence), 2)] {
			e.Note = "新词「" + d.Subject + "」"
			s.Evidence = append(s.Evidence, e)
		}
	}
	out := dets[:0]
	for i, d := range dets {
		if !absorbed[i] {
			out = append(out, d)
		}
	}
	return out, len(absorbed)
}

// descends reports whether entity a is below b through parent links.
func descends(w *trustwatch.Watch, a, b string) bool {
	for seen := 0; seen <= len(w.Entities); seen++ {
		e := w.Entity(a)
		if e == nil || e.Parent == "" {
			return false
		}
		if e.Parent == b {
			return true
		}
		a = e.Parent
	}
	return false
}
