package metric

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Format writes a number the way a Chinese team reads it: up to two
// decimals, large magnitudes in 万 (1e4) and 亿 (1e8), followed by the unit.
// 39.8 → "39.8", 20000 → "2万", -350000 → "-35万", -2.8e11 → "-2800亿".
func Format(v float64, unit string) string {
	s := formatNumber(v)
	if unit != "" {
		s += " " + unit
	}
	return s
}

func formatNumber(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	a := math.Abs(v)
	switch {
	case a >= 1e8:
		return trimDecimals(v/1e8, 2) + "亿"
	case a >= 1e4:
		return trimDecimals(v/1e4, 2) + "万"
	}
	return trimDecimals(v, 2)
}

// FormatSigned is Format with an explicit sign on positive numbers, for changes.
func FormatSigned(v float64, unit string) string {
	if v > 0 {
		return "+" + Format(v, unit)
	}
	return Format(v, unit)
}

// FormatPct writes a percentage with one decimal and its sign: "-12.5%".
func FormatPct(p float64) string {
	s := trimDecimals(p, 1) + "%"
	if p > 0 && !strings.HasPrefix(s, "0%") {
		return "+" + s
	}
	return s
}

func trimDecimals(v float64, n int) string {
	s := strconv.FormatFloat(v, 'f', n, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// Day writes t's calendar day in loc.
func Day(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("2006-01-02")
}

// Span describes the look-back from "from" to "to" in the largest whole
// calendar unit (in loc) that fits: "7 个月", "18 天", "5 小时". It is the
// way a person counts "lowest close in 7 months": the window (to − N, to]
// excludes the earlier point at from, so N is the largest count of months
// (else days, else hours) with to − N ≥ from.
func Span(from, to time.Time, loc *time.Location) string {
	n, unit := SpanUnits(from, to, loc)
	return strconv.Itoa(n) + " " + unit
}

// SpanUnits is Span as a count and a Chinese unit (个月, 天 or 小时).
func SpanUnits(from, to time.Time, loc *time.Location) (int, string) {
	from, to = from.In(loc), to.In(loc)
	if months := monthsBetween(from, to); months >= 1 {
		return months, "个月"
	}
	days := 0
	for !to.AddDate(0, 0, -(days + 1)).Before(from) {
		days++
	}
	if days >= 1 {
		return days, "天"
	}
	return int(to.Sub(from) / time.Hour), "小时"
}

// monthsBetween counts whole calendar months from from to to, without
// time.AddDate's normalisation (May 31 minus a month is not May 1).
func monthsBetween(from, to time.Time) int {
	m := (to.Year()-from.Year())*12 + int(to.Month()) - int(from.Month())
	clock := func(t time.Time) time.Duration {
		return time.Duration(t.Day())*24*time.Hour + t.Sub(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location()))
	}
	if clock(to) < clock(from) {
		m--
	}
	return m
}

// Window writes a rule's window: "30 天" for whole days, else "6 小时" for
// whole hours, else Go's form.
func Window(d time.Duration) string {
	switch {
	case d > 0 && d%(24*time.Hour) == 0:
		return strconv.FormatInt(int64(d/(24*time.Hour)), 10) + " 天"
	case d > 0 && d%time.Hour == 0:
		return strconv.FormatInt(int64(d/time.Hour), 10) + " 小时"
	}
	return d.String()
}
