package encoding

import "golang.org/x/text/transform"

// gbDecoder decodes GB18030 (a superset of GBK and GB2312) with the x/text
// decoder, but writes Invalid for malformed byte sequences where x/text
// would write U+FFFD.
type gbDecoder struct{ inner transform.Transformer }

func (d *gbDecoder) Reset() { d.inner.Reset() }

func (d *gbDecoder) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		end := nSrc
		for end < len(src) {
			n := gbSeqLen(src[end:])
			if n <= 0 {
				break
			}
			end += n
		}
		if end > nSrc {
			// A run of whole, well-formed sequences: no state carries over.
			nd, ns, err := d.inner.Transform(dst[nDst:], src[nSrc:end], true)
			nDst, nSrc = nDst+nd, nSrc+ns
			if err != nil {
				return nDst, nSrc, err
			}
			continue
		}
		if gbSeqLen(src[nSrc:]) == 0 && !atEOF {
			return nDst, nSrc, transform.ErrShortSrc
		}
		if nDst >= len(dst) {
			return nDst, nSrc, transform.ErrShortDst
		}
		dst[nDst] = Invalid
		nDst, nSrc = nDst+1, nSrc+1
	}
	return nDst, nSrc, nil
}

// gbSeqLen returns the length of the GB18030 sequence at the start of p,
// 0 when p ends inside it, and -1 when it is malformed.
func gbSeqLen(p []byte) int {
	c := p[0]
	switch {
	case c < 0x80:
		return 1
	case c == 0x80 || c == 0xFF:
		return -1
	case len(p) < 2:
		return 0
	}
	c1 := p[1]
	switch {
	case (c1 >= 0x40 && c1 <= 0x7E) || (c1 >= 0x80 && c1 <= 0xFE):
		return 2
	case c1 >= 0x30 && c1 <= 0x39:
		if len(p) < 4 {
			return 0
		}
		if p[2] >= 0x81 && p[2] <= 0xFE && p[3] >= 0x30 && p[3] <= 0x39 {
			return 4
		}
	}
	return -1
}

// gbInvalid counts the malformed sequences of a prefix.
func gbInvalid(p []byte) int {
	bad := 0
	for i := 0; i < len(p); {
		n := gbSeqLen(p[i:])
		switch {
		case n == 0:
			return bad
		case n < 0:
			bad++
			i++
		default:
			i += n
		}
	}
	return bad
}
