package postgres

import (
	"context"
	"os"
	"strings"
	"testing"

	"trustwatch/migration"
)

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
			tamper:  []string{`INSERT INTO schema_version (version, name, checksum) VALUES (999, '0999_future.sql', 'abc')`},
			wantErr: "records migration 999 (0999_future.sql), which this build of trustwatch does not have",
		},
		{
			name:   "history from before checksums, schema as the migrations make it: adopted",
			tamper: []string{`UPDATE schema_version SET checksum = ''`},
		},
		{
			name:    "history from before checksums, a table missing",
			tamper:  []string{`UPDATE schema_version SET checksum = ''`, `DROP TABLE deliveries`},
			wantErr: "missing: table deliveries",
		},
	}
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := newSchema(t)
			db, err := Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range tt.tamper {
				if _, err := db.pool.Exec(ctx, q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			db.Close()
			db, err = Open(ctx, url)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				defer db.Close()
				var n int
				if err := db.pool.QueryRow(ctx, `SELECT COUNT(*) FROM schema_version WHERE checksum = ''`).Scan(&n); err != nil || n != 0 {
					t.Errorf("%d migrations left without a checksum (%v)", n, err)
				}
				var leftover bool
				db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'trustwatch_migration_reference')`).Scan(&leftover)
				if leftover {
					t.Error("the reference schema was left behind")
				}
				return
			}
			if err == nil {
				db.Close()
				t.Fatalf("opened; want refused with %q", tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "trustwatch ingest --db") {
				t.Errorf("err %v\nwant it to contain %q and the command to rebuild", err, tt.wantErr)
			}
		})
	}
}

// Migration files are append-only (see the SQLite store's test of the same
// name): testdata lists the shipped files' checksums.
func TestMigrationsAppendOnly(t *testing.T) {
	shipped, err := os.ReadFile("testdata/migrations.sha256")
	if err != nil {
		t.Fatal(err)
	}
	files, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	for _, problem := range migration.CheckShipped(files, shipped) {
		t.Error(problem)
	}
}
