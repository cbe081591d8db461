package metric

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"trustwatch"
)

// Detector names, as written in a rule's detector field.
const (
	DetectorLow      = "low"
	DetectorHigh     = "high"
	DetectorDrawdown = "drawdown"
	DetectorChange   = "change"
	DetectorAnomaly  = "anomaly"
)

// Detection kinds.
const (
	KindLow      = "metric.low"
	KindHigh     = "metric.high"
	KindDrawdown = "metric.drawdown"
	KindChange   = "metric.change"
	KindAnomaly  = "metric.anomaly"
)

// Defaults applied when a rule leaves a field unset.
const (
	DefaultLookback    = 30 * 24 * time.Hour // low, high
	DefaultWindow      = 30 * 24 * time.Hour // change, anomaly
	DefaultDrawdownPct = -10.0               // drawdown: fire at a 10% fall from the peak
	DefaultAnomalyZ    = 3.5                 // |robust z| (Iglewicz & Hoaglin)
	DefaultAnomalyMin  = 7                   // trailing points needed for a robust z
)

// Handles reports whether detector is one of this package's.
func Handles(detector string) bool {
	switch detector {
	case DetectorLow, DetectorHigh, DetectorDrawdown, DetectorChange, DetectorAnomaly:
		return true
	}
	return false
}

// Detect runs the rule's detector over the points of one series and returns
// one detection for every point at which its statement holds. Points are
// read in time order (a sorted copy is made if they are not). Dates in
// statements are calendar days in loc (Asia/Shanghai when nil).
func Detect(pts []trustwatch.Point, def trustwatch.SeriesDef, r trustwatch.Rule, loc *time.Location) ([]trustwatch.Detection, error) {
	if loc == nil {
		loc = trustwatch.DefaultLocation()
	}
	pts = sortedByTime(pts)
	d := detector{pts: pts, def: def, rule: r, loc: loc}
	switch r.Detector {
	case DetectorLow:
		return d.extreme(true), nil
	case DetectorHigh:
		return d.extreme(false), nil
	case DetectorDrawdown:
		return d.drawdown(), nil
	case DetectorChange:
		if r.Below == nil && r.Above == nil && r.BelowPct == nil && r.AbovePct == nil {
			return nil, trustwatch.Errorf(trustwatch.EINVALID, "rule %s: detector change needs below, above, below_pct or above_pct", r.ID)
		}
		return d.change(), nil
	case DetectorAnomaly:
		return d.anomaly(), nil
	}
	return nil, trustwatch.Errorf(trustwatch.EINVALID, "rule %s: metric: unknown detector %q", r.ID, r.Detector)
}

func sortedByTime(pts []trustwatch.Point) []trustwatch.Point {
	byTime := func(a, b trustwatch.Point) int { return a.Time.Compare(b.Time) }
	if slices.IsSortedFunc(pts, byTime) {
		return pts
	}
	pts = slices.Clone(pts)
	slices.SortStableFunc(pts, byTime)
	return pts
}

type detector struct {
	pts  []trustwatch.Point
	def  trustwatch.SeriesDef
	rule trustwatch.Rule
	loc  *time.Location
}

func (d *detector) detection(kind string, p trustwatch.Point, value float64, statement string, ev ...trustwatch.Evidence) trustwatch.Detection {
	entity := d.def.Entity
	if entity == "" {
		entity = p.Entity
	}
	return trustwatch.Detection{
		Rule:      d.rule.ID,
		Kind:      kind,
		Entity:    entity,
		Series:    d.def.ID,
		Time:      p.Time,
		Value:     value,
		Severity:  d.rule.Severity,
		Statement: statement,
		Evidence:  ev,
	}
}

func (d *detector) unit(p trustwatch.Point) string {
	if d.def.Unit != "" {
		return d.def.Unit
	}
	return p.Unit
}

// verb is how the value of a point is introduced: a price closes at it.
func (d *detector) verb() string {
	if d.def.Kind == trustwatch.SeriesPrice {
		return "收于"
	}
	return "为"
}

func evidence(p trustwatch.Point, note string) trustwatch.Evidence {
	return trustwatch.Evidence{Series: p.Series, Time: p.Time, Value: p.Value, Note: note}
}

