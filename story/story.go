package story

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"trustwatch"
)

// MinWords is the fewest content words a text needs to be fingerprinted.
// Below it a SimHash has too few shingles to vote (a one-word change flips
// half the bits), so shorter texts group only on their exact normalised
// text.
const MinWords = 5

// Background is how far before a window its callers read items for the
// coordination signals: an account with no item in it is "first seen in
// the window".
const Background = 30 * 24 * time.Hour

// Defaults of Options.
const (
	DefaultMinItems   = 3
	DefaultAmplifiers = 5
)

// MinCosine is how close (cosine of TF-IDF vectors over the window's
// shared terms) a group must be to a story's leading group to join it. Two
// posts that share only the brand's name are near 0.1; a paraphrase of the
// same complaint, sharing its two or three distinctive words, is above
// 0.5. 0.3 sits between, and the tests hold examples of both.
const MinCosine = 0.3

// linkTerms is how many of a group's heaviest terms find the stories it is
// compared with.
const linkTerms = 5

// Options say which items are the window and how to read their words.
type Options struct {
	// From and To are the window [From, To); zero means unbounded. Items
	// before From are not clustered: they are the background that tells
	// an account seen before from one first seen in the window. Items from
	// To on are ignored.
	From, To time.Time
	// Cut returns the words of raw text (segment.Segmenter.Words). When
	// nil, an item's Tokens are used, and for items without Tokens a
	// coarse cut of Han character pairs and Latin words.
	Cut func(string) []string
	// MinItems is the fewest items a story needs to be returned
	// (DefaultMinItems when 0).
	MinItems int
	// Coordination tunes the signals; zero fields take their defaults.
	Coordination CoordinationOptions
}

// Story is a set of items about the same thing in the window.
type Story struct {
	// ID is stable while the story's earliest item is in the window: a
	// hash of that item's platform and id.
	ID string
	// Terms are the story's most distinctive words (TF-IDF over the
	// window), best first; Label joins them.
	Terms []string
	Label string
	// Lead is the most engaged item (the earliest among equals): the
	// excerpt that goes with the label.
	Lead trustwatch.Item
	// First is the earliest item: the first poster.
	First trustwatch.Item
	// Items are the story's items in time order; Groups its
	// near-duplicate groups, largest first.
	Items  []trustwatch.Item
	Groups []Group
	// Engagement is the sum of the items' likes, reposts and replies.
	Engagement int64
	Platforms  []KeyCount
	Entities   []KeyCount
	// Pos, Neg and Neu count the items by sentiment label; items without
	// one count as neutral.
	Pos, Neg, Neu int
	// Amplifiers are the accounts whose items in the story were engaged
	// with most.
	Amplifiers   []Amplifier
	Coordination Coordination
}

// Start and End are the times of the story's first and last items.
func (s *Story) Start() time.Time { return s.Items[0].Time }
func (s *Story) End() time.Time   { return s.Items[len(s.Items)-1].Time }

// Count is how many items the story has.
func (s *Story) Count() int { return len(s.Items) }

// Group is one near-duplicate group: the same text copied, reposted or
// answered with a few words.
type Group struct {
	// Lead is the group's earliest item.
	Lead    trustwatch.Item
	Count   int
	Authors int
}

// KeyCount is a key (platform, entity id) with its number of items.
type KeyCount struct {
	Key   string
	Count int
}

// Amplifier is an account with the engagement of its items in a story.
type Amplifier struct {
	Author     string
	Platform   string
	Items      int
	Engagement int64
	// Top is its most engaged item in the story.
	Top trustwatch.Item
}

// doc is one window item as the clustering sees it.
type doc struct {
	it    *trustwatch.Item
	words []string // content words, in order
	long  bool     // fingerprinted (at least MinWords content words)
}

