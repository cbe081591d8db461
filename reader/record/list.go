package record

import (
	"encoding/json"
	"strings"
	"unicode"
)

// RepostChain returns the accounts a repost passed through, nearest first,
// from the "//@name:" marks Weibo appends when a repost is reposted:
// "转发理由//@甲:说的对//@乙:原话" gives [甲 乙]. The colon may be full width
// and spaces may sit around the @; a mark without a colon ends its name at
// the first space. "//" not followed by @ (a URL) is not a mark. Readers
// share it here because only they see the raw text.
func RepostChain(text string) []string {
	var via []string
	rest := text
	for {
		i := strings.Index(rest, "//")
		if i < 0 {
			return via
		}
		rest = rest[i+2:]
		s := strings.TrimLeftFunc(rest, unicode.IsSpace)
		if !strings.HasPrefix(s, "@") {
			continue
		}
		s = strings.TrimLeftFunc(s[1:], unicode.IsSpace)
		// Weibo nicknames hold no spaces, colons, slashes or @.
		end := strings.IndexFunc(s, func(r rune) bool {
			return r == ':' || r == '：' || r == '/' || r == '@' || unicode.IsSpace(r)
		})
		name := s
		if end >= 0 {
			name = s[:end]
		}
		if name != "" {
			via = append(via, name)
		}
	}
}

// SplitList reads a list field as crawlers write it: comma-separated
// ("SU7,小米汽车", full-width "，" and "、" too), a JSON array of strings
// (`["a","b"]`) or Python's repr of one (`['a', 'b']`). Items are trimmed,
// "#" marks around topics ("#小米SU7#") dropped, blanks and repeats left out;
// nil when nothing is left.
func SplitList(s string) []string {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	var parts []string
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		if err := json.Unmarshal([]byte(s), &parts); err != nil {
			parts = strings.Split(s[1:len(s)-1], ",")
			for i, p := range parts {
				parts[i] = strings.Trim(strings.TrimSpace(p), `'"`)
			}
		}
	} else {
		parts = strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == ';' || r == '；' })
	}
	return uniq(parts)
}

func uniq(parts []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range parts {
		p = strings.Trim(strings.TrimSpace(p), "#")
		p = strings.TrimSpace(p)
		if p == "" || seen[p] {
			continue
		}
		seen[p] = true
		out = append(out, p)
	}
	return out
}

// ListJSON reads a JSON list value: an array of strings, or of objects
// with a "name" (xhs tag objects), or a string for SplitList.
func ListJSON(raw json.RawMessage) []string {
	var ss []string
	if json.Unmarshal(raw, &ss) == nil {
		return uniq(ss)
	}
	var objs []struct {
		Name string `json:"name"`
	}
	if json.Unmarshal(raw, &objs) == nil {
		for _, o := range objs {
			ss = append(ss, o.Name)
		}
		return uniq(ss)
	}
	var s Str
	if s.UnmarshalJSON(raw) == nil {
		return SplitList(string(s))
	}
	return nil
}
