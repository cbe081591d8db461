package chart

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// FontFamily is a font stack that finds CJK glyphs offline on Linux, macOS
// and Windows.
const FontFamily = `system-ui, 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif`

// Em widths used by TextWidth.
const (
	wideEm   = 1.0
	narrowEm = 0.55
	spaceEm  = 0.3
)

// TextWidth estimates the rendered width, in pixels, of s at the given font
// size: East Asian wide and full-width runes (CJK, full-width punctuation,
// most emoji) count as 1 em, spaces as 0.3 em, combining marks and other
// zero-width runes as nothing, and every other rune as 0.55 em.
func TextWidth(s string, fontSize float64) float64 {
	var em float64
	for _, r := range s {
		em += runeEm(r)
	}
	return em * fontSize
}

func runeEm(r rune) float64 {
	switch {
	case r == ' ':
		return spaceEm
	case r < 0x80:
		return narrowEm
	case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || unicode.Is(unicode.Cf, r):
		return 0
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return wideEm
	}
	return narrowEm
}

// Truncate shortens s with an ellipsis so that its estimated width at
// fontSize is at most max pixels.
func Truncate(s string, fontSize, max float64) string {
	if TextWidth(s, fontSize) <= max {
		return s
	}
	limit := max - TextWidth("…", fontSize)
	var w float64
	for i, r := range s {
		w += runeEm(r) * fontSize
		if w > limit {
			return s[:i] + "…"
		}
	}
	return s
}

// escape writes s to b with XML escaping of & < > " ' and with runes that
// XML 1.0 cannot carry (control characters, surrogates, U+FFFE/U+FFFF and
// invalid UTF-8) replaced by U+FFFD, so hostile labels cannot break out of
// an element or attribute, nor make the document ill-formed.
func escape(b *strings.Builder, s string) {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&#34;")
		case r == '\'':
			b.WriteString("&#39;")
		case r == utf8.RuneError && size == 1, !xmlChar(r):
			b.WriteRune('\uFFFD')
		default:
			b.WriteRune(r)
		}
	}
}

// xmlChar reports whether r is in XML 1.0's Char production.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// safeColor returns c when it is a plain colour (#rgb, #rrggbb, a colour
// keyword) and def otherwise, so a colour can never inject markup.
func safeColor(c, def string) string {
	if c == "" || len(c) > 32 {
		return def
	}
	if c[0] == '#' {
		if n := len(c) - 1; n != 3 && n != 6 && n != 8 {
			return def
		}
		for _, r := range c[1:] {
			if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
				return def
			}
		}
		return c
	}
	for _, r := range c {
		if r < 'a' || r > 'z' {
			return def
		}
	}
	return c
}
