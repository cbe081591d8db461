package web

import (
	"cmp"
	"context"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"slices"
	"time"

	"trustwatch"
	"trustwatch/chart"
	"trustwatch/detect/ledger"
	"trustwatch/hype"
	"trustwatch/results"
)

// Stance colours, as on every ledger chart and badge.
const (
	colorConfirms    = colorPos
	colorContradicts = colorNeg
)

// maxEvidenceRows bounds the evidence listed on a claim's page.
const maxEvidenceRows = 300

type ledgerRow struct {
	ledger.Row
	Lo, Hi   float64 // E ± one standard deviation of Beta(r+1, s+1), clipped to [0, 1]
	Interval template.HTML
	Spark    template.HTML
}

type brandBalance struct {
	Entity string
	Last   *ledger.DayBalance
	Chart  template.HTML
}

type ledgerPage struct {
	At       time.Time
	AtDay    time.Time // the last day the ledger covers, for the date input
	Entity   string
	Entities []trustwatch.Entity
	Rows     []ledgerRow
	Balances []brandBalance
}

// statusRisk orders statuses by risk, defaulting first: a claim that is
// turning is the news; one that has defaulted is known already.
var statusRisk = map[string]int{
	ledger.StatusDefaulting: 0,
	ledger.StatusDefaulted:  1,
	ledger.StatusDisputed:   2,
	ledger.StatusOpen:       3,
	ledger.StatusRepaying:   4,
	ledger.StatusRepaid:     5,
}

// betaSD is the standard deviation of Beta(r+1, s+1), the uncertainty of
// E = (r+1)/(r+s+2).
func betaSD(r, s float64) float64 {
	a, b := r+1, s+1
	return math.Sqrt(a * b / ((a + b) * (a + b) * (a + b + 1)))
}

func (s *Server) ledgerOptions() ledger.Options {
	return ledger.Options{Cut: s.Cut, Location: s.Location}
}

// ledgerAt reads at (a day: the ledger as of the end of it); by default the
// end of the newest item's day.
func (s *Server) ledgerAt(ctx context.Context, r *http.Request) (time.Time, error) {
	if v := r.URL.Query().Get("at"); v != "" {
		return parseTime(v, s.Location, true)
	}
	win, err := s.window(ctx, nil)
	if err != nil {
		return time.Time{}, err
	}
	return win.To, nil
}

// ledgerRows computes the ledger and sorts it by risk.
func (s *Server) ledgerRows(ctx context.Context, at time.Time, entity string) ([]ledger.Row, error) {
	if entity != "" && s.Watch.Entity(entity) == nil {
		return nil, trustwatch.Errorf(trustwatch.ENOTFOUND, "Entity %q is not in the watch file.", entity)
	}
	rows, err := remember(ctx, s, results.LedgerKey(at, entity), func() ([]ledger.Row, error) {
		return s.computer().Ledger(ctx, at, entity)
	})
	if err != nil {
		return nil, err
	}
	rows = slices.Clone(rows) // sorted below; the remembered slice stays as computed
	slices.SortStableFunc(rows, func(a, b ledger.Row) int {
		return cmp.Or(cmp.Compare(statusRisk[a.Status], statusRisk[b.Status]), cmp.Compare(a.Rep, b.Rep), cmp.Compare(b.Charge, a.Charge))
	})
	return rows, nil
}

// belongsTo reports whether entity id is brand or one of its products or
// people (following parents).
func (s *Server) belongsTo(id, brand string) bool {
	for range 10 { // parents form a short chain; a cycle must not hang
		if id == brand {
			return true
		}
		e := s.Watch.Entity(id)
		if e == nil || e.Parent == "" {
			return false
		}
		id = e.Parent
	}
	return false
}

