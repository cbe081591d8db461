package terms

import "slices"

// slidingBackground is a replay's background kept as counts per day: for
// each day in the background, the documents containing each tracked
// n-gram (every candidate of the replay's steps so far), and their sum
// over the days. A step slides the sum to its own background by adding
// the days that enter and subtracting those that leave; only a candidate
// seen for the first time is counted over the kept days' units, where a
// day's index of its units leads to the places it can be. A day's texts are
// never turned into units again, and its n-grams are hashed once when it
// enters, not once per step.
//
// The sum is the count a stream of the background's documents would give
// (countBackground), scopes included: a comment inherits what its
// thread's root mentions when the root was read before it, on the same day
// or on an earlier day of the background.
type slidingBackground struct {
	nE      int // watched entities
	tracked *matcher
	docs    []int32 // per tracked id: documents of the summed days with it
	joint   []int32 // per tracked id × entity: those in the entity's scope
	days    map[int32]*dayCounts
	seen    []int32 // per tracked id: the last document (s.doc) that counted it
	doc     int32
	units   *units  // the replay's, for the size of scratch
	scratch []int32 // per unit, zero between uses (newUnitIndex)
}

// dayCounts is what one day's documents say about the tracked n-grams.
type dayCounts struct {
	docs    []Doc
	seq     []uint32   // the documents' units, one after the other
	ends    []int      // per document: where its units end in seq
	index   *unitIndex // made when a new candidate is first counted
	scope   []uint64   // per document: its entities and those of a root read before it that day
	entDocs []int      // per entity: documents in its scope
	entry   map[int32]int32
	grams   []dayGram
	joint   []int32 // per entry × entity
	inherit []inherited
}

// dayGram is a tracked n-gram's documents on one day and the earliest time.
type dayGram struct {
	id, docs int32
	first    int64
}

// inherited is a comment whose root is on an earlier day: it is in the
// scope of what the root mentions (extra) only while the root's day is in
// the background.
type inherited struct {
	rootDay int32
	extra   uint64
	units   []uint32
}

func newSlidingBackground(nE int, u *units) *slidingBackground {
	return &slidingBackground{nE: nE, units: u, tracked: newMatcher(), days: map[int32]*dayCounts{}}
}

// count slides the sum to the background days [lo, hi) and returns what
// they say about cands. Days are read from c.
func (s *slidingBackground) count(c *dayDocs, cands []*candidate, lo, hi int32) (*background, error) {
	for day, dc := range s.days {
		if day < lo || day >= hi {
			s.addDay(dc, -1)
			delete(s.days, day)
		}
	}
	// Candidates seen for the first time are counted over the days kept.
	var fresh []*candidate
	for _, cand := range cands {
		h := hashUnits(cand.seq)
		if _, ok := s.tracked.ids[h]; ok {
			continue
		}
		s.tracked.add(cand.seq, h, int32(len(s.docs)))
		fresh = append(fresh, cand)
		s.docs = append(s.docs, 0)
		s.joint = append(s.joint, make([]int32, s.nE)...)
		s.seen = append(s.seen, 0)
	}
	if len(fresh) > 0 {
		for _, dc := range s.days {
			from := len(dc.grams)
			for _, cand := range fresh {
				s.countFresh(dc, cand.seq, s.tracked.ids[hashUnits(cand.seq)])
			}
			s.addGrams(dc, from, 1)
		}
	}
	for day := lo; day < hi; day++ {
		if _, ok := s.days[day]; ok {
			continue
		}
		docs, err := c.day(day)
		if err != nil {
			return nil, err
		}
		dc := s.newDay(day, docs, c.seqs[day], c.roots)
		s.countGrams(dc, s.tracked)
		s.addDay(dc, 1)
		s.days[day] = dc
	}
	return s.background(cands, lo, hi), nil
}

// newDay finds the scopes of a day's documents.
func (s *slidingBackground) newDay(day int32, docs []Doc, seq []uint32, roots map[string]rootMention) *dayCounts {
	dc := &dayCounts{docs: docs, seq: seq, ends: make([]int, len(docs)), entDocs: make([]int, s.nE), entry: map[int32]int32{}}
	end := 0
	for i := range docs {
		end += len(docs[i].units)
		dc.ends[i] = end
	}
	if s.nE == 0 {
		return dc
	}
	dc.scope = make([]uint64, len(docs))
	today := map[string]uint64{} // roots read so far today
	for i := range docs {
		d := &docs[i]
		scope := d.mask
		if isRoot(d) {
			if scope != 0 {
				today[d.ID] = scope
			}
		} else if m, ok := today[d.Thread]; ok {
			scope |= m
		} else if r, ok := roots[d.Thread]; ok && r.day < day {
			if extra := r.mask &^ scope; extra != 0 {
				dc.inherit = append(dc.inherit, inherited{rootDay: r.day, extra: extra, units: d.units})
			}
		}
		dc.scope[i] = scope
		for m, k := scope, 0; m != 0; m, k = m>>1, k+1 {
			if m&1 != 0 {
				dc.entDocs[k]++
			}
		}
	}
	return dc
}

