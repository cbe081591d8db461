package sqlitedb_test

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"trustwatch/reader/internal/tablefile"
	"trustwatch/reader/record"
	"trustwatch/reader/sqlitedb"
)

func TestEach(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	err := tablefile.WriteSQLite(path,
		tablefile.Table{Name: "xhs_note", Head: []string{"note_id", "time", "desc"}, Rows: [][]string{{"n1", "1711780000000", "刹车"}, {"n2", "", "x"}}},
		tablefile.Table{Name: `odd "name"`, Head: []string{"a"}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if !sqlitedb.Magic(b) {
		t.Fatal("Magic: not a database")
	}
	db, err := sqlitedb.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tables, err := db.Tables()
	if err != nil || !slices.Equal(tables, []string{`odd "name"`, "xhs_note"}) {
		t.Fatalf("tables %q, %v", tables, err)
	}
	var got []string
	err = db.Each("xhs_note", func(rows record.Rows) error {
		if !slices.Equal(rows.Head(), []string{"id", "note_id", "time", "desc"}) {
			t.Errorf("head %q", rows.Head())
		}
		for {
			line, _, raw, _, err := rows.Next()
			if err == io.EOF {
				return nil
			} else if err != nil {
				return err
			}
			got = append(got, string(rune('0'+line))+" "+string(raw))
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	// Integers come back as digits, an empty value as "".
	want := []string{`1 {"id":"1","note_id":"n1","time":"1711780000000","desc":"刹车"}`, `2 {"id":"2","note_id":"n2","time":"","desc":"x"}`}
	if !slices.Equal(got, want) {
		t.Errorf("rows\n%q\nwant\n%q", got, want)
	}
	if err := db.Each(`odd "name"`, func(record.Rows) error { return nil }); err != nil {
		t.Errorf("quoted table name: %v", err)
	}
}

func FuzzOpen(f *testing.F) {
	path := filepath.Join(f.TempDir(), "seed.db")
	if err := tablefile.WriteSQLite(path, tablefile.Table{Name: "comments", Head: []string{"id", "text"}, Rows: [][]string{{"1", "好"}}}); err != nil {
		f.Fatal(err)
	}
	seed, _ := os.ReadFile(path)
	f.Add(seed)
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(t.TempDir(), "f.db")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		db, err := sqlitedb.Open(p)
		if err != nil {
			return
		}
		defer db.Close()
		tables, _ := db.Tables()
		for _, name := range tables {
			_ = db.Each(name, func(rows record.Rows) error {
				for {
					if _, _, _, _, err := rows.Next(); err != nil {
						return nil
					}
				}
			})
		}
		after, _ := os.ReadFile(p)
		if string(after) != string(b) {
			t.Fatal("reading changed the file")
		}
	})
}
