package xlsx

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"trustwatch/reader/record"
)

// Magic reports whether b starts like an XLSX file: a zip whose first
// entries name the workbook's parts ("[Content_Types].xml", "xl/...").
func Magic(b []byte) bool {
	return bytes.HasPrefix(b, []byte("PK\x03\x04")) && (bytes.Contains(b, []byte("xl/")) || bytes.Contains(b, []byte("[Content_Types].xml")))
}

// Each opens the workbook in r and calls fn for each sheet that has a
// header row, in workbook order. The first row of a sheet is its header.
// rows is valid only during fn.
func Each(r io.Reader, fn func(sheet string, rows record.Rows) error) error {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	defer f.Close()
	for _, name := range f.GetSheetList() {
		if err := eachSheet(f, name, fn); err != nil {
			return err
		}
	}
	return nil
}

func eachSheet(f *excelize.File, name string, fn func(string, record.Rows) error) error {
	rs, err := f.Rows(name)
	if err != nil {
		return fmt.Errorf("xlsx: sheet %s: %w", name, err)
	}
	defer rs.Close()
	s := &sheet{rows: rs}
	for s.head == nil {
		if !rs.Next() {
			return rs.Error() // no header: an empty sheet
		}
		s.n++
		cols, err := rs.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return fmt.Errorf("xlsx: sheet %s: header: %w", name, err)
		}
		if !blank(cols) {
			s.head = make([]string, len(cols))
			for i, c := range cols {
				s.head[i] = strings.TrimSpace(strings.TrimPrefix(c, "\ufeff"))
			}
		}
	}
	return fn(name, s)
}

// sheet is one sheet's rows after the header.
type sheet struct {
	rows *excelize.Rows
	head []string
	n    int // the sheet row of the last row read, 1-based
}

func (s *sheet) Head() []string { return s.head }

// Next returns the next non-blank row, padded to the header's width
// (trailing empty cells are not stored in the file), with its sheet row
// number and, as raw bytes, the row as a JSON object of header: cell.
func (s *sheet) Next() (int, []string, []byte, string, error) {
	for s.rows.Next() {
		s.n++
		cols, err := s.rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return s.n, nil, nil, "unreadable row: " + err.Error(), nil
		}
		if blank(cols) {
			continue
		}
		for len(cols) < len(s.head) {
			cols = append(cols, "")
		}
		return s.n, cols, record.RawRow(s.head, cols), "", nil
	}
	if err := s.rows.Error(); err != nil {
		return 0, nil, nil, "", fmt.Errorf("xlsx: %w", err)
	}
	return 0, nil, nil, "", io.EOF
}

func blank(cols []string) bool {
	for _, c := range cols {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
