package query

import (
	"fmt"
	"strings"

	"golang.org/x/text/width"

	"trustwatch/segment"
)

// Options are how Parse reads words.
type Options struct {
	// Cut cuts a normalised bare word into words the way stored text is
	// cut (segment.Segmenter's Words). Nil leaves each bare word whole:
	// one phrase, as the stores read a canonical query.
	Cut func(string) []string
}

// Query is a parsed query.
type Query struct {
	// Root is never nil.
	Root Node
}

// SyntaxError is a query that cannot be parsed, and where.
type SyntaxError struct {
	// Col is the 1-based column, in characters (runes) of the query as
	// typed, where the problem is; it is at most one past the end.
	Col int
	Msg string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("column %d: %s", e.Col, e.Msg) }

// Caret returns query with a second line holding a caret under the error's
// column, for a monospaced display. Wide (Chinese, full-width) characters
// take two columns of the display, so the caret stays under the character.
func (e *SyntaxError) Caret(query string) string {
	query = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' {
			return ' ' // one line, one column per character
		}
		return r
	}, query)
	pad := 0
	for i, r := range []rune(query) {
		if i+1 >= e.Col {
			break
		}
		pad++
		if k := width.LookupRune(r).Kind(); k == width.EastAsianWide || k == width.EastAsianFullwidth {
			pad++
		}
	}
	return query + "\n" + strings.Repeat(" ", pad) + "^"
}

func errorf(col int, format string, args ...any) *SyntaxError {
	return &SyntaxError{Col: col, Msg: fmt.Sprintf(format, args...)}
}

// maxDepth bounds the nesting of parentheses and negations.
const maxDepth = 100

// Parse reads a query (docs/query.md). Errors are *SyntaxError.
func Parse(s string, opt Options) (*Query, error) {
	if strings.TrimSpace(s) == "" {
		return nil, errorf(1, "empty query")
	}
	toks, err := lex(s)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks, cut: opt.Cut}
	root, err := p.or()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		if t.kind == tRParen {
			return nil, errorf(t.col, "unmatched )")
		}
		return nil, errorf(t.col, "unexpected %s", describe(t))
	}
	if root == nil {
		return nil, errorf(p.dropped, "nothing to search for: the query has no letters, digits or fields")
	}
	return &Query{Root: root}, nil
}

// Canonical parses s with cut and renders the result as the stores read
// it: Parse(Canonical(s), Options{}) means what Parse(s, Options{cut}) does.
func Canonical(s string, cut func(string) []string) (string, error) {
	q, err := Parse(s, Options{Cut: cut})
	if err != nil {
		return "", err
	}
	return q.String(), nil
}

