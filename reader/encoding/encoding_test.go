package encoding_test

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"unicode/utf16"

	"golang.org/x/text/encoding/simplifiedchinese"

	"trustwatch/reader/encoding"
)

const sample = "text,time\n小米SU7交付慢，刹车盘缩水😡,2024/3/30 12:22\n"

func utf16Bytes(s string, little, bom bool) []byte {
	var b []byte
	put := func(u uint16) {
		if little {
			b = append(b, byte(u), byte(u>>8))
		} else {
			b = append(b, byte(u>>8), byte(u))
		}
	}
	if bom {
		put(0xFEFF)
	}
	for _, u := range utf16.Encode([]rune(s)) {
		put(u)
	}
	return b
}

func gbk(t testing.TB, s string) []byte {
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDetectAndDecode(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		enc  string
	}{
		{"utf-8", []byte(sample), encoding.UTF8},
		{"utf-8 bom", append([]byte{0xEF, 0xBB, 0xBF}, sample...), encoding.UTF8BOM},
		{"utf-16le bom", utf16Bytes(sample, true, true), encoding.UTF16LE},
		{"utf-16be bom", utf16Bytes(sample, false, true), encoding.UTF16BE},
		{"utf-16le no bom", utf16Bytes(sample, true, false), encoding.UTF16LE},
		{"gb18030", gbk(t, sample), encoding.GB18030},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := encoding.Detect(tt.in); got != tt.enc {
				t.Fatalf("Detect = %q, want %q", got, tt.enc)
			}
			// A one-byte reader exercises every short-buffer path.
			out, err := io.ReadAll(encoding.NewReader(&oneByte{bytes.NewReader(tt.in)}, tt.enc))
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != sample {
				t.Errorf("decoded %q, want %q", out, sample)
			}
		})
	}
}

func TestUndecodableBytes(t *testing.T) {
	// GBK with a stray 0xFF and a truncated lead byte at the end.
	in := append(gbk(t, "好评\n"), 0xFF, 'a', '\n')
	in = append(in, gbk(t, "差评")...)
	in = append(in, 0xB2)
	out, err := io.ReadAll(encoding.NewReader(bytes.NewReader(in), encoding.GB18030))
	if err != nil {
		t.Fatal(err)
	}
	if want := "好评\n\xffa\n差评\xff"; string(out) != want {
		t.Errorf("decoded %q, want %q", out, want)
	}
	// UTF-16 with a lone surrogate.
	u := utf16Bytes("ab", true, true)
	u = append(u, 0x00, 0xD8, 'c', 0)
	out, _ = io.ReadAll(encoding.NewReader(bytes.NewReader(u), encoding.UTF16LE))
	if want := "ab\xffc"; string(out) != want {
		t.Errorf("decoded %q, want %q", out, want)
	}
}

func TestMostlyUTF8StaysUTF8(t *testing.T) {
	in := []byte(strings.Repeat("小米汽车质量问题\n", 10) + "\xff\n")
	if got := encoding.Detect(in); got != encoding.UTF8 {
		t.Errorf("Detect = %q, want utf-8", got)
	}
}

type oneByte struct{ r io.Reader }

func (o *oneByte) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	return o.r.Read(p[:1])
}
