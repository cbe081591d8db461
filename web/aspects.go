package web

import (
	"cmp"
	"context"
	"html/template"
	"math"
	"net/http"
	"slices"

	"trustwatch"
)

var nan = math.NaN()

// AspectRow is the volume and negative share of one aspect over a window,
// compared with the window of equal length just before it.
type AspectRow struct {
	Aspect   string  `json:"aspect"`
	Name     string  `json:"name"`
	Count    int64   `json:"count"`
	Pos      int64   `json:"pos"`
	Neg      int64   `json:"neg"`
	Neu      int64   `json:"neu"`
	NegShare float64 `json:"neg_share"`

	PreviousCount    int64   `json:"previous_count"`
	PreviousNegShare float64 `json:"previous_neg_share"`
	// Change is the relative change of volume, nil when the previous
	// period had no items (nothing to compare with).
	Change *float64 `json:"change"`
	// NegShareChange is the change of the negative share, as a fraction.
	NegShareChange float64 `json:"neg_share_change"`

	Spark    template.HTML `json:"-"`
	ItemsURL string        `json:"items_url"`
}

// aspectTable is the aspect table over a window, bad news first: most
// negative items, then most items.
type aspectTable struct {
	Entity string
	Window window
	Rows   []AspectRow
}

func (s *Server) aspectRows(ctx context.Context, entity string, w window, sparks bool) ([]AspectRow, error) {
	cur, err := s.Store.Breakdown(ctx, "aspect", trustwatch.VolumeFilter{Entity: entity, From: w.From, To: w.To})
	if err != nil {
		return nil, err
	}
	pw := w.Previous()
	prev, err := s.Store.Breakdown(ctx, "aspect", trustwatch.VolumeFilter{Entity: entity, From: pw.From, To: pw.To})
	if err != nil {
		return nil, err
	}
	before := make(map[string]trustwatch.VolumeBreakdown, len(prev))
	for _, b := range prev {
		before[b.Key] = b
	}
	rows := make([]AspectRow, 0, len(cur))
	for _, b := range cur {
		if b.Key == "" || b.Count == 0 {
			continue
		}
		r := AspectRow{Aspect: b.Key, Name: s.aspectName(b.Key), Count: b.Count, Pos: b.Pos, Neg: b.Neg, Neu: b.Neu, NegShare: share(b.Neg, b.Count)}
		if p, ok := before[b.Key]; ok && p.Count > 0 {
			r.PreviousCount, r.PreviousNegShare = p.Count, share(p.Neg, p.Count)
			c := float64(b.Count-p.Count) / float64(p.Count)
			r.Change = &c
			r.NegShareChange = r.NegShare - r.PreviousNegShare
		}
		r.ItemsURL = searchURL("aspect", b.Key, "label", string(trustwatch.Negative), "order", "engagement",
			"entity", entity, "from", w.From.In(s.Location).Format("2006-01-02"), "to", w.LastDay().In(s.Location).Format("2006-01-02"))
		rows = append(rows, r)
	}
	slices.SortFunc(rows, func(a, b AspectRow) int {
		return cmp.Or(cmp.Compare(b.Neg, a.Neg), cmp.Compare(b.Count, a.Count), cmp.Compare(a.Aspect, b.Aspect))
	})
	if sparks {
		for i := range rows {
			pts, err := s.volume(ctx, trustwatch.VolumeFilter{By: trustwatch.Day, Entity: entity, Aspect: rows[i].Aspect, From: w.From, To: w.To})
			if err != nil {
				return nil, err
			}
			rows[i].Spark = spark(pts, rows[i].Name+" 每日条数", colorNeg)
		}
	}
	return rows, nil
}

func share(n, of int64) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

type aspectsPage struct {
	Entities []trustwatch.Entity
	Table    aspectTable
}

func (s *Server) handleAspects(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	win, err := s.window(r.Context(), q)
	if err != nil {
		s.error(w, r, err)
		return
	}
	entity := q.Get("entity")
	rows, err := s.aspectRows(r.Context(), entity, win, true)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "aspects", "方面", aspectsPage{
		Entities: s.Watch.Entities,
		Table:    aspectTable{Entity: entity, Window: win, Rows: rows},
	})
}
