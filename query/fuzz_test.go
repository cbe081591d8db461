package query

import (
	"errors"
	"reflect"
	"testing"
	"unicode/utf8"
)

// FuzzParse checks that Parse never panics, that its errors point inside
// the query (or just past its end), and that String renders a query that
// parses back to the same AST.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"东方甄选", "刹车 -Y7", `"小米 SU7" OR (车 AND 刹车异响)`, "刹车 NEAR/3 异响", "a NEAR b",
		"likes:>=1000 sentiment:负面 -platform:Weibo", `"刹车，异响"`, "a OR", "(a", `"abc`,
		"foo:bar", "likes:>x", "!!!", `author:"a \"b"`, "-(a b) c", "NOT (a OR b) lang:zh-Hant",
		"wi-fi su7max 2024年", "东方甄选 NEAR/2 刹车异响", `"dream car" OR (雷总 NEAR/5 辛苦 -likes:<100)`, "kind:comment OR kind:repost", "剎車 異響", "((a))", "-", "a - b",
		"tag:\"#话题#\" keyword:小米su7", "车 NEAR/0 刹", "ＳＵ７：刹车", "a\u0301 b",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := Parse(s, Options{})
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q): error %v is not a *SyntaxError", s, err)
			}
			if n := utf8.RuneCountInString(s); se.Col < 1 || se.Col > n+1 {
				t.Fatalf("Parse(%q): column %d outside 1..%d", s, se.Col, n+1)
			}
			return
		}
		if q.Root == nil {
			t.Fatalf("Parse(%q): nil root without error", s)
		}
		c := q.String()
		q2, err := Parse(c, Options{})
		if err != nil {
			t.Fatalf("Parse(%q) = %q, which does not parse: %v", s, c, err)
		}
		if !reflect.DeepEqual(q.Root, q2.Root) {
			t.Fatalf("Parse(%q) = %q, which parses to another query: %q", s, c, q2.String())
		}
		// With cutting too: the canonical form means what the query does.
		if q, err = Parse(s, Options{Cut: fakeCut}); err != nil {
			t.Fatalf("Parse(%q) with cutting: %v", s, err)
		}
		if q2, err = Parse(q.String(), Options{}); err != nil || !reflect.DeepEqual(q.Root, q2.Root) {
			t.Fatalf("Parse(%q) with cutting = %q, which does not parse back: %v", s, q.String(), err)
		}
	})
}
