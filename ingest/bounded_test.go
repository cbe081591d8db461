package ingest_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"trustwatch"
	"trustwatch/ingest"
	"trustwatch/reader"
)

func write(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// A re-run of a bad file says its quarantine records were kept already.
func TestReingestCountsQuarantineOnce(t *testing.T) {
	db := openDB(t)
	p := write(t, "bad.jsonl", []byte("{\"id\":\"1\",\"text\":\"好\",\"time\":\"2025-03-01 10:00\"}\n{broken\n{\"id\":\"3\",\"text\":\"x\"}\n"))
	in := &ingest.Ingester{Store: db, Options: reader.Options{Format: "items"}}
	for i, want := range []struct{ fresh, kept int }{{2, 0}, {0, 2}} {
		sum, err := in.Ingest(context.Background(), []string{p}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Quarantined != 2 || sum.QuarantineNew != want.fresh || sum.QuarantineKept != want.kept {
			t.Errorf("run %d: quarantined %d (%d new, %d kept); want 2 (%d new, %d kept)",
				i+1, sum.Quarantined, sum.QuarantineNew, sum.QuarantineKept, want.fresh, want.kept)
		}
	}
	if _, n, _ := db.FindQuarantine(context.Background(), trustwatch.QuarantineFilter{}); n != 2 {
		t.Errorf("quarantine holds %d records after two runs; want 2", n)
	}
}

// A file the reader cannot finish is an error with the counts and the line.
func TestCutShortFileIsAnError(t *testing.T) {
	db := openDB(t)
	p := write(t, "cut.json", []byte("[\n{\"id\":\"1\",\"text\":\"一\",\"time\":\"2025-03-01 10:00\"},\n{\"id\":\"2\",\"text\":\"二\",\n"))
	in := &ingest.Ingester{Store: db, Options: reader.Options{Format: "items"}}
	sum, err := in.Ingest(context.Background(), []string{p}, nil)
	if err == nil {
		t.Fatal("no error for an array the file ends inside")
	}
	if want := "cut short: read 2 records, quarantined 1, stopped at line 3: the file ends inside the value that starts there"; !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v\nwant it to say %q", err, want)
	}
	if trustwatch.ErrorCode(err) != trustwatch.EINVALID {
		t.Errorf("code %s; want invalid (the input's fault)", trustwatch.ErrorCode(err))
	}
	if sum.Stored != 1 || sum.Quarantined != 1 {
		t.Errorf("summary %+v; want the first item stored and the cut one quarantined", sum)
	}
}

// A BOM in the middle of a file is not part of the row: the clean copy of
// the same row is a duplicate, in CSV and JSON lines alike.
func TestMidFileBOMDedupes(t *testing.T) {
	tests := []struct {
		name, file, format string
		data               string
	}{
		{"csv", "bom.csv", "csv", "text,time\n好评,2025-03-01 10:00\n\ufeff好评,2025-03-01 10:00\n\ufefftext,time\n"},
		{"jsonl", "bom.jsonl", "items", "{\"text\":\"好评\",\"time\":\"2025-03-01 10:00\"}\n\ufeff{\"text\":\"好评\",\"time\":\"2025-03-01 10:00\"}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openDB(t)
			in := &ingest.Ingester{Store: db, Options: reader.Options{Format: tt.format}}
			sum, err := in.Ingest(context.Background(), []string{write(t, tt.file, []byte(tt.data))}, nil)
			if err != nil {
				t.Fatal(err)
			}
			// The CSV's second header (a concatenated file) is a bad row.
			wantQ := 0
			if tt.format == "csv" {
				wantQ = 1
			}
			if sum.Stored != 1 || sum.Duplicates != 1 || sum.Quarantined != wantQ {
				t.Errorf("summary %+v; want 1 stored, 1 duplicate, %d quarantined", sum, wantQ)
			}
		})
	}
}

// The drill: a stray quote on line 3 of a hot-search TSV costs
// that row and nothing else.
func TestStrayQuoteTSV(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("date\ttitle\trank\n")
	const n = 40_000
	for i := 2; i <= n+1; i++ {
		q := ""
		if i == 3 {
			q = `"`
		}
		fmt.Fprintf(&b, "2021-01-%02d\t%s标题%d\t%d\n", i%28+1, q, i, i%50+1)
	}
	db := openDB(t)
	in := &ingest.Ingester{Store: db, Options: reader.Options{Format: "csv", Map: map[string]string{"text": "title", "time": "date"}}}
	sum, err := in.Ingest(context.Background(), []string{write(t, "stray.tsv", b.Bytes())}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Read != n || sum.Stored != n-1 || sum.Quarantined != 1 {
		t.Errorf("summary %+v; want %d read, %d stored, 1 quarantined", sum, n, n-1)
	}
	qs, _, _ := db.FindQuarantine(context.Background(), trustwatch.QuarantineFilter{})
	if len(qs) != 1 || qs[0].Line != 3 || !strings.Contains(qs[0].Reason, "unterminated quote in field 2 (3 of the lines it swallows are rows by themselves); read again from line 4") {
		t.Errorf("quarantine %+v", qs)
	}
}

// A gzip file cut in the middle (a copy interrupted) is read up to the
// cut, and the error says how far.
func TestTruncatedGzipIsCutShort(t *testing.T) {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	for i := range 20_000 {
		fmt.Fprintf(zw, "{\"id\":\"%d\",\"text\":\"第%d条\",\"time\":\"2025-03-01 10:00\"}\n", i, i)
	}
	zw.Close()
	p := write(t, "cut.jsonl.gz", b.Bytes()[:b.Len()/2])
	in := &ingest.Ingester{Store: openDB(t), Options: reader.Options{Format: "items"}}
	sum, err := in.Ingest(context.Background(), []string{p}, nil)
	if err == nil {
		t.Fatal("no error for a gzip file cut in half")
	}
	want := fmt.Sprintf("cut short: read %d records, quarantined 0, stopped after line %d: ", sum.Read, sum.Read)
	if sum.Read == 0 || sum.Read >= 20_000 || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "unexpected EOF") {
		t.Errorf("read %d; err %v\nwant it to say %q and unexpected EOF", sum.Read, err, want)
	}
	if sum.Stored != sum.Read {
		t.Errorf("stored %d of the %d records read before the cut", sum.Stored, sum.Read)
	}
}
