package sla

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"trustwatch"
	"trustwatch/detect/metric"
)

// DetectorSLA is the rule detector name; KindBreach the detection kind.
const (
	DetectorSLA = "sla"
	KindBreach  = "sla.breach"
)

// Defaults for an sla rule.
const (
	DefaultPercentile = 90
	DefaultPeriod     = 24 * time.Hour
	maxEvidence       = 10
)

// Percentile returns the nearest-rank p-th percentile (0 < p ≤ 100) of
// sorted values: the smallest value such that at least p% of the values are
// at or below it. It is the definition an SLA means ("90% of calls connect
// within 60 s" holds exactly when P90 ≤ 60). NaN for no values.
func Percentile(sorted []float64, p float64) float64 {
	n := len(sorted)
	if n == 0 || p <= 0 || p > 100 {
		return math.NaN()
	}
	rank := int(math.Ceil(p / 100 * float64(n)))
	return sorted[max(rank, 1)-1]
}

// Period is one day, week or other period of a response-time series.
type Period struct {
	Start, End time.Time
	N          int
	P50        float64
	P90        float64
	P99        float64
	Max        float64
	Over       int     // responses over the target
	ShareOver  float64 // Over / N
	Points     []trustwatch.Point
}

// Percentile returns the period's p-th percentile.
func (p *Period) Percentile(pct float64) float64 {
	vals := make([]float64, len(p.Points))
	for i, q := range p.Points {
		vals[i] = q.Value
	}
	slices.Sort(vals)
	return Percentile(vals, pct)
}

// PeriodStart returns the start of the period holding t: local midnight for
// whole days (weeks start on Monday for multiples of 7 days), and a multiple
// of the period after local midnight for shorter ones.
func PeriodStart(t time.Time, period time.Duration, loc *time.Location) time.Time {
	t = t.In(loc)
	midnight := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	const day = 24 * time.Hour
	if period < day || period%day != 0 {
		return midnight.Add(t.Sub(midnight) / period * period)
	}
	n := int(period / day)
	ref := time.Date(1970, 1, 1, 0, 0, 0, 0, loc) // a Thursday
	if n%7 == 0 {
		ref = time.Date(1970, 1, 5, 0, 0, 0, 0, loc) // a Monday
	}
	days := civilDays(ref, midnight)
	off := ((days % n) + n) % n
	return midnight.AddDate(0, 0, -off)
}

// civilDays counts calendar days from a to b (both local midnights), immune
// to daylight-saving hours.
func civilDays(a, b time.Time) int {
	ua := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, time.UTC)
	ub := time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, time.UTC)
	return int(ub.Sub(ua) / (24 * time.Hour))
}

// Periods groups points into periods (in loc) and computes their
// percentiles and the share over target (target ≤ 0: none counted).
func Periods(pts []trustwatch.Point, period time.Duration, target float64, loc *time.Location) []Period {
	if loc == nil {
		loc = trustwatch.DefaultLocation()
	}
	if period <= 0 {
		period = DefaultPeriod
	}
	byStart := map[time.Time][]trustwatch.Point{}
	var starts []time.Time
	for _, p := range pts {
		s := PeriodStart(p.Time, period, loc)
		if _, ok := byStart[s]; !ok {
			starts = append(starts, s)
		}
		byStart[s] = append(byStart[s], p)
	}
	slices.SortFunc(starts, time.Time.Compare)
	out := make([]Period, 0, len(starts))
	for _, s := range starts {
		ps := byStart[s]
		slices.SortStableFunc(ps, func(a, b trustwatch.Point) int { return a.Time.Compare(b.Time) })
		vals := make([]float64, len(ps))
		over := 0
		for i, p := range ps {
			vals[i] = p.Value
			if target > 0 && p.Value > target {
				over++
			}
		}
		slices.Sort(vals)
		end := s.Add(period)
		if period%(24*time.Hour) == 0 {
			end = s.AddDate(0, 0, int(period/(24*time.Hour)))
		}
		out = append(out, Period{
			Start: s, End: end, N: len(ps),
			P50: Percentile(vals, 50), P90: Percentile(vals, 90), P99: Percentile(vals, 99),
			Max: vals[len(vals)-1], Over: over, ShareOver: float64(over) / float64(len(ps)),
			Points: ps,
		})
	}
	return out
}

