package burst

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"trustwatch"
)

// Detection kinds raised by DetectSpikes; a rule asks for one by naming it
// as its Detector.
const (
	KindVolumeSpike    = "volume.spike"
	KindSentimentSpike = "sentiment.spike"
)

// DefaultWindows are the dual windows compared when a rule names none: the
// last hour against the previous 12 hours, and the last day against the
// previous 14 days.
var DefaultWindows = []SpanPair{
	{Window: time.Hour, Lookback: 12 * time.Hour},
	{Window: 24 * time.Hour, Lookback: 14 * 24 * time.Hour},
}

// SpanPair is a current window and the baseline span just before it.
type SpanPair struct{ Window, Lookback time.Duration }

// maxEvidence is how many items back one detection.
const maxEvidence = 10

// DetectSpikes checks volume and negative share, per watched entity and per
// aspect, in the windows ending at now (rounded down to the hour), and
// returns the spikes in a deterministic order (kind, entity, subject). Of
// the dual windows the most surprising spike is kept per subject.
//
// rules are those whose Detector is volume.spike or sentiment.spike (others
// are ignored); a rule with neither Entity nor Aspect applies to every
// entity and every aspect of its items. When no rule asks for a kind, a
// default rule does: every entity and every aspect seen in its items in the
// last 15 days, both windows, DefaultThresholds. Windows whose baseline has
// less than MinHistory of data before them are skipped.
func DetectSpikes(ctx context.Context, items trustwatch.ItemStore, w *trustwatch.Watch, now time.Time, rules []trustwatch.Rule) ([]trustwatch.Detection, error) {
	first, _, n, err := items.Span(ctx)
	if err != nil {
		return nil, fmt.Errorf("burst: span: %w", err)
	}
	return detectSpikes(ctx, items, first, n, w, now, rules)
}

// detectSpikes is DetectSpikes with the store's first item and count
// known: a replay asks the store for them once, not at every step.
func detectSpikes(ctx context.Context, items trustwatch.ItemStore, first time.Time, n int64, w *trustwatch.Watch, now time.Time, rules []trustwatch.Rule) ([]trustwatch.Detection, error) {
	if w == nil {
		w = &trustwatch.Watch{}
	}
	end := now.Truncate(time.Hour)
	if n == 0 {
		return nil, nil
	}
	var asked []trustwatch.Rule
	for _, kind := range []string{KindVolumeSpike, KindSentimentSpike} {
		n := len(asked)
		for _, r := range rules {
			if r.Detector == kind {
				asked = append(asked, r)
			}
		}
		if len(asked) == n {
			asked = append(asked, trustwatch.Rule{Detector: kind})
		}
	}

	aspects := map[string][]string{}
	aspectsFor := func(entity string) ([]string, error) {
		if as, ok := aspects[entity]; ok {
			return as, nil
		}
		bd, err := items.Breakdown(ctx, "aspect", trustwatch.VolumeFilter{By: trustwatch.Hour, Entity: entity, From: end.Add(-15 * 24 * time.Hour), To: end})
		if err != nil {
			return nil, fmt.Errorf("burst: aspects of %s: %w", entity, err)
		}
		as := []string{}
		for _, b := range bd {
			as = append(as, b.Key)
		}
		slices.Sort(as)
		aspects[entity] = as
		return as, nil
	}

	// A baseline in which the store itself holds nothing is a gap in the
	// data (a crawl that stopped, items that carry only their day), not a
	// quiet period: no spike is measured against it.
	storeHas := map[SpanPair]bool{}
	baselineHasData := func(pair SpanPair) (bool, error) {
		if has, ok := storeHas[pair]; ok {
			return has, nil
		}
		from := end.Add(-pair.Window)
		lb := min(pair.Lookback, from.Sub(first).Truncate(time.Hour))
		pts, err := items.Volume(ctx, trustwatch.VolumeFilter{By: trustwatch.Hour, From: from.Add(-lb), To: from})
		if err != nil {
			return false, fmt.Errorf("burst: store volume: %w", err)
		}
		has := false
		for _, p := range pts {
			has = has || p.Count > 0
		}
		storeHas[pair] = has
		return has, nil
	}

	best := map[[3]string]trustwatch.Detection{}
	// The items behind a spike are fetched only for the spikes returned:
	// most found are a weaker window of a subject, or part of a spike of
	// its parent (fold).
	evidenceOf := map[[3]string]trustwatch.ItemFilter{}
	for _, r := range asked {
		subjects, err := subjectsOf(r, w, aspectsFor)
		if err != nil {
			return nil, err
		}
		pairs := DefaultWindows
		if r.Window > 0 {
			lb := r.Lookback.D()
			if lb <= 0 {
				lb = 12 * r.Window.D()
			}
			pairs = []SpanPair{{Window: r.Window.D(), Lookback: lb}}
		}
		th := Thresholds{MinCount: r.MinCount}
		if r.Above != nil {
			th.Ratio = *r.Above
		}
		for _, s := range subjects {
			for _, pair := range pairs {
				if has, err := baselineHasData(pair); err != nil || !has {
					if err != nil {
						return nil, err
					}
					continue
				}
				d, ev, ok, err := checkSpike(ctx, items, w, r, s, pair, end, first, th)
				if err != nil {
					return nil, err
				}
				if !ok {
					continue
				}
				key := [3]string{d.Kind, d.Entity, d.Subject}
				if old, seen := best[key]; !seen || d.Value > old.Value {
					best[key], evidenceOf[key] = d, ev
				}
			}
		}
	}
	out := fold(best, w)
	for i, d := range out {
		ev, _, err := items.FindItems(ctx, evidenceOf[[3]string{d.Kind, d.Entity, d.Subject}])
		if err != nil {
			return nil, fmt.Errorf("burst: evidence for %s/%s: %w", d.Entity, d.Subject, err)
		}
		for _, it := range ev {
			out[i].Evidence = append(out[i].Evidence, trustwatch.Evidence{ItemID: it.ID, Time: it.Time})
		}
	}
	slices.SortFunc(out, func(a, b trustwatch.Detection) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Entity, b.Entity), cmp.Compare(a.Subject, b.Subject))
	})
	return out, nil
}

