package query

import (
	"strconv"
	"strings"
)

// Binding strengths, for parentheses when rendering.
const (
	precOr = iota + 1
	precAnd
	precNear
	precAtom
)

// String renders the query canonically: words and phrases as their index
// units spell them, fields with canonical values, explicit NEAR/n, and
// parentheses only where precedence needs them. Parse(q.String(),
// Options{}) gives q's AST back.
func (q *Query) String() string {
	var b strings.Builder
	render(&b, q.Root)
	return b.String()
}

func prec(n Node) int {
	switch n.(type) {
	case *Or:
		return precOr
	case *And:
		return precAnd
	case *Near:
		return precNear
	}
	return precAtom
}

func render(b *strings.Builder, n Node) {
	switch n := n.(type) {
	case *Or:
		renderList(b, n.Nodes, " OR ", precOr+1)
	case *And:
		renderList(b, n.Nodes, " ", precAnd+1)
	case *Not:
		b.WriteByte('-')
		renderChild(b, n.Node, precAtom)
	case *Near:
		renderText(b, n.Left)
		b.WriteString(" NEAR/")
		b.WriteString(strconv.Itoa(n.N))
		b.WriteByte(' ')
		renderText(b, n.Right)
	case *Text:
		renderText(b, n)
	case *Field:
		b.WriteString(n.Name)
		b.WriteByte(':')
		if n.Op != "=" {
			b.WriteString(n.Op)
		}
		writeValue(b, n.Value)
	}
}

func renderList(b *strings.Builder, nodes []Node, sep string, min int) {
	if len(nodes) == 0 {
		b.WriteString("()")
		return
	}
	for i, c := range nodes {
		if i > 0 {
			b.WriteString(sep)
		}
		renderChild(b, c, min)
	}
}

// renderChild renders n, in parentheses if it binds less than min.
func renderChild(b *strings.Builder, n Node, min int) {
	if prec(n) >= min {
		render(b, n)
		return
	}
	b.WriteByte('(')
	render(b, n)
	b.WriteByte(')')
}

// renderText writes a Text as a word when it is one unit, else as a
// quoted phrase, so that re-cutting cannot turn it into several words.
func renderText(b *strings.Builder, t *Text) {
	s := unitsText(t.Units)
	if len(t.Units) == 1 && !isOperator(s) {
		b.WriteString(s)
		return
	}
	writeQuoted(b, s)
}

// unitsText spells units back as text whose PhraseUnits they are: a run of
// Chinese pairs overlaps ("刹车", "车异", "异响" is 刹车异响), a lone Chinese
// character after a run ends it, Latin units are separated by spaces and
// two Chinese runs by a comma (white space would join them).
func unitsText(units []string) string {
	var b strings.Builder
	const none, latin, cjk = 0, 1, 2
	prev := none
	for i := 0; i < len(units); {
		rs := []rune(units[i])
		i++
		if len(rs) == 0 {
			continue
		}
		if !isCJK(rs[0]) {
			if prev == latin {
				b.WriteByte(' ')
			}
			b.WriteString(string(rs))
			prev = latin
			continue
		}
		if prev == cjk {
			b.WriteByte(',')
		}
		prev = cjk
		b.WriteString(string(rs))
		if len(rs) != 2 {
			continue
		}
		last := rs[1]
		for i < len(units) {
			next := []rune(units[i])
			if len(next) != 2 || next[0] != last || !isCJK(next[1]) {
				break
			}
			b.WriteRune(next[1])
			last = next[1]
			i++
		}
		if i < len(units) {
			if next := []rune(units[i]); len(next) == 1 && next[0] == last {
				i++ // the run's last character alone: the run ends here
			}
		}
	}
	return b.String()
}

// writeValue writes a field value bare when that reads back the same.
func writeValue(b *strings.Builder, v string) {
	if v != "" && !strings.ContainsFunc(v, func(r rune) bool { return endsWord(r) || r == '\\' }) {
		b.WriteString(v)
		return
	}
	writeQuoted(b, v)
}

func writeQuoted(b *strings.Builder, s string) {
	b.WriteByte('"')
	for _, r := range s {
		if r == '"' || r == '\\' {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
}

// isOperator reports whether a bare word would be read as an operator.
func isOperator(s string) bool {
	switch s {
	case "AND", "OR", "NOT", "NEAR":
		return true
	}
	return strings.HasPrefix(s, "NEAR/")
}