// countGrams adds to dc the documents containing the n-grams m matches.
func (s *slidingBackground) countGrams(dc *dayCounts, m *matcher) {
	for i := range dc.docs {
		s.doc++
		m.each(dc.docs[i].units, func(id int32) {
			if s.seen[id] == s.doc {
				return
			}
			s.seen[id] = s.doc
			s.countDoc(dc, id, i)
		})
	}
}

// countDoc counts document i of dc as one containing the tracked n-gram id.
func (s *slidingBackground) countDoc(dc *dayCounts, id int32, i int) {
	e, ok := dc.entry[id]
	if !ok {
		e = int32(len(dc.grams))
		dc.entry[id] = e
		dc.grams = append(dc.grams, dayGram{id: id, first: dc.docs[i].Time.UnixNano()})
		dc.joint = append(dc.joint, make([]int32, s.nE)...)
	}
	g := &dc.grams[e]
	g.docs++
	g.first = min(g.first, dc.docs[i].Time.UnixNano())
	if s.nE == 0 {
		return
	}
	for m, k := dc.scope[i], 0; m != 0; m, k = m>>1, k+1 {
		if m&1 != 0 {
			dc.joint[int(e)*s.nE+k]++
		}
	}
}

// countFresh counts the documents of dc containing gram, a new tracked
// n-gram (id): where its rarest unit occurs that day, by the day's index.
func (s *slidingBackground) countFresh(dc *dayCounts, gram []uint32, id int32) {
	if dc.index == nil {
		if n := wordBase + len(s.units.text); len(s.scratch) < n {
			s.scratch = make([]int32, n+n/4)
		}
		dc.index = newUnitIndex(dc.seq, s.scratch)
	}
	rarest, at := -1, []int32(nil)
	for j, a := range gram {
		ps, ok := dc.index.at(a)
		if !ok {
			return // a unit of it is not there that day
		}
		if rarest < 0 || len(ps) < len(at) {
			rarest, at = j, ps
		}
	}
	doc, last := 0, -1
	for _, p := range at {
		start := int(p) - rarest
		if start < 0 || start+len(gram) > len(dc.seq) || !slices.Equal(dc.seq[start:start+len(gram)], gram) {
			continue
		}
		// An n-gram never spans a boundary, which ends every document:
		// it is in the document its start is in. Places come in order.
		for doc+1 < len(dc.docs) && start >= dc.ends[doc] {
			doc++
		}
		if doc != last {
			last = doc
			s.countDoc(dc, id, doc)
		}
	}
}

// addDay adds a day's counts to the sum (sign 1) or subtracts them (−1).
func (s *slidingBackground) addDay(dc *dayCounts, sign int32) { s.addGrams(dc, 0, sign) }

// addGrams adds the day's entries from the from'th on to the sum.
func (s *slidingBackground) addGrams(dc *dayCounts, from int, sign int32) {
	for e := from; e < len(dc.grams); e++ {
		g := dc.grams[e]
		s.docs[g.id] += sign * g.docs
		for k := range s.nE {
			s.joint[int(g.id)*s.nE+k] += sign * dc.joint[e*s.nE+k]
		}
	}
}

// background is what the summed days [lo, hi) say about cands.
func (s *slidingBackground) background(cands []*candidate, lo, hi int32) *background {
	nE := s.nE
	bg := &background{docs: make([]int, len(cands)), dayDocs: map[int32]int{}, days: map[int32]bool{},
		entDocs: make([]int, nE), joint: make([]int32, len(cands)*nE)}
	pos := make(map[int32]int, len(cands)) // tracked id → position in cands
	for i, cand := range cands {
		id := s.tracked.ids[hashUnits(cand.seq)]
		pos[id] = i
		bg.docs[i] = int(s.docs[id])
		copy(bg.joint[i*nE:(i+1)*nE], s.joint[int(id)*nE:(int(id)+1)*nE])
	}
	for day := lo; day < hi; day++ {
		dc := s.days[day]
		if n := len(dc.docs); n > 0 {
			bg.total += n
			bg.dayDocs[day] = n
			bg.days[day] = true
		}
		for k, n := range dc.entDocs {
			bg.entDocs[k] += n
		}
		// Comments whose root is on an earlier day of this background.
		for _, in := range dc.inherit {
			if in.rootDay < lo {
				continue
			}
			for m, k := in.extra, 0; m != 0; m, k = m>>1, k+1 {
				if m&1 != 0 {
					bg.entDocs[k]++
				}
			}
			s.doc++
			s.tracked.each(in.units, func(id int32) {
				i, ok := pos[id]
				if !ok || s.seen[id] == s.doc {
					return
				}
				s.seen[id] = s.doc
				for m, k := in.extra, 0; m != 0; m, k = m>>1, k+1 {
					if m&1 != 0 {
						bg.joint[i*nE+k]++
					}
				}
			})
		}
	}
	gram := func(c *candidate, day int32) *dayGram {
		dc := s.days[day]
		if dc == nil {
			return nil
		}
		if e, ok := dc.entry[s.tracked.ids[hashUnits(c.seq)]]; ok {
			return &dc.grams[e]
		}
		return nil
	}
	bg.first = func(c *candidate) int64 {
		for day := lo; day < hi; day++ {
			if g := gram(c, day); g != nil {
				return g.first
			}
		}
		return 0
	}
	bg.onDay = func(c *candidate, day int32) int {
		if g := gram(c, day); g != nil {
			return int(g.docs)
		}
		return 0
	}
	return bg
}

