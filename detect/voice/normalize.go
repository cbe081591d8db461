package voice

import (
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

var urlPattern = regexp.MustCompile(`(?i)https?://[^\s\p{Han}]+`)

// Normalize prepares text for the character model: NFKC (full-width forms
// become their ASCII twins), lower case, URLs removed (a shortened link is
// noise, not voice), control characters dropped and runs of white space
// collapsed to one space.
func Normalize(text string) string {
	text = urlPattern.ReplaceAllString(norm.NFKC.String(text), " ")
	var b strings.Builder
	b.Grow(len(text))
	space := false
	for _, r := range text {
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case unicode.IsControl(r) || r == unicode.ReplacementChar:
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
