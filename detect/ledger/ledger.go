package ledger

import (
	"context"
	"slices"
	"time"

	"trustwatch"
	"trustwatch/hype"
)

// DayRep is a claim's standing at the end of one day (or at the ledger's
// time, for its last day).
type DayRep struct {
	Day    time.Time `json:"day"`
	R      float64   `json:"r"`
	S      float64   `json:"s"`
	E      float64   `json:"E"`
	Rep    float64   `json:"rep"`
	Status string    `json:"status"`
	// N is the number of distinct items with a stance so far.
	N int `json:"n"`
}

// Row is one claim's line in the ledger.
type Row struct {
	Claim       string        `json:"claim"`
	Entity      string        `json:"entity"`
	Text        string        `json:"text"`
	Kind        string        `json:"kind,omitempty"`
	Hype        int           `json:"hype"`
	HypeReasons []hype.Reason `json:"hype_reasons,omitempty"`
	// Charge is what the claim spent: h = 1 + hype/25.
	Charge float64 `json:"charge"`
	R      float64 `json:"r"`
	S      float64 `json:"s"`
	E      float64 `json:"E"`
	Rep    float64 `json:"rep"`
	Status string  `json:"status"`
	// StatusNote says why a claim is open, with the minimum it needs, or
	// why it stays defaulted (on record since the day it defaulted).
	StatusNote         string     `json:"status_note,omitempty"`
	MinEvidence        int        `json:"min_evidence"`
	HalfLifeDays       float64    `json:"half_life_days"`
	EvidenceCount      int        `json:"evidence_count"`
	Confirming         int        `json:"confirming"`
	Contradicting      int        `json:"contradicting"`
	FirstContradiction *time.Time `json:"first_contradiction"`
	// StatusSince is the day the current status began.
	StatusSince time.Time `json:"status_since"`
	TopEvidence []string  `json:"top_evidence"`
	Daily       []DayRep  `json:"daily,omitempty"`
}

// Charge is the trust a claim with the given hype score spends.
func Charge(hypeScore int) float64 { return 1 + float64(hypeScore)/25 }

// Account computes claim c's row at time at from its evidence (as Collect
// returns it): the Beta reputation with forgetting, evaluated at the end of
// every day from the claim's date to at, and the status by day. A default
// stays on the record until repaid (see record), so the status is not a
// function of one day's Beta alone.
func (o Options) Account(w *trustwatch.Watch, c trustwatch.Claim, evidence []EvidenceItem, at time.Time) Row {
	o = o.withDefaults(w)
	score, reasons := hype.Score(c.Text)
	hl := o.halfLife(c)
	row := Row{
		Claim: c.ID, Entity: c.Entity, Text: c.Text, Kind: c.Kind,
		Hype: score, HypeReasons: reasons, Charge: Charge(score),
		MinEvidence: o.MinEvidence, HalfLifeDays: hl.Hours() / 24,
		TopEvidence: []string{},
	}
	var ev []EvidenceItem
	for _, e := range evidence {
		if e.Stance != Unrelated && !e.Time.After(at) && !e.Time.Before(c.Date.Time) {
			ev = append(ev, e)
		}
	}
	slices.SortStableFunc(ev, func(a, b EvidenceItem) int { return a.Time.Compare(b.Time) })

	var b Beta
	var rec record
	last, next, n, note := c.Date.Time, 0, 0, ""
	day := startOfDay(c.Date.Time, o.Location)
	for !day.After(at) {
		end := day.AddDate(0, 0, 1)
		if end.After(at) {
			end = at
		}
		b = b.Decay(DecayFactor(end.Sub(last), hl))
		// The last day takes the evidence at at itself; when at is a
		// midnight, the day before (which also ends at at) does not.
		lastDay := day.AddDate(0, 0, 1).After(at)
		ruling := false
		for ; next < len(ev) && (ev[next].Time.Before(end) || lastDay && !ev[next].Time.After(at)); next++ {
			f := DecayFactor(end.Sub(ev[next].Time), hl)
			if ev[next].Stance == Confirms {
				b.R += ev[next].Weight * f
			} else {
				b.S += ev[next].Weight * f
				ruling = ruling || ev[next].Ruling
			}
			n++
		}
		last = end
		before := !c.DeliveryDate.IsZero() && end.Before(c.DeliveryDate.Time.Add(time.Nanosecond))
		var st string
		st, note = Status(b, n, o.MinEvidence, before)
		st, note = rec.next(day, st, note, ruling && !before)
		row.Daily = append(row.Daily, DayRep{Day: day, R: b.R, S: b.S, E: b.E(), Rep: b.Rep(), Status: st, N: n})
		day = day.AddDate(0, 0, 1)
	}

	// The row itself is evaluated at at exactly.
	b = Beta{}
	for _, e := range ev {
		f := DecayFactor(at.Sub(e.Time), hl)
		if e.Stance == Confirms {
			b.R += e.Weight * f
			row.Confirming++
		} else {
			b.S += e.Weight * f
			row.Contradicting++
			if row.FirstContradiction == nil {
				t := e.Time
				row.FirstContradiction = &t
			}
		}
	}
	row.R, row.S, row.E, row.Rep = b.R, b.S, b.E(), b.Rep()
	row.EvidenceCount = len(ev)
	if len(row.Daily) > 0 {
		// The last day ends at at: its status carries the record.
		row.Status, row.StatusNote = row.Daily[len(row.Daily)-1].Status, note
	} else {
		before := !c.DeliveryDate.IsZero() && at.Before(c.DeliveryDate.Time)
		row.Status, row.StatusNote = Status(b, len(ev), o.MinEvidence, before)
	}
	row.StatusSince = startOfDay(c.Date.Time, o.Location)
	for i := len(row.Daily) - 1; i >= 0 && row.Daily[i].Status == row.Status; i-- {
		row.StatusSince = row.Daily[i].Day
	}

	top := slices.Clone(ev)
	slices.SortStableFunc(top, func(a, b EvidenceItem) int {
		if a.Weight != b.Weight {
			if a.Weight > b.Weight {
				return -1
			}
			return 1
		}
		return b.Time.Compare(a.Time)
	})
	for _, e := range top[:min(len(top), o.TopEvidence)] {
		row.TopEvidence = append(row.TopEvidence, e.ItemID)
	}
	return row
}