type subject struct{ entity, aspect string }

// fold keeps one alert per event: a spike of an entity whose ancestor (its
// parent, through the watch file) spikes in the same kind, and a spike of
// one aspect of an entity that itself (or an ancestor) spikes, are part of
// the highest such spike, named in its statement rather than raised
// beside it. Their
// items count in the ancestor's rollup already.
func fold(best map[[3]string]trustwatch.Detection, w *trustwatch.Watch) []trustwatch.Detection {
	covering := func(d trustwatch.Detection) (trustwatch.Detection, bool) {
		e := d.Entity
		if d.Subject == "" {
			e = parentOf(w, e)
		}
		// The highest spiking ancestor takes it (the walk is bounded in
		// case a watch file's parents loop).
		var top trustwatch.Detection
		found := false
		for seen := 0; e != "" && seen <= len(w.Entities); seen++ {
			if p, ok := best[[3]string{d.Kind, e, ""}]; ok {
				top, found = p, true
			}
			e = parentOf(w, e)
		}
		return top, found
	}
	parts := map[[3]string][]string{}
	var out []trustwatch.Detection
	for _, d := range best {
		if p, ok := covering(d); ok {
			k := [3]string{p.Kind, p.Entity, p.Subject}
			parts[k] = append(parts[k], subjectName(w, subject{entity: d.Entity, aspect: d.Subject}))
			continue
		}
		out = append(out, d)
	}
	for i, d := range out {
		if ps := parts[[3]string{d.Kind, d.Entity, d.Subject}]; len(ps) > 0 {
			slices.Sort(ps)
			out[i].Statement += "；其中同时激增：" + strings.Join(ps, "、")
		}
	}
	return out
}

func parentOf(w *trustwatch.Watch, id string) string {
	if e := w.Entity(id); e != nil {
		return e.Parent
	}
	return ""
}

// subjectsOf returns what rule r watches: its entity and aspect when it
// names them; else every watched entity, and every aspect seen in the
// items of each entity (aspects of items about no watched entity are
// somebody else's news).
func subjectsOf(r trustwatch.Rule, w *trustwatch.Watch, aspectsFor func(entity string) ([]string, error)) ([]subject, error) {
	if r.Entity != "" || r.Aspect != "" {
		return []subject{{entity: r.Entity, aspect: r.Aspect}}, nil
	}
	var out []subject
	for _, e := range w.Entities {
		out = append(out, subject{entity: e.ID})
		as, err := aspectsFor(e.ID)
		if err != nil {
			return nil, err
		}
		for _, a := range as {
			out = append(out, subject{entity: e.ID, aspect: a})
		}
	}
	return out, nil
}

// MinHistory is how much data before a window its baseline needs: half the
// look-back and at least a day (7 days for the daily window), so that the
// first day of a store, or a spike against a few hours of baseline, never
// alarms.
func MinHistory(p SpanPair) time.Duration { return max(p.Lookback/2, 24*time.Hour) }