// within reports whether threshold filters of the rule admit v. Unset
// thresholds admit everything.
func admits(v float64, below, above *float64) bool {
	if below != nil && !(v <= *below) {
		return false
	}
	if above != nil && !(v >= *above) {
		return false
	}
	return true
}

// PreviousBeyond returns, for every point, the index of the nearest earlier
// point whose value is at or below it (low) or at or above it (high), or -1
// when there is none. The time from that point to this one is the longest
// look-back over which this point is a strict new low (high). It runs in
// linear time with a monotonic stack.
func PreviousBeyond(pts []trustwatch.Point, low bool) []int {
	prev := make([]int, len(pts))
	stack := make([]int, 0, 16)
	for i, p := range pts {
		// Pop the points that cannot bound any later look-back: those
		// strictly beyond this one in the direction of the extreme's
		// opposite (for a low, the higher ones).
		for len(stack) > 0 {
			top := pts[stack[len(stack)-1]].Value
			if (low && top > p.Value) || (!low && top < p.Value) {
				stack = stack[:len(stack)-1]
				continue
			}
			break
		}
		prev[i] = -1
		if len(stack) > 0 {
			prev[i] = stack[len(stack)-1]
		}
		stack = append(stack, i)
	}
	return prev
}

// extreme finds the points that are a strict new low (high) over at least
// the rule's look-back. A point equal to an earlier one in the look-back is
// not new. There must be data to compare with: at least one point inside
// the look-back, and, when no earlier point is as low, data reaching back
// the whole look-back; otherwise there is not enough data for the statement.
func (d *detector) extreme(low bool) []trustwatch.Detection {
	lookback := d.rule.Lookback.D()
	if lookback <= 0 {
		lookback = DefaultLookback
	}
	kind, word, prevWord := KindHigh, "新高", "上次更高"
	if low {
		kind, word, prevWord = KindLow, "新低", "上次更低"
	}
	prev := PreviousBeyond(d.pts, low)
	var out []trustwatch.Detection
	for i := 1; i < len(d.pts); i++ {
		p := d.pts[i]
		start := p.Time.Add(-lookback)
		if !admits(p.Value, d.rule.Below, d.rule.Above) {
			continue
		}
		unit := d.unit(p)
		var st string
		var ev []trustwatch.Evidence
		if d.pts[i-1].Time.Before(start) {
			continue // a gap: nothing in the look-back to be lower than
		}
		switch j := prev[i]; {
		case j >= 0 && d.pts[j].Time.Before(start):
			q := d.pts[j]
			pw := prevWord
			if q.Value == p.Value {
				pw = "上次持平"
			}
			st = fmt.Sprintf("%s %s %s，创 %s%s（%s；%s为 %s 的 %s）",
				d.def.Label(), d.verb(), Format(p.Value, unit), Span(q.Time, p.Time, d.loc), word,
				Day(p.Time, d.loc), pw, Day(q.Time, d.loc), Format(q.Value, unit))
			ev = []trustwatch.Evidence{evidence(p, word), evidence(q, pw)}
		case j < 0 && !d.pts[0].Time.After(start):
			first := d.pts[0]
			st = fmt.Sprintf("%s %s %s，创有记录以来%s（%s；记录始于 %s，共 %d 个点）",
				d.def.Label(), d.verb(), Format(p.Value, unit), word, Day(p.Time, d.loc), Day(first.Time, d.loc), i+1)
			ev = []trustwatch.Evidence{evidence(p, word), evidence(first, "记录起点")}
		default:
			continue
		}
		out = append(out, d.detection(kind, p, p.Value, st, ev...))
	}
	return out
}

// Drawdown is a point's fall from the running peak.
type Drawdown struct {
	Peak int     // index of the peak
	Abs  float64 // value − peak (≤ 0)
	Pct  float64 // 100·(value − peak)/peak; NaN when the peak is not positive
}

