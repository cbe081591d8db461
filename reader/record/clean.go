package record

import (
	"bytes"
	"encoding/binary"
	"strings"
)

// The text rule every reader applies, here and nowhere else:
//
//   - U+FEFF (a byte order mark, or a zero-width no-break space) is
//     removed wherever it is: files are concatenated, and a BOM in the
//     middle of one must not become part of an id, or a clean copy of the
//     same row would be stored twice;
//   - a NUL (U+0000) refuses the record (ReasonNUL): it is what a
//     truncated or sparse file is made of, never text;
//   - the other C0 control characters (U+0001–U+001F) except TAB, LF and
//     CR are removed: they are invisible, break terminals and exports,
//     and are never meant.
//
// Table applies it to every field, the JSON scanners to every record's
// bytes, and ValidateItem and CleanField to the decoded text (JSON
// escapes such as \u0000 and the cells of workbooks and databases).

// ReasonNUL is the reason for a record holding a NUL byte.
const ReasonNUL = "NUL byte in the record (a truncated, sparse or binary file?)"

// bom is U+FEFF in UTF-8.
const bom = "\ufeff"

// needsClean reports whether b holds anything the text rule changes or
// refuses. It is the fast path, run on every line: almost none does. It
// looks at eight bytes at a time for a byte below 0x20 or an 0xEF, and
// only then at each of them (a TSV's tabs, the 0xEF of full-width
// punctuation such as "，" are common and need nothing).
func needsClean(b []byte) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for i := 0; i < len(b); {
		if i+8 <= len(b) {
			x := binary.LittleEndian.Uint64(b[i:])
			y := x ^ (0xEF * ones)
			if (x-0x20*ones)&^x&highs == 0 && (y-ones)&^y&highs == 0 {
				i += 8
				continue
			}
		}
		for end := min(i+8, len(b)); i < end; i++ {
			if unclean(b, i) {
				return true
			}
		}
	}
	return false
}

// unclean reports whether the text rule applies at b[i].
func unclean(b []byte, i int) bool {
	c := b[i]
	return c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == bom[0] && bytes.HasPrefix(b[i:], []byte(bom))
}

// CleanBytes applies the text rule to b, in place when it must change:
// the result shares b's memory. nul reports a NUL byte (the record is to
// be refused; the bytes are still cleaned of the rest).
func CleanBytes(b []byte) (out []byte, nul bool) {
	if !needsClean(b) {
		return b, false
	}
	out = b[:0]
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == 0:
			nul = true
			i++
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r':
			i++
		case c == 0xEF && bytes.HasPrefix(b[i:], []byte(bom)):
			i += len(bom)
		default:
			out = append(out, c)
			i++
		}
	}
	return out, nul
}

// CleanString is CleanBytes for a string.
func CleanString(s string) (string, bool) {
	if !needsCleanString(s) {
		return s, false
	}
	out, nul := CleanBytes([]byte(s))
	return string(out), nul
}

func needsCleanString(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == bom[0] && strings.HasPrefix(s[i:], bom) {
			return true
		}
	}
	return false
}

// CleanField applies the text rule to a decoded field and then checks it
// like CheckField: the reason is ReasonNUL (naming the field) for a NUL.
func CleanField(name string, value *string, max int) string {
	v, nul := CleanString(*value)
	*value = v
	if nul {
		return ReasonNUL + " in field " + name
	}
	return CheckField(name, v, max)
}
