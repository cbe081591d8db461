package chart

import (
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Series is one named sequence of values over time. Times and Values are
// aligned; a NaN value leaves a gap in a line.
type Series struct {
	Name   string
	Color  string // #rrggbb or a colour keyword; a palette colour when empty
	Times  []time.Time
	Values []float64
	// Right plots the series against the right axis.
	Right bool
	// Dashed draws a line series dashed.
	Dashed bool
}

// Axis configures a value axis.
type Axis struct {
	Label string // written above the axis
	// Min and Max fix the axis range when Fixed is set.
	Min, Max float64
	Fixed    bool
	// IncludeZero stretches the range to 0 (always so for stacks).
	IncludeZero bool
	// Percent writes tick labels as percentages of 1.
	Percent bool
	// Integer keeps ticks on whole numbers, for counts: never a 0.5 tick.
	Integer bool
}

// Marker is a vertical line at a time (an alert, a spike, an event), with
// a dot at Value when Dot is set. Title is shown on hover; Label, if short
// enough to fit beside the other markers, is written above the plot.
type Marker struct {
	Time  time.Time
	Label string
	Title string
	Color string
	Dot   bool
	Value float64
	Right bool // Value is on the right axis
}

// Band is a horizontal band between two values (a control region).
type Band struct {
	From, To float64
	Label    string
	Color    string
	Right    bool
}

// HLine is a horizontal reference line (a threshold, a control limit).
type HLine struct {
	Value  float64
	Label  string
	Color  string
	Dashed bool
	Right  bool
}

// Chart is a time chart: stacked bars (or areas) and lines over a shared
// time axis, with markers, bands and reference lines.
type Chart struct {
	Title         string
	Width, Height int // pixels; 640×240 when zero
	// Location is where day and month boundaries of the time axis fall.
	Location *time.Location
	// Step is the length of the period each point stands for (an hour, a
	// day). Bars fill their period and line points sit at its middle. When
	// zero, bars use the shortest gap between times.
	Step time.Duration

	Stacked []Series // stacked in order, bottom first
	Areas   bool     // draw Stacked as areas instead of bars
	Lines   []Series

	Left, Right Axis
	Markers     []Marker
	Bands       []Band
	HLines      []HLine

	// Empty is written when there is no data; "暂无数据" when unset.
	Empty string

	// CompleteUntil is the instant up to which the data is complete (the
	// newest item, or now). A period that ends after it is partial and is
	// drawn so: its background shaded, its bars lighter, the line into it
	// dashed, and the legend says 「未完整」. Zero: every period is complete.
	CompleteUntil time.Time
}

// NarrowWidth is the width of the variant HTML adds for narrow screens:
// at a phone's 390 CSS pixels the content box is about 345 pixels wide, so
// a 360-unit drawing shrinks by less than 5/6 and its 12-unit text stays
// at 10 pixels or more.
const NarrowWidth = 360

// PartialNote is the legend entry of partial periods.
const PartialNote = "未完整"

// Palette is the default colour cycle.
var Palette = []string{"#3b6fb6", "#e08a1e", "#3a9a5b", "#c23b3b", "#7b5ea7", "#8c6d46", "#d16ba5", "#6b7280", "#b5a22c", "#2aa3b8"}

const (
	fontSize  = 12.0
	lineH     = 16.0
	pad       = 8.0
	tickGap   = 6.0
	minPlotW  = 40.0
	minPlotH  = 40.0
	swatchW   = 12.0
	legendGap = 16.0
	// maxMarkerRows is how many rows of marker labels a chart stacks
	// above its plot; a label that fits in none is dropped (its marker
	// line and tooltip stay).
	maxMarkerRows = 2
)

// HTML returns the SVG for embedding in a page. The SVG escapes all text
// itself, so marking it as template.HTML is safe.
//
// A chart wider than NarrowWidth comes with a second drawing of itself,
// NarrowWidth wide (class chart-narrow, the wide one gets has-narrow), for
// the stylesheet to show on narrow screens instead: scaled down to a phone,
// the wide drawing's text would be 4 pixels high. Both are drawn on the
// server; the page shows one.
func (c *Chart) HTML() template.HTML {
	if c.width() <= NarrowWidth {
		return template.HTML(c.SVG())
	}
	return template.HTML(c.svg("chart has-narrow") + c.Narrow().svg("chart-narrow"))
}

// Narrow returns a copy of c drawn NarrowWidth wide, taller by the rows
// its legend and marker labels need beyond the wide drawing's.
func (c *Chart) Narrow() *Chart {
	n := *c
	n.Width = NarrowWidth
	wide, narrow := c.layout(), n.layout()
	n.Height = int(wide.h + narrow.y0 - wide.y0)
	return &n
}

func (c *Chart) width() int {
	if c.Width <= 0 {
		return 640
	}
	return c.Width
}

// SVG renders the chart.
func (c *Chart) SVG() string { return c.svg("chart") }

func (c *Chart) svg(class string) string {
	l := c.layout()
	var b strings.Builder
	b.Grow(4096)
	l.open(&b, class, c.Title)
	l.titleAndLegend(&b, c)
	if !l.hasData {
		empty := c.Empty
		if empty == "" {
			empty = "暂无数据"
		}
		text(&b, l.x0+l.pw/2, l.y0+l.ph/2, "middle", "#6b7280", empty)
		b.WriteString(`<rect x="` + f1(l.x0) + `" y="` + f1(l.y0) + `" width="` + f1(l.pw) + `" height="` + f1(l.ph) + `" fill="none" stroke="#d1d5db"/>`)
		b.WriteString("</svg>")
		return b.String()
	}
	l.grid(&b)
	l.partialBand(&b, c)
	l.bands(&b, c)
	l.stacks(&b, c)
	l.lines(&b, c)
	l.hlines(&b, c)
	l.markers(&b, c)
	l.axes(&b, c)
	b.WriteString("</svg>")
	return b.String()
}

// layout holds the geometry computed before drawing.
type layout struct {
	w, h           float64
	x0, y0, pw, ph float64 // plot area
	from, to       time.Time
	step           time.Duration
	loc            *time.Location
	left, right    []float64 // ticks
	leftFmt        func(v, step float64) string
	rightFmt       func(v, step float64) string
	hasRight       bool
	hasData        bool
	legend         []legendItem
	legendRows     int
	titleH         float64
	axisLabelH     float64
	markerLaneH    float64
	xticks         []TimeTick
	// partialFrom is the start of the first partial period; zero when
	// every period is complete.
	partialFrom time.Time
	// markerLabels are the marker labels that fit, by marker index.
	markerLabels map[int]markerLabel
	markerRows   int
}

// markerLabel is a marker's label placed in a row above the plot (row 0
// nearest the plot).
type markerLabel struct {
	text string
	x, w float64
	row  int
}

type legendItem struct {
	name, color string
	line        bool
	dashed      bool
	partial     bool
	x, y        float64
}

func (c *Chart) layout() *layout {
	l := &layout{w: float64(c.Width), h: float64(c.Height), loc: c.Location, step: c.Step}
	if l.w <= 0 {
		l.w = 640
	}
	if l.h <= 0 {
		l.h = 240
	}
	if l.loc == nil {
		l.loc = time.UTC
	}
	// Time range.
	var times []time.Time
	for _, s := range c.Stacked {
		times = append(times, s.Times...)
	}
	for _, s := range c.Lines {
		times = append(times, s.Times...)
	}
	for _, t := range times {
		if l.from.IsZero() || t.Before(l.from) {
			l.from = t
		}
		if t.After(l.to) {
			l.to = t
		}
	}
	l.hasData = len(times) > 0
	if l.step == 0 && len(c.Stacked) > 0 {
		l.step = minGap(c.Stacked[0].Times)
	}
	if l.step > 0 {
		l.to = l.to.Add(l.step)
	} else if l.hasData && !l.to.After(l.from) {
		l.to = l.from.Add(time.Hour)
	}

	// Value ranges.
	lo, hi := math.Inf(1), math.Inf(-1)
	rlo, rhi := math.Inf(1), math.Inf(-1)
	widen := func(right bool, v float64) {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return
		}
		if right {
			rlo, rhi = math.Min(rlo, v), math.Max(rhi, v)
			l.hasRight = true
		} else {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if len(c.Stacked) > 0 {
		sums := stackSums(c.Stacked)
		for _, v := range sums {
			widen(false, v)
		}
		widen(false, 0)
	}
	for _, s := range c.Lines {
		for _, v := range s.Values {
			widen(s.Right, v)
		}
	}
	for _, bd := range c.Bands {
		widen(bd.Right, bd.From)
		widen(bd.Right, bd.To)
	}
	for _, hl := range c.HLines {
		widen(hl.Right, hl.Value)
	}
	for _, m := range c.Markers {
		if m.Dot {
			widen(m.Right, m.Value)
		}
	}
	if math.IsInf(lo, 1) {
		lo, hi = 0, 1
	}
	if !c.CompleteUntil.IsZero() {
		for _, t := range times {
			if l.partial(t, c.CompleteUntil) && (l.partialFrom.IsZero() || t.Before(l.partialFrom)) {
				l.partialFrom = t
			}
		}
	}

	// Vertical space: title, legend rows, axis labels, marker lanes, x labels.
	if c.Title != "" {
		l.titleH = lineH + 4
	}
	l.legend = legendItems(c, !l.partialFrom.IsZero())
	l.legendRows = l.placeLegend(l.w-2*pad, pad+l.titleH)
	if c.Left.Label != "" || (l.hasRight && c.Right.Label != "") {
		l.axisLabelH = lineH + 6 // clear of the top tick label, which rises above y0
	}
	// Marker labels take as many rows as they need (up to maxMarkerRows),
	// which is known only once the plot's width is: lay out with one row,
	// place the labels, and lay out again when they need more.
	rows := 0
	for _, m := range c.Markers {
		if m.Label != "" {
			rows = 1
		}
	}
	l.geometry(c, lo, hi, rlo, rhi, rows)
	if rows > 0 {
		if need := l.placeMarkerLabels(c, maxMarkerRows); need > rows {
			l.geometry(c, lo, hi, rlo, rhi, need)
			rows = need
		}
		l.placeMarkerLabels(c, rows)
	}
	return l
}

// partial reports whether the period starting at t ends after complete.
func (l *layout) partial(t, complete time.Time) bool {
	if complete.IsZero() {
		return false
	}
	return t.Add(l.step).After(complete)
}

// geometry places the plot area and the ticks for rows of marker labels.
func (l *layout) geometry(c *Chart, lo, hi, rlo, rhi float64, rows int) {
	l.markerRows = rows
	l.markerLaneH = float64(rows) * lineH
	top := pad + l.titleH + float64(l.legendRows)*lineH + l.axisLabelH + l.markerLaneH + 4
	bottom := lineH + tickGap + pad/2
	l.y0 = top
	l.ph = math.Max(minPlotH, l.h-top-bottom)
	maxTicks := int(l.ph/28) + 1

	l.left, l.leftFmt = axisTicks(c.Left, lo, hi, maxTicks)
	if l.hasRight {
		l.right, l.rightFmt = axisTicks(c.Right, rlo, rhi, maxTicks)
	}

	// Horizontal space: tick label widths.
	leftW := 0.0
	for _, v := range l.left {
		leftW = math.Max(leftW, TextWidth(l.leftFmt(v, tickStep(l.left)), fontSize))
	}
	rightW := 0.0
	for _, v := range l.right {
		rightW = math.Max(rightW, TextWidth(l.rightFmt(v, tickStep(l.right)), fontSize))
	}
	l.x0 = pad + leftW + tickGap
	right := pad + 8
	if l.hasRight {
		right = pad + rightW + tickGap
	}
	l.pw = math.Max(minPlotW, l.w-l.x0-right)
	if l.hasData {
		l.xticks = TimeTicks(l.from, l.lastTick(), l.loc, l.pw, fontSize, l.step)
	}
}

// placeMarkerLabels puts each marker's label, left to right, into the
// first of rows rows where it clears the label before it, and drops the
// labels that fit in none. It returns the number of rows used.
func (l *layout) placeMarkerLabels(c *Chart, rows int) int {
	l.markerLabels = map[int]markerLabel{}
	order := make([]int, 0, len(c.Markers))
	for i, m := range c.Markers {
		if m.Label != "" && !m.Time.Before(l.from) && !m.Time.After(l.to) {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return c.Markers[a].Time.Compare(c.Markers[b].Time) })
	ends := make([]float64, rows)
	for r := range ends {
		ends[r] = math.Inf(-1)
	}
	used := 0
	for _, i := range order {
		label := Truncate(c.Markers[i].Label, fontSize, math.Min(120, l.w-2*pad))
		w := TextWidth(label, fontSize)
		x := l.xc(c.Markers[i].Time)
		xl := math.Max(pad, math.Min(x-w/2, l.w-pad-w))
		for r := range ends {
			if xl >= ends[r]+markerLabelGap {
				l.markerLabels[i] = markerLabel{text: label, x: xl, w: w, row: r}
				ends[r] = xl + w
				used = max(used, r+1)
				break
			}
		}
	}
	return used
}

// markerLabelGap is the least space between two marker labels in a row.
const markerLabelGap = 6.0

// lastTick is the last time a tick may fall on: the start of the last
// period for bucketed charts (its label is centred under the bar).
func (l *layout) lastTick() time.Time {
	if l.step > 0 {
		return l.to.Add(-l.step)
	}
	return l.to
}

func axisTicks(a Axis, lo, hi float64, maxTicks int) ([]float64, func(v, step float64) string) {
	format := FormatValue
	if a.Percent {
		format = FormatPercent
	}
	if a.Fixed {
		lo, hi = a.Min, a.Max
	} else if a.IncludeZero {
		lo, hi = math.Min(lo, 0), math.Max(hi, 0)
	}
	if a.Integer && !a.Percent {
		return IntTicks(lo, hi, maxTicks), format
	}
	return NiceTicks(lo, hi, maxTicks), format
}

func tickStep(ticks []float64) float64 {
	if len(ticks) < 2 {
		return 1
	}
	return ticks[1] - ticks[0]
}

func minGap(ts []time.Time) time.Duration {
	var gap time.Duration
	for i := 1; i < len(ts); i++ {
		if d := ts[i].Sub(ts[i-1]); d > 0 && (gap == 0 || d < gap) {
			gap = d
		}
	}
	if gap == 0 {
		gap = 24 * time.Hour
	}
	return gap
}

func stackSums(stacked []Series) []float64 {
	n := 0
	for _, s := range stacked {
		n = max(n, len(s.Values))
	}
	sums := make([]float64, n)
	for _, s := range stacked {
		for i, v := range s.Values {
			if !math.IsNaN(v) && v > 0 {
				sums[i] += v
			}
		}
	}
	return sums
}

func legendItems(c *Chart, partial bool) []legendItem {
	var items []legendItem
	i := 0
	for _, s := range c.Stacked {
		items = append(items, legendItem{name: s.Name, color: safeColor(s.Color, Palette[i%len(Palette)])})
		i++
	}
	for _, s := range c.Lines {
		items = append(items, legendItem{name: s.Name, color: safeColor(s.Color, Palette[i%len(Palette)]), line: true, dashed: s.Dashed})
		i++
	}
	if len(items) == 1 && items[0].name == "" {
		items = nil
	}
	if partial {
		items = append(items, legendItem{name: PartialNote, color: partialColor, partial: true})
	}
	return items
}

// partialColor shades the partial periods.
const partialColor = "#9ca3af"

// placeLegend lays legend items out in rows that wrap at width and returns
// the number of rows. Names too long for a row are truncated.
func (l *layout) placeLegend(width, top float64) int {
	if len(l.legend) == 0 {
		return 0
	}
	x, row := pad, 0
	for i := range l.legend {
		it := &l.legend[i]
		it.name = Truncate(it.name, fontSize, width-swatchW-4)
		w := swatchW + 4 + TextWidth(it.name, fontSize)
		if x > pad && x+w > pad+width {
			x, row = pad, row+1
		}
		it.x, it.y = x, top+float64(row)*lineH
		x += w + legendGap
	}
	return row + 1
}

// Coordinates.

func (l *layout) xt(t time.Time) float64 {
	span := l.to.Sub(l.from)
	if span <= 0 {
		return l.x0 + l.pw/2
	}
	return l.x0 + l.pw*float64(t.Sub(l.from))/float64(span)
}

// xc is where a point of a bucketed series sits: the middle of its period.
func (l *layout) xc(t time.Time) float64 {
	if l.step > 0 {
		return l.xt(t.Add(l.step / 2))
	}
	return l.xt(t)
}

func (l *layout) y(v float64, right bool) float64 {
	ticks := l.left
	if right {
		ticks = l.right
	}
	lo, hi := ticks[0], ticks[len(ticks)-1]
	if hi == lo {
		return l.y0 + l.ph
	}
	v = math.Max(lo, math.Min(hi, v))
	return l.y0 + l.ph*(1-(v-lo)/(hi-lo))
}

// Drawing.

func (l *layout) open(b *strings.Builder, class, title string) {
	w, h := strconv.Itoa(int(l.w)), strconv.Itoa(int(l.h))
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="` + class + `" viewBox="0 0 ` + w + ` ` + h + `" width="` + w + `" height="` + h + `" role="img" font-family="` + FontFamily + `" font-size="` + f1(fontSize) + `"`)
	if title != "" {
		b.WriteString(` aria-label="`)
		escape(b, title)
		b.WriteString(`"`)
	}
	b.WriteString(`>`)
	if title != "" {
		b.WriteString(`<title>`)
		escape(b, title)
		b.WriteString(`</title>`)
	}
}

func (l *layout) titleAndLegend(b *strings.Builder, c *Chart) {
	if c.Title != "" {
		b.WriteString(`<text class="title" x="` + f1(pad) + `" y="` + f1(pad+lineH-3) + `" font-size="14" font-weight="600" fill="#111827">`)
		escape(b, Truncate(c.Title, 14, l.w-2*pad))
		b.WriteString(`</text>`)
	}
	if len(l.legend) > 0 {
		b.WriteString(`<g class="legend">`)
		for _, it := range l.legend {
			cy := it.y + lineH/2
			if it.partial {
				b.WriteString(`<rect x="` + f1(it.x) + `" y="` + f1(cy-5) + `" width="` + f1(swatchW) + `" height="10" fill="` + it.color + `" fill-opacity="0.25" stroke="` + it.color + `" stroke-dasharray="2 2"/>`)
			} else if it.line {
				dash := ""
				if it.dashed {
					dash = ` stroke-dasharray="4 2"`
				}
				b.WriteString(`<line x1="` + f1(it.x) + `" y1="` + f1(cy) + `" x2="` + f1(it.x+swatchW) + `" y2="` + f1(cy) + `" stroke="` + it.color + `" stroke-width="2"` + dash + `/>`)
			} else {
				b.WriteString(`<rect x="` + f1(it.x) + `" y="` + f1(cy-5) + `" width="` + f1(swatchW) + `" height="10" fill="` + it.color + `"/>`)
			}
			text(b, it.x+swatchW+4, cy+4, "start", "#374151", it.name)
		}
		b.WriteString(`</g>`)
	}
	if l.axisLabelH > 0 {
		y := l.y0 - l.markerLaneH - 10
		if c.Left.Label != "" {
			text(b, pad, y, "start", "#6b7280", Truncate(c.Left.Label, fontSize, l.w/2-pad))
		}
		if l.hasRight && c.Right.Label != "" {
			text(b, l.w-pad, y, "end", "#6b7280", Truncate(c.Right.Label, fontSize, l.w/2-pad))
		}
	}
}

func (l *layout) grid(b *strings.Builder) {
	b.WriteString(`<g class="grid" stroke="#e5e7eb" stroke-width="1">`)
	for _, v := range l.left {
		y := f1(l.y(v, false))
		b.WriteString(`<line x1="` + f1(l.x0) + `" y1="` + y + `" x2="` + f1(l.x0+l.pw) + `" y2="` + y + `"/>`)
	}
	b.WriteString(`</g>`)
}

// partialBand shades the partial periods behind the data.
func (l *layout) partialBand(b *strings.Builder, c *Chart) {
	if l.partialFrom.IsZero() {
		return
	}
	x := math.Max(l.x0, l.xt(l.partialFrom))
	b.WriteString(`<rect class="partial" x="` + f1(x) + `" y="` + f1(l.y0) + `" width="` + f1(math.Max(l.x0+l.pw-x, 0)) + `" height="` + f1(l.ph) + `" fill="` + partialColor + `" fill-opacity="0.12"><title>`)
	escape(b, PartialNote+"：数据截至 "+c.CompleteUntil.In(l.loc).Format("2006-01-02 15:04"))
	b.WriteString(`</title></rect>`)
}

func (l *layout) bands(b *strings.Builder, c *Chart) {
	if len(c.Bands) == 0 {
		return
	}
	b.WriteString(`<g class="bands">`)
	for _, bd := range c.Bands {
		color := safeColor(bd.Color, "#f59e0b")
		y1, y2 := l.y(math.Max(bd.From, bd.To), bd.Right), l.y(math.Min(bd.From, bd.To), bd.Right)
		b.WriteString(`<rect x="` + f1(l.x0) + `" y="` + f1(y1) + `" width="` + f1(l.pw) + `" height="` + f1(math.Max(y2-y1, 0)) + `" fill="` + color + `" fill-opacity="0.12">`)
		if bd.Label != "" {
			b.WriteString(`<title>`)
			escape(b, bd.Label)
			b.WriteString(`</title>`)
		}
		b.WriteString(`</rect>`)
		if bd.Label != "" {
			text(b, l.x0+l.pw-4, y1+fontSize+1, "end", color, Truncate(bd.Label, fontSize, l.pw/2))
		}
	}
	b.WriteString(`</g>`)
}

func (l *layout) stacks(b *strings.Builder, c *Chart) {
	if len(c.Stacked) == 0 {
		return
	}
	n := len(stackSums(c.Stacked))
	base := make([]float64, n)
	ref := c.Stacked[0].Times
	for _, s := range c.Stacked {
		if len(s.Times) > len(ref) {
			ref = s.Times
		}
	}
	b.WriteString(`<g class="stack">`)
	for si, s := range c.Stacked {
		color := safeColor(s.Color, Palette[si%len(Palette)])
		if c.Areas {
			l.area(b, s, ref, base, color)
			continue
		}
		for i, v := range s.Values {
			if math.IsNaN(v) || v <= 0 || i >= len(s.Times) {
				continue
			}
			t := s.Times[i]
			xa, xb := l.xt(t), l.xt(t.Add(l.step))
			bw := xb - xa
			gap := math.Min(bw*0.15, 3)
			ya, yb := l.y(base[i]+v, false), l.y(base[i], false)
			base[i] += v
			note, partial := "", l.partial(t, c.CompleteUntil)
			if partial {
				note = "（" + PartialNote + "）"
			}
			b.WriteString(`<rect x="` + f1(xa+gap/2) + `" y="` + f1(ya) + `" width="` + f1(math.Max(bw-gap, 0.5)) + `" height="` + f1(yb-ya) + `" fill="` + color + `"`)
			if partial {
				b.WriteString(` class="partial" fill-opacity="0.4"`)
			}
			b.WriteString(`><title>`)
			escape(b, l.pointLabel(t)+" "+s.Name+": "+FormatValue(v, 1)+note)
			b.WriteString(`</title></rect>`)
		}
	}
	b.WriteString(`</g>`)
}

// area draws one stacked area on top of base (which it then raises).
func (l *layout) area(b *strings.Builder, s Series, ref []time.Time, base []float64, color string) {
	if len(ref) == 0 {
		return
	}
	var top, bottom []string
	for i := range base {
		if i >= len(ref) {
			break
		}
		v := 0.0
		if i < len(s.Values) && !math.IsNaN(s.Values[i]) && s.Values[i] > 0 {
			v = s.Values[i]
		}
		x := f1(l.xc(ref[i]))
		bottom = append(bottom, x+","+f1(l.y(base[i], false)))
		base[i] += v
		top = append(top, x+","+f1(l.y(base[i], false)))
	}
	for i, j := 0, len(bottom)-1; i < j; i, j = i+1, j-1 {
		bottom[i], bottom[j] = bottom[j], bottom[i]
	}
	b.WriteString(`<polygon points="` + strings.Join(top, " ") + " " + strings.Join(bottom, " ") + `" fill="` + color + `" fill-opacity="0.85"><title>`)
	escape(b, s.Name)
	b.WriteString(`</title></polygon>`)
}

func (l *layout) lines(b *strings.Builder, c *Chart) {
	if len(c.Lines) == 0 {
		return
	}
	b.WriteString(`<g class="lines" fill="none" stroke-width="2" stroke-linejoin="round">`)
	for si, s := range c.Lines {
		color := safeColor(s.Color, Palette[(len(c.Stacked)+si)%len(Palette)])
		n := min(len(s.Values), len(s.Times))
		// Points from k on are in partial periods: the line is solid up to
		// the last complete point and dashed from there on.
		k := n
		for i := range n {
			if l.partial(s.Times[i], c.CompleteUntil) {
				k = i
				break
			}
		}
		dash := ""
		if s.Dashed {
			dash = ` stroke-dasharray="5 3"`
		}
		l.path(b, s, 0, k, color, dash, "")
		if k < n {
			l.path(b, s, max(k-1, 0), n, color, ` stroke-dasharray="2 3" stroke-opacity="0.7"`, "（"+PartialNote+"）")
		}
	}
	b.WriteString(`</g>`)
}

// path draws points [from, to) of s as a line broken at NaNs, with a dot
// for each point that has no neighbour.
func (l *layout) path(b *strings.Builder, s Series, from, to int, color, attrs, note string) {
	if from >= to {
		return
	}
	var d strings.Builder
	var lone []int
	run := 0
	for i := from; i < to; i++ {
		v := s.Values[i]
		if math.IsNaN(v) || math.IsInf(v, 0) {
			if run == 1 {
				lone = append(lone, i-1)
			}
			run = 0
			continue
		}
		cmd := "L"
		if run == 0 {
			cmd = "M"
		}
		d.WriteString(cmd + f1(l.xc(s.Times[i])) + " " + f1(l.y(v, s.Right)))
		run++
	}
	if run == 1 {
		lone = append(lone, to-1)
	}
	class := ""
	if note != "" {
		class = ` class="partial"`
	}
	b.WriteString(`<path` + class + ` d="` + d.String() + `" stroke="` + color + `"` + attrs + `><title>`)
	escape(b, s.Name+note)
	b.WriteString(`</title></path>`)
	for _, i := range lone {
		b.WriteString(`<circle cx="` + f1(l.xc(s.Times[i])) + `" cy="` + f1(l.y(s.Values[i], s.Right)) + `" r="2.5" fill="` + color + `" stroke="none"/>`)
	}
}

func (l *layout) hlines(b *strings.Builder, c *Chart) {
	if len(c.HLines) == 0 {
		return
	}
	b.WriteString(`<g class="hlines">`)
	for _, hl := range c.HLines {
		color := safeColor(hl.Color, "#c23b3b")
		y := f1(l.y(hl.Value, hl.Right))
		dash := ""
		if hl.Dashed {
			dash = ` stroke-dasharray="6 3"`
		}
		b.WriteString(`<line x1="` + f1(l.x0) + `" y1="` + y + `" x2="` + f1(l.x0+l.pw) + `" y2="` + y + `" stroke="` + color + `" stroke-width="1.5"` + dash + `>`)
		if hl.Label != "" {
			b.WriteString(`<title>`)
			escape(b, hl.Label)
			b.WriteString(`</title>`)
		}
		b.WriteString(`</line>`)
		if hl.Label != "" {
			text(b, l.x0+l.pw-4, l.y(hl.Value, hl.Right)-4, "end", color, Truncate(hl.Label, fontSize, l.pw/2))
		}
	}
	b.WriteString(`</g>`)
}

func (l *layout) markers(b *strings.Builder, c *Chart) {
	if len(c.Markers) == 0 {
		return
	}
	b.WriteString(`<g class="markers">`)
	for i, m := range c.Markers {
		if m.Time.Before(l.from) || m.Time.After(l.to) {
			continue
		}
		color := safeColor(m.Color, "#c23b3b")
		x := l.xc(m.Time)
		b.WriteString(`<g class="marker">`)
		if m.Title != "" || m.Label != "" {
			b.WriteString(`<title>`)
			escape(b, l.pointLabel(m.Time)+" "+strings.TrimSpace(m.Label+" "+m.Title))
			b.WriteString(`</title>`)
		}
		b.WriteString(`<line x1="` + f1(x) + `" y1="` + f1(l.y0) + `" x2="` + f1(x) + `" y2="` + f1(l.y0+l.ph) + `" stroke="` + color + `" stroke-width="1.5" stroke-dasharray="3 2"/>`)
		if m.Dot {
			b.WriteString(`<circle cx="` + f1(x) + `" cy="` + f1(l.y(m.Value, m.Right)) + `" r="4" fill="` + color + `" stroke="#fff" stroke-width="1"/>`)
		}
		if ml, ok := l.markerLabels[i]; ok {
			y := l.y0 - 4 - float64(ml.row)*lineH
			b.WriteString(`<text class="marker-label" x="` + f1(ml.x) + `" y="` + f1(y) + `" fill="` + color + `">`)
			escape(b, ml.text)
			b.WriteString(`</text>`)
		}
		b.WriteString(`</g>`)
	}
	b.WriteString(`</g>`)
}

func (l *layout) axes(b *strings.Builder, c *Chart) {
	b.WriteString(`<g class="axis" fill="#4b5563">`)
	step := tickStep(l.left)
	for _, v := range l.left {
		text(b, l.x0-tickGap, l.y(v, false)+4, "end", "", l.leftFmt(v, step))
	}
	if l.hasRight {
		step := tickStep(l.right)
		for _, v := range l.right {
			text(b, l.x0+l.pw+tickGap, l.y(v, true)+4, "start", "", l.rightFmt(v, step))
		}
	}
	b.WriteString(`<line x1="` + f1(l.x0) + `" y1="` + f1(l.y0+l.ph) + `" x2="` + f1(l.x0+l.pw) + `" y2="` + f1(l.y0+l.ph) + `" stroke="#9ca3af"/>`)
	// Time labels: centred under their period, dropped when they would
	// touch the previous label or leave the picture.
	end := math.Inf(-1)
	yl := l.y0 + l.ph + tickGap + fontSize
	for _, tk := range l.xticks {
		x := l.xt(tk.Time)
		if l.step > 0 && l.step <= 24*time.Hour {
			x = l.xc(tk.Time)
		}
		w := TextWidth(tk.Label, fontSize)
		// An edge label slides inwards rather than leaving the picture.
		xl := math.Max(x, 1+w/2)
		xl = math.Min(xl, l.w-1-w/2)
		left := xl - w/2
		if left < 1 || left < end+fontSize/2 {
			continue
		}
		b.WriteString(`<line x1="` + f1(x) + `" y1="` + f1(l.y0+l.ph) + `" x2="` + f1(x) + `" y2="` + f1(l.y0+l.ph+4) + `" stroke="#9ca3af"/>`)
		text(b, xl, yl, "middle", "", tk.Label)
		end = left + w
	}
	b.WriteString(`</g>`)
}

// pointLabel names the period starting at t, for tooltips.
func (l *layout) pointLabel(t time.Time) string {
	t = t.In(l.loc)
	if l.step > 0 && l.step < 24*time.Hour || t.Hour() != 0 || t.Minute() != 0 {
		return t.Format("2006-01-02 15:04")
	}
	return t.Format("2006-01-02")
}

func text(b *strings.Builder, x, y float64, anchor, color, s string) {
	b.WriteString(`<text x="` + f1(x) + `" y="` + f1(y) + `"`)
	if anchor != "" && anchor != "start" {
		b.WriteString(` text-anchor="` + anchor + `"`)
	}
	if color != "" {
		b.WriteString(` fill="` + color + `"`)
	}
	b.WriteString(`>`)
	escape(b, s)
	b.WriteString(`</text>`)
}

// f1 writes a coordinate with one decimal.
func f1(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		v = 0
	}
	s := strconv.FormatFloat(v, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	if s == "-0" {
		return "0"
	}
	return s
}
