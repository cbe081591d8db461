package sqlite_test

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"trustwatch/migration"
	"trustwatch/sqlite"
)

// Migration files are append-only: a change to one already shipped would
// leave the stores made before it with another schema under the same
// version. The list in testdata is the shipped files' checksums; a new
// migration adds its line, an edited one fails here.
func TestMigrationsAppendOnly(t *testing.T) {
	shipped, err := os.ReadFile("testdata/migrations.sha256")
	if err != nil {
		t.Fatal(err)
	}
	files, err := migration.Files(os.DirFS("."), "migration")
	if err != nil {
		t.Fatal(err)
	}
	for _, problem := range migration.CheckShipped(files, shipped) {
		t.Error(problem)
	}
}

// newStoreFile makes a store file with every migration applied and
// returns its path.
func newStoreFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tw.db")
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// raw runs statements on the file behind the store's back.
func raw(t *testing.T, path string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func count(t *testing.T, path, query string) int {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func TestMigrationHistoryChecked(t *testing.T) {
	tests := []struct {
		name    string
		tamper  []string
		wantErr string // "" when the store must open
	}{
		{name: "current store opens"},
		{
			name:    "migration file changed since it was applied",
			tamper:  []string{`UPDATE schema_version SET checksum = 'deadbeefdeadbeefdeadbeef' WHERE version = 1`},
			wantErr: "migration 0001_init.sql was applied to this store from a different file",
		},
		{
			name:    "history from a newer build",
			tamper:  []string{`INSERT INTO schema_version (version, name, applied, checksum) VALUES (999, '0999_future.sql', 0, 'abc')`},
			wantErr: "records migration 999 (0999_future.sql), which this build of trustwatch does not have",
		},
		{
			name:   "history from before checksums, schema as the migrations make it: adopted",
			tamper: []string{`UPDATE schema_version SET checksum = ''`},
		},
		{
			name:    "history from before checksums, a table missing",
			tamper:  []string{`UPDATE schema_version SET checksum = ''`, `DROP TABLE deliveries`},
			wantErr: "table deliveries",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := newStoreFile(t)
			raw(t, path, tt.tamper...)
			db, err := sqlite.Open(path)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				db.Close()
				if n := count(t, path, `SELECT COUNT(*) FROM schema_version WHERE checksum = ''`); n != 0 {
					t.Errorf("%d migrations left without a checksum", n)
				}
				return
			}
			if err == nil {
				db.Close()
				t.Fatalf("opened; want refused with %q", tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "trustwatch ingest --db NEW.db") {
				t.Errorf("err %v\nwant it to contain %q and the command to rebuild", err, tt.wantErr)
			}
		})
	}
}

// The case: a store made by a build whose initial migration was
// later rewritten in place. It used to open, then fail on "no such table:
// sources" after ingest had written quarantine rows into it. Now it is
// refused on open and nothing is written to it.
func TestLegacyStoreWithRewrittenHistory(t *testing.T) {
	old, err := os.ReadFile("testdata/legacy_0001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "old.db")
	raw(t, path,
		`CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied INTEGER NOT NULL)`,
		string(old),
		`INSERT INTO schema_version VALUES (1, '0001_init.sql', 1735689600)`,
	)
	db, err := sqlite.Open(path)
	if err == nil {
		db.Close()
		t.Fatal("a store from the rewritten history opened")
	}
	for _, want := range []string{"its schema is not what they make", "missing: table sources", "trustwatch ingest --db NEW.db"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("err %v\nwant %q in it", err, want)
		}
	}
	if n := count(t, path, `SELECT COUNT(*) FROM schema_version`); n != 1 {
		t.Errorf("%d migrations recorded after the refusal, want the 1 it had", n)
	}
	if n := count(t, path, `SELECT COUNT(*) FROM quarantine`); n != 0 {
		t.Errorf("%d quarantine rows written", n)
	}
}