// record keeps a default on the record: once a claim is defaulted (Rep ≤
// −0.5 with enough evidence, or a contradicting ruling arrived) it stays
// defaulted, though forgetting still lowers r, s, E and Rep, until
// confirming evidence repays it: Status says repaid (Rep ≥ 0.5 with at
// least the minimum evidence). Repaying (0.15 ≤ Rep < 0.5) is not enough;
// the debt was called, so only a full repayment clears it. Defaulting does
// not stick: it is a warning, and falls back to disputed or open as its
// evidence fades.
type record struct {
	defaulted bool
	since     time.Time
}

// next applies the record to day's memoryless status st (from Status).
func (r *record) next(day time.Time, st, note string, ruling bool) (string, string) {
	switch {
	case st == StatusDefaulted || ruling:
		if !r.defaulted {
			r.defaulted, r.since = true, day
		}
		if st != StatusDefaulted {
			return StatusDefaulted, "裁决认定违约 (a ruling found against the claim), since " + r.since.Format("2006-01-02")
		}
		return st, ""
	case st == StatusRepaid:
		r.defaulted = false
		return st, note
	case r.defaulted:
		return StatusDefaulted, "违约在案，直至偿还 (default on record since " + r.since.Format("2006-01-02") + " until Rep ≥ 0.5)"
	}
	return st, note
}

func startOfDay(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
}

// Ledger returns the rows of the claims about entity (its own and its
// products'; all claims for ""), at time at (zero: now), using the default
// options.
func Ledger(ctx context.Context, items trustwatch.ItemStore, w *trustwatch.Watch, at time.Time, entity string) ([]Row, error) {
	return Options{}.Ledger(ctx, items, w, at, entity)
}

// Ledger returns the rows of the claims about entity at time at.
func (o Options) Ledger(ctx context.Context, items trustwatch.ItemStore, w *trustwatch.Watch, at time.Time, entity string) ([]Row, error) {
	o = o.withDefaults(w)
	if at.IsZero() {
		at = time.Now()
	}
	if entity != "" && w.Entity(entity) == nil {
		return nil, trustwatch.Errorf(trustwatch.ENOTFOUND, "no entity %q in the watch file", entity)
	}
	rows := []Row{}
	for _, c := range w.Claims {
		if !claimOf(w, c, entity) || c.Date.After(at) {
			continue
		}
		ev, err := o.Evidence(ctx, items, w, c.ID, at.Add(time.Nanosecond))
		if err != nil {
			return nil, err
		}
		rows = append(rows, o.Account(w, c, ev, at))
	}
	return rows, nil
}

// claimOf reports whether c is about entity or something below it.
func claimOf(w *trustwatch.Watch, c trustwatch.Claim, entity string) bool {
	return entity == "" || c.Entity == entity || slices.Contains(ancestors(w, c.Entity), entity)
}

// DayBalance is a brand's trust balance on one day: Σ h·Rep over its
// claims made by then.
type DayBalance struct {
	Day     time.Time `json:"day"`
	Balance float64   `json:"balance"`
	Claims  int       `json:"claims"`
}

// Balance sums the rows' daily Charge·Rep by day. A claim counts from its
// date on. Filter the rows to one brand's claims first (Ledger's entity).
func Balance(rows []Row) []DayBalance {
	byDay := map[time.Time]*DayBalance{}
	for _, r := range rows {
		for _, d := range r.Daily {
			db := byDay[d.Day]
			if db == nil {
				db = &DayBalance{Day: d.Day}
				byDay[d.Day] = db
			}
			db.Balance += r.Charge * d.Rep
			db.Claims++
		}
	}
	out := make([]DayBalance, 0, len(byDay))
	for _, d := range byDay {
		out = append(out, *d)
	}
	slices.SortFunc(out, func(a, b DayBalance) int { return a.Day.Compare(b.Day) })
	return out
}
