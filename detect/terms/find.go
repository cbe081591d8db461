package terms

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"trustwatch"
	"trustwatch/detect/nickname"
)

// Options tune term discovery. Zero values take the defaults noted.
type Options struct {
	// From, To bound the window [From, To); BgFrom, BgTo the background.
	// Find takes them from the data when zero; Discover needs From and To.
	From, To     time.Time
	BgFrom, BgTo time.Time
	// MinCount is the fewest window documents a term needs (default 5;
	// Find raises it to one per million characters of window text, which
	// keeps counting bounded on large windows).
	MinCount int
	// Top is how many terms to return (default 50).
	Top int
	// NewOnly drops terms that a dictionary knows.
	NewOnly bool
	// Known reports whether the segmenter's dictionary knows a word.
	Known func(string) bool
	// Entity restricts the documents to those mentioning it (Discover).
	Entity string
	// Location is where days begin (default Asia/Shanghai).
	Location *time.Location
	// MinCohesion is the least cohesion, per extra unit: an n-gram needs
	// min over splits p(w)/(p(a)p(b)) ≥ MinCohesion^(n−1) (default 4).
	MinCohesion float64
	// MinFreedom is the least of the left and right neighbour entropies,
	// in nats (default 0.9).
	MinFreedom float64
	// BurstContext is how many background days before From the burst
	// automaton and the daily counts also cover (default 30).
	BurstContext int
	// Scoped keeps only the terms about a watched entity (see Scope) and
	// ranks them by Scope.Score instead of the corpus-wide rise: what
	// Detect alerts on.
	Scoped bool
}

func (o Options) withDefaults() Options {
	if o.MinCount <= 0 {
		o.MinCount = 5
	}
	if o.Top <= 0 {
		o.Top = 50
	}
	if o.Location == nil {
		o.Location = trustwatch.DefaultLocation()
	}
	if o.MinCohesion <= 0 {
		o.MinCohesion = 4
	}
	if o.MinFreedom <= 0 {
		o.MinFreedom = 0.9
	}
	if o.BurstContext <= 0 {
		o.BurstContext = 30
	}
	return o
}

// Term is a discovered term with the evidence for it.
type Term struct {
	Term string `json:"term"`
	New  bool   `json:"new"`
	// Score is the term's rise over the whole corpus: the signed G² of
	// Count of the window's documents against BackgroundCount of the
	// background's (see riseG2); 0 without a background.
	Score float64 `json:"score"`
	// Count and BackgroundCount are documents containing the term.
	Count           int       `json:"count"`
	BackgroundCount int       `json:"background_count"`
	FirstSeen       time.Time `json:"first_seen"`
	Burst           *Burst    `json:"burst"`
	LinkedEntity    string    `json:"linked_entity,omitempty"`
	Nickname        bool      `json:"nickname,omitempty"`
	LinkReasons     []string  `json:"link_reasons,omitempty"`
	// LinkExamples are window items with the term that mention the
	// linked person (or sit in a thread that does).
	LinkExamples []string `json:"link_examples,omitempty"`
	// About is the watched entity the term is most about, when it is
	// about one; for a nickname, the person (see Scope).
	About    *Scope   `json:"about,omitempty"`
	Examples []string `json:"examples"`
	// Daily is the number of documents containing the term each day, over
	// the window and the BurstContext days before it (zeros included).
	Daily []DayCount `json:"daily"`

	// The measures behind the score. Cohesion is 0 for a single Latin
	// word, which has no split.
	Cohesion     float64 `json:"cohesion"`
	LeftEntropy  float64 `json:"left_entropy"`
	RightEntropy float64 `json:"right_entropy"`
	// Surge is ln((count+1)/(expected+1)), expected being the background
	// rate times the window's documents.
	Surge    float64 `json:"surge"`
	Expected float64 `json:"expected"`

	exampleTimes, linkExampleTimes []time.Time
}