// Cluster groups the window's items into stories, largest first (then
// most engaged, then by id). The result is the same for the same items in
// any order.
func Cluster(items []trustwatch.Item, opt Options) []Story {
	w := newWindow(items, opt)
	groups := w.groups()
	stories := w.leaders(groups)
	minItems := cmp.Or(opt.MinItems, DefaultMinItems)
	var out []Story
	for _, members := range stories {
		if len(members) < minItems {
			continue
		}
		out = append(out, w.story(members))
	}
	slices.SortFunc(out, func(a, b Story) int {
		return cmp.Or(cmp.Compare(len(b.Items), len(a.Items)), cmp.Compare(b.Engagement, a.Engagement), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// window is the items of one Cluster or Coordinate call, analysed.
type window struct {
	opt   Options
	docs  []doc
	known map[string]bool // authors with an item before the window
	// text[i] is the root of i's near-duplicate text group (copies only);
	// group[i] the root of its group once reposts and short answers have
	// joined the item they answer.
	text, group []int
	idf         map[string]float64
}

func newWindow(items []trustwatch.Item, opt Options) *window {
	w := &window{opt: opt, known: map[string]bool{}}
	var in []*trustwatch.Item
	for i := range items {
		it := &items[i]
		switch {
		case !opt.From.IsZero() && it.Time.Before(opt.From):
			if it.Author != "" {
				w.known[authorKey(it)] = true
			}
		case !opt.To.IsZero() && !it.Time.Before(opt.To):
		default:
			in = append(in, it)
		}
	}
	slices.SortFunc(in, func(a, b *trustwatch.Item) int {
		return cmp.Or(a.Time.Compare(b.Time), cmp.Compare(a.Platform, b.Platform), cmp.Compare(a.ID, b.ID))
	})
	w.docs = make([]doc, len(in))
	for i, it := range in {
		d := doc{it: it}
		d.words = contentWords(w.words(it))
		d.long = len(d.words) >= MinWords
		w.docs[i] = d
	}
	w.link()
	return w
}

func (w *window) words(it *trustwatch.Item) []string {
	switch {
	case w.opt.Cut != nil:
		return w.opt.Cut(ownText(it))
	case len(it.Tokens) > 0:
		return it.Tokens
	}
	return fallbackWords(ownText(it))
}

// authorKey is an account: a name is only unique on its platform.
func authorKey(it *trustwatch.Item) string { return it.Platform + "\x00" + it.Author }

// link fills text and group: near-duplicates by fingerprint, short texts
// by exact text, then reposts and short answers to the item they answer.
func (w *window) link() {
	n := len(w.docs)
	byID := make(map[string]int, n)
	for i, d := range w.docs {
		byID[d.it.Platform+"\x00"+d.it.ID] = i
	}
	// parent is the window index of the item i answers, -1 when that item
	// is not in the window.
	parent := func(i int) int {
		it := w.docs[i].it
		if it.ParentID == "" {
			return -1
		}
		if p, ok := byID[it.Platform+"\x00"+it.ParentID]; ok {
			return p
		}
		return -1
	}
	w.text = make([]int, n)
	for i := range w.text {
		w.text[i] = i
	}
	var fps []uint64
	var longIdx []int
	exact := map[string]int{}
	for i, d := range w.docs {
		switch {
		case d.long:
			fps = append(fps, simhash(d.words))
			longIdx = append(longIdx, i)
		case len(d.words) > 0 && parent(i) < 0:
			// A short answer goes with what it answers, not with other
			// short texts: a thousand 「同感」 under different posts are
			// not one story.
			key := normalised(ownText(d.it))
			if j, ok := exact[key]; ok {
				union(w.text, j, i)
			} else {
				exact[key] = i
			}
		}
	}
	nearPairs(fps, func(a, b int) { union(w.text, longIdx[a], longIdx[b]) })
	w.group = slices.Clone(w.text)
	for i, d := range w.docs {
		if d.it.Kind != trustwatch.KindRepost && d.long {
			continue
		}
		if p := parent(i); p >= 0 {
			union(w.group, p, i)
		}
	}
	for i := range w.text {
		w.text[i] = find(w.text, i)
		w.group[i] = find(w.group, i)
	}
}

func find(parent []int, i int) int {
	for parent[i] != i {
		parent[i] = parent[parent[i]]
		i = parent[i]
	}
	return i
}

// union joins the sets of a and b under the smaller index, the earlier
// item, so that roots do not depend on the order pairs are found in.
func union(parent []int, a, b int) {
	ra, rb := find(parent, a), find(parent, b)
	switch {
	case ra < rb:
		parent[rb] = ra
	case rb < ra:
		parent[ra] = rb
	}
}

// group is one near-duplicate group of the window, as doc indices.
type group struct {
	members []int
	// vec is the group's TF-IDF vector over the shared terms, unit
	// length; top its heaviest terms, best first.
	vec map[string]float64
	top []string
}

// groups returns the window's groups with any content words, largest
// first, then earliest, with their vectors. Document frequency is counted
// over groups, not items, so that a thousand copies do not make their
// words look common; and only terms of at least two groups are in the
// vectors, since a word of one group cannot link it to another.
func (w *window) groups() []group {
	byRoot := map[int][]int{}
	var roots []int
	for i := range w.docs {
		r := w.group[i]
		if _, ok := byRoot[r]; !ok {
			roots = append(roots, r)
		}
		byRoot[r] = append(byRoot[r], i)
	}
	var out []group
	tfs := []map[string]int{}
	df := map[string]int{}
	for _, r := range roots {
		tf := map[string]int{}
		for _, i := range byRoot[r] {
			for _, t := range distinct(w.docs[i].words) {
				tf[t]++
			}
		}
		if len(tf) == 0 {
			continue // bare reposts and 「哈哈哈」: nothing to tell a story by
		}
		for t := range tf {
			df[t]++
		}
		out = append(out, group{members: byRoot[r]})
		tfs = append(tfs, tf)
	}
	w.idf = make(map[string]float64, len(df))
	for t, n := range df {
		w.idf[t] = math.Log(float64(len(out)) / float64(n))
	}
	for k := range out {
		g := &out[k]
		g.vec = map[string]float64{}
		var norm float64
		for t, c := range tfs[k] {
			if df[t] < 2 || w.idf[t] <= 0 || utf8.RuneCountInString(t) < 2 {
				continue
			}
			x := float64(c) / float64(len(g.members)) * w.idf[t]
			g.vec[t] = x
			norm += x * x
		}
		norm = math.Sqrt(norm)
		for t := range g.vec {
			g.vec[t] /= norm
		}
		g.top = heaviest(g.vec, linkTerms)
	}
	slices.SortStableFunc(out, func(a, b group) int { return cmp.Compare(len(b.members), len(a.members)) })
	return out
}

// heaviest returns the n terms of vec with the largest weights.
func heaviest(vec map[string]float64, n int) []string {
	ts := make([]string, 0, len(vec))
	for t := range vec {
		ts = append(ts, t)
	}
	slices.SortFunc(ts, func(a, b string) int { return cmp.Or(cmp.Compare(vec[b], vec[a]), cmp.Compare(a, b)) })
	return ts[:min(n, len(ts))]
}

// topTerms are the n terms of the members with the highest TF-IDF, where
// a term's frequency is the number of near-duplicate groups among the
// members that have it: a wave of copies names its story no more than one
// post does. When the members span several groups, only the terms at
// least two of them share are candidates (the words of one post do not
// name what the posts have in common), unless none are. Single characters
// are left out: they are too ambiguous to name a story by.
func (w *window) topTerms(members []int, n int) []string {
	byGroup := map[int]map[string]bool{}
	for _, i := range members {
		g := byGroup[w.group[i]]
		if g == nil {
			g = map[string]bool{}
			byGroup[w.group[i]] = g
		}
		for _, t := range w.docs[i].words {
			g[t] = true
		}
	}
	groups := map[string]int{}
	for _, g := range byGroup {
		for t := range g {
			if utf8.RuneCountInString(t) > 1 && w.idf[t] > 0 {
				groups[t]++
			}
		}
	}
	score := map[string]float64{}
	for t, c := range groups {
		if c >= 2 {
			score[t] = float64(c) * w.idf[t]
		}
	}
	if len(score) == 0 {
		for t, c := range groups {
			score[t] = float64(c) * w.idf[t]
		}
	}
	return heaviest(score, n)
}

// leaders is single-pass leader clustering over the groups, largest
// first: a group joins the first story whose leading group's vector is at
// least MinCosine from its own, or leads a new story. Comparing with the
// leader only (not with every member) keeps stories from chaining into one
// through a run of groups that each resemble the next. Only the stories
// whose leaders share one of the group's linkTerms heaviest terms are
// compared, so a brand name in every post does not make every story a
// candidate.
func (w *window) leaders(groups []group) [][]int {
	var stories [][]int
	var leads []map[string]float64
	byTerm := map[string][]int{} // term → stories whose leader has it among its top
	for _, g := range groups {
		best := -1
		seen := map[int]bool{}
		for _, t := range g.top {
			for _, s := range byTerm[t] {
				if seen[s] || (best >= 0 && s > best) {
					continue
				}
				seen[s] = true
				if cosine(g.vec, leads[s]) >= MinCosine {
					best = s
				}
			}
		}
		if best >= 0 {
			stories[best] = append(stories[best], g.members...)
			continue
		}
		stories = append(stories, slices.Clone(g.members))
		leads = append(leads, g.vec)
		for _, t := range g.top {
			byTerm[t] = append(byTerm[t], len(stories)-1)
		}
	}
	return stories
}

func cosine(a, b map[string]float64) float64 {
	if len(b) < len(a) {
		a, b = b, a
	}
	var dot float64
	for t, x := range a {
		dot += x * b[t]
	}
	return dot
}

func (w *window) story(members []int) Story {
	slices.Sort(members) // doc order is time order
	st := Story{Items: make([]trustwatch.Item, len(members))}
	for k, i := range members {
		st.Items[k] = *w.docs[i].it
	}
	st.First = st.Items[0]
	st.ID = storyID(&st.First)
	st.Terms = w.topTerms(members, 3)
	st.Label = strings.Join(st.Terms, " · ")
	platforms, entities := map[string]int{}, map[string]int{}
	amps := map[string]*Amplifier{}
	lead := 0
	for k := range st.Items {
		it := &st.Items[k]
		e := it.Engagement()
		st.Engagement += e
		if e > st.Items[lead].Engagement() {
			lead = k
		}
		platforms[it.Platform]++
		for _, id := range it.Entities {
			entities[id]++
		}
		switch it.Sentiment {
		case trustwatch.Positive:
			st.Pos++
		case trustwatch.Negative:
			st.Neg++
		default:
			st.Neu++
		}
		if it.Author == "" {
			continue
		}
		a := amps[authorKey(it)]
		if a == nil {
			a = &Amplifier{Author: it.Author, Platform: it.Platform, Top: *it}
			amps[authorKey(it)] = a
		}
		a.Items++
		a.Engagement += e
		if e > a.Top.Engagement() {
			a.Top = *it
		}
	}
	st.Lead = st.Items[lead]
	st.Platforms, st.Entities = counts(platforms), counts(entities)
	for _, a := range amps {
		if a.Engagement > 0 {
			st.Amplifiers = append(st.Amplifiers, *a)
		}
	}
	slices.SortFunc(st.Amplifiers, func(a, b Amplifier) int {
		return cmp.Or(cmp.Compare(b.Engagement, a.Engagement), cmp.Compare(a.Platform, b.Platform), cmp.Compare(a.Author, b.Author))
	})
	st.Amplifiers = st.Amplifiers[:min(len(st.Amplifiers), DefaultAmplifiers)]
	st.Groups = w.storyGroups(members)
	st.Coordination = w.coordination(members)
	return st
}

// storyGroups are the near-duplicate groups of a story's members, largest
// first.
func (w *window) storyGroups(members []int) []Group {
	byRoot := map[int]*Group{}
	authors := map[int]map[string]bool{}
	var roots []int
	for _, i := range members {
		r := w.group[i]
		g := byRoot[r]
		if g == nil {
			g = &Group{Lead: *w.docs[i].it}
			byRoot[r], authors[r] = g, map[string]bool{}
			roots = append(roots, r)
		}
		g.Count++
		authors[r][authorKey(w.docs[i].it)] = true
	}
	out := make([]Group, 0, len(roots))
	for _, r := range roots {
		byRoot[r].Authors = len(authors[r])
		out = append(out, *byRoot[r])
	}
	slices.SortStableFunc(out, func(a, b Group) int { return cmp.Compare(b.Count, a.Count) })
	return out
}

func counts(m map[string]int) []KeyCount {
	out := make([]KeyCount, 0, len(m))
	for k, n := range m {
		out = append(out, KeyCount{k, n})
	}
	slices.SortFunc(out, func(a, b KeyCount) int { return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Key, b.Key)) })
	return out
}

// storyID is "s" and 12 hex digits of a hash of the earliest item.
func storyID(it *trustwatch.Item) string {
	h := sha256.Sum256([]byte(it.Platform + "\x00" + it.ID))
	return "s" + hex.EncodeToString(h[:6])
}

func distinct(words []string) []string {
	if len(words) < 2 {
		return words
	}
	out := slices.Clone(words)
	slices.Sort(out)
	return slices.Compact(out)
}

// Timeline counts the story's items per period (trustwatch.Hour or Day,
// cut in loc) from the period of its first item to that of its last, with
// the empty periods in between.
func (s *Story) Timeline(by trustwatch.Period, loc *time.Location) []trustwatch.VolumePoint {
	if len(s.Items) == 0 {
		return nil
	}
	start := func(t time.Time) time.Time {
		t = t.In(loc)
		if by == trustwatch.Hour {
			return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), 0, 0, 0, loc)
		}
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	}
	next := func(t time.Time) time.Time {
		if by == trustwatch.Hour {
			return t.Add(time.Hour)
		}
		return t.AddDate(0, 0, 1)
	}
	var out []trustwatch.VolumePoint
	k := 0
	for p := start(s.Start()); !p.After(s.End()); p = next(p) {
		pt := trustwatch.VolumePoint{Period: p}
		for ; k < len(s.Items) && s.Items[k].Time.Before(next(p)); k++ {
			pt.Count++
			switch s.Items[k].Sentiment {
			case trustwatch.Positive:
				pt.Pos++
			case trustwatch.Negative:
				pt.Neg++
			default:
				pt.Neu++
			}
		}
		out = append(out, pt)
	}
	return out
}
