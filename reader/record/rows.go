package record

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Rows is a table read one row at a time, whatever holds it: a CSV file
// (*Table), an XLSX sheet, a SQLite table. Next has Table.Next's contract:
// line is where the row is (the CSV line, the sheet row, the table's row
// number), raw the row's bytes for quarantine, reason why a malformed row
// is refused; err is io.EOF after the last row.
type Rows interface {
	Head() []string
	Next() (line int, fields []string, raw []byte, reason string, err error)
}

// Head returns the header row.
func (t *Table) Head() []string { return t.Header }

// RawRow writes a row as a JSON object of column: value, in column order,
// for a quarantine record: the row's own bytes are in a zip or a database
// page. Cells beyond the header are kept under their column number.
func RawRow(head, cols []string) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, c := range cols {
		key := fmt.Sprintf("column %d", i+1)
		if i < len(head) && head[i] != "" {
			key = head[i]
		}
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(key)
		v, _ := json.Marshal(c)
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes()
}