// checkSpike evaluates one rule on one subject in one window pair. The
// detection's Value is the surprise −log10(p), so the stronger of two
// windows wins; the filter finds its evidence, the most engaging items of
// the window (without their total, which nothing reads).
//
// The baseline is the look-back, or the data there is before the window
// when that is shorter; with less than MinHistory there is no baseline and
// no spike.
func checkSpike(ctx context.Context, items trustwatch.ItemStore, w *trustwatch.Watch, r trustwatch.Rule, s subject, pair SpanPair, end, first time.Time, th Thresholds) (trustwatch.Detection, trustwatch.ItemFilter, bool, error) {
	from := end.Add(-pair.Window)
	history := from.Sub(first)
	if history < MinHistory(pair) {
		return trustwatch.Detection{}, trustwatch.ItemFilter{}, false, nil
	}
	pair.Lookback = min(pair.Lookback, history.Truncate(time.Hour))
	pts, err := items.Volume(ctx, trustwatch.VolumeFilter{By: trustwatch.Hour, Entity: s.entity, Aspect: s.aspect, From: from.Add(-pair.Lookback), To: end})
	if err != nil {
		return trustwatch.Detection{}, trustwatch.ItemFilter{}, false, fmt.Errorf("burst: volume of %s/%s: %w", s.entity, s.aspect, err)
	}
	var cur, base trustwatch.VolumePoint
	for _, p := range pts {
		acc := &base
		if !p.Period.Before(from) {
			acc = &cur
		}
		acc.Count += p.Count
		acc.Neg += p.Neg
		acc.Pos += p.Pos
		acc.Neu += p.Neu
	}
	name := subjectName(w, s)
	span := describeSpan(pair)
	d := trustwatch.Detection{Rule: r.ID, Kind: r.Detector, Entity: s.entity, Subject: s.aspect, Time: from, Severity: r.Severity}
	var p float64
	var count int
	var label trustwatch.Label
	switch r.Detector {
	case KindVolumeSpike:
		win := Window{Count: int(cur.Count), Baseline: int(base.Count), Span: float64(pair.Lookback) / float64(pair.Window)}
		if !th.VolumeSpike(win) {
			return d, trustwatch.ItemFilter{}, false, nil
		}
		p, count = win.PValue(), win.Count
		d.Statement = fmt.Sprintf("「%s」声量激增：%s %d 条，基线预期 %.1f 条（%.1f 倍，p=%.1g）",
			name, span, win.Count, win.Expected(), win.Ratio(), p)
	case KindSentimentSpike:
		sh := Share{Neg: int(cur.Neg), Total: int(cur.Count), BaselineNeg: int(base.Neg), BaselineTotal: int(base.Count)}
		if !th.SentimentSpike(sh) {
			return d, trustwatch.ItemFilter{}, false, nil
		}
		p, count = sh.PValue(), sh.Neg
		label = trustwatch.Negative
		d.Statement = fmt.Sprintf("「%s」负面占比上升：%s %d/%d 条负面（%.0f%%），基线 %.0f%%（预期 %.1f 条，p=%.1g）",
			name, span, sh.Neg, sh.Total, 100*sh.CurrentShare(), 100*sh.BaselineShare(), sh.Expected(), p)
	default:
		return d, trustwatch.ItemFilter{}, false, nil
	}
	d.Value = -math.Log10(math.Max(p, 1e-300))
	if d.Severity == "" {
		d.Severity = trustwatch.SeverityMedium
		// High takes both surprise and size: a handful of items after
		// silence is very surprising but stays medium.
		if p <= 1e-6 && count >= 2*max(th.MinCount, DefaultThresholds.MinCount) {
			d.Severity = trustwatch.SeverityHigh
		}
	}
	ev := trustwatch.ItemFilter{Entity: s.entity, Aspect: s.aspect, Label: label, From: from, To: end, Order: "engagement", Limit: maxEvidence, Estimate: -1}
	return d, ev, true, nil
}

func subjectName(w *trustwatch.Watch, s subject) string {
	name := s.entity
	if e := w.Entity(s.entity); e != nil && e.Name != "" {
		name = e.Name
	}
	if s.aspect == "" {
		return name
	}
	aspect := s.aspect
	for _, a := range w.Aspects {
		if a.ID == s.aspect && a.Name != "" {
			aspect = a.Name
		}
	}
	if name == "" {
		return aspect
	}
	return name + "·" + aspect
}

func describeSpan(p SpanPair) string {
	unit := func(d time.Duration) string {
		if d%(24*time.Hour) == 0 {
			return fmt.Sprintf("%d天", d/(24*time.Hour))
		}
		if d > 48*time.Hour {
			return fmt.Sprintf("%.1f天", d.Hours()/24)
		}
		if d%time.Hour == 0 {
			return fmt.Sprintf("%d小时", d/time.Hour)
		}
		return d.String()
	}
	return fmt.Sprintf("最近%s（对比前%s）", unit(p.Window), unit(p.Lookback))
}
