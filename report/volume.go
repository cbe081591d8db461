package report

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"trustwatch"
)

// share is a negative share over two periods.
type share struct {
	n, neg         int64
	prevN, prevNeg int64
}

func (s share) pct() float64 { return pct(s.neg, s.n) }

func (s share) prevPct() float64 { return pct(s.prevNeg, s.prevN) }

// change is the rise of the negative share in percentage points; nil when
// one of the periods has no items (there is nothing to compare).
func (s share) change() *float64 {
	if s.n == 0 || s.prevN == 0 {
		return nil
	}
	c := s.pct() - s.prevPct()
	return &c
}

func pct(a, n int64) float64 {
	if n == 0 {
		return 0
	}
	return 100 * float64(a) / float64(n)
}

// worse decides where a share goes: a rise of more than the held band, or
// complaints where there was nothing to compare with, is worse.
func (s share) worse() bool {
	if c := s.change(); c != nil {
		return *c >= heldBand
	}
	return s.neg > 0
}

// shareSentence says how the negative share of what ("「刹车」",
// "全部条目") moved, with both sample sizes and, when the Wilson margin of
// either share is over MaxMargin, "数据少". It returns the sentence's
// figures too, each with the period whose items it rests on.
func (b *builder) shareSentence(what string, s share) (string, []Figure) {
	little, margin := "", ""
	if b.isLittle(s) {
		margin = fmt.Sprintf("±%.0f 个百分点", 100*b.margin(s))
		little = "；误差 " + margin + "：数据少"
	}
	sentence, figs := b.shareFigures(what, s, little)
	if margin != "" {
		figs = append(figs, Figure{Text: margin})
	}
	return sentence, figs
}

func (b *builder) shareFigures(what string, s share, little string) (string, []Figure) {
	cur, prev := fmt.Sprintf("%.0f%%", s.pct()), fmt.Sprintf("%.0f%%", s.prevPct())
	n, prevN := fmt.Sprintf("n=%d", s.n), fmt.Sprintf("n=%d", s.prevN)
	switch c := s.change(); {
	case s.n == 0:
		return fmt.Sprintf("%s：本期没有条目（上期负面占比 %s；n=0，上期 %s%s）", what, prev, prevN, little),
			[]Figure{{Text: prev, Previous: true}, {Text: prevN, Previous: true}}
	case c == nil:
		return fmt.Sprintf("%s负面占比 %s，上期没有条目可比（%s%s）", what, cur, n, little),
			[]Figure{{Text: cur}, {Text: n}}
	case *c >= heldBand || *c <= -heldBand:
		verb := "升至"
		if *c < 0 {
			verb = "降至"
		}
		diff := fmt.Sprintf("%+.0f 个百分点", *c)
		return fmt.Sprintf("%s负面占比由 %s %s %s（%s；%s，上期 %s%s）", what, prev, verb, cur, diff, n, prevN, little),
			[]Figure{{Text: prev, Previous: true}, {Text: cur}, {Text: diff}, {Text: n}, {Text: prevN, Previous: true}}
	}
	return fmt.Sprintf("%s负面占比持平，为 %s（上期 %s；%s，上期 %s%s）", what, cur, prev, n, prevN, little),
		[]Figure{{Text: cur}, {Text: prev, Previous: true}, {Text: n}, {Text: prevN, Previous: true}}
}

// margin is the larger Wilson 95% margin of the two periods' negative
// shares (a period without items does not count).
func (b *builder) margin(s share) float64 {
	m := wilsonMargin(s.neg, s.n)
	if s.n == 0 {
		m = 0
	}
	if s.prevN > 0 {
		m = max(m, wilsonMargin(s.prevNeg, s.prevN))
	}
	return m
}

// isLittle reports whether a share is too uncertain to read as more than a
// hint: its Wilson 95% margin is over MaxMargin, so n=268 is enough and
// n=12 is not.
func (b *builder) isLittle(s share) bool {
	return b.margin(s) > b.opt.MaxMargin
}

