package alerteval

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"trustwatch"
)

// Options say how alerts are matched to events.
type Options struct {
	// Tolerance is how far, in whole days (rounded down), an alert's
	// opening day may be from its event's day; zero asks for the same day.
	// The command's and the cases' default is one day.
	Tolerance time.Duration
	// Kinds are the alert kinds in scope, as patterns like an event's Kind
	// (exact, prefix.*, or a family with |). Empty: the kinds the events
	// name; with no events either, every kind.
	Kinds []string
	// Location cuts opening times into days; default Asia/Shanghai.
	Location *time.Location
	// From and To (2006-01-02, inclusive) bound the days looked at: alerts
	// opened and events dated outside them are left out. Empty: unbounded.
	From, To string
}

// AlertRef is an alert as the report shows it.
type AlertRef struct {
	ID        string `json:"id"`
	Kind      string `json:"kind"`
	Entity    string `json:"entity,omitempty"`
	Subject   string `json:"subject,omitempty"`
	Day       string `json:"day"`
	Severity  string `json:"severity,omitempty"`
	Statement string `json:"statement,omitempty"`
}

// Match pairs an event with the alert credited for it.
type Match struct {
	Event Event    `json:"event"`
	Alert AlertRef `json:"alert"`
	// Days is the alert's day minus the event's day: negative is early.
	Days int `json:"days"`
}

// Unmatched is an in-scope alert that credits no event.
type Unmatched struct {
	AlertRef
	// Redundant is set when the alert would have matched an event that
	// another alert was credited for (a second alert about the same thing);
	// otherwise the alert is a false alarm.
	Redundant bool `json:"redundant,omitempty"`
}

// DayError summarises |opened − day| over the matches.
type DayError struct {
	Mean       float64 `json:"mean"`
	MeanSigned float64 `json:"mean_signed"` // negative: early on average
	Max        int     `json:"max"`
}

// Report is the outcome of one evaluation. Precision and recall are nil
// ("n/a") when undefined: precision without alerts in scope or when no event
// is expected (then FalseAlarms says how many alerts there were), recall
// without events. They are never NaN.
type Report struct {
	Tolerance  int      `json:"tolerance_days"`
	Scope      []string `json:"scope"` // kind patterns; empty: every kind
	From       string   `json:"from,omitempty"`
	To         string   `json:"to,omitempty"`
	Events     int      `json:"events"`
	Alerts     int      `json:"alerts"`       // in scope and in the span
	OutOfScope int      `json:"out_of_scope"` // alerts of other kinds or days
	Matched    int      `json:"matched"`
	Redundant  int      `json:"redundant"`
	// FalseAlarms are in-scope alerts that match no event at all.
	FalseAlarms int      `json:"false_alarms"`
	Precision   *float64 `json:"precision"`
	// PrecisionRedundantOK counts redundant alerts as right: the precision
	// the detectors would have if alerts about one event were grouped.
	PrecisionRedundantOK *float64    `json:"precision_redundant_ok"`
	Recall               *float64    `json:"recall"`
	DayError             *DayError   `json:"day_error"`
	Matches              []Match     `json:"matches"`
	Missed               []Event     `json:"missed"`
	Unmatched            []Unmatched `json:"unmatched"`
}

// civil is a calendar day as a day count, so that differences are exact
// whatever the zone's offsets.
type civil int

