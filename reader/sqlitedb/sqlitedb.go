package sqlitedb

import (
	"bytes"
	"database/sql"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"time"

	_ "modernc.org/sqlite" // the driver trustwatch's store uses too

	"trustwatch/reader/record"
)

// Magic reports whether b starts like a SQLite database file.
func Magic(b []byte) bool { return bytes.HasPrefix(b, []byte("SQLite format 3\x00")) }

// DB is a database opened for reading.
type DB struct{ db *sql.DB }

// Open opens the database at path read-only.
func Open(path string) (*DB, error) {
	u := url.URL{Scheme: "file", Path: path, RawQuery: "mode=ro&_pragma=query_only(1)"}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	db.SetMaxOpenConns(1)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: %s: %w", path, err)
	}
	return &DB{db}, nil
}

// Close closes the database.
func (d *DB) Close() error { return d.db.Close() }

// Tables lists the database's tables.
func (d *DB) Tables() ([]string, error) {
	rows, err := d.db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("sqlite: %w", err)
		}
		names = append(names, n)
	}
	return names, rows.Err()
}

// Each calls fn with the rows of table, in rowid order. rows is valid only
// during fn. Its line numbers count the table's rows from 1.
func (d *DB) Each(table string, fn func(rows record.Rows) error) error {
	q := `SELECT * FROM "` + escape(table) + `"`
	rs, err := d.db.Query(q)
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", table, err)
	}
	defer rs.Close()
	head, err := rs.Columns()
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", table, err)
	}
	t := &tableRows{rs: rs, head: head, vals: make([]any, len(head)), ptrs: make([]any, len(head))}
	for i := range t.vals {
		t.ptrs[i] = &t.vals[i]
	}
	if err := fn(t); err != nil {
		return err
	}
	return rs.Close()
}

func escape(name string) string {
	out := make([]byte, 0, len(name))
	for i := 0; i < len(name); i++ {
		if name[i] == '"' {
			out = append(out, '"')
		}
		out = append(out, name[i])
	}
	return string(out)
}

type tableRows struct {
	rs   *sql.Rows
	head []string
	vals []any
	ptrs []any
	n    int
}

func (t *tableRows) Head() []string { return t.head }

// Next returns the next row as text, with its position in the table and,
// as raw bytes, the row as a JSON object of column: value.
func (t *tableRows) Next() (int, []string, []byte, string, error) {
	if !t.rs.Next() {
		if err := t.rs.Err(); err != nil {
			return 0, nil, nil, "", fmt.Errorf("sqlite: %w", err)
		}
		return 0, nil, nil, "", io.EOF
	}
	t.n++
	if err := t.rs.Scan(t.ptrs...); err != nil {
		return t.n, nil, nil, "unreadable row: " + err.Error(), nil
	}
	fields := make([]string, len(t.vals))
	for i, v := range t.vals {
		fields[i] = text(v)
	}
	return t.n, fields, record.RawRow(t.head, fields), "", nil
}

func text(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case []byte:
		return string(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	case time.Time:
		// The driver turns DATETIME text into a time; text without a zone
		// comes back in UTC and is written back as it was, naive.
		if v.Location() == time.UTC {
			return v.Format("2006-01-02 15:04:05.999999999")
		}
		return v.Format(time.RFC3339Nano)
	}
	return fmt.Sprint(v)
}