// Drawdowns returns each point's drawdown from the highest point in the
// look-back before and including it (the whole history when lookback ≤ 0).
func Drawdowns(pts []trustwatch.Point, lookback time.Duration) []Drawdown {
	out := make([]Drawdown, len(pts))
	var deque []int // indices of candidate peaks, values decreasing
	for i, p := range pts {
		for len(deque) > 0 && pts[deque[len(deque)-1]].Value <= p.Value {
			deque = deque[:len(deque)-1]
		}
		deque = append(deque, i)
		if lookback > 0 {
			for pts[deque[0]].Time.Before(p.Time.Add(-lookback)) {
				deque = deque[1:]
			}
		}
		peak := pts[deque[0]]
		dd := Drawdown{Peak: deque[0], Abs: p.Value - peak.Value, Pct: math.NaN()}
		if peak.Value > 0 {
			dd.Pct = 100 * dd.Abs / peak.Value
		}
		out[i] = dd
	}
	return out
}

// drawdown fires at each new trough below the threshold: once the fall from
// a peak crosses it, and again whenever the fall deepens, until a new peak.
func (d *detector) drawdown() []trustwatch.Detection {
	r := d.rule
	belowPct := r.BelowPct
	if r.Below == nil && r.BelowPct == nil {
		v := DefaultDrawdownPct
		belowPct = &v
	}
	dds := Drawdowns(d.pts, r.Lookback.D())
	var out []trustwatch.Detection
	peak, deepest := -1, 0.0
	for i, dd := range dds {
		if dd.Peak != peak {
			peak, deepest = dd.Peak, 0
		}
		if dd.Abs >= deepest {
			continue
		}
		hit := (r.Below != nil && dd.Abs <= *r.Below) || (belowPct != nil && !math.IsNaN(dd.Pct) && dd.Pct <= *belowPct)
		if !hit {
			continue
		}
		deepest = dd.Abs
		p, q := d.pts[i], d.pts[dd.Peak]
		unit := d.unit(p)
		value, fall := dd.Abs, Format(-dd.Abs, unit)
		if !math.IsNaN(dd.Pct) {
			value, fall = dd.Pct, trimDecimals(-dd.Pct, 1)+"%（"+FormatSigned(dd.Abs, unit)+"）"
		}
		st := fmt.Sprintf("%s 较 %s 高点 %s 回撤 %s，现%s %s（%s）",
			d.def.Label(), Day(q.Time, d.loc), Format(q.Value, unit), fall,
			d.verb(), Format(p.Value, unit), Day(p.Time, d.loc))
		out = append(out, d.detection(KindDrawdown, p, value, st, evidence(p, "回撤"), evidence(q, "高点")))
	}
	return out
}

// Change is the change of a point's value over a window.
type Change struct {
	Base int     // index of the point the change is measured from
	Abs  float64 // value − base value
	Pct  float64 // 100·Abs/|base value|; NaN when the base value is 0
}

// ChangeAt measures the change at point i over window: from the latest
// point at or before t−window. ok is false when there is no such point (the
// series starts inside the window) or when a gap makes the real span longer
// than max(2·window, window+3 days), too long to call it a change "in
// window"; the three days let a daily change reach back over a weekend.
func ChangeAt(pts []trustwatch.Point, i int, window time.Duration) (Change, bool) {
	t := pts[i].Time
	start := t.Add(-window)
	j := sortSearchAfter(pts[:i], start) - 1 // latest index with Time <= start
	if j < 0 {
		return Change{}, false
	}
	maxSpan := max(2*window, window+72*time.Hour)
	if t.Sub(pts[j].Time) > maxSpan {
		return Change{}, false
	}
	c := Change{Base: j, Abs: pts[i].Value - pts[j].Value, Pct: math.NaN()}
	if pts[j].Value != 0 {
		c.Pct = 100 * c.Abs / math.Abs(pts[j].Value)
	}
	return c, true
}

// sortSearchAfter returns the number of points with Time <= t.
func sortSearchAfter(pts []trustwatch.Point, t time.Time) int {
	i, _ := slices.BinarySearchFunc(pts, t, func(p trustwatch.Point, t time.Time) int {
		if p.Time.After(t) {
			return 1
		}
		return -1
	})
	return i
}

