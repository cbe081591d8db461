package chart

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// NiceTicks returns evenly spaced tick values on a "nice" step (1, 2 or 5
// times a power of ten) that cover [lo, hi]: the first tick is at or below
// lo, the last at or above hi, and there are at most max ticks (at least 2).
// The smallest such step is chosen. An empty range is widened around lo.
func NiceTicks(lo, hi float64, max int) []float64 { return niceTicks(lo, hi, max, 0) }

// IntTicks is NiceTicks for an axis of counts: the step is a whole number
// (at least 1), so no tick falls between two counts (no 0.5).
func IntTicks(lo, hi float64, max int) []float64 { return niceTicks(lo, hi, max, 1) }

func niceTicks(lo, hi float64, max int, minStep float64) []float64 {
	if max < 2 {
		max = 2
	}
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return []float64{0, 1}
	}
	if lo > hi {
		lo, hi = hi, lo
	}
	if lo == hi {
		switch {
		case lo == 0:
			hi = 1
		case lo > 0:
			lo, hi = 0, lo
		default:
			hi = 0
		}
	}
	span := hi - lo
	step := math.Max(NiceStep(span/float64(max-1)), minStep)
	for {
		first := math.Floor(lo/step + 1e-9)
		last := math.Ceil(hi/step - 1e-9)
		if int(last-first)+1 <= max {
			ticks := make([]float64, 0, int(last-first)+1)
			for i := first; i <= last; i++ {
				ticks = append(ticks, round(i*step, step))
			}
			return ticks
		}
		step = NiceStep(step * 1.0001)
	}
}

// NiceStep returns the smallest number of the form {1, 2, 5} × 10^k that is
// at least x (x > 0).
func NiceStep(x float64) float64 {
	if x <= 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return 1
	}
	exp := math.Floor(math.Log10(x))
	base := math.Pow(10, exp)
	for _, m := range []float64{1, 2, 5, 10} {
		if s := m * base; s >= x*(1-1e-12) {
			return s
		}
	}
	return 10 * base
}

// round removes floating-point noise from a multiple of step.
func round(v, step float64) float64 {
	d := decimals(step) + 2
	p := math.Pow(10, float64(d))
	r := math.Round(v*p) / p
	if r == 0 {
		return 0 // no negative zero
	}
	return r
}

// decimals is the number of decimals needed to write multiples of step.
func decimals(step float64) int {
	if step <= 0 || step >= 1 {
		return 0
	}
	return int(math.Ceil(-math.Log10(step) - 1e-9))
}

