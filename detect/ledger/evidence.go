package ledger

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"trustwatch"
)

// EvidenceItem is one item that bears on a claim. Near-duplicate texts
// (reposts, the same headline on two days) count once: the earliest is
// kept, the others are listed in Duplicates and lend it their reach.
type EvidenceItem struct {
	ItemID     string    `json:"item_id"`
	Time       time.Time `json:"time"`
	Text       string    `json:"text"`
	URL        string    `json:"url,omitempty"`
	Stance     Stance    `json:"stance"`
	Weight     float64   `json:"weight"`
	Reasons    []string  `json:"reasons"`
	Duplicates []string  `json:"duplicates,omitempty"`
	// Ruling marks contradicting evidence that reports an authority's
	// finding (a court's 认定 or 判决, a fine): it defaults the claim on its
	// day whatever the mass (see Account).
	Ruling bool `json:"ruling,omitempty"`
}

// Weight is an item's reach: 1 + ln(1 + likes + reposts). Every item
// counts at least once (hot-search titles and news carry no likes); reach
// adds logarithmically, so one viral post does not outvote a crowd.
func Weight(it *trustwatch.Item) float64 {
	return 1 + math.Log1p(float64(max(0, it.Likes)+max(0, it.Reposts)))
}

// Collect returns the evidence for claim c among items: those at or after
// the claim's date and before to (zero: no end) that are about the claim's
// entity and mention its subject, each with its stance, in time order.
func (o Options) Collect(w *trustwatch.Watch, c trustwatch.Claim, items []trustwatch.Item, to time.Time) ([]EvidenceItem, error) {
	o = o.withDefaults(w)
	sc, err := newScope(w, c, o.Cut)
	if err != nil {
		return nil, err
	}
	order := make([]int, len(items))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return items[a].Time.Compare(items[b].Time) })

	facts := parseClaim(c.Text, sc.subject)
	var out []EvidenceItem
	var dedupe deduper
	for _, i := range order {
		it := &items[i]
		if it.Time.Before(c.Date.Time) || (!to.IsZero() && !it.Time.Before(to)) {
			continue
		}
		text := fold(it.FullText())
		if !sc.about(it, text) {
			continue
		}
		words := sc.subjectWords(text)
		if len(words) == 0 {
			continue
		}
		weight := Weight(it)
		if k := dedupe.find(text); k >= 0 {
			out[k].Duplicates = append(out[k].Duplicates, it.ID)
			out[k].Weight = max(out[k].Weight, weight)
			continue
		}
		stance, reasons, ruling := classify(it, facts, sc.subject)
		dedupe.add(text)
		out = append(out, EvidenceItem{
			ItemID:  it.ID,
			Time:    it.Time.In(o.Location),
			Text:    it.FullText(),
			URL:     it.URL,
			Stance:  stance,
			Weight:  weight,
			Reasons: append([]string{"主题词: " + strings.Join(words, ", ")}, reasons...),
			Ruling:  ruling,
		})
	}
	return out, nil
}

// deduper recognises near-duplicate texts: the same text once hashtags,
// links, mentions and punctuation are gone, or a character-bigram Jaccard
// similarity of at least nearDuplicate.
type deduper struct {
	keys   map[string]int
	grams  []map[string]bool
	length []int
}

const nearDuplicate = 0.8

func (d *deduper) find(text string) int {
	key := dupKey(text)
	if k, ok := d.keys[key]; ok {
		return k
	}
	g := bigrams(key)
	n := len([]rune(key))
	for k := range d.grams {
		if lo, hi := min(n, d.length[k]), max(n, d.length[k]); hi == 0 || float64(lo)/float64(hi) < nearDuplicate {
			continue
		}
		if jaccard(g, d.grams[k]) >= nearDuplicate {
			return k
		}
	}
	return -1
}

func (d *deduper) add(text string) {
	key := dupKey(text)
	if d.keys == nil {
		d.keys = map[string]int{}
	}
	d.keys[key] = len(d.grams)
	d.grams = append(d.grams, bigrams(key))
	d.length = append(d.length, len([]rune(key)))
}

