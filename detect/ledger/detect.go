package ledger

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"trustwatch"
)

// Detection kinds.
const (
	KindDefaulting = "claim.defaulting"
	KindDefault    = "claim.default"
	KindSayDoGap   = "saydo.gap"
)

// maxEvidenceLinks caps the items a detection links to.
const maxEvidenceLinks = 20

// Detect finds, as of now, the claims defaulting or defaulted and the
// say-do gaps, using the default options.
func Detect(ctx context.Context, items trustwatch.ItemStore, events trustwatch.EventStore, w *trustwatch.Watch, now time.Time) ([]trustwatch.Detection, error) {
	return Options{}.Detect(ctx, items, events, w, now)
}

// Detect finds, as of now, the claims defaulting or defaulted and the
// say-do gaps.
func (o Options) Detect(ctx context.Context, items trustwatch.ItemStore, events trustwatch.EventStore, w *trustwatch.Watch, now time.Time) ([]trustwatch.Detection, error) {
	o = o.withDefaults(w)
	var out []trustwatch.Detection
	for _, c := range w.Claims {
		if c.Date.After(now) {
			continue
		}
		ev, err := o.Evidence(ctx, items, w, c.ID, now.Add(time.Nanosecond))
		if err != nil {
			return nil, err
		}
		out = append(out, ClaimDetections(c, o.Account(w, c, ev, now), ev)...)
	}
	for _, v := range w.Values {
		if v.Date.After(now) {
			continue
		}
		evs, err := events.FindEvents(ctx, trustwatch.EventFilter{From: v.Date.Time, To: now.Add(time.Nanosecond)})
		if err != nil {
			return nil, fmt.Errorf("ledger: value %s: events: %w", v.ID, err)
		}
		var reaction []trustwatch.Item
		for _, e := range contradicting(w, v, evs) {
			f := trustwatch.ItemFilter{Entity: v.Entity, From: e.Time.Add(-24 * time.Hour), To: e.Time.Add(o.ReactionWindow)}
			err := items.EachItem(ctx, f, func(it *trustwatch.Item) error {
				reaction = append(reaction, *it)
				return nil
			})
			if err != nil {
				return nil, fmt.Errorf("ledger: value %s: reaction to %s: %w", v.ID, e.ID, err)
			}
		}
		out = append(out, o.SayDo(w, v, evs, reaction)...)
	}
	return out, nil
}

// ClaimDetections returns a detection for every turn of the claim's daily
// status into defaulting or defaulted, each timed at the day it turned and
// carrying the contradicting evidence known that day, so that a run over
// history raises each turn on its day.
func ClaimDetections(c trustwatch.Claim, row Row, evidence []EvidenceItem) []trustwatch.Detection {
	var out []trustwatch.Detection
	prev := ""
	for _, day := range row.Daily {
		if day.Status != prev && (day.Status == StatusDefaulting || day.Status == StatusDefaulted) {
			at := row
			at.Status, at.StatusSince, at.R, at.S, at.E, at.Rep, at.EvidenceCount = day.Status, day.Day, day.R, day.S, day.E, day.Rep, day.N
			var known []EvidenceItem
			end := day.Day.Add(24 * time.Hour)
			for _, e := range evidence {
				if e.Time.Before(end) {
					known = append(known, e)
				}
			}
			if d, ok := ClaimDetection(c, at, known); ok {
				out = append(out, d)
			}
		}
		prev = day.Status
	}
	if len(row.Daily) == 0 {
		if d, ok := ClaimDetection(c, row, evidence); ok {
			out = append(out, d)
		}
	}
	return out
}

// ClaimDetection turns a row into a claim.defaulting or claim.default
// detection, timed at the day the status turned, with the contradicting
// evidence. ok is false for any other status.
func ClaimDetection(c trustwatch.Claim, row Row, evidence []EvidenceItem) (d trustwatch.Detection, ok bool) {
	var kind, verb, sev string
	switch row.Status {
	case StatusDefaulting:
		kind, verb, sev = KindDefaulting, "违约中", trustwatch.SeverityMedium
		if row.Hype >= 50 {
			sev = trustwatch.SeverityHigh
		}
	case StatusDefaulted:
		kind, verb, sev = KindDefault, "已违约", trustwatch.SeverityHigh
		if row.Hype >= 50 {
			sev = trustwatch.SeverityCritical
		}
	default:
		return d, false
	}
	d = trustwatch.Detection{
		Kind: kind, Entity: c.Entity, Subject: c.ID, Time: row.StatusSince, Value: row.E, Severity: sev,
		Statement: fmt.Sprintf("承诺「%s」%s：反驳权重 %.1f，确认权重 %.1f，E=%.2f（n=%d）",
			c.Text, verb, row.S, row.R, row.E, row.EvidenceCount),
	}
	for _, e := range evidence {
		if e.Stance == Contradicts && len(d.Evidence) < maxEvidenceLinks {
			d.Evidence = append(d.Evidence, trustwatch.Evidence{ItemID: e.ItemID, Time: e.Time, Value: e.Weight, Note: string(e.Stance)})
		}
	}
	return d, true
}

// defaultContradicted are the event kinds that contradict a value when the
// watch file names none.
var defaultContradicted = []string{trustwatch.EventLawsuit, trustwatch.EventJurisdictionObjection}

