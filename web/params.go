package web

import (
	"context"
	"errors"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"trustwatch"
	"trustwatch/query"
)

// defaultWindow is the span pages show when no from/to is given: the 30
// days up to the newest stored item (data is often historical, so "now"
// would show nothing).
const defaultWindow = 30 * 24 * time.Hour

// maxPeriods bounds a volume series, so by=hour over years is refused.
const maxPeriods = 5000

// window is a time range [From, To) read from from/to parameters.
type window struct {
	From, To time.Time
	// Complete is the instant the stored data is complete to: the newest
	// item's time, or now when that is sooner. Charts draw the periods
	// that end after it as partial. Zero when unknown.
	Complete time.Time
	// Presets link the window partial to 今天, 近 7 天 and 近 30 天, and
	// Keep are the page's other parameters, which its links and form keep;
	// Custom says that no preset is the window shown (自定义).
	Presets []preset
	Keep    []param
	Custom  bool
}

// preset is a link to a common window: whole days in Server.Location
// ending with today.
type preset struct {
	Label  string
	URL    string // relative ("?…"): the page's own path
	Active bool
}

// param is one query parameter a form carries on in a hidden field.
type param struct{ Name, Value string }

// presetDays are the presets: 今天 is the day of now, 近 N 天 the N days
// ending with it.
var presetDays = []struct {
	label string
	days  int
}{{"今天", 1}, {"近 7 天", 7}, {"近 30 天", 30}}

// windowParams are the parameters the window partial sets; page is dropped
// too, since another window has other pages.
var windowParams = []string{"from", "to", "page"}

// withPresets fills in w's presets and kept parameters for a page
// requested with q.
func (s *Server) withPresets(w window, q url.Values) window {
	keep := url.Values{}
	for k, vs := range q {
		if !slices.Contains(windowParams, k) {
			keep[k] = vs
		}
	}
	w.Keep = nil
	for _, k := range slices.Sorted(maps.Keys(keep)) {
		for _, v := range keep[k] {
			w.Keep = append(w.Keep, param{k, v})
		}
	}
	end := startOfDay(s.Now(), s.Location).AddDate(0, 0, 1)
	w.Presets, w.Custom = nil, true
	for _, pd := range presetDays {
		from := end.AddDate(0, 0, -pd.days)
		v := maps.Clone(keep)
		v.Set("from", from.Format("2006-01-02"))
		v.Set("to", end.AddDate(0, 0, -1).Format("2006-01-02"))
		active := w.From.Equal(from) && w.To.Equal(end)
		w.Custom = w.Custom && !active
		w.Presets = append(w.Presets, preset{Label: pd.label, URL: "?" + v.Encode(), Active: active})
	}
	return w
}

// Days is the number of days the window spans, for display.
func (w window) Days() int { return int((w.To.Sub(w.From) + 12*time.Hour) / (24 * time.Hour)) }

// LastDay is the last day inside the window (To is exclusive), for date inputs.
func (w window) LastDay() time.Time { return w.To.Add(-time.Nanosecond) }

// Previous is the window of equal length just before w.
func (w window) Previous() window { return window{From: w.From.Add(-w.To.Sub(w.From)), To: w.From} }

// parseTime reads 2006-01-02 (a day in loc) or RFC 3339. A bare day used as
// the end of a range means the end of that day, so to=2024-04-03 includes
// the 3rd.
func parseTime(s string, loc *time.Location, end bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		if end {
			t = t.AddDate(0, 0, 1)
		}
		return t, nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, trustwatch.Errorf(trustwatch.EINVALID, "Invalid time %q: use 2006-01-02 or RFC 3339.", s)
}