func civilOf(t time.Time, loc *time.Location) civil {
	y, m, d := t.In(loc).Date()
	return civil(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func parseCivil(s string) (civil, error) {
	t, err := time.Parse(dayLayout, s)
	if err != nil {
		return 0, fmt.Errorf("day %q: want 2006-01-02", s)
	}
	return civil(t.Unix() / 86400), nil
}

func (c civil) String() string { return time.Unix(int64(c)*86400, 0).UTC().Format(dayLayout) }

// kindMatches reports whether kind matches a pattern: exact, "prefix.*"
// (or "prefix*"), or "*"; a pattern may be a family a|b|c.
func kindMatches(pattern, kind string) bool {
	for _, p := range strings.Split(pattern, "|") {
		p = strings.TrimSpace(p)
		if p == "*" || p == kind {
			return true
		}
		if pre, ok := strings.CutSuffix(p, "*"); ok && strings.HasPrefix(kind, pre) {
			return true
		}
	}
	return false
}

// entityMatches reports whether an alert on entity a counts for the
// expected entity e: the same, a descendant by parent links, or e is "*".
func entityMatches(w *trustwatch.Watch, e, a string) bool {
	if e == "*" || e == a {
		return true
	}
	if e == "" || a == "" || w == nil {
		return false
	}
	seen := map[string]bool{}
	for id := a; id != "" && !seen[id]; {
		seen[id] = true
		ent := w.Entity(id)
		if ent == nil {
			return false
		}
		if ent.Parent == e {
			return true
		}
		id = ent.Parent
	}
	return false
}

// termMatches: no term asks nothing; a term asks for a subject it contains.
func termMatches(term, subject string) bool {
	if term == "" {
		return true
	}
	if subject == "" {
		return false
	}
	for _, t := range strings.Split(term, "|") {
		if t = strings.TrimSpace(t); t != "" && strings.Contains(t, subject) {
			return true
		}
	}
	return false
}

// Evaluate pairs alerts with expected events and measures the pairing.
func Evaluate(alerts []trustwatch.Alert, events []Event, w *trustwatch.Watch, opt Options) (*Report, error) {
	loc := opt.Location
	if loc == nil {
		loc = trustwatch.DefaultLocation()
	}
	tol := int(opt.Tolerance / (24 * time.Hour))
	if opt.Tolerance < 0 {
		return nil, fmt.Errorf("tolerance %v is negative", opt.Tolerance)
	}
	from, to := civil(math.MinInt32), civil(math.MaxInt32)
	var err error
	if opt.From != "" {
		if from, err = parseCivil(opt.From); err != nil {
			return nil, fmt.Errorf("from: %w", err)
		}
	}
	if opt.To != "" {
		if to, err = parseCivil(opt.To); err != nil {
			return nil, fmt.Errorf("to: %w", err)
		}
	}
	scope := opt.Kinds
	if len(scope) == 0 {
		for _, e := range events {
			for _, p := range strings.Split(e.Kind, "|") {
				if p = strings.TrimSpace(p); !slices.Contains(scope, p) {
					scope = append(scope, p)
				}
			}
		}
	}
	inScope := func(kind string) bool {
		if len(scope) == 0 {
			return true
		}
		for _, p := range scope {
			if kindMatches(p, kind) {
				return true
			}
		}
		return false
	}

	rep := &Report{Tolerance: tol, Scope: scope, From: opt.From, To: opt.To,
		Matches: []Match{}, Missed: []Event{}, Unmatched: []Unmatched{}}
	if rep.Scope == nil {
		rep.Scope = []string{}
	}
	type ev struct {
		Event
		day civil
	}
	var evs []ev
	for _, e := range events {
		d, err := parseCivil(e.Day)
		if err != nil {
			return nil, fmt.Errorf("event at line %d: %w", e.Line, err)
		}
		if d < from || d > to {
			continue
		}
		evs = append(evs, ev{e, d})
	}
	type al struct {
		ref AlertRef
		day civil
		a   *trustwatch.Alert
	}
	var als []al
	for i := range alerts {
		a := &alerts[i]
		d := civilOf(a.Opened, loc)
		if d < from || d > to || !inScope(a.Kind) {
			rep.OutOfScope++
			continue
		}
		als = append(als, al{day: d, a: a, ref: AlertRef{ID: a.ID, Kind: a.Kind, Entity: a.Entity, Subject: a.Subject,
			Day: d.String(), Severity: a.Severity, Statement: a.Statement}})
	}
	// A stable order (day, then id) makes ties resolve the same way on
	// every run, whatever order the store returned.
	sort.SliceStable(als, func(i, j int) bool {
		if als[i].day != als[j].day {
			return als[i].day < als[j].day
		}
		return als[i].ref.ID < als[j].ref.ID
	})
	rep.Events, rep.Alerts = len(evs), len(als)

	compatible := func(e ev, a al) bool {
		dd := int(a.day - e.day)
		return dd >= -tol && dd <= tol && kindMatches(e.Kind, a.a.Kind) &&
			entityMatches(w, e.Entity, a.a.Entity) && termMatches(e.Term, a.a.Subject)
	}
	// Only alerts that could match some event take part in the assignment.
	var cand []int
	for j, a := range als {
		for _, e := range evs {
			if compatible(e, a) {
				cand = append(cand, j)
				break
			}
		}
	}
	// Cost 2|d|, plus 1 when late: nearest day first, and of two alerts
	// equally far the earlier one (an early warning is the point).
	// Incompatible pairs cost more than any set of real matches, so the
	// assignment first maximises the number of matches.
	big := (2*tol + 2) * (len(evs) + 1)
	n := len(evs)
	m := max(len(cand), n)
	cost := make([][]int, n)
	for i, e := range evs {
		cost[i] = make([]int, m)
		for k := range m {
			cost[i][k] = big
			if k < len(cand) {
				if a := als[cand[k]]; compatible(e, a) {
					dd := int(a.day - e.day)
					cost[i][k] = 2 * abs(dd)
					if dd > 0 {
						cost[i][k]++
					}
				}
			}
		}
	}
	assign := hungarian(cost) // assign[i] is event i's column
	matchedAlert := map[int]bool{}
	matchedEvent := make([]bool, n)
	var sumAbs, sumSigned float64
	for i, k := range assign {
		if k < 0 || k >= len(cand) || cost[i][k] >= big {
			continue
		}
		a := als[cand[k]]
		dd := int(a.day - evs[i].day)
		matchedAlert[cand[k]] = true
		matchedEvent[i] = true
		rep.Matches = append(rep.Matches, Match{Event: evs[i].Event, Alert: a.ref, Days: dd})
		sumAbs += float64(abs(dd))
		sumSigned += float64(dd)
		if rep.DayError == nil {
			rep.DayError = &DayError{}
		}
		rep.DayError.Max = max(rep.DayError.Max, abs(dd))
	}
	for i, e := range evs {
		if !matchedEvent[i] {
			rep.Missed = append(rep.Missed, e.Event)
		}
	}
	for j, a := range als {
		if matchedAlert[j] {
			continue
		}
		u := Unmatched{AlertRef: a.ref}
		for i, e := range evs {
			if matchedEvent[i] && compatible(e, a) {
				u.Redundant = true
				break
			}
		}
		if u.Redundant {
			rep.Redundant++
		} else {
			rep.FalseAlarms++
		}
		rep.Unmatched = append(rep.Unmatched, u)
	}
	rep.Matched = len(rep.Matches)
	if k := rep.Matched; k > 0 {
		rep.DayError.Mean = sumAbs / float64(k)
		rep.DayError.MeanSigned = sumSigned / float64(k)
	}
	if rep.Events > 0 {
		rep.Recall = ratio(rep.Matched, rep.Events)
		if rep.Alerts > 0 {
			rep.Precision = ratio(rep.Matched, rep.Alerts)
			rep.PrecisionRedundantOK = ratio(rep.Matched+rep.Redundant, rep.Alerts)
		}
	}
	return rep, nil
}

func ratio(a, b int) *float64 {
	v := float64(a) / float64(b)
	return &v
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// hungarian solves the assignment problem for an n×m cost matrix, n ≤ m
// (Kuhn–Munkres with potentials, O(n²m)), and returns each row's column.
func hungarian(a [][]int) []int {
	n := len(a)
	if n == 0 {
		return nil
	}
	m := len(a[0])
	const inf = math.MaxInt / 4
	u, v := make([]int, n+1), make([]int, m+1)
	p, way := make([]int, m+1), make([]int, m+1) // p[j]: row (1-based) in column j
	for i := 1; i <= n; i++ {
		p[0] = i
		j0 := 0
		minv := make([]int, m+1)
		used := make([]bool, m+1)
		for j := range minv {
			minv[j] = inf
		}
		for {
			used[j0] = true
			i0, delta, j1 := p[j0], inf, 0
			for j := 1; j <= m; j++ {
				if used[j] {
					continue
				}
				if cur := a[i0-1][j-1] - u[i0] - v[j]; cur < minv[j] {
					minv[j], way[j] = cur, j0
				}
				if minv[j] < delta {
					delta, j1 = minv[j], j
				}
			}
			for j := 0; j <= m; j++ {
				if used[j] {
					u[p[j]] += delta
					v[j] -= delta
				} else {
					minv[j] -= delta
				}
			}
			j0 = j1
			if p[j0] == 0 {
				break
			}
		}
		for j0 != 0 {
			j1 := way[j0]
			p[j0] = p[j1]
			j0 = j1
		}
	}
	out := make([]int, n)
	for i := range out {
		out[i] = -1
	}
	for j := 1; j <= m; j++ {
		if p[j] > 0 {
			out[p[j]-1] = j - 1
		}
	}
	return out
}
