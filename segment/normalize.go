package segment

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Normalize folds full-width forms (NFKC) and Traditional Chinese to
// Simplified (ToSimplified), lower-cases Latin letters,
// strips HTML tags and entities and collapses runs of white space to one
// space. It is what every analysis sees, so that "ＳＵ７", "Su7" and "su7"
// are one word and markup in scraped text never becomes words.
func Normalize(s string) string {
	n := normalizeOnce(s)
	// Unescaping can reveal markup or entities ("&amp;lt;", "＆amp;"):
	// repeat until nothing changes, so Normalize(Normalize(s)) ==
	// Normalize(s). After the first pass only tag stripping and
	// unescaping change the text, and both shorten it, so this ends.
	for strings.ContainsAny(n, "<&") {
		m := normalizeOnce(n)
		if m == n {
			break
		}
		n = m
	}
	return n
}

func normalizeOnce(s string) string {
	// Invalid bytes go first, so that what they separated composes now
	// and not on a second pass.
	s = strings.ToValidUTF8(s, "")
	if strings.ContainsRune(s, '<') || strings.ContainsRune(s, '&') {
		s = stripHTML(s)
	}
	// Characters that are dropped go before NFKC too, so that what they
	// separated composes now and not on a second pass.
	s = strings.Map(func(r rune) rune {
		if r == utf8.RuneError || r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\ufeff' || (unicode.IsControl(r) && !unicode.IsSpace(r)) {
			return -1
		}
		return r
	}, s)
	if !isASCII(s) {
		s = ToSimplified(norm.NFKC.String(s))
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	lowered, nonASCII := false, false
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			continue
		case r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\ufeff':
			continue // zero-width characters hide words from matching
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case unicode.IsControl(r):
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		if r < utf8.RuneSelf {
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
				lowered = true
			}
			b.WriteByte(byte(r))
			continue
		}
		lr := unicode.ToLower(r)
		lowered = lowered || lr != r
		nonASCII = true
		b.WriteRune(lr)
	}
	if lowered && nonASCII {
		// Lower-casing can make a composable sequence (Greek, accented
		// capitals): compose it now.
		return norm.NFKC.String(b.String())
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// stripHTML removes tags (and the content of script and style elements) and
// unescapes entities. Crawled Weibo text carries <a>, <br/>, <img alt="[哈哈]">:
// an img's alt text is kept because emoticons live there.
func stripHTML(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c != '<' {
			j := strings.IndexByte(s[i:], '<')
			if j < 0 {
				j = len(s) - i
			}
			b.WriteString(s[i : i+j])
			i += j
			continue
		}
		end := strings.IndexByte(s[i:], '>')
		if end < 0 || !looksLikeTag(s[i+1:]) {
			b.WriteByte(c)
			i++
			continue
		}
		tag := s[i+1 : i+end]
		i += end + 1
		name := tagName(tag)
		switch name {
		case "script", "style":
			// Drop everything up to the closing tag.
			closeTag := "</" + name
			k := indexFold(s[i:], closeTag)
			if k < 0 {
				i = len(s)
				continue
			}
			i += k
			if e := strings.IndexByte(s[i:], '>'); e >= 0 {
				i += e + 1
			} else {
				i = len(s)
			}
		case "br", "p", "/p", "div", "/div", "li":
			b.WriteByte(' ')
		case "img":
			if alt := attr(tag, "alt"); alt != "" {
				b.WriteString(alt)
			}
		}
	}
	return html.UnescapeString(b.String())
}

// looksLikeTag tells a tag ("<a href", "</p>", "<br/>") from a literal "<"
// in text ("价格<30万").
func looksLikeTag(s string) bool {
	if s == "" {
		return false
	}
	c := s[0]
	return c == '/' || c == '!' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

func tagName(tag string) string {
	tag = strings.TrimSpace(tag)
	end := strings.IndexAny(tag, " \t\n/>")
	if strings.HasPrefix(tag, "/") {
		rest := strings.TrimSpace(tag[1:])
		e := strings.IndexAny(rest, " \t\n>")
		if e < 0 {
			e = len(rest)
		}
		return "/" + strings.ToLower(rest[:e])
	}
	if end < 0 {
		end = len(tag)
	}
	return strings.ToLower(tag[:end])
}

func attr(tag, name string) string {
	i := indexFold(tag, name+"=")
	if i < 0 {
		return ""
	}
	v := tag[i+len(name)+1:]
	if v == "" {
		return ""
	}
	if q := v[0]; q == '"' || q == '\'' {
		if e := strings.IndexByte(v[1:], q); e >= 0 {
			return v[1 : 1+e]
		}
		return ""
	}
	if e := strings.IndexAny(v, " \t\n/>"); e >= 0 {
		return v[:e]
	}
	return v
}

func indexFold(s, sub string) int {
	n := len(sub)
	for i := 0; i+n <= len(s); i++ {
		if strings.EqualFold(s[i:i+n], sub) {
			return i
		}
	}
	return -1
}