type parser struct {
	toks  []token
	i     int
	cut   func(string) []string
	depth int
	// dropped is the column of the first term with nothing to index.
	dropped int
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

// startsTerm reports whether t can begin an operand.
func startsTerm(t token) bool {
	switch t.kind {
	case tWord, tPhrase, tField, tLParen, tMinus, tNot:
		return true
	}
	return false
}

func describe(t token) string {
	switch t.kind {
	case tEOF:
		return "end of query"
	case tRParen:
		return ")"
	case tAnd:
		return "AND"
	case tOr:
		return "OR"
	case tNear:
		return "NEAR"
	}
	return "term"
}

// or = and { "OR" and }
func (p *parser) or() (Node, error) {
	if t := p.peek(); t.kind == tOr {
		return nil, errorf(t.col, "OR needs a term before it")
	}
	first, err := p.and()
	if err != nil {
		return nil, err
	}
	nodes := appendFlat(nil, first, true)
	for p.peek().kind == tOr {
		op := p.next()
		if !startsTerm(p.peek()) {
			return nil, errorf(op.col, "OR needs a term after it")
		}
		n, err := p.and()
		if err != nil {
			return nil, err
		}
		nodes = appendFlat(nodes, n, true)
	}
	return join(nodes, func(ns []Node) Node { return &Or{Nodes: ns} }), nil
}

// and = near { ["AND"] near }
func (p *parser) and() (Node, error) {
	var nodes []Node
	first := true
	for {
		t := p.peek()
		if t.kind == tAnd {
			if first {
				return nil, errorf(t.col, "AND needs a term before it")
			}
			p.next()
			if !startsTerm(p.peek()) {
				return nil, errorf(t.col, "AND needs a term after it")
			}
		} else if t.kind == tNear && first {
			return nil, errorf(t.col, "NEAR needs a word or phrase before it")
		} else if !startsTerm(t) {
			break
		}
		n, err := p.near()
		if err != nil {
			return nil, err
		}
		nodes = appendFlat(nodes, n, false)
		first = false
	}
	return join(nodes, func(ns []Node) Node { return &And{Nodes: ns} }), nil
}

// near = unary { NEAR unary }; both operands must be words or phrases.
func (p *parser) near() (Node, error) {
	left, lphrase, err := p.unary()
	if err != nil {
		return nil, err
	}
	for p.peek().kind == tNear {
		op := p.next()
		if !startsTerm(p.peek()) {
			return nil, errorf(op.col, "NEAR needs a word or phrase after it")
		}
		right, rphrase, err := p.unary()
		if err != nil {
			return nil, err
		}
		l, r := asText(left, lphrase), asText(right, rphrase)
		if l == nil || r == nil {
			return nil, errorf(op.col, "NEAR joins two words or phrases (a NEAR/5 b), not fields, groups or negations")
		}
		left, lphrase = &Near{Left: l, Right: r, N: op.n}, nil
	}
	return left, nil
}

// asText is n as a NEAR operand: a Text, or the whole bare word a cut word
// came from.
func asText(n Node, phrase *Text) *Text {
	if t, ok := n.(*Text); ok {
		return t
	}
	return phrase
}

// unary = ("-" | "NOT") unary | primary. For a bare word it also returns
// the word as one phrase, for NEAR.
func (p *parser) unary() (Node, *Text, error) {
	t := p.peek()
	if t.kind != tMinus && t.kind != tNot {
		return p.primary()
	}
	p.next()
	if !startsTerm(p.peek()) {
		name := "-"
		if t.kind == tNot {
			name = "NOT"
		}
		return nil, nil, errorf(t.col, "%s needs a term after it", name)
	}
	if p.depth++; p.depth > maxDepth {
		return nil, nil, errorf(t.col, "the query is nested too deeply")
	}
	n, _, err := p.unary()
	p.depth--
	if err != nil || n == nil {
		return nil, nil, err
	}
	return &Not{Node: n}, nil, nil
}

// primary = word | phrase | field | "(" or ")"
func (p *parser) primary() (Node, *Text, error) {
	t := p.next()
	switch t.kind {
	case tWord:
		norm := segment.Normalize(t.text)
		whole := PhraseUnits(norm)
		words := []string{norm}
		if p.cut != nil {
			words = p.cut(norm)
		}
		var nodes []Node
		for _, w := range words {
			if u := PhraseUnits(w); u != nil {
				nodes = append(nodes, u)
			}
		}
		n := join(nodes, func(ns []Node) Node { return &And{Nodes: ns} })
		if n == nil {
			p.drop(t.col)
			return nil, nil, nil
		}
		return n, whole, nil
	case tPhrase:
		u := PhraseUnits(segment.Normalize(t.text))
		if u == nil {
			p.drop(t.col)
			return nil, nil, nil
		}
		return u, nil, nil
	case tField:
		if t.text == "" {
			return nil, nil, errorf(t.valCol, "%s: needs a value", t.name)
		}
		op, v, msg := fields[t.name](t.text)
		if msg != "" {
			return nil, nil, errorf(t.valCol, "%s", msg)
		}
		return &Field{Name: t.name, Op: op, Value: v}, nil, nil
	case tLParen:
		if p.depth++; p.depth > maxDepth {
			return nil, nil, errorf(t.col, "the query is nested too deeply")
		}
		defer func() { p.depth-- }()
		if p.peek().kind == tRParen {
			p.next()
			p.drop(t.col)
			return nil, nil, nil
		}
		n, err := p.or()
		if err != nil {
			return nil, nil, err
		}
		if c := p.peek(); c.kind != tRParen {
			if c.kind == tEOF {
				return nil, nil, errorf(t.col, "unclosed (")
			}
			return nil, nil, errorf(c.col, "unexpected %s", describe(c))
		}
		p.next()
		return n, nil, nil
	}
	return nil, nil, errorf(t.col, "unexpected %s", describe(t))
}

func (p *parser) drop(col int) {
	if p.dropped == 0 {
		p.dropped = col
	}
}

// appendFlat appends n to nodes, splicing in the children of an And in an
// And (or an Or in an Or, when or is set) so the tree stays flat; nil is
// left out.
func appendFlat(nodes []Node, n Node, or bool) []Node {
	switch m := n.(type) {
	case nil:
		return nodes
	case *And:
		if !or {
			return append(nodes, m.Nodes...)
		}
	case *Or:
		if or {
			return append(nodes, m.Nodes...)
		}
	}
	return append(nodes, n)
}

// join makes one node of nodes: nil for none, the node itself for one.
func join(nodes []Node, build func([]Node) Node) Node {
	switch len(nodes) {
	case 0:
		return nil
	case 1:
		return nodes[0]
	}
	return build(nodes)
}
