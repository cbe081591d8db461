package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestIngestBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bad := write("bad.jsonl", "{\"text\":\"好\",\"time\":\"2025-03-01 10:00\"}\n{broken\n{\"text\":\"x\"}\n")
	cut := write("cut.json", "[{\"text\":\"好\",\"time\":\"2025-03-01 10:00\"},\n{\"text\":")
	long := write("long.csv", "text,time\n"+strings.Repeat("长", 100)+",2025-03-01 10:00\n短,2025-03-01 10:01\n")
	watch := write("watch.yaml", "entities: []\nsources:\n  - {path: long.csv, max_field_bytes: 200}\n")
	db := filepath.Join(dir, "t.db")

	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string // in stdout
		wantErr  string // in stderr
	}{
		{"first run", []string{"ingest", "--db", db, "--format", "items", bad}, exitOK,
			"total: read 3, stored 1, duplicates 0, quarantined 2\n", ""},
		{"re-run: the quarantine is not counted again", []string{"ingest", "--db", db, "--format", "items", bad}, exitOK,
			"total: read 3, stored 0, duplicates 1, quarantined 2 (0 new, 2 already in the quarantine)\n", ""},
		{"a file cut short exits 1 with the counts", []string{"ingest", "--db", db, "--format", "items", cut}, exitFail,
			"read 2, stored 0, duplicates 1, quarantined 1", "cut short: read 2 records, quarantined 1, stopped at line 2"},
		{"--max-field-bytes", []string{"ingest", "--db", db, "--max-field-bytes", "200", long}, exitOK,
			"total: read 2, stored 1, duplicates 0, quarantined 1\n", ""},
		{"a source's max_field_bytes", []string{"ingest", "--db", filepath.Join(dir, "w.db"), "--config", watch}, exitOK,
			"total: read 2, stored 1, duplicates 0, quarantined 1\n", ""},
		{"--max-field-bytes must not be negative", []string{"ingest", "--db", db, "--max-field-bytes", "-1", long}, exitUsage,
			"", "--max-field-bytes must not be negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := runCmd(t, tt.args...)
			if code != tt.wantCode || !strings.Contains(out, tt.wantOut) || !strings.Contains(stderr, tt.wantErr) {
				t.Errorf("exit %d; want %d\nstdout: %s\nwant in it: %s\nstderr: %s\nwant in it: %s", code, tt.wantCode, out, tt.wantOut, stderr, tt.wantErr)
			}
		})
	}
}
