package web

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"trustwatch"
	"trustwatch/detect/burst"
)

// seenCookie remembers, per browser, how far the data went at the last
// visit to the overview (unix seconds of the newest item then), so that
// the next visit shows what came after it.
const seenCookie = "tw_seen"

// seenCookieAge is how long a browser remembers its last visit.
const seenCookieAge = 90 * 24 * time.Hour

// Without a last visit the overview looks at the last day; a last visit
// long ago is looked at from at most a week back, the longest span the
// 7-fold baseline of the moves still describes.
const (
	changesDefault = 24 * time.Hour
	changesMax     = 7 * 24 * time.Hour
)

// baselineSpans is how many earlier spans of the same hours the moves
// are compared with ("the previous 7 days' same hours").
const baselineSpans = 7

// moveMaxP is the largest Poisson tail a move is shown with: a 1-in-100
// surprise, looser than the detectors' 1e-4 since nothing is raised here,
// only shown with its numbers.
const moveMaxP = 0.01

// changes is what happened since the reader's last visit to the overview.
type changes struct {
	// Since and Until bound the span looked at, in data time (Until is the
	// newest item, or now when that is sooner); LastVisit says Since is the
	// last visit's, not the default day.
	Since, Until time.Time
	LastVisit    bool
	// NewAlerts opened in the span, terms apart (NewTerms: term.* alerts,
	// new words and nicknames about watched entities).
	NewAlerts, NewTerms []trustwatch.Alert
	// Moves are the entities whose volume or negative share rose
	// significantly against the same hours of the spans before, most
	// surprising first; From and To are the whole hours they cover.
	Moves    []move
	From, To time.Time
}

// move is one entity's rise: its volume (Negative false) or its negative
// items among its volume (Negative true), against the same hours of the
// baselineSpans spans before.
type move struct {
	Entity   string
	Negative bool
	// Count is the span's items (or negative items), Total its items;
	// Baseline and BaselineTotal the same over all baseline spans.
	Count, Total            int
	Baseline, BaselineTotal int
	// Expected is the count the baseline predicts; P the Poisson tail of
	// Count against it (burst.PoissonTail, as the spike detector tests).
	Expected, P float64
}

// Share is the span's negative share; BaselineShare the baselines'.
func (m move) Share() float64 { return float64(m.Count) / float64(max(m.Total, 1)) }
func (m move) BaselineShare() float64 {
	return float64(m.Baseline) / float64(max(m.BaselineTotal, 1))
}

// PerSpan is the baseline's count per span, for the reader to compare.
func (m move) PerSpan() float64 { return float64(m.Baseline) / baselineSpans }

// lastVisit reads the seen cookie; ok is false without a valid one.
func lastVisit(r *http.Request) (time.Time, bool) {
	c, err := r.Cookie(seenCookie)
	if err != nil {
		return time.Time{}, false
	}
	sec, err := strconv.ParseInt(c.Value, 10, 64)
	if err != nil || sec <= 0 {
		return time.Time{}, false
	}
	return time.Unix(sec, 0), true
}

// rememberVisit sets the seen cookie to until, the newest data shown.
func (s *Server) rememberVisit(w http.ResponseWriter, r *http.Request, until time.Time) {
	c := s.cookie(r, seenCookie, strconv.FormatInt(until.Unix(), 10))
	c.MaxAge = int(seenCookieAge / time.Second)
	http.SetCookie(w, c)
}

// changesSince finds what changed between since (the last visit; the zero
// time for none) and until. A last visit at or after until means no new
// data: an empty span.
func (s *Server) changesSince(ctx context.Context, since time.Time, visited bool, until time.Time, entities []string) (*changes, error) {
	c := &changes{Until: until, LastVisit: visited}
	switch {
	case !visited:
		// The last 24 whole hours, the newest item's hour included.
		c.Since = until.Truncate(time.Hour).Add(time.Hour - changesDefault)
	case since.Before(until.Add(-changesMax)):
		c.Since = until.Add(-changesMax)
	case since.After(until):
		c.Since = until
	default:
		c.Since = since
	}
	if !c.Since.Before(until) {
		return c, nil
	}
	as, _, err := s.Store.FindAlerts(ctx, trustwatch.AlertFilter{Since: c.Since})
	if err != nil {
		return nil, err
	}
	for _, a := range as {
		if a.Opened.After(until) {
			continue
		}
		if strings.HasPrefix(a.Kind, "term.") {
			c.NewTerms = append(c.NewTerms, a)
		} else {
			c.NewAlerts = append(c.NewAlerts, a)
		}
	}
	if c.Moves, c.From, c.To, err = s.moves(ctx, c.Since, until, entities); err != nil {
		return nil, err
	}
	return c, nil
}

// moves compares each entity's items in the whole hours covering [since,
// until] with the same hours of the baselineSpans spans before (whole days
// back, so a morning is compared with mornings), and keeps the rises with
// a Poisson tail at most moveMaxP. The rollups are hourly: one breakdown
// per span reads every entity at once.
func (s *Server) moves(ctx context.Context, since, until time.Time, entities []string) ([]move, time.Time, time.Time, error) {
	from, to := since.Truncate(time.Hour), until.Truncate(time.Hour).Add(time.Hour)
	day := 24 * time.Hour
	step := (to.Sub(from) + day - 1) / day * day // whole days, at least the span
	read := func(from, to time.Time) (map[string]trustwatch.VolumeBreakdown, error) {
		bd, err := s.Store.Breakdown(ctx, "entity", trustwatch.VolumeFilter{From: from, To: to})
		if err != nil {
			return nil, err
		}
		m := make(map[string]trustwatch.VolumeBreakdown, len(bd))
		for _, b := range bd {
			m[b.Key] = b
		}
		return m, nil
	}
	cur, err := read(from, to)
	if err != nil {
		return nil, from, to, err
	}
	base := map[string]trustwatch.VolumeBreakdown{}
	for k := 1; k <= baselineSpans; k++ {
		back := time.Duration(k) * step
		m, err := read(from.Add(-back), to.Add(-back))
		if err != nil {
			return nil, from, to, err
		}
		for id, b := range m {
			sum := base[id]
			sum.Count += b.Count
			sum.Neg += b.Neg
			base[id] = sum
		}
	}
	var out []move
	for _, id := range entities {
		c, b := cur[id], base[id]
		vol := burst.Window{Count: int(c.Count), Baseline: int(b.Count), Span: baselineSpans}
		if p := vol.PValue(); p <= moveMaxP {
			out = append(out, move{Entity: id, Count: vol.Count, Total: vol.Count, Baseline: vol.Baseline, BaselineTotal: vol.Baseline, Expected: vol.Expected(), P: p})
		}
		neg := burst.Share{Neg: int(c.Neg), Total: int(c.Count), BaselineNeg: int(b.Neg), BaselineTotal: int(b.Count)}
		if p := neg.PValue(); p <= moveMaxP && neg.CurrentShare() > neg.BaselineShare() {
			out = append(out, move{Entity: id, Negative: true, Count: neg.Neg, Total: neg.Total, Baseline: neg.BaselineNeg, BaselineTotal: neg.BaselineTotal, Expected: neg.Expected(), P: p})
		}
	}
	slices.SortStableFunc(out, func(a, b move) int { return cmp.Compare(a.P, b.P) })
	return out, from, to, nil
}
