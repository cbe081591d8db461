package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// migration is one embedded schema change.
type migration struct {
	version  int
	name     string // NNNN_what.sql
	sql      string
	checksum string // hex SHA-256 of the file
}

func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFS, "migration/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, name := range names {
		base := strings.TrimPrefix(name, "migration/")
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: no version number", base)
		}
		b, err := fs.ReadFile(migrationFS, name)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(b)
		ms = append(ms, migration{version: v, name: base, sql: string(b), checksum: hex.EncodeToString(sum[:])})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i := 1; i < len(ms); i++ {
		if ms[i].version == ms[i-1].version {
			return nil, fmt.Errorf("%s and %s have the same version", ms[i-1].name, ms[i].name)
		}
	}
	return ms, nil
}

// rebuildHint is what to do with a store this build cannot trust.
const rebuildHint = "rebuild it from its source files with this build into a new schema or database " +
	"(trustwatch ingest --db postgres://…/NEW --config WATCH FILES..., then trustwatch analyze), " +
	"or open it with the build that made it"

// migrate checks the store's schema history against the embedded
// migrations and applies those not yet applied, in order, in one
// transaction under an advisory lock, so that two processes starting at
// once do not both apply them: the second waits, then finds them applied.
// As in the SQLite store, migrations are append-only: an unknown or
// rewritten history is refused, and rows from before checksums were kept
// are adopted only if the schema is what those migrations make now.
func (db *DB) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	return db.update(ctx, "migrate", func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, lockMigrate); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_version (
			version  integer PRIMARY KEY,
			name     text NOT NULL,
			applied  timestamptz NOT NULL DEFAULT now(),
			checksum text NOT NULL DEFAULT '')`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `ALTER TABLE schema_version ADD COLUMN IF NOT EXISTS checksum text NOT NULL DEFAULT ''`); err != nil {
			return err
		}
		done, err := checkHistory(ctx, tx, ms)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if done[m.version] {
				continue
			}
			// No arguments: the simple protocol runs a script of statements.
			if _, err := tx.Exec(ctx, m.sql, pgx.QueryExecModeSimpleProtocol); err != nil {
				return fmt.Errorf("migration %s: %w", m.name, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO schema_version (version, name, checksum) VALUES ($1, $2, $3)`, m.version, m.name, m.checksum); err != nil {
				return err
			}
		}
		return nil
	})
}

// checkHistory returns the versions applied, after checking them.
func checkHistory(ctx context.Context, tx pgx.Tx, ms []migration) (map[int]bool, error) {
	byVersion := make(map[int]migration, len(ms))
	for _, m := range ms {
		byVersion[m.version] = m
	}
	rows, err := tx.Query(ctx, `SELECT version, name, checksum FROM schema_version ORDER BY version`)
	if err != nil {
		return nil, err
	}
	done := map[int]bool{}
	var legacy []migration
	for rows.Next() {
		var v int
		var name, sum string
		if err := rows.Scan(&v, &name, &sum); err != nil {
			rows.Close()
			return nil, err
		}
		done[v] = true
		m, ok := byVersion[v]
		switch {
		case !ok:
			rows.Close()
			return nil, fmt.Errorf("the store records migration %d (%s), which this build of trustwatch does not have: it was made by a newer or a different build; %s", v, name, rebuildHint)
		case sum == "":
			legacy = append(legacy, m)
		case sum != m.checksum:
			rows.Close()
			return nil, fmt.Errorf("migration %s was applied to this store from a different file than this build's (checksum %.12s…, this build %.12s…): its schema history was rewritten; %s", m.name, sum, m.checksum, rebuildHint)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(legacy) == 0 {
		return done, nil
	}
	if len(legacy) < len(done) {
		return nil, fmt.Errorf("the store's schema history mixes migrations with and without checksums; %s", rebuildHint)
	}
	got, err := tablesOf(ctx, tx, "current_schema()")
	if err != nil {
		return nil, err
	}
	want, err := referenceTables(ctx, tx, legacy)
	if err != nil {
		return nil, fmt.Errorf("building the reference schema: %w", err)
	}
	if diff := diffTables(got, want); diff != "" {
		return nil, fmt.Errorf("the store says it has migrations up to %s but its schema is not what they make (%s): it was made by an older build whose migrations were since rewritten; %s", legacy[len(legacy)-1].name, diff, rebuildHint)
	}
	for _, m := range legacy {
		if _, err := tx.Exec(ctx, `UPDATE schema_version SET checksum = $1 WHERE version = $2`, m.checksum, m.version); err != nil {
			return nil, err
		}
	}
	return done, nil
}

// referenceTables applies ms in a scratch schema inside a savepoint that is
// rolled back, and returns the tables they make.
func referenceTables(ctx context.Context, tx pgx.Tx, ms []migration) (map[string]string, error) {
	var path string
	if err := tx.QueryRow(ctx, `SELECT current_setting('search_path')`).Scan(&path); err != nil {
		return nil, err
	}
	sp, err := tx.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer sp.Rollback(ctx)
	const scratch = "trustwatch_migration_reference"
	if _, err := sp.Exec(ctx, `CREATE SCHEMA `+scratch); err != nil {
		return nil, err
	}
	if _, err := sp.Exec(ctx, `SET LOCAL search_path TO `+scratch); err != nil {
		return nil, err
	}
	for _, m := range ms {
		if _, err := sp.Exec(ctx, m.sql, pgx.QueryExecModeSimpleProtocol); err != nil {
			return nil, fmt.Errorf("%s: %w", m.name, err)
		}
	}
	ref, err := tablesOf(ctx, sp, "'"+scratch+"'")
	if err != nil {
		return nil, err
	}
	if err := sp.Rollback(ctx); err != nil {
		return nil, err
	}
	// SET LOCAL outlives the savepoint's rollback only if it was set after
	// it; restore the caller's path to be sure.
	_, err = tx.Exec(ctx, `SELECT set_config('search_path', $1, true)`, path)
	return ref, err
}

// tablesOf describes the ordinary and partitioned tables of a schema (not
// the partitions made at run time, nor schema_version) by their columns.
func tablesOf(ctx context.Context, tx pgx.Tx, schemaExpr string) (map[string]string, error) {
	rows, err := tx.Query(ctx, `SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull
		FROM pg_class c
		JOIN pg_namespace ns ON ns.oid = c.relnamespace
		JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
		WHERE ns.nspname = `+schemaExpr+` AND c.relkind IN ('r', 'p') AND NOT c.relispartition
			AND c.relname != 'schema_version'
		ORDER BY c.relname, a.attnum`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var table, col, typ string
		var notNull bool
		if err := rows.Scan(&table, &col, &typ, &notNull); err != nil {
			return nil, err
		}
		c := col + " " + typ
		if notNull {
			c += " NOT NULL"
		}
		if out[table] != "" {
			c = ", " + c
		}
		out[table] += c
	}
	return out, rows.Err()
}

func diffTables(got, want map[string]string) string {
	var missing, extra, changed []string
	for name, w := range want {
		if g, ok := got[name]; !ok {
			missing = append(missing, name)
		} else if g != w {
			changed = append(changed, name)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			extra = append(extra, name)
		}
	}
	var parts []string
	for _, l := range []struct {
		what  string
		names []string
	}{{"missing tables", missing}, {"unexpected tables", extra}, {"different tables", changed}} {
		if len(l.names) > 0 {
			slices.Sort(l.names)
			parts = append(parts, l.what+": "+strings.Join(l.names, ", "))
		}
	}
	return strings.Join(parts, "; ")
}
