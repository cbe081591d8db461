package record

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
