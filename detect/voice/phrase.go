package voice

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
)

// Signature phrase thresholds.
const (
	phraseMinRunes = 3
	phraseMaxRunes = 10
	// A phrase must be in at least 3 posts and 5% of them, ...
	phraseMinPosts = 3
	phraseMinShare = 0.05
	// ... used at least 5 times as often (per item) as by the crowd ...
	phraseMinLift = 5
	// ... and a phrase inside a longer one is dropped when the longer one
	// is in at least 80% of its posts: it adds nothing.
	phraseCover = 0.8
	phraseLimit = 20
)

// signaturePhrases finds the strings of 3–10 letters or digits (two of
// them letters at least) that the
// account uses in many posts and the crowd seldom does. Both inputs are
// normalised texts; the crowd's should leave out replies to the account,
// which quote and parody it.
func signaturePhrases(posts, crowd []string) []Phrase {
	df := map[string]int{}
	for _, t := range posts {
		for g := range substrings(t) {
			df[g]++
		}
	}
	minPosts := max(phraseMinPosts, int(phraseMinShare*float64(len(posts))+0.999))
	cand := map[string]int{}
	for g, n := range df {
		if n >= minPosts && letters(g) >= 2 {
			cand[g] = 0
		}
	}
	if len(cand) == 0 {
		return []Phrase{}
	}
	for _, t := range crowd {
		for g := range substrings(t) {
			if _, ok := cand[g]; ok {
				cand[g]++
			}
		}
	}
	var out []Phrase
	for g, cn := range cand {
		share := float64(df[g]) / float64(len(posts))
		// Add-one smoothing keeps the lift finite for phrases the crowd never uses.
		crowdShare := float64(cn+1) / float64(len(crowd)+2)
		if lift := share / crowdShare; lift >= phraseMinLift {
			out = append(out, Phrase{Text: g, Posts: df[g], Share: share, CrowdShare: float64(cn) / float64(max(len(crowd), 1)), Lift: lift})
		}
	}
	// Longest first, so a phrase is compared with the longer ones kept.
	slices.SortFunc(out, func(a, b Phrase) int {
		return cmp.Or(cmp.Compare(len([]rune(b.Text)), len([]rune(a.Text))), cmp.Compare(b.Posts, a.Posts), strings.Compare(a.Text, b.Text))
	})
	var kept []Phrase
	for _, p := range out {
		covered := false
		for _, k := range kept {
			if strings.Contains(k.Text, p.Text) && float64(k.Posts) >= phraseCover*float64(p.Posts) {
				covered = true
				break
			}
		}
		if !covered {
			kept = append(kept, p)
		}
	}
	slices.SortFunc(kept, func(a, b Phrase) int {
		return cmp.Or(cmp.Compare(b.Posts, a.Posts), cmp.Compare(b.Lift, a.Lift), strings.Compare(a.Text, b.Text))
	})
	if len(kept) > phraseLimit {
		kept = kept[:phraseLimit]
	}
	return kept
}

func letters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

// substrings yields each distinct run of 3–10 letters or digits in text once
// (phrases do not cross punctuation or spaces).
func substrings(text string) map[string]struct{} {
	set := map[string]struct{}{}
	runes := []rune(text)
	start := 0
	for i := 0; i <= len(runes); i++ {
		if i < len(runes) && (unicode.IsLetter(runes[i]) || unicode.IsNumber(runes[i])) {
			continue
		}
		seg := runes[start:i]
		for a := range seg {
			for l := phraseMinRunes; l <= phraseMaxRunes && a+l <= len(seg); l++ {
				set[string(seg[a:a+l])] = struct{}{}
			}
		}
		start = i + 1
	}
	return set
}