var (
	linkRe    = regexp.MustCompile(`https?://[\x21-\x7e]+`)
	mentionRe = regexp.MustCompile(`@[^:：@，,。]{1,30}[:：]`)
)

// dupKey strips what differs between copies of one folded text: links,
// "@name:" repost markers, and everything but letters and digits.
func dupKey(folded string) string {
	s := linkRe.ReplaceAllString(folded, "")
	s = mentionRe.ReplaceAllString(s, "")
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func bigrams(s string) map[string]bool {
	rs := []rune(s)
	g := make(map[string]bool, len(rs))
	for i := 0; i+1 < len(rs); i++ {
		g[string(rs[i:i+2])] = true
	}
	if len(rs) == 1 {
		g[s] = true
	}
	return g
}

func jaccard(a, b map[string]bool) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	inter := 0
	for k := range a {
		if b[k] {
			inter++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

// Evidence lists the evidence for the claim with id claimID among the
// stored items, using the default options.
func Evidence(ctx context.Context, items trustwatch.ItemStore, w *trustwatch.Watch, claimID string) ([]EvidenceItem, error) {
	return Options{}.Evidence(ctx, items, w, claimID, time.Time{})
}

// Evidence lists the evidence for the claim with id claimID among the
// stored items before to (zero: all). ENOTFOUND if the claim is unknown.
func (o Options) Evidence(ctx context.Context, items trustwatch.ItemStore, w *trustwatch.Watch, claimID string, to time.Time) ([]EvidenceItem, error) {
	o = o.withDefaults(w)
	c := claim(w, claimID)
	if c == nil {
		return nil, trustwatch.Errorf(trustwatch.ENOTFOUND, "no claim %q in the watch file", claimID)
	}
	cands, err := o.candidates(ctx, items, w, *c, to)
	if err != nil {
		return nil, err
	}
	return o.Collect(w, *c, cands, to)
}

func claim(w *trustwatch.Watch, id string) *trustwatch.Claim {
	for i := range w.Claims {
		if w.Claims[i].ID == id {
			return &w.Claims[i]
		}
	}
	return nil
}

// candidates fetches the stored items that may be evidence for c: those
// linked at ingest to its entity or the entities above it (linking counts
// a product's mention for its brand), and those whose words include one of
// its subject words or its entity's names (for an entity added to the
// watch file after the items were stored). Collect decides.
func (o Options) candidates(ctx context.Context, store trustwatch.ItemStore, w *trustwatch.Watch, c trustwatch.Claim, to time.Time) ([]trustwatch.Item, error) {
	seen := map[string]bool{}
	var out []trustwatch.Item
	collect := func(f trustwatch.ItemFilter) error {
		f.From, f.To, f.Order = c.Date.Time, to, "time_asc"
		return store.EachItem(ctx, f, func(it *trustwatch.Item) error {
			if !seen[it.ID] {
				seen[it.ID] = true
				out = append(out, *it)
			}
			return nil
		})
	}
	for _, id := range append([]string{c.Entity}, ancestors(w, c.Entity)...) {
		if err := collect(trustwatch.ItemFilter{Entity: id}); err != nil {
			return nil, fmt.Errorf("ledger: claim %s: items of %s: %w", c.ID, id, err)
		}
	}
	words := slices.Clone(c.Subject)
	if e := w.Entity(c.Entity); e != nil {
		words = append(words, e.Names()...)
	}
	for _, q := range words {
		if strings.TrimSpace(q) == "" || strings.ContainsAny(q, " \t") {
			continue
		}
		if o.Cut != nil {
			// The word index holds the segmenter's words: ask for the
			// pieces the subject word is cut into.
			q = strings.Join(o.Cut(q), " ")
		}
		if err := collect(trustwatch.ItemFilter{Query: q}); err != nil {
			return nil, fmt.Errorf("ledger: claim %s: items with %q: %w", c.ID, q, err)
		}
	}
	return out, nil
}
