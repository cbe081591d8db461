package terms

import (
	"fmt"
	"math"
	"slices"
	"time"

	"trustwatch"
	"trustwatch/detect/burst"
	"trustwatch/detect/nickname"
)

// background is what the background says about the candidates.
type background struct {
	total   int           // documents
	docs    []int         // per candidate (position in cands): documents containing it
	dayDocs map[int32]int // documents per context day
	days    map[int32]bool
	// With watched entities: documents in each entity's scope, and per
	// candidate position × entity those that also contain the candidate.
	entDocs []int
	joint   []int32
	// first is the earliest time of a document with c, 0 if none; onDay
	// its documents on a context day. Find asks them only of the terms
	// it returns.
	first func(c *candidate) int64
	onDay func(c *candidate, day int32) int
}

// firstSeen is the earlier of c's first time in the window and in the
// background.
func (bg *background) firstSeen(c *candidate, inWindow int64) int64 {
	if t := bg.first(c); t != 0 && t < inWindow {
		return t
	}
	return inWindow
}

// daily is c's documents on a context day.
func (bg *background) daily(c *candidate, day int32) int { return bg.onDay(c, day) }

// counter counts what a background says about a window's candidates, and
// per day those of the context days [ctxFrom, firstDay).
type counter func(win *window, cands []*candidate, ctxFrom, firstDay int32) (*background, error)

// streamCounter counts the documents src streams (none when nil) with
// countBackground.
func streamCounter(src Source) counter {
	return func(win *window, cands []*candidate, ctxFrom, firstDay int32) (*background, error) {
		return countBackground(src, win, cands, ctxFrom, firstDay)
	}
}

