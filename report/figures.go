package report

import (
	"fmt"
	"html/template"
	"math"
	"regexp"
	"strings"
)

// Figure is one figure of a finding's sentence, as it is written there
// ("42%", "n=268", "+22 个百分点"), and whose evidence it rests on: the
// period's (the finding's Evidence) or the previous period's
// (PrevEvidence).
type Figure struct {
	Text     string `json:"text"`
	Previous bool   `json:"previous,omitempty"`
}

// figurePattern finds what a sentence's figures look like when the
// sentence did not list them (alert statements): a whole figure with its
// name and sign ("p=6e-08", "z = 3.2", "n=268"), its unit ("42%",
// "+5 个百分点") and thousands separators, never a part of one. Dates,
// clock times and quoted text match too, so that they are skipped whole:
// they are not figures, and a quoted claim is the claim's words.
var figurePattern = regexp.MustCompile(
	`(?P<skip>「[^」]*」|“[^”]*”|"[^"]*"|『[^』]*』|\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?|\d{1,2}:\d{2}|\d{1,2}月\d{1,2}日)` +
		`|(?P<fig>(?:\b[pznr]|χ²|φ)\s*[=<>≈≤≥]\s*[+\-−]?\d[\d,]*(?:\.\d+)?(?:[eE][+\-−]?\d+)?%?` +
		`|[+\-−±]?\d+(?:,\d{3})*(?:\.\d+)?(?:[eE][+\-−]?\d+)?(?:%| ?个百分点| ?pp)?)`)

var skipGroup = figurePattern.SubexpIndex("skip")

// figureSpans returns the byte spans of the figures of s: the listed ones,
// in order, each found after the one before it, or, when none are listed,
// what figurePattern finds. Digits glued to letters ("SU7", "p99") are names.
func figureSpans(s string, figures []Figure) [][3]int {
	var out [][3]int // start, end, index into figures (-1: found, not listed)
	if len(figures) > 0 {
		from := 0
		for i, f := range figures {
			j := strings.Index(s[from:], f.Text)
			if f.Text == "" || j < 0 {
				continue
			}
			out = append(out, [3]int{from + j, from + j + len(f.Text), i})
			from += j + len(f.Text)
		}
		return out
	}
	for _, m := range figurePattern.FindAllStringSubmatchIndex(s, -1) {
		if m[2*skipGroup] >= 0 {
			continue
		}
		if m[0] > 0 {
			if c := s[m[0]-1]; c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= '0' && c <= '9' || c == '.' {
				continue
			}
		}
		out = append(out, [3]int{m[0], m[1], -1})
	}
	return out
}

// LinkFigures escapes a sentence for HTML and makes each of its figures
// one link, to href of the figure (a found figure is passed as the zero
// Figure). Nothing else is linked: not dates, not quoted claims.
func LinkFigures(sentence string, figures []Figure, href func(Figure) string) template.HTML {
	var sb strings.Builder
	last := 0
	for _, sp := range figureSpans(sentence, figures) {
		var f Figure
		if sp[2] >= 0 {
			f = figures[sp[2]]
		}
		sb.WriteString(template.HTMLEscapeString(sentence[last:sp[0]]))
		fmt.Fprintf(&sb, `<a class="num" href="%s">%s</a>`, template.HTMLEscapeString(href(f)), template.HTMLEscapeString(sentence[sp[0]:sp[1]]))
		last = sp[1]
	}
	sb.WriteString(template.HTMLEscapeString(sentence[last:]))
	return template.HTML(sb.String())
}

// LinkNumbers is LinkFigures with every figure the sentence shows linked
// to href.
func LinkNumbers(sentence, href string) template.HTML {
	return LinkFigures(sentence, nil, func(Figure) string { return href })
}

// DefaultMaxMargin is the Wilson 95% margin of a share (as a fraction) above
// which a figure is flagged as resting on little data: ±10 percentage
// points, which a share of 50% reaches below about 92 items.
const DefaultMaxMargin = 0.10

// wilsonMargin is the half-width of the Wilson 95% interval of k out of n,
// as a fraction; +Inf when n is 0.
func wilsonMargin(k, n int64) float64 {
	if n <= 0 {
		return math.Inf(1)
	}
	const z = 1.959963984540054
	nf, p := float64(n), float64(k)/float64(n)
	return z / (1 + z*z/nf) * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf))
}