// window reads from and to; a missing end defaults to the end of the day of
// the newest item, a missing start to defaultWindow before the end.
func (s *Server) window(ctx context.Context, q url.Values) (window, error) {
	var w window
	_, last, n, err := s.Store.Span(ctx)
	if err != nil {
		return w, err
	}
	if n == 0 || last.IsZero() {
		last = s.Now()
	}
	w.Complete = sooner(last, s.Now())
	if v := q.Get("to"); v != "" {
		if w.To, err = parseTime(v, s.Location, true); err != nil {
			return w, err
		}
	} else {
		w.To = startOfDay(last, s.Location).AddDate(0, 0, 1)
	}
	if v := q.Get("from"); v != "" {
		if w.From, err = parseTime(v, s.Location, false); err != nil {
			return w, err
		}
	} else {
		w.From = w.To.Add(-defaultWindow)
	}
	if !w.From.Before(w.To) {
		return w, trustwatch.Errorf(trustwatch.EINVALID, "The start of the range must be before its end.")
	}
	return s.withPresets(w, q), nil
}

// completeUntil is the instant the stored data is complete to: the newest
// item's time, or now when that is sooner (window.Complete).
func (s *Server) completeUntil(ctx context.Context) (time.Time, error) {
	_, last, n, err := s.Store.Span(ctx)
	if err != nil || n == 0 || last.IsZero() {
		return s.Now(), err
	}
	return sooner(last, s.Now()), nil
}

func sooner(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func startOfDay(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
}

// parsePeriod reads by=hour|day; def when empty.
func parsePeriod(s string, def trustwatch.Period) (trustwatch.Period, error) {
	switch trustwatch.Period(s) {
	case "":
		return def, nil
	case trustwatch.Hour, trustwatch.Day:
		return trustwatch.Period(s), nil
	}
	return "", trustwatch.Errorf(trustwatch.EINVALID, "Invalid by=%q: use hour or day.", s)
}

// autoPeriod picks hours for windows of up to three days, days otherwise.
func autoPeriod(w window) trustwatch.Period {
	if w.To.Sub(w.From) <= 3*24*time.Hour {
		return trustwatch.Hour
	}
	return trustwatch.Day
}

// periodStart truncates t to the start of its period in loc.
func periodStart(t time.Time, by trustwatch.Period, loc *time.Location) time.Time {
	t = t.In(loc)
	if by == trustwatch.Hour {
		return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), 0, 0, 0, loc)
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
}

func nextPeriod(t time.Time, by trustwatch.Period) time.Time {
	if by == trustwatch.Hour {
		return t.Add(time.Hour)
	}
	return t.AddDate(0, 0, 1)
}

// periods returns the period starts covering w.
func periods(w window, by trustwatch.Period, loc *time.Location) ([]time.Time, error) {
	var out []time.Time
	for t := periodStart(w.From, by, loc); t.Before(w.To); t = nextPeriod(t, by) {
		if len(out) == maxPeriods {
			return nil, trustwatch.Errorf(trustwatch.EINVALID, "Too many periods: more than %d %ss between %s and %s.", maxPeriods, by, w.From.Format(time.RFC3339), w.To.Format(time.RFC3339))
		}
		out = append(out, t)
	}
	return out, nil
}

// volume reads a volume series and fills the periods without items with
// zeros, so charts and API clients get one point per period of the window.
func (s *Server) volume(ctx context.Context, f trustwatch.VolumeFilter) ([]trustwatch.VolumePoint, error) {
	w := window{From: f.From, To: f.To}
	starts, err := periods(w, f.By, s.Location)
	if err != nil {
		return nil, err
	}
	pts, err := s.Store.Volume(ctx, f)
	if err != nil {
		return nil, err
	}
	index := make(map[int64]int, len(starts))
	out := make([]trustwatch.VolumePoint, len(starts))
	for i, t := range starts {
		out[i].Period = t
		index[t.Unix()] = i
	}
	for _, p := range pts {
		i, ok := index[periodStart(p.Period, f.By, s.Location).Unix()]
		if !ok {
			continue
		}
		out[i].Count += p.Count
		out[i].Pos += p.Pos
		out[i].Neg += p.Neg
		out[i].Neu += p.Neu
	}
	return out, nil
}

