package record

import (
	"fmt"
	"io"
)

// EachObject reads JSON records (JSON lines, an array, or concatenated
// objects) into a fresh *T each and calls fn with its line, a copy of its
// raw bytes and, when it could not be read, the reason (v is then empty).
func EachObject[T any](r io.Reader, maxLine int, fn func(line int, raw []byte, v *T, reason string) error) error {
	return EachJSON(r, maxLine, func(line int, raw []byte, reason string) error {
		v := new(T)
		if reason == "" {
			reason = Unmarshal(raw, v)
		}
		return fn(line, Clone(raw), v, reason)
	})
}

// Columns finds the column of each canonical field name, mapped through m
// (-1 for a field the table lacks).
func (t *Table) Columns(m map[string]string, names []string) ([]int, error) {
	cols := make([]int, len(names))
	for i, name := range names {
		var err error
		if cols[i], err = t.Lookup(m, name); err != nil {
			return nil, err
		}
	}
	return cols, nil
}

// EachRow reads the table's rows into a fresh *T each, setting the fields
// fields lists from the columns cols (in the same order), and calls fn like
// EachObject: reason is why the row or one of its fields could not be
// read. A read error of the table itself is prefixed with format.
func EachRow[T any](t *Table, format string, cols []int, fields func(*T) []*Str, fn func(line int, raw []byte, v *T, reason string) error) error {
	for {
		line, row, raw, reason, err := t.Next()
		if err == io.EOF {
			return nil
		} else if err != nil {
			return fmt.Errorf("%s: %w", format, err)
		}
		v := new(T)
		if reason == "" {
			for i, dst := range fields(v) {
				s, why := t.Field(row, cols[i])
				if why != "" && reason == "" {
					reason = why
				}
				*dst = Str(s)
			}
		}
		if err := fn(line, raw, v, reason); err != nil {
			return err
		}
	}
}
