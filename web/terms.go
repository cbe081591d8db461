package web

import (
	"context"
	"html/template"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"

	"trustwatch"
	"trustwatch/chart"
	"trustwatch/detect/terms"
	"trustwatch/results"
)

// defaultTermsWindow is the span /terms discovers terms in when no from is
// given: a week up to the newest item's day, against the 30 days before.
// Discovery counts every substring of every item in both, so the window is
// kept short.
const defaultTermsWindow = 7 * 24 * time.Hour

// maxTermsWindow bounds a requested window, for the same reason.
const maxTermsWindow = 92 * 24 * time.Hour

type termRow struct {
	terms.Term
	Spark    template.HTML
	Examples []trustwatch.Item
}

type termsPage struct {
	Window   window
	Entity   string
	NewOnly  bool
	Rows     []termRow
	Chart    template.HTML
	By       trustwatch.Period // the chart's period
	Entities []trustwatch.Entity
	Elapsed  time.Duration
}

// termsOptions reads from, to (default: the week up to the newest item),
// entity and new.
func (s *Server) termsOptions(ctx context.Context, r *http.Request) (terms.Options, window, error) {
	q := r.URL.Query()
	qq := q
	if q.Get("from") == "" {
		// window() defaults to 30 days; terms want a shorter one.
		qq = cloneValues(q)
		win, err := s.window(ctx, q)
		if err != nil {
			return terms.Options{}, win, err
		}
		qq.Set("from", win.To.Add(-defaultTermsWindow).In(s.Location).Format(time.RFC3339))
	}
	win, err := s.window(ctx, qq)
	if err != nil {
		return terms.Options{}, win, err
	}
	if win.To.Sub(win.From) > maxTermsWindow {
		return terms.Options{}, win, trustwatch.Errorf(trustwatch.EINVALID, "The window is longer than %d days: term discovery reads every item in it.", int(maxTermsWindow/(24*time.Hour)))
	}
	entity := q.Get("entity")
	if entity != "" && s.Watch.Entity(entity) == nil {
		return terms.Options{}, win, trustwatch.Errorf(trustwatch.ENOTFOUND, "Entity %q is not in the watch file.", entity)
	}
	opt := terms.Options{From: win.From, To: win.To, Entity: entity, Location: s.Location, Known: s.Known, Top: 50}
	switch q.Get("new") {
	case "", "0", "false":
	default:
		opt.NewOnly = true
	}
	return opt, win, nil
}

func cloneValues(q map[string][]string) map[string][]string {
	out := make(map[string][]string, len(q))
	for k, v := range q {
		out[k] = slices.Clone(v)
	}
	return out
}

func (s *Server) handleTerms(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	opt, win, err := s.termsOptions(ctx, r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	start := time.Now()
	// Discovery reads every item of the window (~300 ms on the demo
	// store): remembered by data version like the ledger.
	found, err := remember(ctx, s, results.TermsKey(opt.From, opt.To, opt.Entity, opt.NewOnly), func() ([]terms.Term, error) {
		return s.computer().Terms(ctx, opt.From, opt.To, opt.Entity, opt.NewOnly)
	})
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := termsPage{Window: win, Entity: opt.Entity, NewOnly: opt.NewOnly, Entities: s.Watch.Entities, Elapsed: time.Since(start).Round(time.Millisecond)}
	var ids []string
	for _, t := range found {
		ids = append(ids, t.Examples...)
	}
	examples := map[string]trustwatch.Item{}
	if len(ids) > 0 {
		items, _, err := s.Store.FindItems(ctx, trustwatch.ItemFilter{IDs: ids, Limit: len(ids)})
		if err != nil {
			s.error(w, r, err)
			return
		}
		for _, it := range items {
			examples[it.ID] = it
		}
	}
	for _, t := range found {
		row := termRow{Term: t}
		vs := make([]float64, len(t.Daily))
		for i, d := range t.Daily {
			vs[i] = float64(d.Count)
		}
		row.Spark = (&chart.Spark{Values: vs, Width: 140, Height: 24, Title: t.Term + " 每日条数", Color: "#7b5ea7"}).HTML()
		for _, id := range t.Examples {
			if it, ok := examples[id]; ok {
				row.Examples = append(row.Examples, it)
			}
		}
		p.Rows = append(p.Rows, row)
	}

	// Volume and sentiment over the same window as the table, with the
	// spikes and term alerts opened in it marked.
	by := autoPeriod(win)
	p.By = by
	pts, err := s.volume(ctx, trustwatch.VolumeFilter{By: by, Entity: opt.Entity, From: win.From, To: win.To})
	if err != nil {
		s.error(w, r, err)
		return
	}
	c := s.sentimentChartSpec("声量与情感（标记：激增与新词预警）", pts, by, 1100, 280)
	c.CompleteUntil = win.Complete
	as, _, err := s.Store.FindAlerts(ctx, trustwatch.AlertFilter{Entity: opt.Entity, Since: win.From})
	if err != nil {
		s.error(w, r, err)
		return
	}
	for _, a := range as {
		if (a.Kind == "volume.spike" || a.Kind == "sentiment.spike" || strings.HasPrefix(a.Kind, "term.")) && a.Opened.Before(win.To) && len(c.Markers) < maxMarkers {
			c.Markers = append(c.Markers, alertMarker(a))
		}
	}
	slices.SortFunc(c.Markers, func(a, b chart.Marker) int { return a.Time.Compare(b.Time) })
	p.Chart = c.HTML()
	s.render(w, r, http.StatusOK, "terms", "新词", p)
}

type termsResponse struct {
	From   time.Time  `json:"from"`
	To     time.Time  `json:"to"`
	Entity string     `json:"entity,omitempty"`
	Terms  []termJSON `json:"terms"`
}

// termJSON is a term for the API. JSON has no infinity, and a term seen
// only in the window has an infinite cohesion or surge: such measures are
// written as null.
type termJSON struct {
	terms.Term
	Score        *float64 `json:"score"`
	Cohesion     *float64 `json:"cohesion"`
	LeftEntropy  *float64 `json:"left_entropy"`
	RightEntropy *float64 `json:"right_entropy"`
	Surge        *float64 `json:"surge"`
	Expected     *float64 `json:"expected"`
}

func finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// GET /api/v1/terms?from&to&entity&new
func (s *Server) handleAPITerms(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	opt, win, err := s.termsOptions(ctx, r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	found, err := terms.Discover(ctx, s.Store, s.Watch, opt)
	if err != nil {
		s.error(w, r, err)
		return
	}
	out := make([]termJSON, len(found))
	for i, t := range found {
		if t.Burst != nil && (math.IsNaN(t.Burst.Weight) || math.IsInf(t.Burst.Weight, 0)) {
			b := *t.Burst
			b.Weight = 0
			t.Burst = &b
		}
		out[i] = termJSON{Term: t, Score: finite(t.Score), Cohesion: finite(t.Cohesion), LeftEntropy: finite(t.LeftEntropy),
			RightEntropy: finite(t.RightEntropy), Surge: finite(t.Surge), Expected: finite(t.Expected)}
	}
	s.json(w, http.StatusOK, termsResponse{From: win.From, To: win.To, Entity: opt.Entity, Terms: out})
}
