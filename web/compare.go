package web

import (
	"cmp"
	"context"
	"html/template"
	"net/http"
	"slices"

	"trustwatch"
)

// topComplaints is how many complaint aspects /compare shows per brand.
const topComplaints = 3

// comparePage is share of voice: our brands beside the competitors over
// one window, read from the rollups only (one entity breakdown, one aspect
// breakdown and one volume series per brand), so it costs the same on a
// store of a thousand items or of ten million.
type comparePage struct {
	Window window
	Rows   []compareRow
	// Total is the sum of the rows' counts, the base of the shares (an
	// item naming two brands counts for both: share of mentions).
	Total int64
	Chart template.HTML
	// OwnOpen counts our own open alerts (everything not about a
	// competitor); Incidents are the competitors' open alerts.
	OwnOpen   int
	Incidents []trustwatch.Alert
}

// compareRow is one brand's share of voice over the window.
type compareRow struct {
	Entity     string `json:"entity"`
	Name       string `json:"name"`
	Competitor bool   `json:"competitor"`
	Count      int64  `json:"count"`
	// Share is Count over the page's Total.
	Share         float64 `json:"share"`
	Pos, Neg, Neu int64
	// Net is (pos − neg) / (pos + neg + neu), nil without items.
	Net        *float64          `json:"net"`
	Complaints []complaintAspect `json:"complaints"`
	OpenAlerts int               `json:"open_alerts"`
	NegURL     string            `json:"-"`
}

// complaintAspect is one aspect with its negative mentions for one brand.
type complaintAspect struct {
	Aspect string `json:"aspect"`
	Name   string `json:"name"`
	Neg    int64  `json:"neg"`
	URL    string `json:"-"`
}

func (s *Server) handleCompare(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	win, err := s.window(ctx, r.URL.Query())
	if err != nil {
		s.error(w, r, err)
		return
	}
	p, err := s.compare(ctx, win)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "compare", "竞品对比", p)
}

func (s *Server) compare(ctx context.Context, win window) (*comparePage, error) {
	p := &comparePage{Window: win}
	bd, err := s.Store.Breakdown(ctx, "entity", trustwatch.VolumeFilter{From: win.From, To: win.To})
	if err != nil {
		return nil, err
	}
	byEntity := make(map[string]trustwatch.VolumeBreakdown, len(bd))
	for _, b := range bd {
		byEntity[b.Key] = b
	}
	from, to := win.From.In(s.Location).Format("2006-01-02"), win.LastDay().In(s.Location).Format("2006-01-02")
	for _, e := range s.Watch.Entities {
		if e.Kind != trustwatch.EntityBrand && e.Kind != trustwatch.EntityCompetitor {
			continue
		}
		b := byEntity[e.ID]
		row := compareRow{Entity: e.ID, Name: s.entityName(e.ID), Competitor: e.Kind == trustwatch.EntityCompetitor,
			Count: b.Count, Pos: b.Pos, Neg: b.Neg, Neu: b.Neu,
			NegURL: searchURL("entity", e.ID, "label", string(trustwatch.Negative), "order", "engagement", "from", from, "to", to)}
		if b.Pos+b.Neg+b.Neu > 0 {
			net := trustwatch.VolumePoint{Pos: b.Pos, Neg: b.Neg, Neu: b.Neu}.Net()
			row.Net = &net
		}
		as, err := s.Store.Breakdown(ctx, "aspect", trustwatch.VolumeFilter{Entity: e.ID, From: win.From, To: win.To})
		if err != nil {
			return nil, err
		}
		slices.SortFunc(as, func(a, b trustwatch.VolumeBreakdown) int {
			return cmp.Or(cmp.Compare(b.Neg, a.Neg), cmp.Compare(a.Key, b.Key))
		})
		for _, a := range as {
			if len(row.Complaints) == topComplaints || a.Neg == 0 {
				break
			}
			if a.Key == "" {
				continue
			}
			row.Complaints = append(row.Complaints, complaintAspect{Aspect: a.Key, Name: s.aspectName(a.Key), Neg: a.Neg,
				URL: searchURL("entity", e.ID, "aspect", a.Key, "label", string(trustwatch.Negative), "order", "engagement", "from", from, "to", to)})
		}
		p.Total += row.Count
		p.Rows = append(p.Rows, row)
	}
	for i := range p.Rows {
		p.Rows[i].Share = share(p.Rows[i].Count, p.Total)
	}

	by := autoPeriod(win)
	var names []string
	var series [][]trustwatch.VolumePoint
	for _, row := range p.Rows[:min(len(p.Rows), maxChartSeries)] {
		pts, err := s.volume(ctx, trustwatch.VolumeFilter{By: by, Entity: row.Entity, From: win.From, To: win.To})
		if err != nil {
			return nil, err
		}
		name := row.Name
		if row.Competitor {
			name += "（竞品）"
		}
		names, series = append(names, name), append(series, pts)
	}
	if len(series) > 0 {
		p.Chart = s.linesChart("声量对比", names, series, by, 1100, 280, win.Complete)
	}

	// Open alerts: a store holds hundreds of alerts, not millions.
	open, _, err := s.Store.FindAlerts(ctx, trustwatch.AlertFilter{Open: true, AwakeAt: s.Now()})
	if err != nil {
		return nil, err
	}
	own, theirs := s.splitCompetitor(open)
	p.OwnOpen, p.Incidents = len(own), theirs
	for _, a := range open {
		for i := range p.Rows {
			if s.belongsTo(a.Entity, p.Rows[i].Entity) {
				p.Rows[i].OpenAlerts++
			}
		}
	}
	return p, nil
}

// competitorOf returns the competitor an entity is or belongs to (a
// competitor's product), "" for our own and for no entity.
func (s *Server) competitorOf(id string) string {
	for seen := 0; id != "" && seen <= len(s.Watch.Entities); seen++ {
		e := s.Watch.Entity(id)
		if e == nil {
			return ""
		}
		if e.Kind == trustwatch.EntityCompetitor {
			return e.ID
		}
		id = e.Parent
	}
	return ""
}

// splitCompetitor keeps our own alerts apart from the competitors', in order.
func (s *Server) splitCompetitor(as []trustwatch.Alert) (own, competitors []trustwatch.Alert) {
	for _, a := range as {
		if s.competitorOf(a.Entity) != "" {
			competitors = append(competitors, a)
		} else {
			own = append(own, a)
		}
	}
	return own, competitors
}