// itemFilter reads the search parameters shared by /search and /api/v1/items.
func (s *Server) itemFilter(q url.Values) (trustwatch.ItemFilter, error) {
	qtext, err := s.searchQuery(q.Get("q"))
	if err != nil {
		return trustwatch.ItemFilter{}, err
	}
	f := trustwatch.ItemFilter{
		Query:    qtext,
		Entity:   q.Get("entity"),
		Platform: q.Get("platform"),
		Kind:     trustwatch.Kind(q.Get("kind")),
		Author:   q.Get("author"),
		ParentID: q.Get("parent"),
		Label:    trustwatch.Label(q.Get("label")),
		Aspect:   q.Get("aspect"),
		Order:    q.Get("order"),
	}
	if f.Kind != "" && !f.Kind.Valid() {
		return f, trustwatch.Errorf(trustwatch.EINVALID, "Unknown kind %q.", f.Kind)
	}
	switch f.Label {
	case "", trustwatch.Positive, trustwatch.Negative, trustwatch.Neutral:
	default:
		return f, trustwatch.Errorf(trustwatch.EINVALID, "Unknown label %q: use pos, neg or neu.", f.Label)
	}
	switch f.Order {
	case "", "time", "time_asc", "engagement":
	default:
		return f, trustwatch.Errorf(trustwatch.EINVALID, "Unknown order %q: use time, time_asc or engagement.", f.Order)
	}
	if v := q.Get("from"); v != "" {
		if f.From, err = parseTime(v, s.Location, false); err != nil {
			return f, err
		}
	}
	if v := q.Get("to"); v != "" {
		if f.To, err = parseTime(v, s.Location, true); err != nil {
			return f, err
		}
	}
	return f, nil
}

// intParam reads a non-negative integer parameter.
func intParam(q url.Values, name string, def int) (int, error) {
	v := q.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, trustwatch.Errorf(trustwatch.EINVALID, "Invalid %s=%q: want a non-negative integer.", name, v)
	}
	return n, nil
}

// boolParam reads a yes/no parameter: 1, true, on, or 0, false, absent.
func boolParam(q url.Values, name string) (bool, error) {
	switch v := q.Get(name); v {
	case "", "0", "false":
		return false, nil
	case "1", "true", "on":
		return true, nil
	default:
		return false, trustwatch.Errorf(trustwatch.EINVALID, "Invalid %s=%q: use true or false.", name, v)
	}
}

// pager links the pages of a result list.
type pager struct {
	Page, Pages int
	Total       int
	PrevURL     string
	NextURL     string
}

// newPager builds the links for page (1-based) of total results, size a
// page, keeping the other parameters of q.
func newPager(basePath string, q url.Values, page, size, total int) pager {
	p := pager{Page: page, Total: total, Pages: (total + size - 1) / size}
	link := func(n int) string {
		v := url.Values{}
		for k, vs := range q {
			if k != "page" {
				v[k] = vs
			}
		}
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		}
		if len(v) == 0 {
			return basePath
		}
		return basePath + "?" + v.Encode()
	}
	if page > 1 {
		p.PrevURL = link(page - 1)
	}
	if page < p.Pages {
		p.NextURL = link(page + 1)
	}
	return p
}

// searchURL links to /search with the given non-empty parameters.
func searchURL(params ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(params); i += 2 {
		if params[i+1] != "" {
			v.Set(params[i], params[i+1])
		}
	}
	return "/search?" + v.Encode()
}

// searchQuery reads a search query (docs/query.md), cutting its words the
// way the stored text was cut, and returns it canonical, as
// ItemFilter.Query wants; "" stays "". Without a segmenter words are not
// cut. A query that does not parse is a *queryError.
func (s *Server) searchQuery(q string) (string, error) {
	if strings.TrimSpace(q) == "" {
		return "", nil
	}
	c, err := query.Canonical(q, s.Cut)
	var se *query.SyntaxError
	if errors.As(err, &se) {
		return "", &queryError{query: q, syntax: se, app: trustwatch.Errorf(trustwatch.EINVALID, "Invalid query: %s.", se.Error())}
	}
	return c, err
}

// queryError is a search query that does not parse: an EINVALID error for
// the API and error pages, which the search page shows with a caret under
// the column.
type queryError struct {
	query  string
	syntax *query.SyntaxError
	app    *trustwatch.Error
}

func (e *queryError) Error() string { return "query: " + e.syntax.Error() }

func (e *queryError) Unwrap() error { return e.app }
