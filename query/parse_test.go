package query

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// cutTable cuts the way a segmenter that knows these words would (dropping
// the punctuation around them); other text stays whole.
var cutTable = map[string][]string{
	"东方甄选":    {"东方", "甄选"},
	"刹车异响":    {"刹车", "异响"},
	"小米su7刹车": {"小米su7", "刹车"},
}

func fakeCut(s string) []string {
	if w, ok := cutTable[strings.Trim(s, "“”")]; ok {
		return w
	}
	return []string{s}
}

func txt(units ...string) *Text { return &Text{Units: units} }

func pre(units ...string) *Text { return &Text{Units: units, Prefix: true} }

func TestParse(t *testing.T) {
	tests := []struct {
		name, query string
		want        Node
		canonical   string
	}{
		{"cut word", "东方甄选", &And{[]Node{txt("东方"), txt("甄选")}}, "东方 甄选"},
		{"single character is a prefix", "车", pre("车"), "车"},
		{"case and width folded", "ＳＵ７ Max", &And{[]Node{txt("su7"), txt("max")}}, "su7 max"},
		{"phrase is not cut", `"刹车异响"`, txt("刹车", "车异", "异响"), `"刹车异响"`},
		{"phrase across scripts", `"小米 SU7"`, txt("小米", "米", "su7"), `"小米su7"`},
		{"phrase keeps punctuation between runs", `"刹车，异响"`, txt("刹车", "车", "异响"), `"刹车,异响"`},
		{"user word cut whole", "小米su7刹车", &And{[]Node{txt("小米", "米", "su7"), txt("刹车")}}, `"小米su7" 刹车`},
		{"minus", "刹车 -Y7", &And{[]Node{txt("刹车"), &Not{txt("y7")}}}, "刹车 -y7"},
		{"hyphen inside a word", "wi-fi", txt("wi", "fi"), `"wi fi"`},
		{"lone minus is punctuation", "a - b", &And{[]Node{txt("a"), txt("b")}}, "a b"},
		{"NOT", "NOT y7", &Not{txt("y7")}, "-y7"},
		{"lowercase operators are words", "not or and", &And{[]Node{txt("not"), txt("or"), txt("and")}}, "not or and"},
		{"AND binds tighter than OR", "a b OR c", &Or{[]Node{&And{[]Node{txt("a"), txt("b")}}, txt("c")}}, "a b OR c"},
		{"parentheses", "(a OR b) AND c", &And{[]Node{&Or{[]Node{txt("a"), txt("b")}}, txt("c")}}, "(a OR b) c"},
		{"nested groups are flattened", "a (b c) OR (d OR e)", &Or{[]Node{&And{[]Node{txt("a"), txt("b"), txt("c")}}, txt("d"), txt("e")}}, "a b c OR d OR e"},
		{"negated group", "-(a OR b) c", &And{[]Node{&Not{&Or{[]Node{txt("a"), txt("b")}}}, txt("c")}}, "-(a OR b) c"},
		{"NOT binds tighter than AND", "NOT a b", &And{[]Node{&Not{txt("a")}, txt("b")}}, "-a b"},
		{"NEAR default", "刹车 NEAR 异响", &Near{txt("刹车"), txt("异响"), 10}, "刹车 NEAR/10 异响"},
		{"NEAR/n with a phrase", `"小米 su7" NEAR/3 车`, &Near{txt("小米", "米", "su7"), pre("车"), 3}, `"小米su7" NEAR/3 车`},
		{"NEAR joins a cut word into a phrase", "刹车异响 NEAR/0 y7", &Near{txt("刹车", "车异", "异响"), txt("y7"), 0}, `"刹车异响" NEAR/0 y7`},
		{"NEAR binds tighter than AND and OR", "a NEAR/2 b c OR d", &Or{[]Node{&And{[]Node{&Near{txt("a"), txt("b"), 2}, txt("c")}}, txt("d")}}, "a NEAR/2 b c OR d"},
		{"punctuation terms dropped", "刹车 !!! “”", txt("刹车"), "刹车"},
		{"smart quotes are text", "“刹车异响”", &And{[]Node{txt("刹车"), txt("异响")}}, "刹车 异响"},
		{"full-width colon is text", "ＳＵ７：刹车", txt("su7", "刹车"), `"su7刹车"`},
		{"fields", `Platform:Weibo author:"张 三" entity:xiaomi topic:t1 aspect:brakes keyword:小米su7 tag:#话题#`,
			&And{[]Node{&Field{"platform", "=", "weibo"}, &Field{"author", "=", "张 三"}, &Field{"entity", "=", "xiaomi"},
				&Field{"topic", "=", "t1"}, &Field{"aspect", "=", "brakes"}, &Field{"keyword", "=", "小米su7"}, &Field{"tag", "=", "#话题#"}}},
			`platform:weibo author:"张 三" entity:xiaomi topic:t1 aspect:brakes keyword:小米su7 tag:#话题#`},
		{"sentiment synonyms", "sentiment:负面 OR sentiment:Positive OR sentiment:neu",
			&Or{[]Node{&Field{"sentiment", "=", "neg"}, &Field{"sentiment", "=", "pos"}, &Field{"sentiment", "=", "neu"}}},
			"sentiment:neg OR sentiment:pos OR sentiment:neu"},
		{"counts", "likes:>1000 reposts:>=5 replies:<3 views:<=007 favorites:12",
			&And{[]Node{&Field{"likes", ">", "1000"}, &Field{"reposts", ">=", "5"}, &Field{"replies", "<", "3"}, &Field{"views", "<=", "7"}, &Field{"favorites", "=", "12"}}},
			"likes:>1000 reposts:>=5 replies:<3 views:<=7 favorites:12"},
		{"kind and lang", "kind:Comment lang:zh-Hant", &And{[]Node{&Field{"kind", "=", "comment"}, &Field{"lang", "=", "zh-hant"}}}, "kind:comment lang:zh-hant"},
		{"negated field", "-platform:douyin", &Not{&Field{"platform", "=", "douyin"}}, "-platform:douyin"},
		{"quote in a field value", `author:"a \"b\""`, &Field{"author", "=", `a "b"`}, `author:"a \"b\""`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := Parse(tt.query, Options{Cut: fakeCut})
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.query, err)
			}
			if !reflect.DeepEqual(q.Root, tt.want) {
				t.Errorf("Parse(%q) = %s, want %s", tt.query, dump(q.Root), dump(tt.want))
			}
			if got := q.String(); got != tt.canonical {
				t.Errorf("Parse(%q).String() = %q, want %q", tt.query, got, tt.canonical)
			}
			if c, err := Canonical(tt.query, fakeCut); err != nil || c != tt.canonical {
				t.Errorf("Canonical(%q) = %q, %v", tt.query, c, err)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		query string
		col   int
		msg   string // a part of the message
	}{
		{"", 1, "empty query"},
		{"   ", 1, "empty query"},
		{"!!! ？", 1, "nothing to search for"},
		{"刹车 \"异响", 4, "unterminated quote"},
		{`author:"张三`, 8, "unterminated quote"},
		{"(刹车 异响", 1, "unclosed ("},
		{"刹车)", 3, "unmatched )"},
		{"OR 刹车", 1, "OR needs a term before it"},
		{"刹车 OR", 4, "OR needs a term after it"},
		{"刹车 OR OR 异响", 4, "OR needs a term after it"},
		{"AND 刹车", 1, "AND needs a term before it"},
		{"刹车 AND", 4, "AND needs a term after it"},
		{"刹车 NOT", 4, "NOT needs a term after it"},
		{"NEAR 刹车", 1, "NEAR needs a word or phrase before it"},
		{"刹车 NEAR", 4, "NEAR needs a word or phrase after it"},
		{"刹车 NEAR/101 异响", 4, "from 0 to 100"},
		{"刹车 NEAR/x 异响", 4, "from 0 to 100"},
		{"a NEAR/2 b NEAR/2 c", 12, "NEAR joins two words or phrases"},
		{"刹车 NEAR platform:weibo", 4, "NEAR joins two words or phrases"},
		{"(a b) NEAR c", 7, "NEAR joins two words or phrases"},
		{"-a NEAR c", 4, "NEAR joins two words or phrases"},
		{"刹车 NEAR ！", 4, "NEAR joins two words or phrases"},
		{"刹车 foo:bar", 4, `unknown field "foo": use one of platform, author,`},
		{"http://example.com", 1, `unknown field "http"`},
		{"sentiment:bad", 11, `sentiment is pos, neg or neu`},
		{"刹车 likes:>x", 10, `a count is a whole number`},
		{"likes:>", 7, `a count is a whole number`},
		{"likes:-5", 7, `a count is a whole number`},
		{"kind:tweet", 6, "kind is one of post, comment, repost, review, news, statement"},
		{"lang:zh_hant", 6, "lang is a language tag"},
		{"platform: weibo", 10, "platform: needs a value"},
		{`author:""`, 8, "author: needs a value"},
		{strings.Repeat("(", 200) + "a", 101, "nested too deeply"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.query, Options{Cut: fakeCut})
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) error = %v, want a SyntaxError", tt.query, err)
			continue
		}
		if se.Col != tt.col || !strings.Contains(se.Msg, tt.msg) {
			t.Errorf("Parse(%q) = %v, want column %d: …%s…", tt.query, err, tt.col, tt.msg)
		}
	}
}

