package terms

import (
	"slices"
	"strings"

	"trustwatch"
)

// maxEntities is how many watched entities a discovery tells apart (one
// bit each in a document's mask); the rest are ignored.
const maxEntities = 64

// watched are the watch file's entities, as a document mentions them.
type watched struct {
	of       *trustwatch.Watch
	ids      []string
	names    [][]string // lower-cased names and aliases
	accounts [][]string
	latin    bool // some name has Latin letters: match lower-cased text
}

func newWatched(w *trustwatch.Watch) *watched {
	ws := &watched{of: w}
	for _, e := range w.Entities {
		if len(ws.ids) == maxEntities {
			break
		}
		var names []string
		for _, n := range e.Names() {
			if n = strings.ToLower(strings.TrimSpace(n)); n != "" {
				names = append(names, n)
				ws.latin = ws.latin || strings.ContainsFunc(n, func(r rune) bool { return r < 0x80 })
			}
		}
		ws.ids = append(ws.ids, e.ID)
		ws.names = append(ws.names, names)
		ws.accounts = append(ws.accounts, e.Accounts)
	}
	return ws
}

// mask returns the entities d mentions: those in its Entities field, those
// whose name or alias its text contains (case-folded), and those whose
// account wrote it.
func (ws *watched) mask(d *Doc) uint64 {
	if len(ws.ids) == 0 {
		return 0
	}
	if d.maskOf != nil && d.maskOf == ws.of {
		return d.mask
	}
	text := d.Text
	if ws.latin {
		text = strings.ToLower(text)
	}
	var m uint64
	for k, id := range ws.ids {
		if slices.Contains(d.Entities, id) || d.Author != "" && slices.Contains(ws.accounts[k], d.Author) {
			m |= 1 << k
			continue
		}
		for _, n := range ws.names[k] {
			if strings.Contains(text, n) {
				m |= 1 << k
				break
			}
		}
	}
	return m
}

// isRoot reports whether d starts its thread.
func isRoot(d *Doc) bool { return d.Thread == "" || d.Thread == d.ID }

// Scope is how a term stands to one watched entity, counted over the
// documents in the entity's scope: those that mention it (Doc.Entities,
// a name or alias in the text, or written by one of its accounts), and the
// comments of a thread whose root post does (the root read in the same
// span). A term is about the entity when it has at least MinScopedCount
// such documents in the window and either
//
//   - it rises among them: Rise, the signed G² of Count of Docs against
//     BackgroundCount of BackgroundDocs, is at least MinRise; or
//   - it co-occurs with the entity far more than chance in the window:
//     Cooc, the signed G² of the 2×2 table term × in-scope over the
//     window's documents, is at least MinRise, and the term rises over the
//     whole corpus too (Term.Score ≥ MinRise).
//
// For a term linked to a watched person as a nickname, About is that
// person's scope, and the tests need only MinNicknameRise: the surface
// evidence of the link (a shared character, a homophone, a borrowed
// figure) stands in for the rest of the significance.
type Scope struct {
	Entity          string  `json:"entity"`
	Count           int     `json:"count"`
	Docs            int     `json:"docs"`
	BackgroundCount int     `json:"background_count"`
	BackgroundDocs  int     `json:"background_docs"`
	Rise            float64 `json:"rise"`
	Cooc            float64 `json:"cooc"`
	// Score is the larger of Rise and Cooc among those that qualify.
	Score float64 `json:"score"`
	// Examples are window items with the term in the entity's scope.
	Examples []string `json:"examples,omitempty"`

	exampleTimes []int64
}

// MinNicknameRise is the least G² of the scope tests for a nickname's
// person: 3.84, the χ² quantile of one degree of freedom at p = 0.05.
const MinNicknameRise = 3.84

// scopeOf measures a term against entity k: joint and bgJoint are its
// documents in the entity's scope in the window and the background,
// docs its window documents, score its corpus-wide rise; least is the G²
// a test needs (MinRise, or MinNicknameRise).
func scopeOf(id string, joint, entDocs, bgJoint, bgEntDocs, docs, total int, score, least float64) (Scope, bool) {
	s := Scope{Entity: id, Count: joint, Docs: entDocs, BackgroundCount: bgJoint, BackgroundDocs: bgEntDocs}
	s.Rise = riseG2(joint, entDocs, bgJoint, bgEntDocs)
	s.Cooc = riseG2(joint, docs, entDocs-joint, total-docs)
	if joint < MinScopedCount {
		return s, false
	}
	ok := false
	if s.Rise >= least {
		s.Score, ok = s.Rise, true
	}
	if s.Cooc >= least && score >= least && s.Cooc > s.Score {
		s.Score, ok = s.Cooc, true
	}
	return s, ok
}
