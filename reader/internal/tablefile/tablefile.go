// Package tablefile writes small Excel workbooks and SQLite databases
// from tables of text, so that tests build their XLSX and SQLite fixtures
// at test time from the CSV fixtures they already check, instead of
// committing binaries. Cells of digits only are written as numbers, as
// MediaCrawler's stores write ints.
package tablefile

import (
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
	_ "modernc.org/sqlite" // the driver the readers use

	"trustwatch/reader/record"
)

// Table is a named table: a sheet or a database table.
type Table struct {
	Name string
	Head []string
	Rows [][]string
}

// FromCSV reads a CSV file with a header into a table named name.
func FromCSV(path, name string) (Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return Table{}, err
	}
	defer f.Close()
	t, err := record.NewTable(f, 0)
	if err != nil {
		return Table{}, err
	}
	tab := Table{Name: name, Head: append([]string(nil), t.Header...)}
	for {
		_, fields, _, reason, err := t.Next()
		if err != nil {
			return tab, nil
		}
		if reason != "" {
			return tab, fmt.Errorf("%s: %s", path, reason)
		}
		tab.Rows = append(tab.Rows, append([]string(nil), fields...))
	}
}

func value(s string) any {
	if s != "" && len(s) < 19 && strings.TrimLeft(s, "0123456789") == "" && (s == "0" || s[0] != '0') {
		n, _ := strconv.ParseInt(s, 10, 64)
		return n
	}
	return s
}

// WriteXLSX writes the tables as the sheets of a workbook at path.
func WriteXLSX(path string, tables ...Table) error {
	f := excelize.NewFile()
	defer f.Close()
	for i, t := range tables {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", t.Name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(t.Name); err != nil {
			return err
		}
		sw, err := f.NewStreamWriter(t.Name)
		if err != nil {
			return err
		}
		row := func(n int, cells []any) error {
			cell, _ := excelize.CoordinatesToCellName(1, n)
			return sw.SetRow(cell, cells)
		}
		head := make([]any, len(t.Head))
		for j, h := range t.Head {
			head[j] = h
		}
		if err := row(1, head); err != nil {
			return err
		}
		for j, r := range t.Rows {
			cells := make([]any, len(r))
			for k, c := range r {
				cells[k] = value(c)
			}
			if err := row(j+2, cells); err != nil {
				return err
			}
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	return f.SaveAs(path)
}

// WriteSQLite writes the tables into a new database at path, each with an
// "id" primary key first when the table has no id column, as
// MediaCrawler's ORM tables do.
func WriteSQLite(path string, tables ...Table) error {
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return err
	}
	defer db.Close()
	for _, t := range tables {
		cols := make([]string, len(t.Head))
		marks := make([]string, len(t.Head))
		hasID := false
		for i, h := range t.Head {
			cols[i] = quote(h)
			marks[i] = "?"
			hasID = hasID || h == "id"
		}
		ddl := strings.Join(cols, ", ")
		if !hasID {
			ddl = "id INTEGER PRIMARY KEY, " + ddl
		}
		if _, err := db.Exec(`CREATE TABLE ` + quote(t.Name) + ` (` + ddl + `)`); err != nil {
			return err
		}
		ins := `INSERT INTO ` + quote(t.Name) + ` (` + strings.Join(cols, ", ") + `) VALUES (` + strings.Join(marks, ", ") + `)`
		for _, r := range t.Rows {
			args := make([]any, len(r))
			for i, c := range r {
				args[i] = value(c)
			}
			if _, err := db.Exec(ins, args...); err != nil {
				return err
			}
		}
	}
	return nil
}

func quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }
