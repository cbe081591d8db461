package ledger

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"trustwatch"
	"trustwatch/hype"
)

// stopWords are dropped from a claim's default subject: function words and
// the marketing filler that says nothing about what can be checked.
var stopWords = map[string]bool{
	"的": true, "了": true, "是": true, "和": true, "与": true, "及": true, "以及": true, "在": true,
	"我们": true, "你": true, "您": true, "我": true, "他": true, "它": true, "这": true, "那": true,
	"一个": true, "一款": true, "全新": true, "源自": true, "来自": true, "更": true, "让": true, "为": true,
	"只为": true, "用户": true, "就是": true, "也": true, "都": true, "还": true, "从": true, "到": true,
	"上": true, "下": true, "中": true, "有": true, "没有": true, "可以": true, "能": true, "将": true,
	"把": true, "被": true, "给": true, "对": true, "由": true, "比": true, "做": true, "带来": true,
	"打造": true, "体验": true, "时代": true, "真正": true, "每": true, "每一": true, "所有": true,
	"配备": true, "搭载": true, "采用": true, "支持": true, "拥有": true, "量产": true,
}

// DefaultSubject returns a claim's key terms when the watch file gives no
// subject: the text cut into words by cut, without stop words, one-rune
// words, numbers, hype terms (they are the charge, not the subject) and the
// names of the watched entities (matched separately). With a nil cut the
// text is split at punctuation only.
func DefaultSubject(text string, w *trustwatch.Watch, cut func(string) []string) []string {
	// Blank out the hype spans first so "黑科技" never becomes a subject.
	_, reasons := hype.Score(text)
	b := []byte(text)
	for _, r := range reasons {
		for i := r.Start; i < r.End; i++ {
			b[i] = ' '
		}
	}
	text = strings.ToValidUTF8(string(b), " ")
	names := map[string]bool{}
	if w != nil {
		for _, e := range w.Entities {
			for _, n := range e.Names() {
				names[fold(n)] = true
			}
		}
	}
	var words []string
	if cut != nil {
		words = cut(text)
	} else {
		words = strings.FieldsFunc(text, func(r rune) bool {
			return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r)
		})
	}
	var out []string
	seen := map[string]bool{}
	for _, word := range words {
		f := fold(word)
		if f == "" || seen[f] || stopWords[f] || names[f] || utf8.RuneCountInString(f) < 2 || isNumber(f) {
			continue
		}
		seen[f] = true
		out = append(out, f)
	}
	return out
}

func isNumber(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) && r != '.' && r != '%' {
			return false
		}
	}
	return true
}

// scope is what an item must mention to be evidence for one claim.
type scope struct {
	claim   trustwatch.Claim
	product bool
	// family is the claim's entity and every entity below it (a brand's
	// products); for a product claim, the product and the products it is
	// part of (the car a hood belongs to), never its siblings.
	family map[string]bool
	// names are all watched entities' folded names, longest first, so a
	// mention of "su7ultra" is not also one of "su7".
	names   []entityName
	subject []string
}

type entityName struct {
	name, entity string
}

func newScope(w *trustwatch.Watch, c trustwatch.Claim, cut func(string) []string) (*scope, error) {
	e := w.Entity(c.Entity)
	if e == nil {
		return nil, trustwatch.Errorf(trustwatch.EINVALID, "claim %q: unknown entity %q", c.ID, c.Entity)
	}
	sc := &scope{claim: c, product: e.Kind == trustwatch.EntityProduct, family: map[string]bool{e.ID: true}}
	if !sc.product {
		for _, d := range descendants(w, e.ID) {
			sc.family[d] = true
		}
	} else {
		for _, a := range ancestors(w, e.ID) {
			if x := w.Entity(a); x == nil || x.Kind != trustwatch.EntityProduct {
				break
			}
			sc.family[a] = true
		}
	}
	for _, x := range w.Entities {
		for _, n := range x.Names() {
			if f := fold(n); f != "" {
				sc.names = append(sc.names, entityName{name: f, entity: x.ID})
			}
		}
	}
	sort.SliceStable(sc.names, func(i, j int) bool { return len(sc.names[i].name) > len(sc.names[j].name) })
	if len(c.Subject) > 0 {
		for _, s := range c.Subject {
			if f := fold(s); f != "" {
				sc.subject = append(sc.subject, f)
			}
		}
	} else {
		sc.subject = DefaultSubject(c.Text, w, cut)
	}
	if len(sc.subject) == 0 {
		return nil, trustwatch.Errorf(trustwatch.EINVALID, "claim %q: no subject words (set subject: in the watch file)", c.ID)
	}
	return sc, nil
}

// descendants returns the ids of the entities below id (products of a
// brand, parts of a product), at any depth.
func descendants(w *trustwatch.Watch, id string) []string {
	var out []string
	seen := map[string]bool{id: true}
	for frontier := []string{id}; len(frontier) > 0; {
		var next []string
		for _, e := range w.Entities {
			for _, p := range frontier {
				if e.Parent == p && !seen[e.ID] {
					seen[e.ID] = true
					out = append(out, e.ID)
					next = append(next, e.ID)
				}
			}
		}
		frontier = next
	}
	return out
}

// ancestors returns the ids above id, nearest first.
func ancestors(w *trustwatch.Watch, id string) []string {
	var out []string
	seen := map[string]bool{id: true}
	for e := w.Entity(id); e != nil && e.Parent != "" && !seen[e.Parent]; e = w.Entity(e.Parent) {
		seen[e.Parent] = true
		out = append(out, e.Parent)
	}
	return out
}

// mentions returns the watched entities named in folded text. Longer names
// win: the bytes of "su7ultra" are not searched again for "su7".
func (sc *scope) mentions(text string) map[string]bool {
	found := map[string]bool{}
	taken := make([]bool, len(text))
	for _, n := range sc.names {
		for start := 0; start < len(text); {
			i := strings.Index(text[start:], n.name)
			if i < 0 {
				break
			}
			i += start
			free := true
			for k := i; k < i+len(n.name); k++ {
				if taken[k] {
					free = false
					break
				}
			}
			if free {
				found[n.entity] = true
				for k := i; k < i+len(n.name); k++ {
					taken[k] = true
				}
			}
			start = i + len(n.name)
		}
	}
	return found
}

// about reports whether the item is about the claim's entity: it names the
// entity (or, for a brand, one of its products) in its text. An item that
// names no watched entity at all falls back on the entities linked at
// ingest. For a product claim, naming a sibling product (another model) is
// not enough.
func (sc *scope) about(it *trustwatch.Item, text string) bool {
	m := sc.mentions(text)
	for id := range m {
		if sc.family[id] {
			return true
		}
	}
	if len(m) > 0 {
		return false
	}
	for _, id := range it.Entities {
		if sc.family[id] {
			return true
		}
	}
	return false
}

// subjectWords returns the subject words the folded text contains.
func (sc *scope) subjectWords(text string) []string {
	var out []string
	for _, s := range sc.subject {
		if strings.Contains(text, s) {
			out = append(out, s)
		}
	}
	return out
}
