package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"trustwatch"
	"trustwatch/sqlite"
	"trustwatch/web"
)

// TestPushMaxFieldBytes: a push source's max_field_bytes bounds a pushed
// record as it bounds a file's.
func TestPushMaxFieldBytes(t *testing.T) {
	body := "text,time\n" + strings.Repeat("长", 100) + ",2025-03-01 10:00\n短,2025-03-01 10:01\n" // a 300-byte field
	tests := []struct {
		name                string
		maxField            int
		stored, quarantined int
	}{
		{"default limit: both rows", 0, 2, 0},
		{"max_field_bytes 200: the long field refuses its row", 200, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := sqlite.Open(filepath.Join(t.TempDir(), "t.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			ingest := pushIngest(db, nil, trustwatch.DefaultLocation(), nil)
			src := trustwatch.Source{ID: "crawler", Kind: trustwatch.SourcePush, MaxFieldBytes: tt.maxField}
			res, err := ingest(context.Background(), web.Push{Source: src, Name: "push:crawler/1.csv", Format: "auto", Body: strings.NewReader(body)})
			if err != nil {
				t.Fatal(err)
			}
			if res.Stored != tt.stored || res.Quarantined != tt.quarantined {
				t.Errorf("stored %d, quarantined %d; want %d, %d", res.Stored, res.Quarantined, tt.stored, tt.quarantined)
			}
		})
	}
}