// Result is a discovery's terms with the size of what they were found in.
type Result struct {
	Terms []Term
	// Docs and BackgroundDocs are the documents of the window and the
	// background; BackgroundDays the days on which the background has any.
	Docs, BackgroundDocs, BackgroundDays int
}

// Burst is the term's strongest burst in the window (Kleinberg, two states).
type Burst struct {
	Start  trustwatch.Date `json:"start"`
	End    trustwatch.Date `json:"end"`
	Weight float64         `json:"weight"`
}

// DayCount is the number of documents with a term on one day, out of all.
type DayCount struct {
	Day   trustwatch.Date `json:"day"`
	Count int             `json:"count"`
	Docs  int             `json:"docs"`
}

// maxExamples is how many item ids back a term.
const maxExamples = 5

// window is the window's text as units, with per-document facts.
type window struct {
	opt     Options
	u       *units
	seq     []uint32
	start   []int32 // start[d] is doc d's first unit; start[len] = len(seq)
	ids     []string
	days    []int32
	times   []int64
	dayDocs map[int32]int
	g       *grams

	// Only with watched entities: each doc's thread, the entities it
	// mentions (bit k: entity k), those in its scope (its own and its
	// thread root's), and each entity's documents in scope.
	ents      *watched
	threads   []int32
	mentions  []uint64
	scope     []uint64
	rootMask  []uint64 // per thread: what its root mentions
	threadID  map[string]int32
	entDocs   []int
	joint     []int32 // per candidate id × entity: docs with both in scope
	persons   []nickname.Person
	personBit []int // persons[k] is entity bit personBit[k]
}

func newWindow(opt Options, ents *watched, u *units) *window {
	return &window{opt: opt, u: u, threadID: map[string]int32{}, dayDocs: map[int32]int{}, ents: ents}
}

func (w *window) hasPerson(mask uint64, k int) bool { return mask&(1<<w.personBit[k]) != 0 }

