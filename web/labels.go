package web

import (
	"math"
	"net/url"
	"strconv"
	"strings"

	"trustwatch"
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

// formatFloat writes v with up to digits decimals, without trailing zeros;
// "–" for NaN and infinities.
func formatFloat(v float64, digits int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	s := strconv.FormatFloat(v, 'f', digits, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
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

func (s *Server) seriesName(id string) string {
	if d, _ := s.seriesDef(id); d.Name != "" {
		return d.Name
	}
	return id
}

// formatPValue writes a p-value as statisticians do: "p < 0.001" below a
// thousandth, else with three decimals.
func formatPValue(p float64) string {
	switch {
	case math.IsNaN(p):
		return "p = –"
	case p < 0.001:
		return "p < 0.001"
	}
	return "p = " + strconv.FormatFloat(p, 'f', 3, 64)
}

// formatSigned writes *v with an explicit sign; "–" for nil.
func formatSigned(v *float64, digits int) string {
	if v == nil || math.IsNaN(*v) || math.IsInf(*v, 0) {
		return "–"
	}
	s := strconv.FormatFloat(*v, 'f', digits, 64)
	if *v >= 0 {
		s = "+" + s
	}
	return s
}
