package query

import (
	"fmt"
	"strings"
)

// The stores translate a query into their own SQL: the pure-text parts into
// one query of their text index each, the fields into conditions on
// columns. These helpers separate the two, so both stores cut a query the
// same way.

// IsText reports whether n is pure text: a Text or a Near, or an And, Or
// or Not of pure text only.
func IsText(n Node) bool {
	switch n := n.(type) {
	case *Text, *Near:
		return true
	case *Not:
		return IsText(n.Node)
	case *And:
		return allText(n.Nodes)
	case *Or:
		return allText(n.Nodes)
	}
	return false
}

func allText(nodes []Node) bool {
	for _, c := range nodes {
		if !IsText(c) {
			return false
		}
	}
	return true
}

// SplitText separates the children of an And or an Or (given as nodes):
// the pure-text ones, gathered into one node of the same kind (or the one
// child itself; nil when there are none), and the others, in order.
func SplitText(n Node) (text Node, rest []Node) {
	var nodes []Node
	switch n := n.(type) {
	case *And:
		nodes = n.Nodes
	case *Or:
		nodes = n.Nodes
	default:
		panic("query.SplitText: not an And or an Or")
	}
	var texts []Node
	for _, c := range nodes {
		if IsText(c) {
			texts = append(texts, c)
		} else {
			rest = append(rest, c)
		}
	}
	switch {
	case len(texts) == 1:
		text = texts[0]
	case len(texts) > 1:
		if _, ok := n.(*And); ok {
			text = &And{Nodes: texts}
		} else {
			text = &Or{Nodes: texts}
		}
	}
	return text, rest
}

// Prune returns n without the Text nodes that have no units (text with
// nothing indexable, which no item contains), simplified: an And with such
// a child matches nothing, an Or forgets it, a Near with it matches nothing,
// a Not of nothing matches everything. When nothing is left, node is nil and
// all says whether n matches every item (else none). A store needs no case
// for an empty phrase after Prune.
func Prune(n Node) (node Node, all bool) {
	switch n := n.(type) {
	case *Text:
		if len(n.Units) == 0 {
			return nil, false
		}
	case *Near:
		if n.Left == nil || n.Right == nil || len(n.Left.Units) == 0 || len(n.Right.Units) == 0 {
			return nil, false
		}
	case *Not:
		c, all := Prune(n.Node)
		if c == nil {
			return nil, !all
		}
		if c != n.Node {
			return &Not{Node: c}, false
		}
	case *And:
		var kept []Node
		for _, c := range n.Nodes {
			p, all := Prune(c)
			if p == nil && !all {
				return nil, false
			} else if p != nil {
				kept = append(kept, p)
			}
		}
		return gather(kept, true, func(ns []Node) Node { return &And{Nodes: ns} })
	case *Or:
		var kept []Node
		for _, c := range n.Nodes {
			p, all := Prune(c)
			if p == nil && all {
				return nil, true
			} else if p != nil {
				kept = append(kept, p)
			}
		}
		return gather(kept, false, func(ns []Node) Node { return &Or{Nodes: ns} })
	}
	return n, false
}

// gather makes the node of the children kept: none is empty (matching
// everything if empty, else nothing), one is itself.
func gather(kept []Node, empty bool, join func([]Node) Node) (Node, bool) {
	switch len(kept) {
	case 0:
		return nil, empty
	case 1:
		return kept[0], false
	}
	return join(kept), false
}

// Condition renders n as a boolean SQL condition (AND, OR, NOT and
// parentheses, which every SQL store spells alike), leaving its leaves to
// the store: text renders each maximal pure-text part (IsText) as the
// store's index match, and field each field. It is the one walk both
// stores share; n should be pruned (Prune) first.
func Condition(n Node, text func(Node) (string, error), field func(*Field) (string, error)) (string, error) {
	if IsText(n) {
		return text(n)
	}
	switch n := n.(type) {
	case *And, *Or:
		op := " AND "
		if _, ok := n.(*Or); ok {
			op = " OR "
		}
		textPart, rest := SplitText(n)
		var parts []string
		if textPart != nil {
			rest = append([]Node{textPart}, rest...)
		}
		for _, c := range rest {
			s, err := Condition(c, text, field)
			if err != nil {
				return "", err
			}
			parts = append(parts, s)
		}
		return "(" + strings.Join(parts, op) + ")", nil
	case *Not:
		c, err := Condition(n.Node, text, field)
		if err != nil {
			return "", err
		}
		return "NOT " + c, nil
	case *Field:
		return field(n)
	}
	return "", fmt.Errorf("query: unexpected node %T", n)
}
