package web

import (
	"context"
	"html/template"
	"net/http"
	"slices"
	"time"

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
	// Open are the unresolved alerts about the entity or an entity below
	// it (a brand's products and people), whenever they opened, snoozed
	// ones included: the page is where an analyst looks for all of them.
	Open []trustwatch.Alert
	// Resolved are the entity's alerts opened in the window and resolved.
	Resolved []trustwatch.Alert
	// Now tells snoozed alerts from awake ones.
	Now  time.Time
	Back string
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
	p := entityPage{Entity: e, Window: win, By: by, Now: s.Now()}
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
	if p.Open, err = s.openAlertsAbout(ctx, id); err != nil {
		s.error(w, r, err)
		return
	}
	as, _, err := s.Store.FindAlerts(ctx, trustwatch.AlertFilter{Entity: id, Since: win.From, Limit: 20})
	if err != nil {
		s.error(w, r, err)
		return
	}
	for _, a := range as {
		if a.Resolved != nil && a.Opened.Before(win.To) {
			p.Resolved = append(p.Resolved, a)
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
	if p.Negative, _, err = s.Store.FindItems(ctx, trustwatch.ItemFilter{Entity: id, Label: trustwatch.Negative, Order: "engagement", From: win.From, To: win.To, Limit: 10, Estimate: skipCount}); err != nil {
		s.error(w, r, err)
		return
	}
	if p.Latest, _, err = s.Store.FindItems(ctx, trustwatch.ItemFilter{Entity: id, From: win.From, To: win.To, Limit: 10, Estimate: skipCount}); err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "entity", e.Name, p)
}

// openAlertsAbout returns the unresolved alerts about id or any entity
// below it, in the store's order (by severity, then newest). The open
// alerts of a store are few (tens), so they are read once and filtered
// here rather than asked for entity by entity.
func (s *Server) openAlertsAbout(ctx context.Context, id string) ([]trustwatch.Alert, error) {
	open, _, err := s.Store.FindAlerts(ctx, trustwatch.AlertFilter{Open: true})
	if err != nil {
		return nil, err
	}
	family := s.entityFamily(id)
	var out []trustwatch.Alert
	for _, a := range open {
		if family[a.Entity] {
			out = append(out, a)
		}
	}
	return out, nil
}

// entityFamily is id and the ids of the watched entities below it at any
// depth (a brand's products and people, a product's variants).
func (s *Server) entityFamily(id string) map[string]bool {
	family := map[string]bool{id: true}
	for grew := true; grew; {
		grew = false
		for _, e := range s.Watch.Entities {
			if e.Parent != "" && family[e.Parent] && !family[e.ID] {
				family[e.ID] = true
				grew = true
			}
		}
	}
	return family
}