func TestCaret(t *testing.T) {
	q := "刹车 NEAR/x 异响"
	_, err := Parse(q, Options{})
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("Parse(%q) = %v, want a SyntaxError", q, err)
	}
	// 刹车 is two wide characters (four display columns) and a space.
	want := "刹车 NEAR/x 异响\n     ^"
	if got := se.Caret(q); got != want {
		t.Errorf("Caret = %q, want %q", got, want)
	}
	if got := se.Error(); got != `column 4: NEAR/n needs a whole number n from 0 to 100, not "x"` {
		t.Errorf("Error() = %q", got)
	}
}

func TestUsesPositive(t *testing.T) {
	tests := []struct {
		query    string
		topic    bool
		positive bool
	}{
		{"刹车", false, true},
		{"-y7", false, false},
		{"su7 -y7", false, true},
		{"su7 OR -y7", false, false},
		{"-(a OR b) sentiment:neg", false, true},
		{"刹车 -topic:t1", true, true},
		{"(topic:t1 OR a) b", true, true},
	}
	for _, tt := range tests {
		q, err := Parse(tt.query, Options{})
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.query, err)
		}
		if got := q.Uses("topic"); got != tt.topic {
			t.Errorf("Parse(%q).Uses(topic) = %v, want %v", tt.query, got, tt.topic)
		}
		if got := q.Positive(); got != tt.positive {
			t.Errorf("Parse(%q).Positive() = %v, want %v", tt.query, got, tt.positive)
		}
	}
}

// dump shows a node's structure for failure messages.
func dump(n Node) string {
	switch n := n.(type) {
	case *And:
		return "And" + dumpList(n.Nodes)
	case *Or:
		return "Or" + dumpList(n.Nodes)
	case *Not:
		return "Not(" + dump(n.Node) + ")"
	case *Near:
		return "Near/" + strconv.Itoa(n.N) + "(" + dump(n.Left) + ", " + dump(n.Right) + ")"
	case *Text:
		s := "Text" + strings.Join(n.Units, "|")
		if n.Prefix {
			s += "*"
		}
		return s
	case *Field:
		return "Field(" + n.Name + n.Op + n.Value + ")"
	}
	return "nil"
}

func dumpList(ns []Node) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = dump(n)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}
