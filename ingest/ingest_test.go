package ingest_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"trustwatch"
	"trustwatch/ingest"
	"trustwatch/reader"
	"trustwatch/sqlite"
)

func openDB(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestIngestDirectory(t *testing.T) {
	db := openDB(t)
	in := &ingest.Ingester{Store: db, Options: reader.Options{Format: "auto"}, BatchSize: 2}
	sum, err := in.Ingest(context.Background(), []string{"testdata/dir"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// a.jsonl: 2 stored, 1 quarantined; b.csv: 1 stored, 1 duplicate (the
	// same row twice), 1 quarantined. Hidden directories and other files
	// are skipped.
	if sum.Read != 6 || sum.Stored != 3 || sum.Duplicates != 1 || sum.Quarantined != 2 {
		t.Errorf("summary = %+v", sum)
	}
	if len(sum.Files) != 2 || filepath.Base(sum.Files[0].Path) != "a.jsonl" || sum.Files[1].Format != "csv" {
		t.Errorf("files = %+v", sum.Files)
	}
	qs, n, err := db.FindQuarantine(context.Background(), trustwatch.QuarantineFilter{})
	if err != nil || n != 2 {
		t.Fatalf("quarantine: %d, %v", n, err)
	}
	for _, q := range qs {
		if q.Line != 4 && q.Line != 3 {
			t.Errorf("quarantined line %d (%s)", q.Line, q.Reason)
		}
	}
	items, _, _ := db.FindItems(context.Background(), trustwatch.ItemFilter{IDs: []string{"1"}})
	if len(items) != 1 || items[0].Source != "testdata/dir/a.jsonl:1" {
		t.Errorf("item 1 = %+v", items)
	}

	// Again: nothing new.
	sum, err = in.Ingest(context.Background(), []string{"testdata/dir"}, nil)
	if err != nil || sum.Stored != 0 || sum.Duplicates != 4 || sum.Quarantined != 2 {
		t.Errorf("second run = %+v, %v", sum, err)
	}
}

func TestIngestStdinAndGzip(t *testing.T) {
	db := openDB(t)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte("{\"text\":\"一\",\"time\":\"2025-03-01 10:00\"}\n{\"text\":\"二\",\"time\":\"2025-03-01 10:01\"}\n"))
	zw.Close()
	gz := filepath.Join(t.TempDir(), "x.jsonl.gz")
	os.WriteFile(gz, buf.Bytes(), 0o644)

	in := &ingest.Ingester{Store: db}
	stdin := strings.NewReader("{\"text\":\"三\",\"time\":\"2025-03-01 10:02\"}\n")
	sum, err := in.Ingest(context.Background(), []string{gz, "-"}, stdin)
	if err != nil || sum.Stored != 3 {
		t.Fatalf("summary = %+v, %v", sum, err)
	}
	if sum.Files[1].Path != "stdin" {
		t.Errorf("stdin path = %q", sum.Files[1].Path)
	}
}

func TestIngestMissingFileGoesOn(t *testing.T) {
	db := openDB(t)
	in := &ingest.Ingester{Store: db}
	sum, err := in.Ingest(context.Background(), []string{"testdata/nope.csv", "testdata/dir/a.jsonl"}, nil)
	if err == nil || !strings.Contains(trustwatch.ErrorMessage(err), "nope.csv") {
		t.Errorf("err = %v, want one naming nope.csv", err)
	}
	if sum.Stored != 2 {
		t.Errorf("the readable file was not ingested: %+v", sum)
	}
}

// failingStore fails every item write, to check the error surfaces.
type failingStore struct{ *sqlite.DB }

func (failingStore) PutItems(context.Context, []trustwatch.Item) (int, int, error) {
	return 0, 0, errors.New("disk full")
}

func TestIngestStoreErrorStopsTheFile(t *testing.T) {
	in := &ingest.Ingester{Store: failingStore{openDB(t)}, BatchSize: 1}
	sum, err := in.Ingest(context.Background(), []string{"testdata/dir/a.jsonl"}, nil)
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("err = %v, want the store's error", err)
	}
	if code := trustwatch.ErrorCode(err); code != trustwatch.EINTERNAL {
		t.Errorf("a store failure is %s, want internal (not the input's fault)", code)
	}
	// Whatever was read and not written is counted, so the sum holds.
	if sum.Read != sum.Stored+sum.Duplicates+sum.Quarantined+sum.Failed || sum.Failed == 0 {
		t.Errorf("counts do not add up: %+v", sum)
	}
}
