package postgres

import (
	"strconv"
	"strings"

	"trustwatch"
	"trustwatch/query"
)

// Queries (docs/query.md) become SQL here, as in the SQLite store: each
// pure-text part of the query (query.IsText) becomes one tsquery over
// items.words, bound as a parameter, and each field a condition on a
// column. Units are quoted lexemes: user text never becomes tsquery or SQL
// syntax.

// queryCond renders n as a condition over items aliased i.
func queryCond(n query.Node, a *args) (string, error) {
	n, all := query.Prune(n)
	if n == nil {
		if all {
			return "true", nil
		}
		return "false", nil
	}
	return nodeCond(n, a)
}

func nodeCond(n query.Node, a *args) (string, error) {
	return query.Condition(n, func(n query.Node) (string, error) {
		return "i.words @@ " + a.add(tsExpr(n)) + "::tsquery", nil
	}, func(f *query.Field) (string, error) { return fieldCond(f, a) })
}

// tsExpr renders a pure-text node as a tsquery.
func tsExpr(n query.Node) string {
	switch n := n.(type) {
	case *query.Text:
		return tsPhrase(n)
	case *query.Near:
		// a <d> b matches b exactly d positions after a (from a's last
		// unit to b's first), so at most N units between, in either
		// order, is an OR of the distances 1 to N+1 both ways.
		l, r := tsPhrase(n.Left), tsPhrase(n.Right)
		var alts []string
		for d := 1; d <= n.N+1; d++ {
			op := " <" + strconv.Itoa(d) + "> "
			alts = append(alts, l+op+r, r+op+l)
		}
		return "(" + strings.Join(alts, " | ") + ")"
	case *query.Not:
		return "!" + tsExpr(n.Node)
	case *query.And:
		return tsJoin(n.Nodes, " & ")
	case *query.Or:
		return tsJoin(n.Nodes, " | ")
	}
	panic("postgres: tsExpr of a node that is not text")
}

func tsJoin(nodes []query.Node, op string) string {
	parts := make([]string, len(nodes))
	for i, c := range nodes {
		parts[i] = tsExpr(c)
	}
	return "(" + strings.Join(parts, op) + ")"
}

// tsPhrase is a Text as a tsquery phrase: its units joined by <->, the
// last with :* when it is a prefix.
func tsPhrase(t *query.Text) string {
	parts := make([]string, len(t.Units))
	for i, u := range t.Units {
		parts[i] = quoteLexeme(u)
	}
	if t.Prefix {
		parts[len(parts)-1] += ":*"
	}
	return "(" + strings.Join(parts, " <-> ") + ")"
}

// countColumns are the fields compared as numbers.
var countColumns = map[string]string{
	"likes": "i.likes", "reposts": "i.reposts", "replies": "i.replies", "views": "i.views", "favorites": "i.favorites",
}

// fieldCond renders a field as a condition, with the meaning query.Match
// gives it.
func fieldCond(f *query.Field, a *args) (string, error) {
	if col, ok := countColumns[f.Name]; ok {
		v, err := strconv.ParseInt(f.Value, 10, 64)
		if err != nil {
			return "", trustwatch.Errorf(trustwatch.EINVALID, "query: %s:%s%s: not a whole number", f.Name, f.Op, f.Value)
		}
		switch f.Op {
		case "=", "<", "<=", ">", ">=":
		default:
			return "", trustwatch.Errorf(trustwatch.EINVALID, "query: %s: unknown comparison %q", f.Name, f.Op)
		}
		return col + " " + f.Op + " " + a.add(v), nil
	}
	if f.Op != "=" {
		return "", trustwatch.Errorf(trustwatch.EINVALID, "query: %s: only = applies", f.Name)
	}
	v := f.Value
	switch f.Name {
	case "entity", "topic":
		return "i.entities @> " + a.add([]string{v}) + "::text[]", nil
	case "aspect":
		return "i.aspect_names @> " + a.add([]string{v}) + "::text[]", nil
	case "tag":
		return "i.tags @> " + a.add([]string{v}) + "::text[]", nil
	case "sentiment":
		return "i.sentiment = " + a.add(v), nil
	case "kind":
		return "i.kind = " + a.add(v), nil
	case "platform":
		// The parser lower-cases the value.
		return "lower(i.platform) = " + a.add(v), nil
	case "author":
		// The author index is partial (non-empty authors only).
		return "(i.author = " + a.add(v) + " AND i.author <> '')", nil
	case "keyword":
		return "(lower(i.keyword) = " + a.add(v) + " AND i.keyword <> '')", nil
	case "lang":
		// A language tag and its subtags: lang:zh is zh, zh-Hant, zh-CN.
		lv := strings.ToLower(v)
		return "(lower(i.lang) = " + a.add(lv) + " OR starts_with(lower(i.lang), " + a.add(lv+"-") + "))", nil
	}
	return "", trustwatch.Errorf(trustwatch.EINVALID, "query: unknown field %q", f.Name)
}
