package record

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Table reads a CSV or TSV file with a header row, one row at a time,
// keeping each row's first line and raw bytes. It holds one record at a
// time: a field is bounded by the field limit, a record by LineLimit and
// by the header's number of fields (split.go says how a stray quote is
// resynchronised).
type Table struct {
	Header []string
	Comma  rune

	s *splitter
}

// NewTable reads the header of r, with the default field limit.
func NewTable(r io.Reader, comma rune) (*Table, error) {
	return NewTableLimit(r, comma, DefaultMaxField)
}

// NewTableLimit reads the header of r; maxField bounds a field, in bytes
// (0: DefaultMaxField). A zero comma is detected from the header line:
// comma, tab, semicolon or |, whichever occurs most outside quotes.
func NewTableLimit(r io.Reader, comma rune, maxField int) (*Table, error) {
	if maxField <= 0 {
		maxField = DefaultMaxField
	}
	br := bufio.NewReaderSize(r, bufSize)
	if comma == 0 {
		first, _ := br.Peek(bufSize)
		if i := bytes.IndexByte(first, '\n'); i >= 0 {
			first = first[:i]
		}
		comma = DetectComma(first)
	}
	if comma <= 0 || comma >= utf8.RuneSelf || comma == '"' || comma == '\r' || comma == '\n' {
		return nil, fmt.Errorf("delimiter %q: want a single-byte character other than a quote or a line end", comma)
	}
	t := &Table{Comma: comma, s: newSplitter(br, byte(comma), maxField)}
	h, err := t.s.next()
	if err == io.EOF {
		return nil, errors.New("empty file: no header")
	} else if err != nil {
		return nil, err
	}
	switch {
	case h.long:
		return nil, fmt.Errorf("line %d: invalid header: longer than the %s limit (a file without line ends, or not text?)", h.line, Size(t.s.maxRecord))
	case h.reason != "":
		return nil, fmt.Errorf("line %d: invalid header: %s", h.line, h.reason)
	}
	t.Header = make([]string, len(h.fields))
	for i, f := range h.fields {
		t.Header[i] = strings.TrimSpace(f)
	}
	t.s.width = len(t.Header)
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
// the next call; the text rule of clean.go applied), a copy of its raw
// bytes and, for a malformed row, the reason. err is io.EOF after the last
// row, or an I/O error.
func (t *Table) Next() (line int, fields []string, raw []byte, reason string, err error) {
	r, err := t.s.next()
	if err != nil {
		return 0, nil, nil, "", err
	}
	return r.line, r.fields, r.raw, r.reason, nil
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