func (d *detector) change() []trustwatch.Detection {
	r := d.rule
	window := r.Window.D()
	if window <= 0 {
		window = DefaultWindow
	}
	var out []trustwatch.Detection
	for i := 1; i < len(d.pts); i++ {
		c, ok := ChangeAt(d.pts, i, window)
		if !ok {
			continue
		}
		hit := (r.Below != nil && c.Abs <= *r.Below) || (r.Above != nil && c.Abs >= *r.Above)
		if !math.IsNaN(c.Pct) {
			hit = hit || (r.BelowPct != nil && c.Pct <= *r.BelowPct) || (r.AbovePct != nil && c.Pct >= *r.AbovePct)
		}
		if !hit {
			continue
		}
		p, q := d.pts[i], d.pts[c.Base]
		unit := d.unit(p)
		n, u := SpanUnits(q.Time, p.Time, d.loc)
		pct := ""
		if !math.IsNaN(c.Pct) {
			pct = "（" + FormatPct(c.Pct) + "）"
		}
		st := fmt.Sprintf("%s %d %s变化 %s%s：%s 为 %s → %s 为 %s",
			d.def.Label(), n, u, FormatSigned(c.Abs, unit), pct,
			Day(q.Time, d.loc), Format(q.Value, unit), Day(p.Time, d.loc), Format(p.Value, unit))
		out = append(out, d.detection(KindChange, p, c.Abs, st, evidence(p, "期末"), evidence(q, "期初")))
	}
	return out
}

// RobustZ is the modified z-score of x against a sample (Iglewicz and
// Hoaglin): 0.6745·(x − median)/MAD. When the MAD is 0 it falls back to the
// mean absolute deviation, (x − median)/(1.253314·meanAD); when that is 0
// too (all values equal) the score is 0 for x equal to them and ±Inf
// otherwise. It returns the median as well.
func RobustZ(sample []float64, x float64) (z, median float64) {
	s := slices.Clone(sample)
	slices.Sort(s)
	median = medianSorted(s)
	dev := make([]float64, len(s))
	for i, v := range s {
		dev[i] = math.Abs(v - median)
	}
	slices.Sort(dev)
	if mad := medianSorted(dev); mad > 0 {
		return 0.6745 * (x - median) / mad, median
	}
	var sum float64
	for _, v := range dev {
		sum += v
	}
	if meanAD := sum / float64(len(dev)); meanAD > 0 {
		return (x - median) / (1.253314 * meanAD), median
	}
	switch {
	case x > median:
		return math.Inf(1), median
	case x < median:
		return math.Inf(-1), median
	}
	return 0, median
}

func medianSorted(s []float64) float64 {
	n := len(s)
	if n == 0 {
		return math.NaN()
	}
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func (d *detector) anomaly() []trustwatch.Detection {
	r := d.rule
	window := r.Window.D()
	if window <= 0 {
		window = DefaultWindow
	}
	minCount := cmp.Or(r.MinCount, DefaultAnomalyMin)
	var out []trustwatch.Detection
	sample := make([]float64, 0, 64)
	lo := 0
	for i, p := range d.pts {
		for lo < i && d.pts[lo].Time.Before(p.Time.Add(-window)) {
			lo++
		}
		if i-lo < minCount {
			continue
		}
		sample = sample[:0]
		for _, q := range d.pts[lo:i] {
			sample = append(sample, q.Value)
		}
		z, med := RobustZ(sample, p.Value)
		var hit bool
		if r.Above == nil && r.Below == nil {
			hit = math.Abs(z) >= DefaultAnomalyZ
		} else {
			hit = (r.Above != nil && z >= *r.Above) || (r.Below != nil && z <= *r.Below)
		}
		if !hit {
			continue
		}
		unit := d.unit(p)
		var score string
		if math.IsInf(z, 0) {
			score = fmt.Sprintf("此前 %d 个点均为 %s", i-lo, Format(med, unit))
		} else {
			score = fmt.Sprintf("稳健 z=%s，基于此前 %d 个点", trimDecimals(z, 1), i-lo)
		}
		dir := "高于"
		if p.Value < med {
			dir = "低于"
		}
		st := fmt.Sprintf("%s %s %s（%s），异常%s此前 %s中位数 %s（%s）",
			d.def.Label(), d.verb(), Format(p.Value, unit), Day(p.Time, d.loc), dir, Window(window), Format(med, unit), score)
		ev := []trustwatch.Evidence{evidence(p, "异常点"), {Series: d.def.ID, Time: d.pts[lo].Time, Value: med, Note: "窗口中位数（窗口起点）"}}
		out = append(out, d.detection(KindAnomaly, p, p.Value, st, ev...))
	}
	return out
}
