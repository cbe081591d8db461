package web

import (
	"html/template"
	"net/http"
	"slices"

	"trustwatch"
)

type entityPage struct {
	Entity    trustwatch.Entity
	Window    window
	By        trustwatch.Period
	Count     int64
	Sentiment template.HTML
	Platforms []trustwatch.VolumeBreakdown
	Aspects   aspectTable

	NegativeURL, SearchURL string
	// QueryURL searches with a topic's query.
	QueryURL         string
	Negative, Latest []trustwatch.Item

	// HasVoice links the voice page: the entity declares its accounts.
	HasVoice bool
	// Alerts are the entity's alerts opened in the window (open first).
	Alerts []trustwatch.Alert
	Back   string
}

func (s *Server) handleEntity(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	id := r.PathValue("id")
	win, err := s.window(ctx, q)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var e trustwatch.Entity
	if we := s.Watch.Entity(id); we != nil {
		e = *we
	} else {
		// Without a watch file entry, an entity exists if the data names it.
		bd, err := s.Store.Breakdown(ctx, "entity", trustwatch.VolumeFilter{}) // zero From/To: all time
		if err != nil {
			s.error(w, r, err)
			return
		}
		if !slices.ContainsFunc(bd, func(b trustwatch.VolumeBreakdown) bool { return b.Key == id }) {
			s.error(w, r, trustwatch.Errorf(trustwatch.ENOTFOUND, "Entity %q not found.", id))
			return
		}
		e = trustwatch.Entity{ID: id, Name: id}
	}
	by, err := parsePeriod(q.Get("by"), autoPeriod(win))
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := entityPage{Entity: e, Window: win, By: by}
	pts, err := s.volume(ctx, trustwatch.VolumeFilter{By: by, Entity: id, From: win.From, To: win.To})
	if err != nil {
		s.error(w, r, err)
		return
	}
	for _, pt := range pts {
		p.Count += pt.Count
	}
	c := s.sentimentChartSpec(s.entityName(id)+" 情感走势", pts, by, 1100, 300)
	c.CompleteUntil = win.Complete
	if c.Markers, err = s.entityMarkers(ctx, id, win); err != nil {
		s.error(w, r, err)
		return
	}
	p.Sentiment = c.HTML()
	p.HasVoice = hasVoice(s.Watch.Entity(id))
	p.Back = r.URL.RequestURI()
	as, _, err := s.Store.FindAlerts(ctx, trustwatch.AlertFilter{Entity: id, Since: win.From, Limit: 20})
	if err != nil {
		s.error(w, r, err)
		return
	}
	for _, a := range as {
		if a.Opened.Before(win.To) {
			p.Alerts = append(p.Alerts, a)
		}
	}
	if p.Platforms, err = s.Store.Breakdown(ctx, "platform", trustwatch.VolumeFilter{Entity: id, From: win.From, To: win.To}); err != nil {
		s.error(w, r, err)
		return
	}
	rows, err := s.aspectRows(ctx, id, win, true)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p.Aspects = aspectTable{Entity: id, Window: win, Rows: rows}
	from, to := win.From.In(s.Location).Format("2006-01-02"), win.LastDay().In(s.Location).Format("2006-01-02")
	p.NegativeURL = searchURL("entity", id, "label", "neg", "order", "engagement", "from", from, "to", to)
	p.SearchURL = searchURL("entity", id, "from", from, "to", to)
	if e.Kind == trustwatch.EntityTopic && e.Query != "" {
		p.QueryURL = searchURL("q", e.Query)
	}
	if p.Negative, _, err = s.Store.FindItems(ctx, trustwatch.ItemFilter{Entity: id, Label: trustwatch.Negative, Order: "engagement", From: win.From, To: win.To, Limit: 10}); err != nil {
		s.error(w, r, err)
		return
	}
	if p.Latest, _, err = s.Store.FindItems(ctx, trustwatch.ItemFilter{Entity: id, From: win.From, To: win.To, Limit: 10}); err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "entity", e.Name, p)
}
