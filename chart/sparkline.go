package chart

import (
	"html/template"
	"math"
	"strconv"
	"strings"
)

// Spark is a sparkline: a small line of values with no axes, its last
// value marked by a dot. Counts (all values ≥ 0) are drawn from zero so
// that the height shows magnitude, not only shape.
type Spark struct {
	Values        []float64
	Width, Height int    // 100×24 when zero
	Title         string // shown on hover and read by screen readers
	Color         string
}

// HTML returns the SVG for embedding in a page.
func (s *Spark) HTML() template.HTML { return template.HTML(s.SVG()) }

// SVG renders the sparkline.
func (s *Spark) SVG() string {
	w, h := float64(s.Width), float64(s.Height)
	if w <= 0 {
		w = 100
	}
	if h <= 0 {
		h = 24
	}
	color := safeColor(s.Color, Palette[0])
	var b strings.Builder
	ws, hs := strconv.Itoa(int(w)), strconv.Itoa(int(h))
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="spark" viewBox="0 0 ` + ws + ` ` + hs + `" width="` + ws + `" height="` + hs + `" role="img"`)
	if s.Title != "" {
		b.WriteString(` aria-label="`)
		escape(&b, s.Title)
		b.WriteString(`"><title>`)
		escape(&b, s.Title)
		b.WriteString(`</title>`)
	} else {
		b.WriteString(`>`)
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range s.Values {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if math.IsInf(lo, 1) {
		y := f1(h - 2)
		b.WriteString(`<line x1="1" y1="` + y + `" x2="` + f1(w-1) + `" y2="` + y + `" stroke="#d1d5db"/></svg>`)
		return b.String()
	}
	if lo >= 0 {
		lo = 0
	}
	if hi == lo {
		hi = lo + 1
	}
	const m = 2.0 // margin for the dot
	x := func(i int) float64 {
		if len(s.Values) == 1 {
			return w / 2
		}
		return m + (w-2*m)*float64(i)/float64(len(s.Values)-1)
	}
	y := func(v float64) float64 { return m + (h-2*m)*(1-(v-lo)/(hi-lo)) }
	var pts []string
	last := -1
	for i, v := range s.Values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		pts = append(pts, f1(x(i))+","+f1(y(v)))
		last = i
	}
	b.WriteString(`<polyline points="` + strings.Join(pts, " ") + `" fill="none" stroke="` + color + `" stroke-width="1.5" stroke-linejoin="round"/>`)
	b.WriteString(`<circle cx="` + f1(x(last)) + `" cy="` + f1(y(s.Values[last])) + `" r="2" fill="` + color + `"/>`)
	b.WriteString(`</svg>`)
	return b.String()
}