// aspects compares, per aspect, the share of items mentioning it
// negatively with the previous period of the same length.
func (b *builder) aspects(ctx context.Context) error {
	prevFrom, from, to := b.r.PrevFrom, b.opt.From, b.opt.To
	cur, err := b.st.Breakdown(ctx, "aspect", trustwatch.VolumeFilter{From: from, To: to})
	if err != nil {
		return fmt.Errorf("report: aspect breakdown: %w", err)
	}
	prev, err := b.st.Breakdown(ctx, "aspect", trustwatch.VolumeFilter{From: prevFrom, To: from})
	if err != nil {
		return fmt.Errorf("report: aspect breakdown of the previous period: %w", err)
	}
	shares := map[string]*share{}
	get := func(k string) *share {
		if shares[k] == nil {
			shares[k] = &share{}
		}
		return shares[k]
	}
	for _, v := range cur {
		s := get(v.Key)
		s.n, s.neg = v.Count, v.Neg
	}
	for _, v := range prev {
		s := get(v.Key)
		s.prevN, s.prevNeg = v.Count, v.Neg
	}
	keys := sortedKeys(shares)
	table := Table{ID: "aspects", Title: "各方面", Note: "提到各方面的条目；一条条目对某方面的抱怨不少于称赞时，算作对该方面负面。",
		Columns: shareColumns("方面")}
	for _, k := range keys {
		s := *shares[k]
		sentence, figs := b.shareSentence("「"+b.aspectName(k)+"」", s)
		f := Finding{ID: "aspect:" + k, Section: SectionAspects, Sentence: sentence, Figures: figs,
			Number: s.pct(), Unit: "%", Change: s.change(), N: int(s.n), Margin: b.margin(s), LittleData: b.isLittle(s)}
		if s.n == 0 {
			f.Number = s.prevPct()
		}
		evFrom := from
		if s.n == 0 {
			evFrom = prevFrom
		}
		evTo := to
		if s.n == 0 {
			evTo = from
		}
		if f.Evidence, err = b.aspectEvidence(ctx, k, evFrom, evTo); err != nil {
			return err
		}
		if s.n > 0 && s.prevN > 0 {
			if f.PrevEvidence, err = b.aspectEvidence(ctx, k, prevFrom, from); err != nil {
				return err
			}
		}
		if f.Trend, err = b.dailyNegShare(ctx, trustwatch.VolumeFilter{Aspect: k}); err != nil {
			return err
		}
		if s.worse() {
			b.r.Worse = append(b.r.Worse, f)
		} else {
			b.r.Held = append(b.r.Held, f)
		}
		table.Rows = append(table.Rows, shareRow(b.aspectName(k), s, f.ID))
	}
	b.r.Tables = append(b.r.Tables, table)
	return nil
}

// sentiment compares, for all items and per watched entity, the share of
// negative items with the previous period.
func (b *builder) sentiment(ctx context.Context) error {
	prevFrom, from, to := b.r.PrevFrom, b.opt.From, b.opt.To
	ids := []string{""}
	for _, e := range b.w.Entities {
		ids = append(ids, e.ID)
	}
	table := Table{ID: "sentiment", Title: "各实体的情感", Note: "提到各实体的条目，按条目的整体情感计。",
		Columns: append(shareColumns("实体"), Column{Title: "净情感", Numeric: true, Format: "float"})}
	for _, id := range ids {
		cur, err := b.sum(ctx, trustwatch.VolumeFilter{By: trustwatch.Day, Entity: id, From: from, To: to})
		if err != nil {
			return err
		}
		prev, err := b.sum(ctx, trustwatch.VolumeFilter{By: trustwatch.Day, Entity: id, From: prevFrom, To: from})
		if err != nil {
			return err
		}
		if cur.Count == 0 && prev.Count == 0 {
			continue
		}
		s := share{n: cur.Count, neg: cur.Neg, prevN: prev.Count, prevNeg: prev.Neg}
		what := "「" + b.entityName(id) + "」"
		if id == "" {
			what = "全部条目"
		}
		sentence, figs := b.shareSentence(what, s)
		f := Finding{ID: "entity:" + id, Section: SectionSentiment, Sentence: sentence, Figures: figs,
			Number: s.pct(), Unit: "%", Change: s.change(), N: int(s.n), Margin: b.margin(s), LittleData: b.isLittle(s)}
		if s.n == 0 {
			f.Number = s.prevPct()
		}
		evFrom, evTo := from, to
		if s.n == 0 {
			evFrom, evTo = prevFrom, from
		}
		if f.Evidence, err = b.entityEvidence(ctx, id, evFrom, evTo); err != nil {
			return err
		}
		if s.n > 0 && s.prevN > 0 {
			if f.PrevEvidence, err = b.entityEvidence(ctx, id, prevFrom, from); err != nil {
				return err
			}
		}
		if f.Trend, err = b.dailyNegShare(ctx, trustwatch.VolumeFilter{Entity: id}); err != nil {
			return err
		}
		if s.worse() {
			b.r.Worse = append(b.r.Worse, f)
		} else {
			b.r.Held = append(b.r.Held, f)
		}
		row := shareRow(b.entityName(id), s, f.ID)
		row = append(row, Cell{Value: cur.Net(), Numeric: true, Empty: cur.Count == 0, Finding: f.ID})
		table.Rows = append(table.Rows, row)
	}
	b.r.Tables = append(b.r.Tables, table)
	return nil
}