// Detect finds the periods in which the rule's percentile (90 by default)
// of the response times exceeds its target, or in which the share over the
// target reaches above_pct when set. A detection's time is that of the last
// point of the period; its value is the percentile; its evidence the
// slowest responses.
func Detect(pts []trustwatch.Point, def trustwatch.SeriesDef, r trustwatch.Rule, loc *time.Location) ([]trustwatch.Detection, error) {
	if r.Detector != DetectorSLA {
		return nil, trustwatch.Errorf(trustwatch.EINVALID, "rule %s: sla: unknown detector %q", r.ID, r.Detector)
	}
	if r.Target <= 0 {
		return nil, trustwatch.Errorf(trustwatch.EINVALID, "rule %s: detector sla needs a positive target", r.ID)
	}
	pct := cmp.Or(r.Percentile, DefaultPercentile)
	if pct <= 0 || pct > 100 {
		return nil, trustwatch.Errorf(trustwatch.EINVALID, "rule %s: percentile %v is not in (0, 100]", r.ID, r.Percentile)
	}
	if loc == nil {
		loc = trustwatch.DefaultLocation()
	}
	period := r.Period.D()
	if period <= 0 {
		period = DefaultPeriod
	}
	unit := cmp.Or(def.Unit, "秒")
	var out []trustwatch.Detection
	for _, p := range Periods(pts, period, r.Target, loc) {
		if p.N < max(r.MinCount, 1) {
			continue
		}
		v := p.Percentile(pct)
		overPct := 100 * p.ShareOver
		byPct := v > r.Target
		byShare := r.AbovePct != nil && overPct >= *r.AbovePct
		if !byPct && !byShare {
			continue
		}
		relation := "超过"
		if !byPct {
			relation = "未超过"
		}
		st := fmt.Sprintf("%s %s P%s 为 %s，%s目标 %s（%d 次中 %d 次超标，占 %s%%；P50 %s，最长 %s）",
			def.Label(), periodLabel(p, period, loc), trimFloat(pct), metric.Format(v, unit), relation, metric.Format(r.Target, unit),
			p.N, p.Over, trimFloat(math.Round(overPct*10)/10), metric.Format(p.P50, unit), metric.Format(p.Max, unit))
		last := p.Points[len(p.Points)-1]
		entity := cmp.Or(def.Entity, last.Entity)
		out = append(out, trustwatch.Detection{
			Rule: r.ID, Kind: KindBreach, Entity: entity, Series: def.ID,
			Time: last.Time, Value: v, Severity: r.Severity, Statement: st,
			Evidence: slowest(p.Points, r.Target),
		})
	}
	return out, nil
}

// slowest returns the responses over the target, slowest first, at most maxEvidence.
func slowest(pts []trustwatch.Point, target float64) []trustwatch.Evidence {
	var over []trustwatch.Point
	for _, p := range pts {
		if p.Value > target {
			over = append(over, p)
		}
	}
	slices.SortStableFunc(over, func(a, b trustwatch.Point) int { return cmp.Compare(b.Value, a.Value) })
	ev := make([]trustwatch.Evidence, 0, min(len(over), maxEvidence))
	for _, p := range over[:min(len(over), maxEvidence)] {
		ev = append(ev, trustwatch.Evidence{Series: p.Series, Time: p.Time, Value: p.Value, Note: "超过目标"})
	}
	return ev
}

func periodLabel(p Period, period time.Duration, loc *time.Location) string {
	const day = 24 * time.Hour
	switch {
	case period == day:
		return metric.Day(p.Start, loc)
	case period == 7*day:
		return metric.Day(p.Start, loc) + " 当周"
	case period%day == 0:
		return metric.Day(p.Start, loc) + " 起 " + metric.Window(period)
	}
	return p.Start.In(loc).Format("2006-01-02 15:04") + " 起 " + metric.Window(period)
}

func trimFloat(v float64) string {
	s := fmt.Sprintf("%.2f", v)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}
