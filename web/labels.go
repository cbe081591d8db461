package web

import (
	"html/template"
	"net/url"

	"trustwatch"
	"trustwatch/label"
)

// Links to the detector pages. Ids come from the data, so they are escaped.
func alertURL(id string) string  { return "/alerts/" + url.PathEscape(id) }
func seriesURL(id string) string { return "/series/" + url.PathEscape(id) }
func claimURL(id string) string  { return "/claims/" + url.PathEscape(id) }
func voiceURL(id string) string  { return "/voice/" + url.PathEscape(id) }

// alertState is open, acked or resolved.
func alertState(a trustwatch.Alert) string {
	switch {
	case a.Resolved != nil:
		return "resolved"
	case a.Acked != nil:
		return "acked"
	}
	return "open"
}

// seriesDef returns the watch file's declaration of a series, or a bare one.
func (s *Server) seriesDef(id string) (trustwatch.SeriesDef, bool) {
	for _, d := range s.Watch.Series {
		if d.ID == id {
			return d, true
		}
	}
	return trustwatch.SeriesDef{ID: id}, false
}

func (s *Server) seriesName(id string) string { return s.Watch.SeriesByID(id).Label() }

// explainFigure renders a figure's Chinese name as an <abbr> whose title
// is its one-line explanation, shown on hover (and read by screen readers).
// Both parts are our own strings, escaped all the same.
func explainFigure(code string) template.HTML {
	f := label.Explain(code)
	if f.Explain == "" {
		return template.HTML(template.HTMLEscapeString(f.Label))
	}
	return template.HTML(`<abbr class="figure" title="` + template.HTMLEscapeString(f.Explain) + `">` + template.HTMLEscapeString(f.Label) + `</abbr>`)
}
