package sqlite

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"trustwatch"
	"trustwatch/query"
)

// Queries (docs/query.md) become SQL here. Each pure-text part of the
// query (query.IsText) becomes one FTS5 query of items_fts, bound as a
// parameter, and each field a condition on a column or an index table.
// Units are FTS5 strings in double quotes (a unit is letters and digits
// only, so it never holds a quote): user text never becomes FTS5 or SQL
// syntax.

// queryCond renders n as a condition over items aliased i, appending its
// parameters to args.
func queryCond(n query.Node, args *[]any) (string, error) {
	n, all := query.Prune(n)
	if n == nil {
		if all {
			return "1", nil
		}
		return "0", nil
	}
	return nodeCond(n, args)
}

func nodeCond(n query.Node, args *[]any) (string, error) {
	return query.Condition(n, func(n query.Node) (string, error) {
		expr, neg := ftsExpr(n)
		*args = append(*args, expr)
		// FTS5's NOT needs something to subtract from: a text part that is
		// a negation as a whole is the items not matching its opposite.
		in := "i.pk IN"
		if neg {
			in = "i.pk NOT IN"
		}
		return in + " (SELECT rowid FROM items_fts WHERE items_fts MATCH ?)", nil
	}, func(f *query.Field) (string, error) { return fieldCond(f, args) })
}

// ftsExpr renders a pure-text node as an FTS5 expression. When neg is set
// the node matches the rows expr does not match (FTS5 has no unary NOT).
func ftsExpr(n query.Node) (expr string, neg bool) {
	switch n := n.(type) {
	case *query.Text:
		return ftsPhrase(n), false
	case *query.Near:
		return "NEAR(" + ftsPhrase(n.Left) + " " + ftsPhrase(n.Right) + ", " + strconv.Itoa(n.N) + ")", false
	case *query.Not:
		e, neg := ftsExpr(n.Node)
		return e, !neg
	case *query.And:
		pos, negs := ftsParts(n.Nodes)
		if len(pos) == 0 { // NOT a AND NOT b = NOT (a OR b)
			return strings.Join(negs, " OR "), true
		}
		e := strings.Join(pos, " AND ")
		if len(negs) > 0 {
			e = "(" + e + ") NOT (" + strings.Join(negs, " OR ") + ")"
		}
		return e, false
	case *query.Or:
		pos, negs := ftsParts(n.Nodes)
		if len(negs) == 0 {
			return strings.Join(pos, " OR "), false
		}
		// a OR NOT b OR NOT c = NOT (b AND c AND NOT a)
		e := strings.Join(negs, " AND ")
		if len(pos) > 0 {
			e = "(" + e + ") NOT (" + strings.Join(pos, " OR ") + ")"
		}
		return e, true
	}
	panic("sqlite: ftsExpr of a node that is not text")
}

// ftsParts renders nodes, each in parentheses, sorted into those that
// match and those that match by not matching.
func ftsParts(nodes []query.Node) (pos, negs []string) {
	for _, c := range nodes {
		e, neg := ftsExpr(c)
		if neg {
			negs = append(negs, "("+e+")")
		} else {
			pos = append(pos, "("+e+")")
		}
	}
	return pos, negs
}

// ftsPhrase is a Text as an FTS5 phrase: its units in one string, with a
// trailing * when the last unit is a prefix.
func ftsPhrase(t *query.Text) string {
	s := `"` + strings.Join(t.Units, " ") + `"`
	if t.Prefix {
		s += " *"
	}
	return s
}

// countColumns are the fields compared as numbers.
var countColumns = map[string]string{
	"likes": "i.likes", "reposts": "i.reposts", "replies": "i.replies", "views": "i.views", "favorites": "i.favorites",
}

// fieldCond renders a field as a condition.
func fieldCond(f *query.Field, args *[]any) (string, error) {
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
		*args = append(*args, v)
		return col + " " + f.Op + " ?", nil
	}
	if f.Op != "=" {
		return "", trustwatch.Errorf(trustwatch.EINVALID, "query: %s: only = applies", f.Name)
	}
	add := func(cond string, vals ...any) (string, error) {
		*args = append(*args, vals...)
		return cond, nil
	}
	v := f.Value
	switch f.Name {
	case "entity", "topic":
		return add("i.pk IN (SELECT e.item FROM item_entities e WHERE e.entity = ?)", v)
	case "aspect":
		return add("i.pk IN (SELECT a.item FROM item_aspects a WHERE a.aspect = ?)", v)
	case "tag":
		return add("i.pk IN (SELECT t.item FROM item_tags t WHERE t.tag = ?)", v)
	case "sentiment":
		return add("i.sentiment = ?", v)
	case "kind":
		return add("i.kind = ?", v)
	case "platform":
		// The parser lower-cases the value; stored platforms are
		// compared without ASCII case.
		return add("lower(i.platform) = ?", v)
	case "author":
		// The author index is partial (non-empty authors only).
		return add("(i.author = ? AND i.author <> '')", v)
	case "keyword":
		// The keyword index is on lower(keyword) and partial (non-empty
		// keywords only); the parser lower-cases the value.
		return add("(lower(i.keyword) = ? AND i.keyword <> '')", v)
	case "lang":
		// A language tag and its subtags: lang:zh is zh, zh-Hant, zh-CN.
		lv := strings.ToLower(v)
		return add("(lower(i.lang) = ? OR substr(lower(i.lang), 1, ?) = ?)", lv, utf8.RuneCountInString(lv)+1, lv+"-")
	}
	return "", trustwatch.Errorf(trustwatch.EINVALID, "query: unknown field %q", f.Name)
}