// dayIndex numbers days in loc from the Unix epoch.
func dayIndex(t time.Time, loc *time.Location) int32 {
	y, m, d := t.In(loc).Date()
	return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func dayTime(i int32, loc *time.Location) time.Time {
	y, m, d := time.Unix(int64(i)*86400, 0).UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

func (w *window) add(d *Doc) {
	w.start = append(w.start, int32(len(w.seq)))
	if d.unitsOf == w.u {
		w.seq = append(w.seq, d.units...)
	} else {
		w.seq = w.u.append(w.seq, d.Text, false)
	}
	w.ids = append(w.ids, d.ID)
	day := dayIndex(d.Time, w.opt.Location)
	w.days = append(w.days, day)
	w.dayDocs[day]++
	w.times = append(w.times, d.Time.UnixNano())
	if len(w.ents.ids) == 0 {
		return // threads and mentions serve only scopes and nickname links
	}
	th := d.Thread
	if th == "" {
		th = d.ID
	}
	ti, ok := w.threadID[th]
	if !ok {
		ti = int32(len(w.threadID))
		w.threadID[th] = ti
		w.rootMask = append(w.rootMask, 0)
	}
	w.threads = append(w.threads, ti)
	mask := w.ents.mask(d)
	w.mentions = append(w.mentions, mask)
	if isRoot(d) {
		w.rootMask[ti] |= mask
	}
}

// resolveScope fills each document's scope once the window is read, so
// that a comment read before its root post still inherits what it mentions.
func (w *window) resolveScope() {
	if len(w.ents.ids) == 0 {
		return
	}
	w.scope = make([]uint64, len(w.ids))
	w.entDocs = make([]int, len(w.ents.ids))
	for d, m := range w.mentions {
		m |= w.rootMask[w.threads[d]]
		w.scope[d] = m
		for k := range w.ents.ids {
			if m&(1<<k) != 0 {
				w.entDocs[k]++
			}
		}
	}
}

// candidate is an n-gram that passed the counts, with its measures.
type candidate struct {
	id                    int32
	seq                   []uint32
	text                  string
	count                 int32 // occurrences
	cohesion, left, right float64
	docs, bgDocs          int
	first                 int64
	surge, expected       float64
	score, rank           float64
	enclosed, occurrences int32
	about                 *Scope
	persons               []Scope // person scopes passing MinNicknameRise
}

// Find discovers the terms of window against background (either may be
// streamed from a store). w supplies known names, the entities that terms
// are scoped to and the persons that nicknames are linked to; it may be
// nil.
func Find(windowDocs, background Source, w *trustwatch.Watch, opt Options) ([]Term, error) {
	r, err := FindResult(windowDocs, background, w, opt)
	if err != nil {
		return nil, err
	}
	return r.Terms, nil
}

// FindResult is Find with the size of the window and the background.
func FindResult(windowDocs, background Source, w *trustwatch.Watch, opt Options) (*Result, error) {
	return find(windowDocs, streamCounter(background), w, opt, newUnits())
}

// find is FindResult with the background counted by count and the texts
// turned into units by u.
func find(windowDocs Source, count counter, w *trustwatch.Watch, opt Options, u *units) (*Result, error) {
	opt = opt.withDefaults()
	if w == nil {
		w = &trustwatch.Watch{}
	}
	win := newWindow(opt, newWatched(w), u)
	var guard nickname.Guard
	for k, id := range win.ents.ids {
		e := w.Entity(id)
		guard.Names = append(guard.Names, e.Names()...)
		if e.Kind == trustwatch.EntityPerson {
			win.persons = append(win.persons, nickname.Person{ID: e.ID, Name: e.Name, Aliases: e.Aliases})
			win.personBit = append(win.personBit, k)
		}
	}
	guard.Known = opt.Known
	if err := windowDocs(func(d *Doc) error { win.add(d); return nil }); err != nil {
		return nil, fmt.Errorf("terms: reading window: %w", err)
	}
	win.start = append(win.start, int32(len(win.seq)))
	if len(win.ids) == 0 {
		return &Result{}, nil
	}
	win.resolveScope()

	opt.MinCount = max(opt.MinCount, len(win.seq)/1_000_000)
	win.opt.MinCount = opt.MinCount
	win.g = countGrams(win.seq, len(win.u.text), int32(opt.MinCount))
	cands := win.candidates(win.g)
	win.keepOnly(cands, func(*candidate) bool { return true })
	win.countDocs(cands)
	cands = slices.DeleteFunc(cands, func(c *candidate) bool { return c.docs < opt.MinCount })

	firstDay, lastDay := win.span()
	ctxFrom := firstDay - int32(opt.BurstContext)
	bg, err := count(win, cands, ctxFrom, firstDay)
	if err != nil {
		return nil, err
	}
	res := &Result{Docs: len(win.ids), BackgroundDocs: bg.total, BackgroundDays: len(bg.days)}
	nE := len(win.ents.ids)
	for i, c := range cands {
		c.bgDocs = bg.docs[i]
		if bg.total > 0 {
			c.expected = float64(c.bgDocs) * float64(len(win.ids)) / float64(bg.total)
		}
		c.surge = math.Log((float64(c.docs) + 1) / (c.expected + 1))
		c.score = riseG2(c.docs, len(win.ids), c.bgDocs, bg.total)
		c.rank = c.score
		for k := range nE {
			joint, bgJoint := int(win.joint[int(c.id)*nE+k]), int(bg.joint[i*nE+k])
			s, ok := scopeOf(win.ents.ids[k], joint, win.entDocs[k], bgJoint, bg.entDocs[k], c.docs, len(win.ids), c.score, MinRise)
			if ok && (c.about == nil || s.Score > c.about.Score) {
				c.about = &s
			}
			if slices.Contains(win.personBit, k) {
				if s, ok := scopeOf(win.ents.ids[k], joint, win.entDocs[k], bgJoint, bg.entDocs[k], c.docs, len(win.ids), c.score, MinNicknameRise); ok {
					c.persons = append(c.persons, s)
				}
			}
		}
		if opt.Scoped {
			if c.about != nil {
				c.rank = c.about.Score
			}
			for _, s := range c.persons {
				c.rank = max(c.rank, s.Score)
			}
		}
	}
	// Without a background nothing can be said to rise: every candidate
	// is kept at score 0 and ranked by its count. Scoped, a candidate
	// needs an entity, or a person it may be the nickname of.
	cands = slices.DeleteFunc(cands, func(c *candidate) bool {
		return bg.total > 0 && c.score <= 0 || opt.Scoped && c.about == nil && len(c.persons) == 0
	})
	slices.SortFunc(cands, func(a, b *candidate) int {
		return cmp.Or(cmp.Compare(b.rank, a.rank), cmp.Compare(b.docs, a.docs), cmp.Compare(a.text, b.text))
	})
	// Neighbour entropies are the costly measure: take them only for the
	// best-ranked candidates, enough to fill Top after the freedom filter
	// and the collapse of overlapping candidates.
	cands = cands[:min(len(cands), max(1000, 20*opt.Top))]
	win.keepOnly(cands, func(*candidate) bool { return true })
	win.measureFreedom(cands)

	known := func(s string) bool { return opt.Known != nil && opt.Known(s) }
	watchWords := map[string]bool{}
	for _, e := range w.Entities {
		for _, n := range e.Names() {
			watchWords[strings.ToLower(n)] = true
		}
	}
	for _, a := range w.Aspects {
		for _, n := range a.Words {
			watchWords[strings.ToLower(n)] = true
		}
	}
	isWord := func(s string) bool { return known(s) || watchWords[s] }
	// A piece of a watched name ("max" of "Y9 Max") is no new word either.
	partOfName := func(s string) bool {
		for n := range watchWords {
			if strings.Contains(n, s) {
				return true
			}
		}
		return false
	}
	var out, kept []*candidate
	var isNew []bool
	for _, c := range cands {
		if min(c.left, c.right) < opt.MinFreedom || emoticon(c.enclosed, c.occurrences) ||
			!known(c.text) && fragment(c.text) || overlapsAny(c, kept) {
			continue
		}
		kept = append(kept, c)
		nw := !isWord(c.text) && !partOfName(c.text) && !phrase(c.text, isWord)
		if opt.NewOnly && !nw {
			continue
		}
		out = append(out, c)
		isNew = append(isNew, nw)
		if len(out) == opt.Top {
			break
		}
	}
	win.keepOnly(out, func(*candidate) bool { return true })
	days := int(lastDay-ctxFrom) + 1
	personDaily := win.personDaily(ctxFrom, days)
	terms := make([]Term, len(out))
	for i, det := range win.details(out, ctxFrom, days) {
		c := out[i]
		t := Term{
			Term: c.text, New: isNew[i], Score: round(finite(c.score), 3),
			Count: c.docs, BackgroundCount: c.bgDocs, FirstSeen: time.Unix(0, bg.firstSeen(c, c.first)).In(opt.Location),
			Examples: det.examples, exampleTimes: det.exampleTimes,
			Cohesion: round(finite(c.cohesion), 2), LeftEntropy: round(finite(c.left), 3), RightEntropy: round(finite(c.right), 3),
			Surge: round(finite(c.surge), 4), Expected: round(finite(c.expected), 3),
		}
		if c.about != nil {
			a := *c.about
			a.Rise, a.Cooc, a.Score = round(finite(a.Rise), 3), round(finite(a.Cooc), 3), round(finite(a.Score), 3)
			a.Examples, a.exampleTimes = det.aboutExamples, det.aboutTimes
			t.About = &a
		}
		r, d := make([]int, days), make([]int, days)
		t.Daily = make([]DayCount, days)
		for k := range days {
			day := ctxFrom + int32(k)
			r[k] = det.daily[k] + bg.daily(c, day)
			d[k] = win.dayDocs[day] + bg.dayDocs[day]
			t.Daily[k] = DayCount{Day: trustwatch.Date{Time: dayTime(day, opt.Location)}, Count: r[k], Docs: d[k]}
		}
		t.Burst = strongestBurst(r, d, int(firstDay-ctxFrom), ctxFrom, opt.Location)
		win.link(&t, det, personDaily, guard)
		if t.Nickname {
			for _, s := range c.persons {
				if s.Entity == t.LinkedEntity {
					s.Rise, s.Cooc, s.Score = round(finite(s.Rise), 3), round(finite(s.Cooc), 3), round(finite(s.Score), 3)
					s.Examples = t.LinkExamples
					for _, x := range t.linkExampleTimes {
						s.exampleTimes = append(s.exampleTimes, x.UnixNano())
					}
					t.About = &s
				}
			}
		}
		terms[i] = t
	}
	res.Terms = terms
	return res, nil
}

func round(x float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(x*p) / p
}

// span returns the first and last day of the window.
func (w *window) span() (first, last int32) {
	if !w.opt.From.IsZero() && !w.opt.To.IsZero() {
		return dayIndex(w.opt.From, w.opt.Location), dayIndex(w.opt.To.Add(-time.Nanosecond), w.opt.Location)
	}
	first, last = w.days[0], w.days[0]
	for _, d := range w.days {
		first, last = min(first, d), max(last, d)
	}
	return first, last
}

// candidates returns the n-grams (2..maxN units, or one Latin word) seen
// at least MinCount times that are cohesive enough, numbering them in
// their cells.
func (w *window) candidates(g *grams) []*candidate {
	var out []*candidate
	for n := 1; n <= maxN; n++ {
		t := g.levels[n]
		if t == nil {
			continue
		}
		for k := range t.cells {
			c := &t.cells[k]
			seq := w.seq[c.pos : c.pos+int32(n)]
			if n == 1 {
				if _, alone := w.u.isWord(seq[0]); !alone {
					continue
				}
			}
			if !hasLetter(seq, w.u) {
				continue
			}
			coh := g.cohesion(seq)
			if n > 1 && coh < math.Pow(w.opt.MinCohesion, float64(n-1)) {
				continue
			}
			c.idx = int32(len(out))
			out = append(out, &candidate{id: c.idx, seq: seq, text: w.u.String(seq), count: c.count, cohesion: coh})
		}
	}
	// Cells were visited in map order: number candidates by text instead
	// so that everything downstream is deterministic.
	slices.SortFunc(out, func(a, b *candidate) int { return cmp.Compare(a.text, b.text) })
	for i, c := range out {
		g.levels[len(c.seq)].get(hashUnits(c.seq)).idx = int32(i)
		c.id = int32(i)
	}
	return out
}

// hasLetter rejects candidates made of digits only.
func hasLetter(seq []uint32, u *units) bool {
	for _, id := range seq {
		if id < wordBase {
			return true
		}
		if _, alone := u.isWord(id); alone {
			return true
		}
	}
	return false
}

// eachOccurrence calls fn for every occurrence in doc d of a candidate
// marked by keepOnly.
func (w *window) eachOccurrence(d int, fn func(id int32, i, n int)) {
	for i := int(w.start[d]); i < int(w.start[d+1]); i++ {
		f := w.g.flags[i]
		for n := 1; f != 0 && n <= maxN; n++ {
			if f&(1<<n) == 0 {
				continue
			}
			f &^= 1 << n
			if c := w.g.levels[n].get(hashUnits(w.seq[i : i+n])); c != nil && c.idx >= 0 {
				fn(c.idx, i, n)
			}
		}
	}
}

// keepOnly re-marks flags so that bit n at i says a kept candidate of n
// units starts there: later passes then look up only what they need.
func (w *window) keepOnly(cands []*candidate, keep func(*candidate) bool) {
	// The bit filter answers most lookups of non-candidates without
	// touching the tables.
	const filterBits = 1 << 22
	filter := make([]uint64, filterBits/64)
	ids := make(map[int32]bool, len(cands))
	for _, c := range cands {
		if keep(c) {
			ids[c.id] = true
			h := hashUnits(c.seq) % filterBits
			filter[h/64] |= 1 << (h % 64)
		}
	}
	for i := range w.seq {
		f := w.g.flags[i]
		if f == 0 {
			continue
		}
		for n := 1; n <= maxN; n++ {
			if f&(1<<n) == 0 {
				continue
			}
			if n == 1 && w.seq[i] < wordBase {
				f &^= 1 << n // single Han characters are never terms
				continue
			}
			h := hashUnits(w.seq[i : i+n])
			if filter[(h%filterBits)/64]&(1<<(h%64)) == 0 {
				f &^= 1 << n
				continue
			}
			if c := w.g.levels[n].get(h); c == nil || c.idx < 0 || !ids[c.idx] {
				f &^= 1 << n
			}
		}
		w.g.flags[i] = f
	}
}

// countDocs fills each candidate's document count and first time, and
// its documents in each entity's scope.
func (w *window) countDocs(cands []*candidate) {
	last := make([]int32, len(cands))
	for i := range last {
		last[i] = -1
	}
	nE := len(w.ents.ids)
	w.joint = make([]int32, len(cands)*nE)
	for d := range w.ids {
		w.eachOccurrence(d, func(id int32, _, _ int) {
			if last[id] != int32(d) {
				last[id] = int32(d)
				c := cands[id]
				c.docs++
				if c.first == 0 || w.times[d] < c.first {
					c.first = w.times[d]
				}
				if nE > 0 {
					for m, k := w.scope[d], 0; m != 0; m, k = m>>1, k+1 {
						if m&1 != 0 {
							w.joint[int(id)*nE+k]++
						}
					}
				}
			}
		})
	}
}

// measureFreedom fills the neighbour entropies of the marked candidates.
func (w *window) measureFreedom(cands []*candidate) {
	byID := make(map[int32]int32, len(cands))
	for k, c := range cands {
		byID[c.id] = int32(k)
	}
	nb := newNeighbours(len(cands))
	for d := range w.ids {
		w.eachOccurrence(d, func(id int32, i, n int) {
			before := uint32(boundary)
			if i > 0 {
				before = w.seq[i-1]
			}
			nb.add(byID[id], before, w.seq[i+n])
		})
	}
	left, right := nb.entropies()
	for k, c := range cands {
		c.left, c.right = left[k], right[k]
		c.enclosed, c.occurrences = nb.enclosed[k], nb.occurrences[k]
	}
}

// overlapsAny reports whether c duplicates a better-ranked candidate:
// of overlapping candidates with comparable counts (方舱, 方舱医, 方舱医院)
// only the best ranked is kept. Two candidates overlap when one contains
// the other or the end of one is the start of the other; they are
// comparable when the rarer has at least half the documents of the
// commoner (otherwise both are words in their own right: 小米 and 小米汽车).
func overlapsAny(c *candidate, kept []*candidate) bool {
	for _, k := range kept {
		if 2*min(c.docs, k.docs) >= max(c.docs, k.docs) && overlaps(c.text, k.text) {
			return true
		}
	}
	return false
}

func overlaps(a, b string) bool {
	if strings.Contains(a, b) || strings.Contains(b, a) {
		return true
	}
	ra, rb := []rune(a), []rune(b)
	for k := min(len(ra), len(rb)) - 1; k >= 1; k-- {
		if string(ra[len(ra)-k:]) == string(rb[:k]) || string(rb[len(rb)-k:]) == string(ra[:k]) {
			return true
		}
	}
	return false
}
