package web

import (
	"cmp"
	"context"
	"html/template"
	"net/http"
	"slices"
	"time"

	"trustwatch"
	"trustwatch/label"
)

// maxChartSeries bounds the lines or stacks of one chart, for legibility.
const maxChartSeries = 8

type overviewPage struct {
	Window      window
	Total       int64
	First, Last time.Time
	InWindow    int64

	EntityChart   template.HTML
	PlatformChart template.HTML
	Platforms     []string
	Matrix        []entityPlatformRow
	Sentiment     []entityCard

	Latest, MostEngaged []trustwatch.Item

	entities []string // the ids the page shows, for the changes

	// Open alerts, ours apart from the competitors' (竞品事件): counts;
	// ours (the first overviewAlerts) by severity, most severe first, and
	// the first overviewIncidents of the competitors', as FindAlerts
	// orders them. Snoozed alerts are left out until they wake.
	OwnOpen, CompetitorOpen int
	BySeverity              []severityGroup
	OwnUnlisted             int // ours beyond overviewAlerts
	Incidents               []trustwatch.Alert

	// Changes is what changed since the last visit (or the last day).
	Changes *changes
}

// severityGroup is the open alerts of one severity.
type severityGroup struct {
	Severity string
	Alerts   []trustwatch.Alert
}

// overviewAlerts is how many of our open alerts the overview lists: all
// of a usual morning's, the rest a link away on /alerts.
// overviewIncidents is how many of the competitors'.
const (
	overviewAlerts    = 30
	overviewIncidents = 5
)

// bySeverity groups alerts, already in severity order, by severity.
func bySeverity(as []trustwatch.Alert) []severityGroup {
	var out []severityGroup
	for _, a := range as {
		if n := len(out); n == 0 || out[n-1].Severity != a.Severity {
			out = append(out, severityGroup{Severity: a.Severity})
		}
		out[len(out)-1].Alerts = append(out[len(out)-1].Alerts, a)
	}
	return out
}

// entityPlatformRow is one entity's item count per platform in the window.
type entityPlatformRow struct {
	Entity string
	Total  int64
	Counts []int64 // aligned with overviewPage.Platforms
}

type entityCard struct {
	Entity string
	Count  int64
	Neg    int64
	Chart  template.HTML
}

// entityIDs are the watched entities, or, without a watch file, the ones
// found in the data of the window, most mentioned first.
func (s *Server) entityIDs(ctx context.Context, w window) ([]string, error) {
	if len(s.Watch.Entities) > 0 {
		ids := make([]string, len(s.Watch.Entities))
		for i, e := range s.Watch.Entities {
			ids[i] = e.ID
		}
		return ids, nil
	}
	bd, err := s.Store.Breakdown(ctx, "entity", trustwatch.VolumeFilter{From: w.From, To: w.To})
	if err != nil {
		return nil, err
	}
	return keysByCount(bd), nil
}

func keysByCount(bd []trustwatch.VolumeBreakdown) []string {
	bd = slices.Clone(bd)
	slices.SortFunc(bd, func(a, b trustwatch.VolumeBreakdown) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Key, b.Key))
	})
	keys := make([]string, 0, len(bd))
	for _, b := range bd {
		if b.Key != "" {
			keys = append(keys, b.Key)
		}
	}
	return keys
}

func (s *Server) handleOverview(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	win, err := s.window(ctx, r.URL.Query())
	if err != nil {
		s.error(w, r, err)
		return
	}
	data, err := s.overview(ctx, win)
	if err != nil {
		s.error(w, r, err)
		return
	}
	since, visited := lastVisit(r)
	if data.Changes, err = s.changesSince(ctx, since, visited, win.Complete, data.entities); err != nil {
		s.error(w, r, err)
		return
	}
	s.rememberVisit(w, r, win.Complete)
	s.render(w, r, http.StatusOK, "overview", "概览", data)
}