func shareColumns(key string) []Column {
	return []Column{{Title: key}, {Title: "n", Numeric: true, Format: "int"}, {Title: "负面", Numeric: true, Format: "int"},
		{Title: "负面占比", Numeric: true, Format: "pct"}, {Title: "上期 n", Numeric: true, Format: "int"},
		{Title: "上期负面占比", Numeric: true, Format: "pct"}, {Title: "变化（个百分点）", Numeric: true, Format: "float"}}
}

func shareRow(key string, s share, finding string) []Cell {
	c := s.change()
	return []Cell{
		{Text: key, Finding: finding},
		{Value: float64(s.n), Numeric: true, Finding: finding},
		{Value: float64(s.neg), Numeric: true, Finding: finding},
		{Value: s.pct(), Numeric: true, Empty: s.n == 0, Finding: finding},
		{Value: float64(s.prevN), Numeric: true, Finding: finding},
		{Value: s.prevPct(), Numeric: true, Empty: s.prevN == 0, Finding: finding},
		{Value: deref(c), Numeric: true, Empty: c == nil, Finding: finding},
	}
}

func sortedKeys(m map[string]*share) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(x, y string) int {
		return cmp.Or(cmp.Compare(deref(m[y].change()), deref(m[x].change())), cmp.Compare(x, y))
	})
	return keys
}

// sum adds up a volume series.
func (b *builder) sum(ctx context.Context, f trustwatch.VolumeFilter) (trustwatch.VolumePoint, error) {
	pts, err := b.st.Volume(ctx, f)
	if err != nil {
		return trustwatch.VolumePoint{}, fmt.Errorf("report: volume of %q: %w", f.Entity, err)
	}
	var s trustwatch.VolumePoint
	for _, p := range pts {
		s.Count += p.Count
		s.Pos += p.Pos
		s.Neg += p.Neg
		s.Neu += p.Neu
	}
	return s, nil
}

// dailyNegShare is the negative share per day over the period, for a
// sparkline; days without items are left out.
func (b *builder) dailyNegShare(ctx context.Context, f trustwatch.VolumeFilter) ([]float64, error) {
	f.By, f.From, f.To = trustwatch.Day, b.opt.From, b.opt.To
	pts, err := b.st.Volume(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("report: daily volume: %w", err)
	}
	out := make([]float64, 0, len(pts))
	for _, p := range pts {
		if p.Count > 0 {
			out = append(out, pct(p.Neg, p.Count))
		}
	}
	return out, nil
}

