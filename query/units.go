package query

import (
	"strings"
	"trustwatch"
	"trustwatch/segment"
	"unicode"
	"unicode/utf8"
)

// ItemIndexText is IndexText of the item's normalised title and text: what
// the SQLite index holds for it.
func ItemIndexText(it *trustwatch.Item) string { return IndexText(normalized(it)) }

// ItemIndexUnits is IndexUnits of the item's normalised title and text:
// what the PostgreSQL index holds for it.
func ItemIndexUnits(it *trustwatch.Item) []string { return IndexUnits(normalized(it)) }

// normalized is the item's FullText normalised, as its analysis kept it
// (Item.Normalized) or, for an item not analysed here, anew.
func normalized(it *trustwatch.Item) string {
	if it.Normalized != "" {
		return it.Normalized
	}
	return segment.Normalize(it.FullText())
}

// IndexUnits cuts normalised text (segment.Normalize) into the units the
// stores index, in order; a unit's position in the slice is its position
// for phrases and NEAR.
//
// A run of Han, Hiragana or Katakana characters (white space between two of
// them does not end it) of n characters gives n units: each character with
// the next one, and the last character alone. A run of other letters and
// digits ("su7", "2024") is one unit. Everything else (punctuation, symbols,
// emoji, space) separates units and is not indexed.
func IndexUnits(text string) []string {
	units := strings.Fields(IndexText(text))
	if len(units) == 0 {
		return nil
	}
	return units
}

// IndexText is IndexUnits joined by single spaces (units never hold one),
// as the SQLite index takes them. It is the ingest hot path: one pass that
// writes slices of text, with no string per unit.
func IndexText(text string) string {
	var b strings.Builder
	b.Grow(2 * len(text))
	unit := func(parts ...string) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		for _, p := range parts {
			b.WriteString(p)
		}
	}
	prev := ""  // the last Chinese character of the current run
	latin := -1 // where the current run of other letters began
	endLatin := func(i int) {
		if latin >= 0 {
			unit(text[latin:i])
			latin = -1
		}
	}
	endCJK := func() {
		if prev != "" {
			unit(prev)
			prev = ""
		}
	}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case isCJK(r):
			endLatin(i)
			cur := text[i : i+size]
			if prev != "" {
				unit(prev, cur)
			}
			prev = cur
		case unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Mn, r):
			endCJK()
			if latin < 0 {
				latin = i
			}
		case unicode.IsSpace(r) && prev != "":
			// A space inside a Chinese run does not end it: whatever
			// comes next and is not Chinese does.
		default:
			endLatin(i)
			endCJK()
		}
		i += size
	}
	endLatin(len(text))
	endCJK()
	return b.String()
}

// PhraseUnits is the Text node for a phrase: the units that text (already
// normalised) must have consecutively, and whether the last of them matches
// as a prefix. It returns nil units when text has nothing indexable.
//
// The phrase's units are those of IndexUnits except at its edges, where the
// item's text may go on: a Chinese run that ends the phrase gives no unit for
// its last character alone (the item's text may continue the run, making
// that character part of a pair), and a phrase ending in a single Chinese
// character matches it as the prefix of a unit.
func PhraseUnits(text string) *Text {
	var runs []struct {
		s   string
		cjk bool
	}
	eachRun(text, func(run string, cjk bool) {
		runs = append(runs, struct {
			s   string
			cjk bool
		}{run, cjk})
	})
	t := &Text{}
	for i, r := range runs {
		last := i == len(runs)-1
		if !r.cjk {
			t.Units = append(t.Units, r.s)
			continue
		}
		rs := []rune(r.s)
		if last && len(rs) == 1 {
			t.Units = append(t.Units, r.s)
			t.Prefix = true
			continue
		}
		t.Units = appendCJK(t.Units, rs, !last)
	}
	if len(t.Units) == 0 {
		return nil
	}
	return t
}

// appendCJK appends the pairs of a run of Chinese characters and, if
// withLast, its last character alone.
func appendCJK(units []string, rs []rune, withLast bool) []string {
	for i := 0; i+1 < len(rs); i++ {
		units = append(units, string(rs[i:i+2]))
	}
	if withLast && len(rs) > 0 {
		units = append(units, string(rs[len(rs)-1]))
	}
	return units
}

// eachRun calls fn with each run of text that makes units: Chinese runs
// (with the white space inside them removed) and runs of other letters and
// digits.
func eachRun(text string, fn func(run string, cjk bool)) {
	var b strings.Builder
	cjk := false
	flush := func() {
		if b.Len() > 0 {
			fn(b.String(), cjk)
			b.Reset()
		}
	}
	for _, r := range text {
		switch {
		case isCJK(r):
			if !cjk {
				flush()
			}
			cjk = true
			b.WriteRune(r)
		case unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Mn, r):
			if cjk {
				flush()
			}
			cjk = false
			b.WriteRune(r)
		case unicode.IsSpace(r) && cjk:
			// A space inside a Chinese run does not end it: whatever
			// comes next and is not Chinese does.
		default:
			flush()
		}
	}
	flush()
}

// isCJK reports whether r is written without spaces between words.
func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana)
}