func (s *Server) overview(ctx context.Context, win window) (*overviewPage, error) {
	p := &overviewPage{Window: win}
	var err error
	if p.First, p.Last, p.Total, err = s.Store.Span(ctx); err != nil {
		return nil, err
	}
	by := autoPeriod(win)

	// Volume per entity.
	ids, err := s.entityIDs(ctx, win)
	if err != nil {
		return nil, err
	}
	p.entities = ids
	var names []string
	var series [][]trustwatch.VolumePoint
	for _, id := range ids {
		pts, err := s.volume(ctx, trustwatch.VolumeFilter{By: by, Entity: id, From: win.From, To: win.To})
		if err != nil {
			return nil, err
		}
		card := entityCard{Entity: id}
		for _, pt := range pts {
			card.Count += pt.Count
			card.Neg += pt.Neg
		}
		c := s.sentimentChartSpec(s.entityName(id)+" 情感走势", pts, by, 560, 240)
		c.CompleteUntil = win.Complete
		if c.Markers, err = s.entityMarkers(ctx, id, win); err != nil {
			return nil, err
		}
		for i := range c.Markers {
			c.Markers[i].Label = "" // a small chart has no room for labels; the title remains
		}
		card.Chart = c.HTML()
		p.Sentiment = append(p.Sentiment, card)
		if len(names) < maxChartSeries {
			names, series = append(names, s.entityName(id)), append(series, pts)
		}
	}
	p.EntityChart = s.linesChart("各实体声量", names, series, by, 1100, 280, win.Complete)

	// Volume by platform.
	bd, err := s.Store.Breakdown(ctx, "platform", trustwatch.VolumeFilter{From: win.From, To: win.To})
	if err != nil {
		return nil, err
	}
	for _, b := range bd {
		p.InWindow += b.Count
	}
	p.Platforms = keysByCount(bd)
	names, series = nil, nil
	for _, pl := range p.Platforms[:min(len(p.Platforms), maxChartSeries)] {
		pts, err := s.volume(ctx, trustwatch.VolumeFilter{By: by, Platform: pl, From: win.From, To: win.To})
		if err != nil {
			return nil, err
		}
		names, series = append(names, label.Platform(pl)), append(series, pts)
	}
	p.PlatformChart = s.stackedChart("各平台声量", names, series, by, 1100, 280, win.Complete)

	// Entity × platform.
	for _, id := range ids {
		bd, err := s.Store.Breakdown(ctx, "platform", trustwatch.VolumeFilter{Entity: id, From: win.From, To: win.To})
		if err != nil {
			return nil, err
		}
		row := entityPlatformRow{Entity: id, Counts: make([]int64, len(p.Platforms))}
		for _, b := range bd {
			row.Total += b.Count
			if i := slices.Index(p.Platforms, b.Key); i >= 0 {
				row.Counts[i] = b.Count
			}
		}
		p.Matrix = append(p.Matrix, row)
	}

	open, _, err := s.Store.FindAlerts(ctx, trustwatch.AlertFilter{Open: true, AwakeAt: s.Now()})
	if err != nil {
		return nil, err
	}
	own, theirs := s.splitCompetitor(open)
	p.OwnOpen, p.CompetitorOpen = len(own), len(theirs)
	p.OwnUnlisted = max(len(own)-overviewAlerts, 0)
	p.BySeverity, p.Incidents = bySeverity(own[:min(len(own), overviewAlerts)]), theirs[:min(len(theirs), overviewIncidents)]

	if p.Latest, _, err = s.Store.FindItems(ctx, trustwatch.ItemFilter{Limit: 10}); err != nil {
		return nil, err
	}
	if p.MostEngaged, _, err = s.Store.FindItems(ctx, trustwatch.ItemFilter{From: win.From, To: win.To, Order: "engagement", Limit: 10, Estimate: skipCount}); err != nil {
		return nil, err
	}
	return p, nil
}
