package chart

import (
	"html/template"
	"math"
	"strconv"
	"strings"
)

// Interval draws an estimate with its uncertainty on a fixed scale: a thin
// track from Min to Max, a band from Lo to Hi and a tick at Value. It shows a
// probability with its credible interval in a table cell.
type Interval struct {
	Value, Lo, Hi float64
	Min, Max      float64 // the scale; 0…1 when both are zero
	Width, Height int     // 100×14 when zero
	Title         string
	Color         string
}

// HTML returns the SVG for embedding in a page.
func (iv *Interval) HTML() template.HTML { return template.HTML(iv.SVG()) }

// SVG renders the interval. Values outside the scale are clamped to it; a
// NaN value draws the track alone.
func (iv *Interval) SVG() string {
	w, h := float64(iv.Width), float64(iv.Height)
	if w <= 0 {
		w = 100
	}
	if h <= 0 {
		h = 14
	}
	lo, hi := iv.Min, iv.Max
	if lo == 0 && hi == 0 {
		hi = 1
	}
	if hi <= lo {
		hi = lo + 1
	}
	color := safeColor(iv.Color, Palette[0])
	const m = 2.0
	x := func(v float64) float64 {
		v = math.Max(lo, math.Min(hi, v))
		return m + (w-2*m)*(v-lo)/(hi-lo)
	}
	var b strings.Builder
	ws, hs := strconv.Itoa(int(w)), strconv.Itoa(int(h))
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="interval" viewBox="0 0 ` + ws + ` ` + hs + `" width="` + ws + `" height="` + hs + `" role="img"`)
	if iv.Title != "" {
		b.WriteString(` aria-label="`)
		escape(&b, iv.Title)
		b.WriteString(`"><title>`)
		escape(&b, iv.Title)
		b.WriteString(`</title>`)
	} else {
		b.WriteString(`>`)
	}
	mid := f1(h / 2)
	b.WriteString(`<line x1="` + f1(m) + `" y1="` + mid + `" x2="` + f1(w-m) + `" y2="` + mid + `" stroke="#d1d5db" stroke-width="2"/>`)
	if !math.IsNaN(iv.Value) {
		if !math.IsNaN(iv.Lo) && !math.IsNaN(iv.Hi) {
			x0, x1 := x(math.Min(iv.Lo, iv.Hi)), x(math.Max(iv.Lo, iv.Hi))
			b.WriteString(`<rect x="` + f1(x0) + `" y="` + f1(h*0.25) + `" width="` + f1(math.Max(x1-x0, 1)) + `" height="` + f1(h*0.5) + `" fill="` + color + `" fill-opacity="0.3"/>`)
		}
		xv := f1(x(iv.Value))
		b.WriteString(`<line x1="` + xv + `" y1="1" x2="` + xv + `" y2="` + f1(h-1) + `" stroke="` + color + `" stroke-width="2"/>`)
	}
	b.WriteString(`</svg>`)
	return b.String()
}
