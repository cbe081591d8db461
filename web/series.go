package web

import (
	"cmp"
	"context"
	"html/template"
	"net/http"
	"slices"
	"time"

	"trustwatch"
	"trustwatch/chart"
	"trustwatch/detect/metric"
	"trustwatch/detect/sla"
	"trustwatch/detect/spc"
)

// seriesRow is one line of /series.
type seriesRow struct {
	Def      trustwatch.SeriesDef
	Declared bool // in the watch file
	N        int
	First    time.Time
	Last     trustwatch.Point
	LastRate float64 // defects: the last point's rate
	Open     int     // open alerts on the series
	Spark    template.HTML
}

type seriesListPage struct {
	Rows []seriesRow
}

// seriesIDs lists the watch file's series, then the stored ones it does
// not declare.
func (s *Server) seriesIDs(ctx context.Context) ([]string, error) {
	stored, err := s.Store.SeriesIDs(ctx)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, d := range s.Watch.Series {
		ids = append(ids, d.ID)
	}
	for _, id := range stored {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// openAlertsBySeries counts the open alerts of each series.
func (s *Server) openAlertsBySeries(ctx context.Context) (map[string]int, error) {
	as, _, err := s.Store.FindAlerts(ctx, trustwatch.AlertFilter{Open: true})
	if err != nil {
		return nil, err
	}
	n := map[string]int{}
	for _, a := range as {
		if a.Series != "" {
			n[a.Series]++
		}
	}
	return n, nil
}

func (s *Server) handleSeriesList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ids, err := s.seriesIDs(ctx)
	if err != nil {
		s.error(w, r, err)
		return
	}
	open, err := s.openAlertsBySeries(ctx)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var p seriesListPage
	for _, id := range ids {
		def, declared := s.seriesDef(id)
		pts, err := s.Store.Points(ctx, trustwatch.PointFilter{Series: id})
		if err != nil {
			s.error(w, r, err)
			return
		}
		row := seriesRow{Def: def, Declared: declared, N: len(pts), Open: open[id]}
		if len(pts) > 0 {
			row.First, row.Last = pts[0].Time, pts[len(pts)-1]
			row.LastRate = pointValue(def, row.Last)
			vs := make([]float64, len(pts))
			for i, pt := range pts {
				vs[i] = pointValue(def, pt)
			}
			row.Spark = (&chart.Spark{Values: vs, Width: 140, Height: 28, Title: s.seriesName(id)}).HTML()
		}
		p.Rows = append(p.Rows, row)
	}
	s.render(w, r, http.StatusOK, "serieslist", "指标", p)
}

// pointValue is what a point's chart shows: the defect rate for defect
// series with sample sizes, the value otherwise.
func pointValue(def trustwatch.SeriesDef, p trustwatch.Point) float64 {
	if (def.Kind == trustwatch.SeriesDefects || p.Sample > 0) && p.Sample > 0 {
		return p.Count / p.Sample
	}
	return p.Value
}

// valueChart draws a series' values over time.
func (s *Server) valueChart(def trustwatch.SeriesDef, pts []trustwatch.Point, width, height int) *chart.Chart {
	ts, vs := make([]time.Time, len(pts)), make([]float64, len(pts))
	rate := false
	for i, p := range pts {
		ts[i], vs[i] = p.Time, pointValue(def, p)
		rate = rate || p.Sample > 0
	}
	label := cmp.Or(def.Unit, "数值")
	if rate {
		label = "缺陷率"
	}
	c := &chart.Chart{
		Title: s.seriesName(def.ID), Width: width, Height: height, Location: s.Location,
		Left: chart.Axis{Label: label, Percent: rate},
	}
	if len(pts) > 0 {
		c.Lines = []chart.Series{{Name: s.seriesName(def.ID), Times: ts, Values: vs, Color: "#3b6fb6"}}
	}
	return c
}

// ruleView is a rule on the series, as shown above its charts.
type ruleView struct {
	Rule  trustwatch.Rule
	Chart template.HTML // the derived chart the rule watches (change, drawdown), if any
	Note  string
}

// slaView is the service-level view of a response_seconds series.
type slaView struct {
	Items      *serviceSignals // what posts say about the service
	Rule       trustwatch.Rule
	Target     float64
	Percentile float64
	Chart      template.HTML
	ShareChart template.HTML
	Periods    []slaPeriod
	Breaches   int
}

type slaPeriod struct {
	sla.Period
	RuleValue float64 // the rule's percentile
	Breach    bool
}

// spcView is the control-chart view of a defect series.
type spcView struct {
	Basis      string
	Chart      template.HTML
	EWMA       template.HTML
	CUSUM      template.HTML
	Points     []spc.ChartPoint
	Residuals  []float64
	Dispersion *spc.DispersionResult
	DispErr    string
	Out        int
}

type seriesPage struct {
	Def      trustwatch.SeriesDef
	Declared bool
	Window   window
	All      bool // no from/to given: the whole series
	Points   []trustwatch.Point
	Last     *trustwatch.Point
	Chart    template.HTML
	Rules    []ruleView
	SLA      *slaView
	SPC      *spcView
	Alerts   []trustwatch.Alert
	Back     string
	Error    string // a statistic that could not be computed, and why
}

func (s *Server) handleSeries(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	p, err := s.seriesPage(ctx, r, id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "series", s.seriesName(id), p)
}

// seriesPoints reads a series over [from, to) given as query parameters, or
// all of it; ENOTFOUND when the series is neither declared nor stored.
func (s *Server) seriesPoints(ctx context.Context, r *http.Request, id string) (trustwatch.SeriesDef, bool, window, bool, []trustwatch.Point, error) {
	def, declared := s.seriesDef(id)
	q := r.URL.Query()
	var win window
	all := q.Get("from") == "" && q.Get("to") == ""
	var err error
	if !all {
		if v := q.Get("from"); v != "" {
			if win.From, err = parseTime(v, s.Location, false); err != nil {
				return def, declared, win, all, nil, err
			}
		}
		if v := q.Get("to"); v != "" {
			if win.To, err = parseTime(v, s.Location, true); err != nil {
				return def, declared, win, all, nil, err
			}
		}
	}
	pts, err := s.Store.Points(ctx, trustwatch.PointFilter{Series: id, From: win.From, To: win.To})
	if err != nil {
		return def, declared, win, all, nil, err
	}
	if !declared && len(pts) == 0 {
		ids, err := s.Store.SeriesIDs(ctx)
		if err != nil {
			return def, declared, win, all, nil, err
		}
		if !slices.Contains(ids, id) {
			return def, declared, win, all, nil, trustwatch.Errorf(trustwatch.ENOTFOUND, "Series %q not found.", id)
		}
	}
	if def.Entity == "" && len(pts) > 0 {
		def.Entity = pts[0].Entity
	}
	if def.Unit == "" && len(pts) > 0 {
		def.Unit = pts[0].Unit
	}
	if len(pts) > 0 {
		if win.From.IsZero() {
			win.From = startOfDay(pts[0].Time, s.Location)
		}
		if win.To.IsZero() {
			win.To = startOfDay(pts[len(pts)-1].Time, s.Location).AddDate(0, 0, 1)
		}
	}
	return def, declared, win, all, pts, nil
}

func (s *Server) seriesPage(ctx context.Context, r *http.Request, id string) (*seriesPage, error) {
	def, declared, win, all, pts, err := s.seriesPoints(ctx, r, id)
	if err != nil {
		return nil, err
	}
	p := &seriesPage{Def: def, Declared: declared, Window: win, All: all, Points: pts, Back: r.URL.RequestURI()}
	if len(pts) > 0 {
		p.Last = &pts[len(pts)-1]
	}

	// Alerts raised on the series (the store filters by entity, not by
	// series, so the rest is done here).
	as, _, err := s.Store.FindAlerts(ctx, trustwatch.AlertFilter{Entity: def.Entity})
	if err != nil {
		return nil, err
	}
	var markers []chart.Marker
	for _, a := range as {
		if a.Series != id {
			continue
		}
		p.Alerts = append(p.Alerts, a)
		if (win.From.IsZero() || !a.Opened.Before(win.From)) && (win.To.IsZero() || a.Opened.Before(win.To)) && len(markers) < maxMarkers {
			m := alertMarker(a)
			m.Label = ""
			markers = append(markers, m)
		}
	}

	main := s.valueChart(def, pts, 1100, 300)
	main.Markers = markers
	for _, rule := range s.Watch.Rules {
		if rule.Series != id {
			continue
		}
		rv := s.ruleView(def, rule, pts, &main.HLines)
		p.Rules = append(p.Rules, rv)
		switch {
		case rule.Detector == sla.DetectorSLA && p.SLA == nil:
			p.SLA = s.slaView(def, rule, pts, markers)
		case rule.Detector == spc.DetectorSPC && p.SPC == nil:
			p.SPC = s.spcView(pts)
		}
	}
	// Without a rule, the kind of series still says which view applies.
	if p.SPC == nil && def.Kind == trustwatch.SeriesDefects {
		p.SPC = s.spcView(pts)
	}
	if p.SLA == nil && def.Kind == trustwatch.SeriesResponseSeconds {
		p.SLA = s.slaView(def, trustwatch.Rule{}, pts, markers)
	}
	if p.SLA != nil {
		from, to := p.Window.From, p.Window.To
		if len(pts) > 0 && p.All {
			from, to = pts[0].Time, pts[len(pts)-1].Time.Add(time.Second)
		}
		sig, err := s.serviceSignals(ctx, def.Entity, from, to)
		if err != nil {
			return nil, err
		}
		p.SLA.Items = sig
	}
	p.Chart = main.HTML()
	return p, nil
}

// ruleView draws what a rule watches. Level thresholds (low, high) go onto
// the main chart as lines; change and drawdown get a chart of their own,
// computed by package metric, with the rule's threshold.
func (s *Server) ruleView(def trustwatch.SeriesDef, r trustwatch.Rule, pts []trustwatch.Point, levels *[]chart.HLine) ruleView {
	rv := ruleView{Rule: r}
	unit := def.Unit
	switch r.Detector {
	case metric.DetectorLow, metric.DetectorHigh:
		if r.Below != nil {
			*levels = append(*levels, chart.HLine{Value: *r.Below, Label: "低于 " + metric.Format(*r.Below, unit), Color: colorNeg, Dashed: true})
		}
		if r.Above != nil {
			*levels = append(*levels, chart.HLine{Value: *r.Above, Label: "高于 " + metric.Format(*r.Above, unit), Color: colorNeg, Dashed: true})
		}
		lookback := cmp.Or(r.Lookback.D(), metric.DefaultLookback)
		rv.Note = "回看 " + metric.Window(lookback) + " 内的新" + map[bool]string{true: "低", false: "高"}[r.Detector == metric.DetectorLow]
	case metric.DetectorDrawdown:
		dds := metric.Drawdowns(pts, r.Lookback.D())
		ts, vs := make([]time.Time, len(pts)), make([]float64, len(pts))
		for i, d := range dds {
			ts[i], vs[i] = pts[i].Time, d.Pct/100
		}
		c := &chart.Chart{Title: "距高点回撤", Width: 1100, Height: 220, Location: s.Location,
			Left:  chart.Axis{Label: "回撤", Percent: true, IncludeZero: true},
			Lines: []chart.Series{{Name: "回撤", Times: ts, Values: vs, Color: colorNeg}}}
		below := metric.DefaultDrawdownPct
		if r.BelowPct != nil {
			below = *r.BelowPct
		}
		if r.Below == nil || r.BelowPct != nil {
			c.HLines = append(c.HLines, chart.HLine{Value: below / 100, Label: "阈值 " + metric.FormatPct(below), Color: colorNeg, Dashed: true})
		}
		if len(pts) == 0 {
			c.Lines = nil
		}
		rv.Chart = c.HTML()
	case metric.DetectorChange:
		window := cmp.Or(r.Window.D(), metric.DefaultWindow)
		ts, vs := make([]time.Time, len(pts)), make([]float64, len(pts))
		pct := r.Below == nil && r.Above == nil && (r.BelowPct != nil || r.AbovePct != nil)
		for i := range pts {
			ts[i], vs[i] = pts[i].Time, nan
			if ch, ok := metric.ChangeAt(pts, i, window); ok {
				vs[i] = ch.Abs
				if pct {
					vs[i] = ch.Pct / 100
				}
			}
		}
		c := &chart.Chart{Title: metric.Window(window) + " 变化", Width: 1100, Height: 220, Location: s.Location,
			Left:  chart.Axis{Label: cmp.Or(unit, "变化"), Percent: pct, IncludeZero: true},
			Lines: []chart.Series{{Name: "变化", Times: ts, Values: vs, Color: "#7b5ea7"}}}
		add := func(v *float64, word string, scale float64) {
			if v != nil {
				label := word + " " + metric.FormatSigned(*v, unit)
				if pct {
					label = word + " " + metric.FormatPct(*v)
				}
				c.HLines = append(c.HLines, chart.HLine{Value: *v / scale, Label: label, Color: colorNeg, Dashed: true})
			}
		}
		if pct {
			add(r.BelowPct, "阈值", 100)
			add(r.AbovePct, "阈值", 100)
		} else {
			add(r.Below, "阈值", 1)
			add(r.Above, "阈值", 1)
		}
		if len(pts) == 0 {
			c.Lines = nil
		}
		rv.Chart = c.HTML()
	}
	return rv
}

// slaView computes the SLA view with package sla: percentiles per period,
// the share over target and the periods in breach of the rule.
func (s *Server) slaView(def trustwatch.SeriesDef, r trustwatch.Rule, pts []trustwatch.Point, markers []chart.Marker) *slaView {
	v := &slaView{Rule: r, Target: r.Target, Percentile: cmp.Or(r.Percentile, sla.DefaultPercentile)}
	period := cmp.Or(r.Period.D(), sla.DefaultPeriod)
	periods := sla.Periods(pts, period, r.Target, s.Location)
	n := len(periods)
	ts := make([]time.Time, n)
	p50, p90, p99, share := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range periods {
		pr := &periods[i]
		ts[i] = pr.Start
		p50[i], p90[i], p99[i], share[i] = pr.P50, pr.P90, pr.P99, pr.ShareOver
		sp := slaPeriod{Period: *pr, RuleValue: pr.Percentile(v.Percentile)}
		sp.Breach = r.Target > 0 && sp.RuleValue > r.Target
		if r.AbovePct != nil && 100*pr.ShareOver >= *r.AbovePct {
			sp.Breach = true
		}
		if sp.Breach {
			v.Breaches++
		}
		sp.Points = nil // not shown; keeps the view small
		v.Periods = append(v.Periods, sp)
	}
	unit := cmp.Or(def.Unit, "秒")
	c := &chart.Chart{Title: "响应时长分位数（每" + metric.Window(period) + "）", Width: 1100, Height: 300, Location: s.Location, Step: period,
		Left: chart.Axis{Label: unit, IncludeZero: true},
		Lines: []chart.Series{
			{Name: "P50", Times: ts, Values: p50, Color: "#3a9a5b"},
			{Name: "P90", Times: ts, Values: p90, Color: "#e08a1e"},
			{Name: "P99", Times: ts, Values: p99, Color: "#c23b3b"},
		}}
	if r.Target > 0 {
		c.HLines = []chart.HLine{{Value: r.Target, Label: "目标 " + metric.Format(r.Target, unit), Color: "#1f2937", Dashed: true}}
	}
	if n == 0 {
		c.Lines, c.HLines = nil, nil
	} else {
		c.Markers = markers
	}
	v.Chart = c.HTML()
	if r.Target > 0 && n > 0 {
		v.ShareChart = (&chart.Chart{Title: "超过目标的占比", Width: 1100, Height: 200, Location: s.Location, Step: period,
			Left:    chart.Axis{Label: "占比", Percent: true, Fixed: true, Min: 0, Max: 1},
			Stacked: []chart.Series{{Name: "超标占比", Times: ts, Values: share, Color: colorNeg}}}).HTML()
	}
	slices.Reverse(v.Periods) // newest first in the table
	return v
}

// spcView computes the control charts with package spc: the Shewhart chart
// the data supports (p for defectives out of a sample, u for defects per
// unit) with its limits varying by sample size, EWMA, CUSUM and the blind-box
// dispersion index.
func (s *Server) spcView(pts []trustwatch.Point) *spcView {
	basis := spc.BasisOf(pts)
	v := &spcView{Basis: basis.String()}
	var cps []spc.ChartPoint
	var err error
	name := "p 图（不良率）"
	switch basis {
	case spc.Binomial:
		cps, err = spc.PChart(pts)
	case spc.Poisson:
		cps, err = spc.UChart(pts)
		name = "u 图（单位缺陷数）"
	}
	if err != nil {
		v.DispErr = err.Error()
	}
	v.Points = cps
	if len(cps) > 0 {
		n := len(cps)
		ts := make([]time.Time, n)
		stat, center, ucl, lcl := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
		var outs []chart.Marker
		for i, cp := range cps {
			ts[i], stat[i], center[i], ucl[i], lcl[i] = cp.Time, cp.Stat, cp.Center, cp.UCL, cp.LCL
			if cp.Out != 0 {
				v.Out++
				label := "超上限"
				if cp.Out < 0 {
					label = "低于下限"
				}
				outs = append(outs, chart.Marker{Time: cp.Time, Dot: true, Value: cp.Stat, Color: colorNeg, Title: cp.Batch + " " + label})
			}
		}
		c := &chart.Chart{Title: name + "，控制限随样本量变化", Width: 1100, Height: 320, Location: s.Location,
			Left: chart.Axis{Label: map[bool]string{true: "不良率", false: "缺陷/单位"}[basis == spc.Binomial], Percent: basis == spc.Binomial, IncludeZero: true},
			Lines: []chart.Series{
				{Name: "UCL", Times: ts, Values: ucl, Color: colorNeg, Dashed: true},
				{Name: "中心线", Times: ts, Values: center, Color: "#6b7280", Dashed: true},
				{Name: "LCL", Times: ts, Values: lcl, Color: colorNeg, Dashed: true},
				{Name: "批次", Times: ts, Values: stat, Color: "#3b6fb6"},
			},
			Markers: outs,
		}
		v.Chart = c.HTML()
	}
	if ew, err := spc.EWMA(pts, basis, 0, 0); err == nil && len(ew) > 0 {
		n := len(ew)
		ts := make([]time.Time, n)
		z, center, ucl, lcl := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
		var outs []chart.Marker
		for i, e := range ew {
			ts[i], z[i], center[i], ucl[i], lcl[i] = e.Time, e.Z, e.Center, e.UCL, e.LCL
			if e.Out != 0 {
				outs = append(outs, chart.Marker{Time: e.Time, Dot: true, Value: e.Z, Color: colorNeg, Title: "EWMA 越限"})
			}
		}
		v.EWMA = (&chart.Chart{Title: "EWMA（λ = 0.2，L = 3）", Width: 1100, Height: 240, Location: s.Location,
			Left: chart.Axis{Label: "EWMA", Percent: basis == spc.Binomial},
			Lines: []chart.Series{
				{Name: "UCL", Times: ts, Values: ucl, Color: colorNeg, Dashed: true},
				{Name: "中心线", Times: ts, Values: center, Color: "#6b7280", Dashed: true},
				{Name: "LCL", Times: ts, Values: lcl, Color: colorNeg, Dashed: true},
				{Name: "EWMA", Times: ts, Values: z, Color: "#7b5ea7"},
			}, Markers: outs}).HTML()
	}
	if cu, err := spc.CUSUM(pts, basis, 0, 0); err == nil && len(cu) > 0 {
		n := len(cu)
		ts := make([]time.Time, n)
		hi, lo := make([]float64, n), make([]float64, n)
		for i, c := range cu {
			ts[i], hi[i], lo[i] = c.Time, c.Hi, -c.Lo
		}
		v.CUSUM = (&chart.Chart{Title: "CUSUM（k = 0.5，h = 5，σ 单位；下侧取负）", Width: 1100, Height: 240, Location: s.Location,
			Left: chart.Axis{Label: "σ", IncludeZero: true},
			Lines: []chart.Series{
				{Name: "C⁺", Times: ts, Values: hi, Color: colorNeg},
				{Name: "−C⁻", Times: ts, Values: lo, Color: "#3b6fb6"},
			},
			HLines: []chart.HLine{
				{Value: 5, Label: "h", Color: "#6b7280", Dashed: true},
				{Value: -5, Label: "−h", Color: "#6b7280", Dashed: true},
			}}).HTML()
	}
	if basis != spc.Individuals {
		d, err := spc.Dispersion(pts, basis)
		if err != nil {
			v.DispErr = err.Error()
		} else {
			v.Dispersion = &d
			v.Residuals = d.Residuals
		}
	}
	return v
}

// seriesResponse is a series with its declaration and points.
type seriesResponse struct {
	Series trustwatch.SeriesDef `json:"series"`
	From   *time.Time           `json:"from,omitempty"`
	To     *time.Time           `json:"to,omitempty"`
	Points []trustwatch.Point   `json:"points"`
}

// GET /api/v1/series/{id}?from&to
func (s *Server) handleAPISeries(w http.ResponseWriter, r *http.Request) {
	def, _, win, all, pts, err := s.seriesPoints(r.Context(), r, r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	if pts == nil {
		pts = []trustwatch.Point{}
	}
	resp := seriesResponse{Series: def, Points: pts}
	if !all {
		if !win.From.IsZero() {
			resp.From = &win.From
		}
		if !win.To.IsZero() {
			resp.To = &win.To
		}
	}
	s.json(w, http.StatusOK, resp)
}

// serviceSignals is what the items say about the service over a series'
// span: the share of service complaints that complain of waiting, and the
// share of the brand's replies that are canned.
type serviceSignals struct {
	Wait   sla.WaitReport
	Canned sla.CannedReport
	// Examples of each, newest first.
	WaitItems   []trustwatch.Item
	CannedItems []trustwatch.Item
}

// serviceSignals reads the negative service-aspect items and the entity's
// own replies (its accounts, and its parent's) in [from, to).
func (s *Server) serviceSignals(ctx context.Context, entity string, from, to time.Time) (*serviceSignals, error) {
	complaints, _, err := s.Store.FindItems(ctx, trustwatch.ItemFilter{Entity: entity, Aspect: "service", Label: trustwatch.Negative, From: from, To: to, Limit: 5000})
	if err != nil {
		return nil, err
	}
	sig := &serviceSignals{Wait: sla.WaitShare(complaints)}
	var accounts []string
	for e := s.Watch.Entity(entity); e != nil; e = s.Watch.Entity(e.Parent) {
		accounts = append(accounts, e.Accounts...)
		if e.Parent == "" || e.Parent == e.ID {
			break
		}
	}
	var replies []trustwatch.Item
	for _, acc := range accounts {
		its, _, err := s.Store.FindItems(ctx, trustwatch.ItemFilter{Author: acc, Kind: trustwatch.KindComment, From: from, To: to, Limit: 5000})
		if err != nil {
			return nil, err
		}
		replies = append(replies, its...)
	}
	sig.Canned = sla.CannedReplies(replies, 0)
	byID := map[string]trustwatch.Item{}
	for _, it := range append(complaints, replies...) {
		byID[it.ID] = it
	}
	for _, id := range sig.Wait.ItemIDs[:min(5, len(sig.Wait.ItemIDs))] {
		sig.WaitItems = append(sig.WaitItems, byID[id])
	}
	for _, g := range sig.Canned.Groups[:min(3, len(sig.Canned.Groups))] {
		if len(g.ItemIDs) > 0 {
			sig.CannedItems = append(sig.CannedItems, byID[g.ItemIDs[0]])
		}
	}
	return sig, nil
}