// matcher finds the occurrences of a set of n-grams in units: a bit filter
// of their first two units (or their one unit) answers most positions
// before any n-gram there is hashed, and a bit filter of their hashes most
// of the rest before the map.
type matcher struct {
	ids    map[uint64]int32 // n-gram hash → id
	starts []uint64         // bits: the n-grams' first two units, or one
	hashes []uint64         // bits: the n-grams' hashes
	maxLen int
}

const (
	startBits = 1 << 20
	hashBits  = 1 << 22
)

func newMatcher() *matcher {
	return &matcher{ids: map[uint64]int32{}, starts: make([]uint64, startBits/64), hashes: make([]uint64, hashBits/64)}
}

// startOf is the filter bit of an n-gram beginning with a (and b when it
// has two units or more; b is then never a boundary).
func startOf(a, b uint32) uint64 {
	x := (uint64(a)<<32 | uint64(b)) * 0x9e3779b97f4a7c15
	return (x >> 40) % startBits
}

func (m *matcher) add(seq []uint32, h uint64, id int32) {
	m.ids[h] = id
	b := uint32(boundary)
	if len(seq) > 1 {
		b = seq[1]
	}
	bit := startOf(seq[0], b)
	m.starts[bit/64] |= 1 << (bit % 64)
	m.hashes[(h%hashBits)/64] |= 1 << (h % 64)
	m.maxLen = max(m.maxLen, len(seq))
}

func (m *matcher) has(bits []uint64, bit uint64) bool { return bits[bit/64]&(1<<(bit%64)) != 0 }

// each calls fn with the id of every occurrence of one of the n-grams in
// seq (an n-gram never spans a boundary).
func (m *matcher) each(seq []uint32, fn func(id int32)) {
	if len(m.ids) == 0 {
		return
	}
	for i, a := range seq {
		if isBoundary(a) {
			continue
		}
		if m.has(m.starts, startOf(a, boundary)) {
			m.lookup(seq[i:i+1], fn)
		}
		if i+1 == len(seq) || isBoundary(seq[i+1]) || !m.has(m.starts, startOf(a, seq[i+1])) {
			continue
		}
		for n := 2; n <= m.maxLen && i+n <= len(seq); n++ {
			if isBoundary(seq[i+n-1]) {
				break
			}
			m.lookup(seq[i:i+n], fn)
		}
	}
}

func (m *matcher) lookup(gram []uint32, fn func(id int32)) {
	h := hashUnits(gram)
	if !m.has(m.hashes, h%hashBits) {
		return
	}
	if id, ok := m.ids[h]; ok {
		fn(id)
	}
}

// unitIndex lists where each unit occurs in a day's units.
type unitIndex struct {
	span map[uint32][2]int32 // unit → its places in pos
	pos  []int32
}

// newUnitIndex indexes seq's units (boundaries are not indexed), counting
// in scratch, which must be zero for every unit of seq and is left so.
func newUnitIndex(seq []uint32, scratch []int32) *unitIndex {
	var units []uint32
	for _, a := range seq {
		if !isBoundary(a) {
			if scratch[a] == 0 {
				units = append(units, a)
			}
			scratch[a]++
		}
	}
	x := &unitIndex{span: make(map[uint32][2]int32, len(units))}
	next := int32(0)
	for _, a := range units {
		n := scratch[a]
		x.span[a] = [2]int32{next, next + n}
		scratch[a] = next // from here on, the next place of a in pos
		next += n
	}
	x.pos = make([]int32, next)
	for p, a := range seq {
		if !isBoundary(a) {
			x.pos[scratch[a]] = int32(p)
			scratch[a]++
		}
	}
	for _, a := range units {
		scratch[a] = 0
	}
	return x
}

// at is where a occurs, in order, and whether it does.
func (x *unitIndex) at(a uint32) ([]int32, bool) {
	sp, ok := x.span[a]
	return x.pos[sp[0]:sp[1]], ok
}
