package xlsx_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"trustwatch/reader/internal/tablefile"
	"trustwatch/reader/record"
	"trustwatch/reader/xlsx"
)

func workbook(t testing.TB, tables ...tablefile.Table) []byte {
	path := filepath.Join(t.TempDir(), "w.xlsx")
	if err := tablefile.WriteXLSX(path, tables...); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestEach(t *testing.T) {
	b := workbook(t,
		tablefile.Table{Name: "Contents", Head: []string{"note_id", "time", "desc"},
			Rows: [][]string{{"n1", "1711780000000", "长文本"}, {"", "", ""}, {"n2", "", ""}}},
		tablefile.Table{Name: "Empty"})
	if !xlsx.Magic(b) {
		t.Fatal("Magic: not an xlsx")
	}
	type row struct {
		sheet  string
		line   int
		fields []string
		raw    string
	}
	var got []row
	err := xlsx.Each(bytes.NewReader(b), func(sheet string, rows record.Rows) error {
		for {
			line, fields, raw, reason, err := rows.Next()
			if err == io.EOF {
				return nil
			} else if err != nil || reason != "" {
				t.Fatalf("%v %s", err, reason)
			}
			got = append(got, row{sheet, line, slices.Clone(fields), string(raw)})
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	// The blank row 3 is skipped; row 4's empty trailing cells are padded;
	// a unix time in ms comes back as its digits, not 1.71178E+12.
	want := []row{
		{"Contents", 2, []string{"n1", "1711780000000", "长文本"}, `{"note_id":"n1","time":"1711780000000","desc":"长文本"}`},
		{"Contents", 4, []string{"n2", "", ""}, `{"note_id":"n2","time":"","desc":""}`},
	}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i].sheet != want[i].sheet || got[i].line != want[i].line || !slices.Equal(got[i].fields, want[i].fields) || got[i].raw != want[i].raw {
			t.Errorf("row %d: %v, want %v", i, got[i], want[i])
		}
	}
}

func FuzzEach(f *testing.F) {
	f.Add(workbook(f, tablefile.Table{Name: "Comments", Head: []string{"comment_id", "content"}, Rows: [][]string{{"1", "好"}}}))
	f.Add([]byte("PK\x03\x04xl/"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = xlsx.Each(bytes.NewReader(b), func(sheet string, rows record.Rows) error {
			for n := 0; n < 1000; n++ {
				if _, fields, _, _, err := rows.Next(); err != nil {
					return nil
				} else if len(fields) < len(rows.Head()) && fields != nil {
					t.Fatalf("row of %d fields under a header of %d", len(fields), len(rows.Head()))
				}
			}
			return nil
		})
	})
}
