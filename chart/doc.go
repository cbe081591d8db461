// Package chart draws small charts as SVG on the server: lines, multi-line,
// stacked bars or areas over time, and sparklines, with markers (alerts,
// spikes), horizontal bands (control limits) and reference lines.
//
// Chart libraries measure label widths with a server-side font that has no
// CJK glyphs and so lay Chinese labels out badly. This package estimates the
// width of a label per rune instead (East Asian wide and full-width runes
// about 1 em, others about 0.55 em) and lays out legends and axis labels
// from that estimate, dropping tick labels rather than letting them overlap.
//
// A chart says which of its periods are partial (Chart.CompleteUntil) and
// draws them so; count axes (Axis.Integer) tick on whole numbers; marker
// labels stack in up to two rows and are dropped, not overlapped, when
// they fit in neither. Chart.HTML adds a NarrowWidth-wide drawing of a
// wider chart for the page's stylesheet to show on phones, where the wide
// drawing's text would shrink below legibility.
//
// Labels may be hostile user text: every string written into the SVG is
// XML-escaped and stripped of runes XML cannot carry, so the output is safe
// to embed in an HTML page as template.HTML. Colours are checked against a
// strict pattern. The SVG uses presentation attributes only (no style
// elements or attributes, no script), so it renders under a strict
// Content-Security-Policy.
//
// The package knows nothing about trustwatch's domain, the store or HTTP:
// callers turn their data into Series and Markers.
package chart
