package encoding

import (
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/transform"
)

// utf16Decoder turns UTF-16 into UTF-8, dropping a leading BOM and writing
// Invalid for unpaired surrogates and a dangling odd byte.
type utf16Decoder struct {
	little  bool
	started bool
}

func (d *utf16Decoder) Reset() { d.started = false }

func (d *utf16Decoder) unit(p []byte) uint16 {
	if d.little {
		return uint16(p[0]) | uint16(p[1])<<8
	}
	return uint16(p[0])<<8 | uint16(p[1])
}

func (d *utf16Decoder) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		if nSrc+1 == len(src) { // a single byte left
			if !atEOF {
				return nDst, nSrc, transform.ErrShortSrc
			}
			if nDst >= len(dst) {
				return nDst, nSrc, transform.ErrShortDst
			}
			dst[nDst] = Invalid
			return nDst + 1, nSrc + 1, nil
		}
		u := d.unit(src[nSrc:])
		if !d.started {
			d.started = true
			if u == 0xFEFF {
				nSrc += 2
				continue
			}
		}
		r, size := rune(u), 2
		switch {
		case u >= 0xD800 && u < 0xDC00: // high surrogate: needs a low one
			if nSrc+4 > len(src) {
				if !atEOF {
					return nDst, nSrc, transform.ErrShortSrc
				}
				r = -1
				break
			}
			u2 := d.unit(src[nSrc+2:])
			if u2 >= 0xDC00 && u2 <= 0xDFFF {
				r, size = utf16.DecodeRune(rune(u), rune(u2)), 4
			} else {
				r = -1
			}
		case u >= 0xDC00 && u <= 0xDFFF: // lone low surrogate
			r = -1
		}
		if r < 0 {
			if nDst >= len(dst) {
				return nDst, nSrc, transform.ErrShortDst
			}
			dst[nDst] = Invalid
			nDst, nSrc = nDst+1, nSrc+2
			continue
		}
		if nDst+utf8.RuneLen(r) > len(dst) {
			return nDst, nSrc, transform.ErrShortDst
		}
		nDst += utf8.EncodeRune(dst[nDst:], r)
		nSrc += size
	}
	return nDst, nSrc, nil
}
