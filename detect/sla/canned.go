package sla

import (
	"cmp"
	"hash/fnv"
	"slices"
	"strings"
	"unicode"

	"trustwatch"
)

// Defaults for canned-reply detection.
const (
	DefaultSimilarity = 0.7 // Jaccard similarity of character bigrams
	minCannedRunes    = 8   // shorter replies ("谢谢支持") are not judged
)

// CannedGroup is a set of near-identical official replies.
type CannedGroup struct {
	Text    string   `json:"text"` // the earliest reply of the group
	ItemIDs []string `json:"item_ids"`
	Threads int      `json:"threads"` // distinct threads it was posted in
}

// CannedReport is the share of official replies that are canned.
type CannedReport struct {
	N      int           `json:"n"`      // replies long enough to judge
	Canned int           `json:"canned"` // replies in a canned group
	Share  float64       `json:"share"`
	Groups []CannedGroup `json:"groups"` // largest first
}

// OfficialReplies selects the items posted by the given accounts (an
// entity's Accounts) and the items of kind statement.
func OfficialReplies(items []trustwatch.Item, accounts []string) []trustwatch.Item {
	var out []trustwatch.Item
	for _, it := range items {
		if it.Kind == trustwatch.KindStatement || (it.Author != "" && slices.Contains(accounts, it.Author)) {
			out = append(out, it)
		}
	}
	return out
}

// CannedReplies groups near-identical replies (Jaccard similarity of their
// character bigrams at least similarity, DefaultSimilarity when ≤ 0, after
// dropping punctuation, digits, spaces and @mentions) and counts as canned
// the groups posted in at least two threads (an item's thread is its
// ParentID, or itself). The same reply twice under one post is repetition,
// not a template.
func CannedReplies(replies []trustwatch.Item, similarity float64) CannedReport {
	if similarity <= 0 {
		similarity = DefaultSimilarity
	}
	// Identical normalised texts collapse to one shape first: canned replies
	// are mostly verbatim, so the quadratic comparison runs over few shapes.
	type shape struct {
		text    string
		grams   []uint64
		members []int
	}
	var shapes []*shape
	byNorm := map[string]*shape{}
	n := 0
	for i := range replies {
		norm := normalise(replies[i].FullText())
		if len([]rune(norm)) < minCannedRunes {
			continue
		}
		n++
		s, ok := byNorm[norm]
		if !ok {
			s = &shape{text: norm, grams: bigrams(norm)}
			byNorm[norm] = s
			shapes = append(shapes, s)
		}
		s.members = append(s.members, i)
	}
	rep := CannedReport{N: n}
	if n == 0 {
		return rep
	}
	// Union near-identical shapes. Jaccard ≥ t needs |small|/|large| ≥ t, so
	// after sorting by size the inner loop stops early.
	order := make([]int, len(shapes))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(len(shapes[a].grams), len(shapes[b].grams)) })
	parent := make([]int, len(shapes))
	for i := range parent {
		parent[i] = i
	}
	find := func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	for a := 0; a < len(order); a++ {
		ga := shapes[order[a]].grams
		for b := a + 1; b < len(order); b++ {
			gb := shapes[order[b]].grams
			if float64(len(ga)) < similarity*float64(len(gb)) {
				break
			}
			if jaccard(ga, gb) >= similarity {
				ra, rb := find(order[a]), find(order[b])
				if ra != rb {
					parent[ra] = rb
				}
			}
		}
	}
	groups := map[int][]int{} // root shape → reply indices
	for i, s := range shapes {
		root := find(i)
		groups[root] = append(groups[root], s.members...)
	}
	for _, members := range groups {
		threads := map[string]bool{}
		for _, i := range members {
			threads[cmp.Or(replies[i].ParentID, replies[i].ID)] = true
		}
		if len(members) < 2 || len(threads) < 2 {
			continue
		}
		slices.SortFunc(members, func(a, b int) int {
			return cmp.Or(replies[a].Time.Compare(replies[b].Time), cmp.Compare(replies[a].ID, replies[b].ID))
		})
		g := CannedGroup{Text: replies[members[0]].Body(), Threads: len(threads)}
		for _, i := range members {
			g.ItemIDs = append(g.ItemIDs, replies[i].ID)
		}
		rep.Groups = append(rep.Groups, g)
		rep.Canned += len(members)
	}
	slices.SortFunc(rep.Groups, func(a, b CannedGroup) int {
		return cmp.Or(cmp.Compare(len(b.ItemIDs), len(a.ItemIDs)), cmp.Compare(a.ItemIDs[0], b.ItemIDs[0]))
	})
	rep.Share = float64(rep.Canned) / float64(rep.N)
	return rep
}

// normalise keeps letters (Han included) in lower case and drops
// everything else, including @mentions, so that "@张三 您好，已反馈！" and
// "@李四 您好 已反馈" compare equal.
func normalise(s string) string {
	var b strings.Builder
	skip := false
	for _, r := range s {
		switch {
		case r == '@':
			skip = true
		case skip && (unicode.IsSpace(r) || r == ':' || r == '：' || r == ',' || r == '，'):
			skip = false
		case skip:
		case unicode.IsLetter(r):
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// bigrams returns the sorted distinct hashes of the text's character bigrams.
func bigrams(s string) []uint64 {
	rs := []rune(s)
	out := make([]uint64, 0, len(rs))
	h := fnv.New64a()
	for i := 0; i+1 < len(rs); i++ {
		h.Reset()
		h.Write([]byte(string(rs[i : i+2])))
		out = append(out, h.Sum64())
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func jaccard(a, b []uint64) float64 {
	i, j, inter := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			inter++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	union := len(a) + len(b) - inter
	if union == 0 {
		return 1
	}
	return float64(inter) / float64(union)
}