// FormatValue writes v for an axis whose ticks are step apart, in the
// Chinese style for large numbers: 1.2万 (10^4), 3亿 (10^8).
func FormatValue(v, step float64) string {
	unit, div := "", 1.0
	switch a := math.Max(math.Abs(v), step); {
	case a >= 1e8:
		unit, div = "亿", 1e8
	case a >= 1e4 && step >= 1000:
		unit, div = "万", 1e4
	}
	d := decimals(step / div)
	if v == 0 {
		return "0"
	}
	s := strconv.FormatFloat(v/div, 'f', d, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s + unit
}

// FormatPercent writes a fraction as a percentage for ticks step apart.
func FormatPercent(v, step float64) string {
	s := strconv.FormatFloat(v*100, 'f', decimals(step*100), 64)
	if s == "-0" {
		s = "0"
	}
	return s + "%"
}

// TimeTick is one labelled tick of a time axis.
type TimeTick struct {
	Time  time.Time
	Label string
}

// timeStep is a candidate interval between time ticks.
type timeStep struct {
	hours, days, months int
}

var timeSteps = []timeStep{
	{hours: 1}, {hours: 2}, {hours: 3}, {hours: 6}, {hours: 12},
	{days: 1}, {days: 2}, {days: 7}, {days: 14},
	{months: 1}, {months: 2}, {months: 3}, {months: 6}, {months: 12},
}

func (s timeStep) duration() time.Duration {
	switch {
	case s.hours > 0:
		return time.Duration(s.hours) * time.Hour
	case s.days > 0:
		return time.Duration(s.days) * 24 * time.Hour
	}
	return time.Duration(s.months) * 28 * 24 * time.Hour
}

// TimeTicks returns labelled ticks for the time axis [from, to] in loc,
// choosing the finest step (hours, days, weeks, months, years) at which
// labels set fontSize high fit into widthPx without touching: each label's
// estimated width plus a gap must fit in the distance between ticks.
// Steps shorter than minStep (the period of bucketed data) are skipped.
// Hour ticks are labelled 15:00 (1月2日 at midnight), day and week ticks
// 1月2日, month ticks 3月 (2024年3月 on the first tick and in January).
func TimeTicks(from, to time.Time, loc *time.Location, widthPx, fontSize float64, minStep time.Duration) []TimeTick {
	if loc == nil {
		loc = time.UTC
	}
	if !to.After(from) || widthPx <= 0 {
		if from.IsZero() {
			return nil
		}
		return []TimeTick{{Time: from, Label: dayLabel(from.In(loc))}}
	}
	span := to.Sub(from)
	var ticks []TimeTick
	for _, st := range timeSteps {
		if st.duration() < minStep && st.months == 0 {
			continue
		}
		ticks = timeTicksAt(from, to, loc, st)
		if len(ticks) <= 1 {
			continue
		}
		var maxw float64
		for _, t := range ticks {
			maxw = math.Max(maxw, TextWidth(t.Label, fontSize))
		}
		spacing := widthPx * float64(st.duration()) / float64(span)
		if spacing >= maxw+fontSize {
			return ticks
		}
	}
	return ticks
}

func timeTicksAt(from, to time.Time, loc *time.Location, st timeStep) []TimeTick {
	f := from.In(loc)
	var t time.Time
	switch {
	case st.hours > 0:
		t = time.Date(f.Year(), f.Month(), f.Day(), f.Hour(), 0, 0, 0, loc)
	case st.days > 0:
		t = time.Date(f.Year(), f.Month(), f.Day(), 0, 0, 0, 0, loc)
		if st.days == 7 || st.days == 14 { // weeks start on Monday
			back := (int(t.Weekday()) + 6) % 7
			t = t.AddDate(0, 0, -back)
		}
	default:
		t = time.Date(f.Year(), f.Month(), 1, 0, 0, 0, 0, loc)
	}
	var ticks []TimeTick
	for n := 0; !t.After(to) && n < 10000; n++ {
		if !t.Before(from) && aligned(t, st) {
			ticks = append(ticks, TimeTick{Time: t, Label: tickLabel(t, st, len(ticks) == 0)})
		}
		switch {
		case st.hours > 0:
			t = t.Add(time.Hour)
		case st.days > 0:
			t = t.AddDate(0, 0, st.days)
		default:
			t = t.AddDate(0, 1, 0)
		}
	}
	return ticks
}

func aligned(t time.Time, st timeStep) bool {
	switch {
	case st.hours > 0:
		return t.Hour()%st.hours == 0
	case st.months > 0:
		return (int(t.Month())-1)%st.months == 0
	}
	return true
}

func tickLabel(t time.Time, st timeStep, first bool) string {
	switch {
	case st.hours > 0:
		if t.Hour() == 0 {
			return dayLabel(t)
		}
		return t.Format("15:04")
	case st.days > 0:
		return dayLabel(t)
	}
	if first || t.Month() == time.January {
		return strconv.Itoa(t.Year()) + "年" + strconv.Itoa(int(t.Month())) + "月"
	}
	return strconv.Itoa(int(t.Month())) + "月"
}

func dayLabel(t time.Time) string {
	return strconv.Itoa(int(t.Month())) + "月" + strconv.Itoa(t.Day()) + "日"
}
