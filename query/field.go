package query

import (
	"slices"
	"strconv"
	"strings"

	"trustwatch"
)

// fieldNames are the fields a query may name, in the order error messages
// and docs/query.md list them.
var fieldNames = []string{
	"platform", "author", "entity", "topic", "aspect", "sentiment", "kind",
	"lang", "keyword", "tag", "likes", "reposts", "replies", "views", "favorites",
}

// fields maps a field name to the function that checks and canonicalises
// its value; it returns the operator and value of the Field node, or an
// error message.
var fields = map[string]func(v string) (op, value, msg string){
	"platform":  lowerValue,
	"author":    exactValue,
	"entity":    exactValue,
	"topic":     exactValue,
	"aspect":    exactValue,
	"keyword":   lowerValue,
	"tag":       exactValue,
	"sentiment": sentimentValue,
	"kind":      kindValue,
	"lang":      langValue,
	"likes":     countValue,
	"reposts":   countValue,
	"replies":   countValue,
	"views":     countValue,
	"favorites": countValue,
}

func exactValue(v string) (string, string, string) { return "=", v, "" }

func lowerValue(v string) (string, string, string) { return "=", strings.ToLower(v), "" }

var sentiments = map[string]trustwatch.Label{
	"pos": trustwatch.Positive, "positive": trustwatch.Positive, "正面": trustwatch.Positive,
	"neg": trustwatch.Negative, "negative": trustwatch.Negative, "负面": trustwatch.Negative,
	"neu": trustwatch.Neutral, "neutral": trustwatch.Neutral, "中性": trustwatch.Neutral,
}

func sentimentValue(v string) (string, string, string) {
	if l, ok := sentiments[strings.ToLower(v)]; ok {
		return "=", string(l), ""
	}
	return "", "", "sentiment is pos, neg or neu (also positive, negative, neutral, 正面, 负面, 中性), not " + strconv.Quote(v)
}

func kindValue(v string) (string, string, string) {
	k := trustwatch.Kind(strings.ToLower(v))
	if k.Valid() {
		return "=", string(k), ""
	}
	names := make([]string, len(trustwatch.Kinds))
	for i, k := range trustwatch.Kinds {
		names[i] = string(k)
	}
	return "", "", "kind is one of " + strings.Join(names, ", ") + ", not " + strconv.Quote(v)
}

// langValue accepts a BCP 47 tag or prefix of one: subtags of ASCII letters
// and digits joined by "-".
func langValue(v string) (string, string, string) {
	v = strings.ToLower(v)
	ok := v != ""
	for _, sub := range strings.Split(v, "-") {
		ok = ok && sub != "" && strings.Trim(sub, "abcdefghijklmnopqrstuvwxyz0123456789") == ""
	}
	if !ok {
		return "", "", "lang is a language tag such as zh, zh-hant or en, not " + strconv.Quote(v)
	}
	return "=", v, ""
}

// countValue reads [>|>=|<|<=|=]N with N a whole number.
func countValue(v string) (string, string, string) {
	op := "="
	for _, o := range []string{">=", "<=", ">", "<", "="} {
		if rest, ok := strings.CutPrefix(v, o); ok {
			op, v = o, rest
			break
		}
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 || v[0] == '+' {
		return "", "", "a count is a whole number, after >, >=, < or <= if you like (likes:>1000), not " + strconv.Quote(v)
	}
	return op, strconv.FormatInt(n, 10), ""
}

// matchField compares the item's field with f.
func (d *Doc) matchField(f *Field) bool {
	it := d.it
	switch f.Name {
	case "platform":
		return d.platform == f.Value
	case "author":
		return it.Author == f.Value
	case "entity", "topic":
		return slices.Contains(it.Entities, f.Value)
	case "aspect":
		return slices.ContainsFunc(it.Aspects, func(a trustwatch.AspectHit) bool { return a.Aspect == f.Value })
	case "sentiment":
		return string(it.Sentiment) == f.Value
	case "kind":
		return string(it.Kind) == f.Value
	case "lang":
		return d.lang == f.Value || strings.HasPrefix(d.lang, f.Value+"-")
	case "keyword":
		// Case-insensitive: a crawl's query is typed in any case.
		return it.Keyword != "" && strings.ToLower(it.Keyword) == f.Value
	case "tag":
		return slices.Contains(it.Tags, f.Value)
	}
	var have int64
	switch f.Name {
	case "likes":
		have = it.Likes
	case "reposts":
		have = it.Reposts
	case "replies":
		have = it.Replies
	case "views":
		have = it.Views
	case "favorites":
		have = it.Favorites
	default:
		return false
	}
	want, err := strconv.ParseInt(f.Value, 10, 64)
	if err != nil {
		return false
	}
	switch f.Op {
	case ">":
		return have > want
	case ">=":
		return have >= want
	case "<":
		return have < want
	case "<=":
		return have <= want
	case "=":
		return have == want
	}
	return false
}
