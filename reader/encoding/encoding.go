package encoding

import (
	"bytes"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// Encoding names, as reported to users.
const (
	UTF8    = "utf-8"
	UTF8BOM = "utf-8-bom"
	UTF16LE = "utf-16le"
	UTF16BE = "utf-16be"
	GB18030 = "gb18030"
)

// Invalid is the byte written in place of undecodable input.
const Invalid = 0xFF

// Detect names the encoding of an input from its first bytes.
func Detect(prefix []byte) string {
	switch {
	case bytes.HasPrefix(prefix, []byte{0xEF, 0xBB, 0xBF}):
		return UTF8BOM
	case bytes.HasPrefix(prefix, []byte{0xFF, 0xFE}):
		return UTF16LE
	case bytes.HasPrefix(prefix, []byte{0xFE, 0xFF}):
		return UTF16BE
	}
	if enc := utf16WithoutBOM(prefix); enc != "" {
		return enc
	}
	valid, invalid := utf8Runes(prefix)
	if invalid == 0 || valid > 4*invalid {
		// Valid UTF-8, or UTF-8 with a few broken bytes: the broken
		// records are refused, the rest is read.
		return UTF8
	}
	if gbInvalid(prefix)*10 <= invalid {
		// GB18030 explains the bytes far better; its few malformed
		// sequences are refused record by record.
		return GB18030
	}
	return UTF8
}

// NewReader returns a reader of r as UTF-8, without a byte order mark.
func NewReader(r io.Reader, enc string) io.Reader {
	switch enc {
	case UTF8BOM:
		return &skipReader{r: r, n: 3}
	case UTF16LE:
		return transform.NewReader(r, &utf16Decoder{little: true})
	case UTF16BE:
		return transform.NewReader(r, &utf16Decoder{})
	case GB18030:
		return transform.NewReader(r, &gbDecoder{inner: simplifiedchinese.GB18030.NewDecoder()})
	}
	return r
}

// utf8Runes counts the valid multi-byte runes and the invalid bytes of p,
// ignoring a rune cut off at the end of the prefix.
func utf8Runes(p []byte) (valid, invalid int) {
	for i := 0; i < len(p); {
		c := p[i]
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(p[i:])
		if r == utf8.RuneError && size <= 1 {
			if !utf8.FullRune(p[i:]) {
				break
			}
			invalid++
			i++
			continue
		}
		valid++
		i += size
	}
	return valid, invalid
}

// utf16WithoutBOM recognises UTF-16 text without a BOM by its NUL bytes:
// mostly-ASCII UTF-16 has a NUL in every other byte.
func utf16WithoutBOM(p []byte) string {
	if len(p) < 16 {
		return ""
	}
	var even, odd int
	for i := 0; i+1 < len(p); i += 2 {
		if p[i] == 0 {
			even++
		}
		if p[i+1] == 0 {
			odd++
		}
	}
	pairs := len(p) / 2
	switch {
	case odd*10 > pairs*4 && even*10 < pairs:
		return UTF16LE
	case even*10 > pairs*4 && odd*10 < pairs:
		return UTF16BE
	}
	return ""
}

// skipReader drops the first n bytes of r (a byte order mark).
type skipReader struct {
	r io.Reader
	n int
}

func (s *skipReader) Read(p []byte) (int, error) {
	for s.n > 0 {
		var buf [4]byte
		k, err := s.r.Read(buf[:s.n])
		s.n -= k
		if err != nil {
			return 0, err
		}
	}
	return s.r.Read(p)
}
