package cndate

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ErrEmpty is returned for a blank time or count.
var ErrEmpty = errors.New("empty")

// ParseTime reads s as a point in time. Times without a zone are read in
// loc (UTC when nil); relative forms ("刚刚", "3分钟前", "昨天 08:00",
// "01-02 15:04") are resolved against now, in loc.
func ParseTime(s string, loc *time.Location, now time.Time) (time.Time, error) {
	if loc == nil {
		loc = time.UTC
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, ErrEmpty
	}
	if t, ok := parseNumeric(s, loc); ok {
		return t, nil
	}
	if t, ok := parseCalendar(s, loc); ok {
		return t, nil
	}
	if t, ok := parseRelative(s, loc, now); ok {
		return t, nil
	}
	for _, layout := range zonedLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("unparseable time %q", s)
}

// zonedLayouts are the rarer forms that carry their own zone, tried last.
var zonedLayouts = []string{
	time.RubyDate, // Weibo API: Sat Mar 30 12:22:33 +0800 2024
	time.UnixDate,
	time.RFC1123Z,
	time.RFC1123,
	time.RFC822Z,
}

// parseNumeric reads unix seconds or milliseconds, with an optional
// fraction ("1711772553.0" is how pandas writes them), and yyyymmdd.
func parseNumeric(s string, loc *time.Location) (time.Time, bool) {
	intPart, frac, hasFrac := strings.Cut(s, ".")
	if !allDigits(intPart) || (hasFrac && !allDigits(frac)) || len(intPart) > 16 {
		return time.Time{}, false
	}
	if len(intPart) == 8 && !hasFrac && (intPart[:2] == "19" || intPart[:2] == "20") {
		y, _ := strconv.Atoi(intPart[:4])
		m, _ := strconv.Atoi(intPart[4:6])
		d, _ := strconv.Atoi(intPart[6:8])
		if validDate(y, m, d) {
			return time.Date(y, time.Month(m), d, 0, 0, 0, 0, loc), true
		}
		return time.Time{}, false
	}
	n, err := strconv.ParseInt(intPart, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	var nsec int64
	if hasFrac && frac != "" {
		f, _ := strconv.ParseFloat("0."+frac, 64)
		nsec = int64(f * 1e9)
	}
	switch {
	case n < 1e11: // seconds (up to year 5138)
		return time.Unix(n, nsec).In(loc), true
	case n < 1e14: // milliseconds
		return time.UnixMilli(n).In(loc), true
	default: // microseconds
		return time.UnixMicro(n).In(loc), true
	}
}

// parseCalendar reads the year-month-day family without allocating:
// 2006-01-02, 2006/1/2, 2006.1.2, 2006年1月2日, each optionally followed by
// [ T]15:04[:05[.000]] and a zone (Z, +08:00, +0800).
func parseCalendar(s string, loc *time.Location) (time.Time, bool) {
	p := scanner{s: s}
	y, ok := p.number(4, 4)
	if !ok || !p.dateSep("年") {
		return time.Time{}, false
	}
	m, ok := p.number(1, 2)
	if !ok || !p.dateSep("月") {
		return time.Time{}, false
	}
	d, ok := p.number(1, 2)
	if !ok || !validDate(y, m, d) {
		return time.Time{}, false
	}
	p.literal("日")
	if p.done() {
		return time.Date(y, time.Month(m), d, 0, 0, 0, 0, loc), true
	}
	if !p.literal("T") && !p.spaces() {
		return time.Time{}, false
	}
	hh, mm, ss, ns, ok := p.clock()
	if !ok {
		return time.Time{}, false
	}
	p.spaces()
	if p.done() {
		return time.Date(y, time.Month(m), d, hh, mm, ss, ns, loc), true
	}
	zone, ok := p.zone()
	if !ok || !p.done() {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(m), d, hh, mm, ss, ns, zone), true
}

// parseRelative reads the forms Weibo and Douyin show instead of a date.
func parseRelative(s string, loc *time.Location, now time.Time) (time.Time, bool) {
	if now.IsZero() {
		now = time.Now()
	}
	now = now.In(loc)
	switch s {
	case "刚刚", "刚才", "just now":
		return now, true
	}
	for _, u := range agoUnits {
		if rest, ok := strings.CutSuffix(s, u.suffix); ok {
			n, err := strconv.Atoi(strings.TrimSpace(rest))
			if err != nil || n < 0 {
				return time.Time{}, false
			}
			return now.Add(-time.Duration(n) * u.unit), true
		}
	}
	for _, day := range relativeDays {
		if rest, ok := strings.CutPrefix(s, day.word); ok {
			base := now.AddDate(0, 0, -day.back)
			p := scanner{s: strings.TrimSpace(rest)}
			if p.done() {
				return time.Date(base.Year(), base.Month(), base.Day(), 0, 0, 0, 0, loc), true
			}
			hh, mm, ss, ns, ok := p.clock()
			if !ok || !p.done() {
				return time.Time{}, false
			}
			return time.Date(base.Year(), base.Month(), base.Day(), hh, mm, ss, ns, loc), true
		}
	}
	// "01-02 15:04" or "01-02": this year.
	p := scanner{s: s}
	m, ok := p.number(1, 2)
	if !ok || !(p.literal("-") || p.literal("/") || p.literal("月")) {
		return time.Time{}, false
	}
	d, ok := p.number(1, 2)
	if !ok || !validDate(now.Year(), m, d) {
		return time.Time{}, false
	}
	p.literal("日")
	if p.done() {
		return time.Date(now.Year(), time.Month(m), d, 0, 0, 0, 0, loc), true
	}
	if !p.spaces() {
		return time.Time{}, false
	}
	hh, mm, ss, ns, ok := p.clock()
	if !ok || !p.done() {
		return time.Time{}, false
	}
	return time.Date(now.Year(), time.Month(m), d, hh, mm, ss, ns, loc), true
}

var agoUnits = []struct {
	suffix string
	unit   time.Duration
}{
	{"秒前", time.Second},
	{"秒钟前", time.Second},
	{"分钟前", time.Minute},
	{"分前", time.Minute},
	{"小时前", time.Hour},
	{"个小时前", time.Hour},
	{"天前", 24 * time.Hour},
}

var relativeDays = []struct {
	word string
	back int
}{
	{"今天", 0},
	{"昨天", 1},
	{"前天", 2},
}

func validDate(y, m, d int) bool {
	if y < 1 || m < 1 || m > 12 || d < 1 {
		return false
	}
	return d <= time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// scanner walks a time string left to right.
type scanner struct {
	s string
	i int
}

func (p *scanner) done() bool { return p.i == len(p.s) }

// number reads between min and max digits.
func (p *scanner) number(min, max int) (int, bool) {
	n, start := 0, p.i
	for p.i < len(p.s) && p.i-start < max && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		n = n*10 + int(p.s[p.i]-'0')
		p.i++
	}
	return n, p.i-start >= min
}

func (p *scanner) literal(lit string) bool {
	if strings.HasPrefix(p.s[p.i:], lit) {
		p.i += len(lit)
		return true
	}
	return false
}

// dateSep reads one of - / . or the given Chinese unit.
func (p *scanner) dateSep(unit string) bool {
	return p.literal("-") || p.literal("/") || p.literal(".") || p.literal(unit)
}

func (p *scanner) spaces() bool {
	start := p.i
	for p.i < len(p.s) && p.s[p.i] == ' ' {
		p.i++
	}
	return p.i > start
}

// clock reads 15:04[:05[.000000]].
func (p *scanner) clock() (hh, mm, ss, ns int, ok bool) {
	if hh, ok = p.number(1, 2); !ok || !p.literal(":") {
		return 0, 0, 0, 0, false
	}
	if mm, ok = p.number(2, 2); !ok {
		return 0, 0, 0, 0, false
	}
	if p.literal(":") {
		if ss, ok = p.number(2, 2); !ok {
			return 0, 0, 0, 0, false
		}
		if p.literal(".") || p.literal(",") {
			start := p.i
			frac, ok := p.number(1, 9)
			if !ok {
				return 0, 0, 0, 0, false
			}
			for k := p.i - start; k < 9; k++ {
				frac *= 10
			}
			ns = frac
		}
	}
	if hh > 23 || mm > 59 || ss > 60 {
		return 0, 0, 0, 0, false
	}
	return hh, mm, ss, ns, true
}

// zone reads Z, +08:00, +0800 or +08.
func (p *scanner) zone() (*time.Location, bool) {
	if p.literal("Z") || p.literal("UTC") {
		return time.UTC, true
	}
	sign := 1
	switch {
	case p.literal("+"):
	case p.literal("-"):
		sign = -1
	default:
		return nil, false
	}
	h, ok := p.number(2, 2)
	if !ok {
		return nil, false
	}
	p.literal(":")
	m, _ := p.number(2, 2)
	if h > 14 || m > 59 {
		return nil, false
	}
	return time.FixedZone("", sign*(h*3600+m*60)), true
}