// eventWords are what an item says when it talks about an event of a kind.
var eventWords = map[string][]string{
	trustwatch.EventLawsuit:               {"起诉", "诉讼", "官司", "告了", "被告", "原告", "法院", "法务", "判决", "索赔"},
	trustwatch.EventJurisdictionObjection: {"管辖权异议", "管辖权", "管辖", "法务", "法院"},
	trustwatch.EventRecall:                {"召回"},
	trustwatch.EventApology:               {"道歉", "致歉"},
	trustwatch.EventPriceCut:              {"降价", "官降", "优惠"},
}

// contradicting returns the events after v, of its entity or one below it,
// of a kind that contradicts it.
func contradicting(w *trustwatch.Watch, v trustwatch.Value, evs []trustwatch.Event) []trustwatch.Event {
	kinds := v.Contradicted
	if len(kinds) == 0 {
		kinds = defaultContradicted
	}
	family := append([]string{v.Entity}, descendants(w, v.Entity)...)
	var out []trustwatch.Event
	for _, e := range evs {
		if slices.Contains(kinds, e.Kind) && slices.Contains(family, e.Entity) && !e.Time.Before(v.Date.Time) {
			out = append(out, e)
		}
	}
	slices.SortStableFunc(out, func(a, b trustwatch.Event) int { return a.Time.Compare(b.Time) })
	return out
}

// SayDo returns a saydo.gap for every event among evs that contradicts the
// stated value v, with the public reaction found among items: those in the
// reaction window that name the value's entity and the event (its kind's
// words, or two of its title's key terms), their sentiment, and how many
// of them also say the value's words.
func (o Options) SayDo(w *trustwatch.Watch, v trustwatch.Value, evs []trustwatch.Event, items []trustwatch.Item) []trustwatch.Detection {
	o = o.withDefaults(w)
	valueWords := slices.Clone(v.Words)
	if len(valueWords) == 0 {
		valueWords = DefaultSubject(v.Text, w, o.Cut)
	}
	for i := range valueWords {
		valueWords[i] = fold(valueWords[i])
	}
	family := map[string]bool{v.Entity: true}
	for _, d := range descendants(w, v.Entity) {
		family[d] = true
	}
	var names []entityName
	for _, id := range append([]string{v.Entity}, descendants(w, v.Entity)...) {
		if e := w.Entity(id); e != nil {
			for _, n := range e.Names() {
				names = append(names, entityName{name: fold(n), entity: id})
			}
		}
	}
	sc := &scope{family: family, names: names}

	var out []trustwatch.Detection
	for _, e := range contradicting(w, v, evs) {
		words := eventWords[e.Kind]
		terms := DefaultSubject(e.Title, w, o.Cut)
		var pos, neg, neu, withValue int
		var links []trustwatch.Evidence
		for i := range items {
			it := &items[i]
			if it.Time.Before(e.Time.Add(-24*time.Hour)) || !it.Time.Before(e.Time.Add(o.ReactionWindow)) {
				continue
			}
			text := fold(it.FullText())
			if !sc.about(it, text) || !mentionsEvent(text, words, terms) {
				continue
			}
			switch it.Sentiment {
			case trustwatch.Positive:
				pos++
			case trustwatch.Negative:
				neg++
			default:
				neu++
			}
			note := "reaction"
			if containsAny(text, valueWords) {
				withValue++
				note = "reaction, mentions the value"
			}
			if len(links) < maxEvidenceLinks {
				links = append(links, trustwatch.Evidence{ItemID: it.ID, Time: it.Time, Note: note})
			}
		}
		n := pos + neg + neu
		sev := trustwatch.SeverityMedium
		if withValue > 0 {
			sev = trustwatch.SeverityHigh
		}
		d := trustwatch.Detection{
			Kind: KindSayDoGap, Entity: v.Entity, Subject: v.ID, Time: e.Time, Value: float64(n), Severity: sev,
			Statement: fmt.Sprintf("说「%s」（%s）之后，%s 有%s「%s」；公众反应 %d 条（负面 %d，正面 %d），其中 %d 条同时提到「%s」",
				v.Text, v.Date.Format("2006-01-02"), e.Time.In(o.Location).Format("2006-01-02"), trustwatch.EventKindName(e.Kind), e.Title,
				n, neg, pos, withValue, strings.Join(valueWords, "/")),
		}
		d.Evidence = append([]trustwatch.Evidence{
			{Time: v.Date.Time, Note: "说：「" + v.Text + "」"},
			{Time: e.Time, Note: strings.TrimSpace("做：" + trustwatch.EventKindName(e.Kind) + "「" + e.Title + "」 " + e.URL)},
		}, links...)
		out = append(out, d)
	}
	return out
}

// mentionsEvent reports whether folded text talks about an event: one of
// its kind's words, or two of its title's key terms (one when the title
// has only one).
func mentionsEvent(text string, kindWords, titleTerms []string) bool {
	if containsAny(text, kindWords) {
		return true
	}
	hits := 0
	for _, t := range titleTerms {
		if strings.Contains(text, t) {
			hits++
		}
	}
	return hits >= min(2, len(titleTerms)) && hits > 0
}