func (s *Server) handleLedger(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	at, err := s.ledgerAt(ctx, r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	entity := r.URL.Query().Get("entity")
	rows, err := s.ledgerRows(ctx, at, entity)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := ledgerPage{At: at, AtDay: at.Add(-time.Nanosecond), Entity: entity, Entities: s.Watch.Entities}
	for _, row := range rows {
		lr := ledgerRow{Row: row}
		sd := betaSD(row.R, row.S)
		lr.Lo, lr.Hi = max(0, row.E-sd), min(1, row.E+sd)
		lr.Interval = (&chart.Interval{Value: row.E, Lo: lr.Lo, Hi: lr.Hi, Width: 110, Height: 14, Color: stanceColor(row.E),
			Title: fmt.Sprintf("E = %.2f，±1σ：%.2f – %.2f", row.E, lr.Lo, lr.Hi)}).HTML()
		reps := make([]float64, len(row.Daily))
		for i, d := range row.Daily {
			reps[i] = d.Rep
		}
		lr.Spark = (&chart.Spark{Values: reps, Width: 120, Height: 24, Title: "Rep 走势", Color: stanceColor(row.E)}).HTML()
		lr.Daily = nil
		p.Rows = append(p.Rows, lr)
	}
	for _, e := range s.Watch.Entities {
		if e.Kind != trustwatch.EntityBrand || (entity != "" && !s.belongsTo(entity, e.ID) && !s.belongsTo(e.ID, entity)) {
			continue
		}
		var mine []ledger.Row
		for _, row := range rows {
			if s.belongsTo(row.Entity, e.ID) {
				mine = append(mine, row)
			}
		}
		if len(mine) == 0 {
			continue
		}
		bal := ledger.Balance(mine)
		bb := brandBalance{Entity: e.ID}
		if len(bal) > 0 {
			bb.Last = &bal[len(bal)-1]
		}
		bb.Chart = s.balanceChart(s.entityName(e.ID)+" 信用余额 Σ h·Rep", bal, mine)
		p.Balances = append(p.Balances, bb)
	}
	s.render(w, r, http.StatusOK, "ledger", "信用账本", p)
}

// stanceColor is green for a claim that holds, red for one that does not.
func stanceColor(e float64) string {
	switch {
	case e < 0.4:
		return colorContradicts
	case e > 0.6:
		return colorConfirms
	}
	return "#6b7280"
}

// balanceChart draws a brand's daily balance, marking the day each claim's
// evidence first contradicted it.
func (s *Server) balanceChart(title string, bal []ledger.DayBalance, rows []ledger.Row) template.HTML {
	ts, vs := make([]time.Time, len(bal)), make([]float64, len(bal))
	for i, b := range bal {
		ts[i], vs[i] = b.Day, b.Balance
	}
	c := &chart.Chart{Title: title, Width: 1100, Height: 260, Location: s.Location, Step: 24 * time.Hour,
		Left:   chart.Axis{Label: "余额", IncludeZero: true},
		HLines: []chart.HLine{{Value: 0, Color: "#6b7280", Dashed: true}},
	}
	if len(bal) > 0 {
		c.Lines = []chart.Series{{Name: "余额", Times: ts, Values: vs, Color: colorNet}}
	}
	for _, r := range rows {
		if r.FirstContradiction != nil {
			c.Markers = append(c.Markers, chart.Marker{Time: *r.FirstContradiction, Label: excerpt(r.Text, 8), Title: "首次被反驳：" + r.Text, Color: colorContradicts})
		}
	}
	slices.SortFunc(c.Markers, func(a, b chart.Marker) int { return a.Time.Compare(b.Time) })
	return c.HTML()
}

// hypeSpan is a piece of a claim's text, marked when a hype rule matched it.
type hypeSpan struct {
	Text   string
	Rule   string
	Points float64
	Note   string
	Hit    bool
}

// hypeSpans cuts text at the reasons' byte offsets. Reasons that overlap
// an earlier one or fall outside the text are not marked.
func hypeSpans(text string, reasons []hype.Reason) []hypeSpan {
	rs := slices.Clone(reasons)
	slices.SortStableFunc(rs, func(a, b hype.Reason) int { return cmp.Compare(a.Start, b.Start) })
	var out []hypeSpan
	pos := 0
	for _, r := range rs {
		if r.Start < pos || r.End > len(text) || r.Start >= r.End {
			continue
		}
		if r.Start > pos {
			out = append(out, hypeSpan{Text: text[pos:r.Start]})
		}
		out = append(out, hypeSpan{Text: text[r.Start:r.End], Rule: r.Rule, Points: r.Points, Note: r.Note, Hit: true})
		pos = r.End
	}
	if pos < len(text) {
		out = append(out, hypeSpan{Text: text[pos:]})
	}
	return out
}

type claimPage struct {
	Claim    trustwatch.Claim
	Row      ledgerRow
	At       time.Time
	Spans    []hypeSpan
	Timeline template.HTML
	Evidence []ledger.EvidenceItem
	Shown    int
	Alerts   []trustwatch.Alert
	Back     string
}

func (s *Server) handleClaim(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	var c *trustwatch.Claim
	for i := range s.Watch.Claims {
		if s.Watch.Claims[i].ID == id {
			c = &s.Watch.Claims[i]
		}
	}
	if c == nil {
		s.error(w, r, trustwatch.Errorf(trustwatch.ENOTFOUND, "Claim %q is not in the watch file.", id))
		return
	}
	at, err := s.ledgerAt(ctx, r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	opt := s.ledgerOptions()
	ev, err := remember(ctx, s, results.EvidenceKey(id, at), func() ([]ledger.EvidenceItem, error) {
		return s.computer().Evidence(ctx, id, at)
	})
	ev = slices.Clone(ev) // sorted below
	if err != nil {
		s.error(w, r, err)
		return
	}
	row := opt.Account(s.Watch, *c, ev, at)
	p := claimPage{Claim: *c, At: at, Back: r.URL.RequestURI()}
	sd := betaSD(row.R, row.S)
	p.Row = ledgerRow{Row: row, Lo: max(0, row.E-sd), Hi: min(1, row.E+sd)}
	p.Row.Interval = (&chart.Interval{Value: row.E, Lo: p.Row.Lo, Hi: p.Row.Hi, Width: 160, Height: 16, Color: stanceColor(row.E)}).HTML()
	p.Spans = hypeSpans(c.Text, row.HypeReasons)
	p.Timeline = s.claimTimeline(c, row, ev)
	// Contradicting evidence first, then confirming, then the rest; the
	// newest first within each.
	p.Evidence = slices.Clone(ev)
	stanceRank := map[ledger.Stance]int{ledger.Contradicts: 0, ledger.Confirms: 1}
	slices.SortStableFunc(p.Evidence, func(a, b ledger.EvidenceItem) int {
		ra, ok := stanceRank[a.Stance]
		if !ok {
			ra = 2
		}
		rb, ok := stanceRank[b.Stance]
		if !ok {
			rb = 2
		}
		return cmp.Or(cmp.Compare(ra, rb), b.Time.Compare(a.Time))
	})
	p.Shown = min(len(p.Evidence), maxEvidenceRows)
	p.Evidence = p.Evidence[:p.Shown]
	as, _, err := s.Store.FindAlerts(ctx, trustwatch.AlertFilter{Entity: c.Entity})
	if err != nil {
		s.error(w, r, err)
		return
	}
	for _, a := range as {
		if a.Subject == c.ID || (a.Subject == "" && (a.Kind == ledger.KindDefault || a.Kind == ledger.KindDefaulting)) {
			p.Alerts = append(p.Alerts, a)
		}
	}
	s.render(w, r, http.StatusOK, "claim", excerpt(c.Text, 24), p)
}

// claimTimeline draws the evidence per day by stance (bars) and E with its
// ±1σ band (lines, right axis), with the claim's date and delivery marked.
func (s *Server) claimTimeline(c *trustwatch.Claim, row ledger.Row, ev []ledger.EvidenceItem) template.HTML {
	n := len(row.Daily)
	ts := make([]time.Time, n)
	e, lo, hi := make([]float64, n), make([]float64, n), make([]float64, n)
	conf, contra := make([]float64, n), make([]float64, n)
	index := make(map[int64]int, n)
	for i, d := range row.Daily {
		ts[i] = d.Day
		e[i] = d.E
		sd := betaSD(d.R, d.S)
		lo[i], hi[i] = max(0, d.E-sd), min(1, d.E+sd)
		index[startOfDay(d.Day, s.Location).Unix()] = i
	}
	for _, it := range ev {
		i, ok := index[startOfDay(it.Time, s.Location).Unix()]
		if !ok {
			continue
		}
		switch it.Stance {
		case ledger.Confirms:
			conf[i]++
		case ledger.Contradicts:
			contra[i]++
		}
	}
	ch := &chart.Chart{Title: "证据时间线与 E（±1σ）", Width: 1100, Height: 300, Location: s.Location, Step: 24 * time.Hour,
		Left:  chart.Axis{Label: "证据条数", Integer: true},
		Right: chart.Axis{Label: "E", Fixed: true, Min: 0, Max: 1, Percent: true},
		Stacked: []chart.Series{
			{Name: "证实", Color: colorConfirms, Times: ts, Values: conf},
			{Name: "反驳", Color: colorContradicts, Times: ts, Values: contra},
		},
		Lines: []chart.Series{
			{Name: "E", Color: colorNet, Times: ts, Values: e, Right: true},
			{Name: "+1σ", Color: "#9ca3af", Times: ts, Values: hi, Right: true, Dashed: true},
			{Name: "−1σ", Color: "#9ca3af", Times: ts, Values: lo, Right: true, Dashed: true},
		},
		HLines: []chart.HLine{{Value: 0.5, Right: true, Color: "#6b7280", Dashed: true}},
	}
	ch.Markers = append(ch.Markers, chart.Marker{Time: c.Date.Time, Label: "发布", Title: "承诺发布 " + c.Source})
	if !c.DeliveryDate.IsZero() {
		ch.Markers = append(ch.Markers, chart.Marker{Time: c.DeliveryDate.Time, Label: "交付", Title: "交付日"})
	}
	if n == 0 {
		ch.Stacked, ch.Lines, ch.HLines = nil, nil, nil
	}
	return ch.HTML()
}

// ledgerResponse is the ledger at a time, with the balance of its rows.
type ledgerResponse struct {
	At      time.Time           `json:"at"`
	Entity  string              `json:"entity,omitempty"`
	Claims  []ledger.Row        `json:"claims"`
	Balance []ledger.DayBalance `json:"balance"`
}

// GET /api/v1/ledger?entity&at&daily=1
func (s *Server) handleAPILedger(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	at, err := s.ledgerAt(ctx, r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	entity := r.URL.Query().Get("entity")
	rows, err := s.ledgerRows(ctx, at, entity)
	if err != nil {
		s.error(w, r, err)
		return
	}
	bal := ledger.Balance(rows)
	if r.URL.Query().Get("daily") == "" {
		for i := range rows {
			rows[i].Daily = nil
		}
	}
	if rows == nil {
		rows = []ledger.Row{}
	}
	if bal == nil {
		bal = []ledger.DayBalance{}
	}
	s.json(w, http.StatusOK, ledgerResponse{At: at, Entity: entity, Claims: rows, Balance: bal})
}