// countBackground streams the background once, counting for each candidate
// the documents that contain it, and per day those of the context days
// [ctxFrom, firstDay). Only candidate n-grams are looked up, behind a bit
// filter, so the background costs a hash per position and length.
func countBackground(src Source, win *window, cands []*candidate, ctxFrom, firstDay int32) (*background, error) {
	nE := len(win.ents.ids)
	first := make([]int64, len(cands)) // by position
	termDay := map[[2]int32]int32{}    // (candidate id, context day) → documents
	bg := &background{docs: make([]int, len(cands)),
		dayDocs: map[int32]int{}, days: map[int32]bool{},
		entDocs: make([]int, nE), joint: make([]int32, len(cands)*nE)}
	firstByID := map[int32]int64{}
	bg.first = func(c *candidate) int64 { return firstByID[c.id] }
	bg.onDay = func(c *candidate, day int32) int { return int(termDay[[2]int32{c.id, day}]) }
	if src == nil {
		return bg, nil
	}
	// A comment inherits what its thread's root mentions when the root was
	// read before it (a store streams oldest first).
	roots := map[string]uint64{}
	const filterBits = 1 << 22
	filter := make([]uint64, filterBits/64)
	index := make(map[uint64]int32, len(cands))
	maxLen := 0
	for k, c := range cands {
		h := hashUnits(c.seq)
		index[h] = int32(k)
		filter[(h%filterBits)/64] |= 1 << (h % 64)
		maxLen = max(maxLen, len(c.seq))
	}
	last := make([]int, len(cands))
	var seq []uint32
	doc := 0
	err := src(func(d *Doc) error {
		doc++
		bg.total++
		day := dayIndex(d.Time, win.opt.Location)
		bg.days[day] = true
		inContext := day >= ctxFrom && day < firstDay
		if inContext {
			bg.dayDocs[day]++
		}
		var scope uint64
		if nE > 0 {
			scope = win.ents.mask(d)
			if isRoot(d) {
				if scope != 0 {
					roots[d.ID] = scope
				}
			} else {
				scope |= roots[d.Thread]
			}
			for k := range nE {
				if scope&(1<<k) != 0 {
					bg.entDocs[k]++
				}
			}
		}
		seq = win.u.append(seq[:0], d.Text, true)
		for i := range seq {
			for n := 1; n <= maxLen && i+n <= len(seq); n++ {
				if isBoundary(seq[i+n-1]) {
					break
				}
				h := hashUnits(seq[i : i+n])
				if filter[(h%filterBits)/64]&(1<<(h%64)) == 0 {
					continue
				}
				id, ok := index[h]
				if !ok || last[id] == doc {
					continue
				}
				// docs and first are by position in cands, termDay by id.
				last[id] = doc
				bg.docs[id]++
				if t := d.Time.UnixNano(); first[id] == 0 || t < first[id] {
					first[id] = t
				}
				if inContext {
					termDay[[2]int32{cands[id].id, day}]++
				}
				for m, k := scope, 0; m != 0; m, k = m>>1, k+1 {
					if m&1 != 0 {
						bg.joint[int(id)*nE+k]++
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("terms: reading background: %w", err)
	}
	for k, c := range cands {
		if first[k] != 0 {
			firstByID[c.id] = first[k]
		}
	}
	return bg, nil
}

// detail is what the window says about one shortlisted term.
type detail struct {
	daily        []int // documents per day from ctxFrom
	examples     []string
	exampleTimes []time.Time
	docs         int
	threads      int
	// per person: documents and threads with both, and the first
	// documents with both (mentioned in the document, or in its thread)
	jointDocs, jointThreads []int
	jointExamples           [][]int32
	// documents with the term in the scope of the entity it is about
	aboutExamples []string
	aboutTimes    []int64
}

// details walks the window once more for the shortlisted terms.
func (w *window) details(out []*candidate, ctxFrom int32, days int) []detail {
	pos := map[int32]int{}
	for i, c := range out {
		pos[c.id] = i
	}
	det := make([]detail, len(out))
	threadSeen := make([]map[int32]uint64, len(out)) // thread → persons in it with the term
	for i := range det {
		det[i].daily = make([]int, days)
		det[i].jointDocs = make([]int, len(w.persons))
		det[i].jointThreads = make([]int, len(w.persons))
		det[i].jointExamples = make([][]int32, len(w.persons))
		threadSeen[i] = map[int32]uint64{}
	}
	aboutBit := make([]int, len(out))
	for i, c := range out {
		aboutBit[i] = -1
		if c.about != nil {
			aboutBit[i] = slices.Index(w.ents.ids, c.about.Entity)
		}
	}
	threadPersons := w.threadPersons()
	last := make([]int, len(out))
	for i := range last {
		last[i] = -1
	}
	for d := range w.ids {
		w.eachOccurrence(d, func(id int32, _, _ int) {
			i, ok := pos[id]
			if !ok || last[i] == d {
				return
			}
			last[i] = d
			t := &det[i]
			t.docs++
			if k := int(w.days[d] - ctxFrom); k >= 0 && k < days {
				t.daily[k]++
			}
			if len(t.examples) < maxExamples {
				t.examples = append(t.examples, w.ids[d])
				t.exampleTimes = append(t.exampleTimes, time.Unix(0, w.times[d]).In(w.opt.Location))
			}
			if b := aboutBit[i]; b >= 0 && w.scope[d]&(1<<b) != 0 && len(t.aboutExamples) < maxExamples {
				t.aboutExamples = append(t.aboutExamples, w.ids[d])
				t.aboutTimes = append(t.aboutTimes, w.times[d])
			}
			for k := range w.persons {
				if w.hasPerson(w.mentions[d], k) {
					t.jointDocs[k]++
				}
				if w.hasPerson(w.mentions[d]|threadPersons[w.threads[d]], k) && len(t.jointExamples[k]) < maxExamples {
					t.jointExamples[k] = append(t.jointExamples[k], int32(d))
				}
			}
			if len(w.persons) > 0 {
				threadSeen[i][w.threads[d]] = threadPersons[w.threads[d]]
			}
		})
	}
	for i := range det {
		det[i].threads = len(threadSeen[i])
		for _, mask := range threadSeen[i] {
			for k := range w.persons {
				if w.hasPerson(mask, k) {
					det[i].jointThreads[k]++
				}
			}
		}
	}
	return det
}

// threadPersons returns, per thread, the persons mentioned anywhere in it.
func (w *window) threadPersons() []uint64 {
	out := make([]uint64, len(w.threadID))
	for d, th := range w.threads {
		out[th] |= w.mentions[d]
	}
	return out
}

// personDaily returns each person's mentions per day from ctxFrom
// (window days only; context days are 0).
func (w *window) personDaily(ctxFrom int32, days int) [][]int {
	out := make([][]int, len(w.persons))
	for k := range out {
		out[k] = make([]int, days)
	}
	for d, mask := range w.mentions {
		i := int(w.days[d] - ctxFrom)
		if mask == 0 || i < 0 || i >= days {
			continue
		}
		for k := range w.persons {
			if w.hasPerson(mask, k) {
				out[k][i]++
			}
		}
	}
	return out
}

// link ties t to the person it most strongly points at, if any. A term the
// guard excludes for a person (a watched name, a dictionary word) is never
// linked to that person as a nickname.
func (w *window) link(t *Term, det detail, personDaily [][]int, guard nickname.Guard) {
	if len(w.persons) == 0 {
		return
	}
	threadPersons := w.threadPersons()
	personDocs := make([]int, len(w.persons))
	personThreads := make([]int, len(w.persons))
	for _, mask := range w.mentions {
		for k := range w.persons {
			if w.hasPerson(mask, k) {
				personDocs[k]++
			}
		}
	}
	for _, mask := range threadPersons {
		for k := range w.persons {
			if w.hasPerson(mask, k) {
				personThreads[k]++
			}
		}
	}
	off := min(w.opt.BurstContext, len(det.daily)) // the window's first day
	for k, p := range w.persons {
		st := nickname.Stats{
			Docs: det.docs, PersonDocs: personDocs[k], JointDocs: det.jointDocs[k], TotalDocs: len(w.ids),
			Threads: det.threads, PersonThreads: personThreads[k], JointThreads: det.jointThreads[k], TotalThreads: len(threadPersons),
			Correlation: correlation(det.daily[off:], personDaily[k][off:]),
		}
		l, ok := nickname.Decide(t.Term, p, st)
		if !ok || l.Nickname && guard.Excludes(t.Term, p) != "" {
			continue
		}
		// The first person with a nickname link wins; a mere name link
		// only when nothing better is found.
		if t.LinkedEntity == "" || (l.Nickname && !t.Nickname) {
			t.LinkedEntity, t.Nickname, t.LinkReasons = l.Entity, l.Nickname, l.Reasons
			t.LinkExamples, t.linkExampleTimes = nil, nil
			for _, d := range det.jointExamples[k] {
				t.LinkExamples = append(t.LinkExamples, w.ids[d])
				t.linkExampleTimes = append(t.linkExampleTimes, time.Unix(0, w.times[d]).In(w.opt.Location))
			}
		}
	}
}

// correlation is Pearson's r, NaN when undefined.
func correlation(a, b []int) float64 {
	n := min(len(a), len(b))
	if n < 3 {
		return math.NaN()
	}
	var ma, mb float64
	for i := range n {
		ma += float64(a[i])
		mb += float64(b[i])
	}
	ma /= float64(n)
	mb /= float64(n)
	var sab, saa, sbb float64
	for i := range n {
		x, y := float64(a[i])-ma, float64(b[i])-mb
		sab += x * y
		saa += x * x
		sbb += y * y
	}
	if saa == 0 || sbb == 0 {
		return math.NaN()
	}
	return sab / math.Sqrt(saa*sbb)
}

// strongestBurst runs the two-state automaton over the daily series and
// returns the heaviest burst that reaches into the window (index ≥ from).
func strongestBurst(r, d []int, from int, ctxFrom int32, loc *time.Location) *Burst {
	_, bursts := burst.Kleinberg(r, d, burst.DefaultS, burst.DefaultGamma, 2)
	bursts = slices.DeleteFunc(bursts, func(b burst.Interval) bool { return b.End < from })
	if len(bursts) == 0 {
		return nil
	}
	best := bursts[0]
	for _, b := range bursts[1:] {
		if b.Weight > best.Weight {
			best = b
		}
	}
	return &Burst{
		Start:  trustwatch.Date{Time: dayTime(ctxFrom+int32(best.Start), loc)},
		End:    trustwatch.Date{Time: dayTime(ctxFrom+int32(best.End), loc)},
		Weight: round(best.Weight, 3),
	}
}
