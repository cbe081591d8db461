package record

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Table reads a CSV or TSV file with a header row, one row at a time,
// keeping each row's first line and raw bytes.
type Table struct {
	Header []string
	Comma  rune

	cr      *csv.Reader
	tape    *tape
	prevOff int64
}

// NewTable reads the header of r. A zero comma is detected from the header
// line: comma, tab, semicolon or |, whichever occurs most outside quotes.
func NewTable(r io.Reader, comma rune) (*Table, error) {
	br := bufio.NewReaderSize(r, bufSize)
	if comma == 0 {
		first, _ := br.Peek(bufSize)
		if i := bytes.IndexByte(first, '\n'); i >= 0 {
			first = first[:i]
		}
		comma = DetectComma(first)
	}
	t := &Table{Comma: comma, tape: &tape{r: br}}
	t.cr = csv.NewReader(t.tape)
	t.cr.Comma = comma
	t.cr.FieldsPerRecord = -1
	t.cr.ReuseRecord = true
	header, err := t.cr.Read()
	if err == io.EOF {
		return nil, errors.New("empty file: no header")
	} else if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("line %d: invalid header: %v", pe.StartLine, pe.Err)
		}
		return nil, err
	}
	t.Header = make([]string, len(header))
	for i, h := range header {
		t.Header[i] = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
	}
	t.prevOff = t.cr.InputOffset()
	return t, nil
}

// DetectComma picks the delimiter of a header line.
func DetectComma(line []byte) rune {
	best, bestN := ',', 0
	for _, c := range []rune{',', '\t', ';', '|'} {
		n, quoted := 0, false
		for _, b := range line {
			if b == '"' {
				quoted = !quoted
			} else if !quoted && rune(b) == c {
				n++
			}
		}
		if n > bestN {
			best, bestN = c, n
		}
	}
	return best
}

// Next returns the next row: the line it starts on, its fields (reused by
// the next call), a copy of its raw bytes and, for a malformed row, the
// reason. err is io.EOF after the last row, or an I/O error.
func (t *Table) Next() (line int, fields []string, raw []byte, reason string, err error) {
	fields, err = t.cr.Read()
	off := t.cr.InputOffset()
	raw = t.tape.cut(t.prevOff, off)
	t.prevOff = off
	if err != nil {
		var pe *csv.ParseError
		if !errors.As(err, &pe) {
			return 0, nil, nil, "", err
		}
		return pe.StartLine, nil, raw, "invalid CSV: " + pe.Err.Error(), nil
	}
	line, _ = t.cr.FieldPos(0)
	return line, fields, raw, "", nil
}

// Column returns the index of the first header equal (ignoring case and
// surrounding space) to one of names, or -1.
func (t *Table) Column(names ...string) int {
	for _, n := range names {
		for i, h := range t.Header {
			if strings.EqualFold(h, n) {
				return i
			}
		}
	}
	return -1
}

// Lookup finds the column of a canonical field: the column m names for it
// when m has the field, else the first header among names. A column m
// names that the header lacks is an error.
func (t *Table) Lookup(m map[string]string, field string, names ...string) (int, error) {
	if col, ok := m[field]; ok && col != "" {
		if i := t.Column(col); i >= 0 {
			return i, nil
		}
		return -1, fmt.Errorf("column %q (mapped to %s) is not in the header (%s)", col, field, strings.Join(t.Header, ", "))
	}
	return t.Column(append([]string{field}, names...)...), nil
}

// Field returns fields[i]; "" when i < 0 (the column is absent from the
// file). A row too short to have the column gives a reason naming it.
func (t *Table) Field(fields []string, i int) (string, string) {
	switch {
	case i < 0:
		return "", ""
	case i >= len(fields):
		return "", fmt.Sprintf("row has %d fields, column %q is missing", len(fields), t.Header[i])
	}
	return fields[i], ""
}

// tape keeps the bytes the CSV reader has consumed, so that each row's raw
// bytes can be cut out by offset.
type tape struct {
	r    io.Reader
	buf  []byte
	base int64 // offset of buf[0]
}

func (t *tape) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	t.buf = append(t.buf, p[:n]...)
	return n, err
}

// cut returns a copy of the bytes in [from, to) without the line end, and
// forgets what comes before to.
func (t *tape) cut(from, to int64) []byte {
	lo, hi := int(from-t.base), int(to-t.base)
	if lo < 0 || hi > len(t.buf) || lo > hi {
		return nil
	}
	raw := t.buf[lo:hi]
	raw = bytes.TrimLeft(raw, "\r\n") // blank lines the CSV reader skipped
	raw = bytes.TrimSuffix(raw, []byte("\n"))
	raw = bytes.TrimSuffix(raw, []byte("\r"))
	out := make([]byte, len(raw))
	copy(out, raw)
	if hi > 1<<16 {
		n := copy(t.buf, t.buf[hi:])
		t.buf = t.buf[:n]
		t.base = to
	}
	return out
}