// aspectEvidence returns the most engaged items that speak negatively of
// the aspect, or the most engaged mentioning it when none do.
func (b *builder) aspectEvidence(ctx context.Context, aspect string, from, to time.Time) ([]Link, error) {
	items, _, err := b.st.FindItems(ctx, trustwatch.ItemFilter{Aspect: aspect, From: from, To: to, Order: "engagement", Limit: 200})
	if err != nil {
		return nil, fmt.Errorf("report: items on aspect %q: %w", aspect, err)
	}
	var neg, any []Link
	for i := range items {
		it := &items[i]
		l := Link{Kind: LinkItem, ID: it.ID, Time: it.Time}
		any = append(any, l)
		if aspectNegative(it, aspect) {
			neg = append(neg, l)
		}
		b.r.Items[it.ID] = it
	}
	if len(neg) > 0 {
		return neg[:min(len(neg), 5)], nil
	}
	return any[:min(len(any), 5)], nil
}

// aspectNegative is the store's rule: an item is negative about an aspect
// when it complains about it at least as often as it praises it.
func aspectNegative(it *trustwatch.Item, aspect string) bool {
	pos, neg := 0, 0
	for _, h := range it.Aspects {
		if h.Aspect != aspect {
			continue
		}
		switch h.Label {
		case trustwatch.Positive:
			pos++
		case trustwatch.Negative:
			neg++
		}
	}
	return neg > 0 && neg >= pos
}

// entityEvidence returns the most engaged negative items about the entity
// (or about anything, for ""), or the most engaged items when none are negative.
func (b *builder) entityEvidence(ctx context.Context, entity string, from, to time.Time) ([]Link, error) {
	for _, label := range []trustwatch.Label{trustwatch.Negative, ""} {
		items, _, err := b.st.FindItems(ctx, trustwatch.ItemFilter{Entity: entity, Label: label, From: from, To: to, Order: "engagement", Limit: 5})
		if err != nil {
			return nil, fmt.Errorf("report: items about %q: %w", entity, err)
		}
		if len(items) == 0 {
			continue
		}
		links := make([]Link, len(items))
		for i := range items {
			b.r.Items[items[i].ID] = &items[i]
			links[i] = Link{Kind: LinkItem, ID: items[i].ID, Time: items[i].Time}
		}
		return links, nil
	}
	return nil, nil
}

// evidence loads the items and series points the findings link to that are
// not loaded yet, so the report carries them.
func (b *builder) evidence(ctx context.Context) error {
	var ids []string
	series := map[string]bool{}
	visit := func(l Link) {
		switch l.Kind {
		case LinkItem:
			if _, ok := b.r.Items[l.ID]; !ok {
				b.r.Items[l.ID] = nil
				ids = append(ids, l.ID)
			}
		case LinkSeries:
			series[l.ID] = true
			if b.r.seriesHighlights[l.ID] == nil {
				b.r.seriesHighlights[l.ID] = map[int64]bool{}
			}
			b.r.seriesHighlights[l.ID][l.Time.Unix()] = true
		}
	}
	for _, fs := range [][]Finding{b.r.Worse, b.r.Held} {
		for _, f := range fs {
			for _, l := range f.Evidence {
				visit(l)
			}
		}
	}
	for _, a := range b.r.Alerts {
		for _, e := range a.Evidence {
			if e.ItemID != "" {
				visit(Link{Kind: LinkItem, ID: e.ItemID})
			} else if e.Series != "" {
				visit(Link{Kind: LinkSeries, ID: e.Series, Time: e.Time})
			}
		}
	}
	for start := 0; start < len(ids); start += 500 {
		batch := ids[start:min(start+500, len(ids))]
		items, _, err := b.st.FindItems(ctx, trustwatch.ItemFilter{IDs: batch})
		if err != nil {
			return fmt.Errorf("report: evidence items: %w", err)
		}
		for i := range items {
			b.r.Items[items[i].ID] = &items[i]
		}
	}
	for id := range series {
		pts, err := b.st.Points(ctx, trustwatch.PointFilter{Series: id, From: b.r.PrevFrom, To: b.opt.To})
		if err != nil {
			return fmt.Errorf("report: series %q: %w", id, err)
		}
		b.r.Series[id] = pts
	}
	return nil
}
