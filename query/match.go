package query

import (
	"strings"
	"unicode/utf8"

	"trustwatch"
)

// Doc is an item prepared for matching: its index units, once, with where
// each occurs.
type Doc struct {
	it             *trustwatch.Item
	platform, lang string
	units          []string
	// at lists the positions of each unit; first those of the units
	// beginning with each character, for prefixes.
	at    map[string][]int32
	first map[rune][]int32
}

// NewDoc prepares it for matching, from the normalised text its analysis
// kept (Item.Normalized) when there is one. The item must not change while
// the Doc is used.
func NewDoc(it *trustwatch.Item) *Doc {
	units := ItemIndexUnits(it)
	d := &Doc{
		it:       it,
		platform: strings.ToLower(it.Platform),
		lang:     strings.ToLower(it.Lang),
		units:    units,
		at:       make(map[string][]int32, len(units)),
		first:    make(map[rune][]int32, len(units)),
	}
	for i, u := range units {
		d.at[u] = append(d.at[u], int32(i))
		r, _ := utf8.DecodeRuneInString(u)
		d.first[r] = append(d.first[r], int32(i))
	}
	return d
}

// Match reports whether the query matches the document, with the meaning
// the stores give it in SQL.
func (q *Query) Match(d *Doc) bool { return d.match(q.Root) }

func (d *Doc) match(n Node) bool {
	switch n := n.(type) {
	case *And:
		for _, c := range n.Nodes {
			if !d.match(c) {
				return false
			}
		}
		return true
	case *Or:
		for _, c := range n.Nodes {
			if d.match(c) {
				return true
			}
		}
		return false
	case *Not:
		return !d.match(n.Node)
	case *Text:
		found := false
		d.each(n, func(int32) bool { found = true; return false })
		return found
	case *Near:
		return d.near(n)
	case *Field:
		return d.matchField(n)
	}
	return false
}

// each calls fn with each position where t's units start, in order, until
// fn returns false.
func (d *Doc) each(t *Text, fn func(at int32) bool) {
	if len(t.Units) == 0 {
		return
	}
	var starts []int32
	if len(t.Units) == 1 && t.Prefix {
		r, _ := utf8.DecodeRuneInString(t.Units[0])
		starts = d.first[r]
	} else {
		starts = d.at[t.Units[0]]
	}
	last := len(t.Units) - 1
	for _, s := range starts {
		if int(s)+last >= len(d.units) {
			break
		}
		ok := true
		for j, u := range t.Units {
			got := d.units[int(s)+j]
			if j == last && t.Prefix {
				ok = strings.HasPrefix(got, u)
			} else {
				ok = got == u
			}
			if !ok {
				break
			}
		}
		if ok && !fn(s) {
			return
		}
	}
}

// near reports whether an occurrence of n.Left and one of n.Right, in
// either order and not overlapping, have at most n.N units between them.
func (d *Doc) near(n *Near) bool {
	var left []int32
	d.each(n.Left, func(at int32) bool { left = append(left, at); return true })
	if len(left) == 0 {
		return false
	}
	ll, rl := int32(len(n.Left.Units)), int32(len(n.Right.Units))
	found := false
	d.each(n.Right, func(r int32) bool {
		for _, l := range left {
			// Left before right: units between are r-(l+ll); right
			// before left: l-(r+rl). Negative is an overlap.
			if g := r - (l + ll); g >= 0 && g <= int32(n.N) {
				found = true
			} else if g := l - (r + rl); g >= 0 && g <= int32(n.N) {
				found = true
			}
			if found {
				return false
			}
		}
		return true
	})
	return found
}

// Uses reports whether the query has a field:value for field, anywhere
// (also negated).
func (q *Query) Uses(field string) bool { return uses(q.Root, field) }

func uses(n Node, field string) bool {
	switch n := n.(type) {
	case *And:
		for _, c := range n.Nodes {
			if uses(c, field) {
				return true
			}
		}
	case *Or:
		for _, c := range n.Nodes {
			if uses(c, field) {
				return true
			}
		}
	case *Not:
		return uses(n.Node, field)
	case *Field:
		return n.Name == field
	}
	return false
}

// Positive reports whether every item the query matches has some word,
// phrase or field value the query asks for: then a store can start from
// its indexes. It is false for a query that only excludes (-y7) and for
// one with an alternative that only excludes (su7 OR -y7): those match
// items by what they lack, and the store has to look at every item.
func (q *Query) Positive() bool { return positive(q.Root) }

func positive(n Node) bool {
	switch n := n.(type) {
	case *And:
		for _, c := range n.Nodes {
			if positive(c) {
				return true
			}
		}
		return false
	case *Or:
		for _, c := range n.Nodes {
			if !positive(c) {
				return false
			}
		}
		return len(n.Nodes) > 0
	case *Not:
		return false
	}
	return n != nil
}
