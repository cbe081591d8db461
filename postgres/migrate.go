package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"trustwatch/migration"
)

// migrations are the embedded migrations, in version order.
func migrations() ([]migration.File, error) { return migration.Files(migrationFS, "migration") }

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
		history, err := checkHistory(ctx, tx, ms)
		if err != nil {
			return err
		}
		for _, m := range migration.Pending(ms, history) {
			// No arguments: the simple protocol runs a script of statements.
			if _, err := tx.Exec(ctx, m.SQL, pgx.QueryExecModeSimpleProtocol); err != nil {
				return fmt.Errorf("migration %s: %w", m.Name, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO schema_version (version, name, checksum) VALUES ($1, $2, $3)`, m.Version, m.Name, m.Checksum); err != nil {
				return err
			}
		}
		return nil
	})
}

// checkHistory returns the store's history after refusing one this build
// cannot trust (migration.Check), and adopts one kept before checksums if
// the tables it made are the ones the same migrations make now.
func checkHistory(ctx context.Context, tx pgx.Tx, ms []migration.File) ([]migration.Applied, error) {
	rows, err := tx.Query(ctx, `SELECT version, name, checksum FROM schema_version ORDER BY version`)
	if err != nil {
		return nil, err
	}
	history, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (migration.Applied, error) {
		var h migration.Applied
		err := row.Scan(&h.Version, &h.Name, &h.Checksum)
		return h, err
	})
	if err != nil {
		return nil, err
	}
	legacy, err := migration.Check(ms, history, rebuildHint)
	if err != nil || len(legacy) == 0 {
		return history, err
	}
	got, err := tablesOf(ctx, tx, "current_schema()")
	if err != nil {
		return nil, err
	}
	want, err := referenceTables(ctx, tx, legacy)
	if err != nil {
		return nil, fmt.Errorf("building the reference schema: %w", err)
	}
	if diff := migration.Diff(got, want); diff != "" {
		return nil, migration.NotAdopted(legacy, diff, rebuildHint)
	}
	for _, m := range legacy {
		if _, err := tx.Exec(ctx, `UPDATE schema_version SET checksum = $1 WHERE version = $2`, m.Checksum, m.Version); err != nil {
			return nil, err
		}
	}
	return history, nil
}

// referenceTables applies ms in a scratch schema inside a savepoint that is
// rolled back, and returns the tables they make.
func referenceTables(ctx context.Context, tx pgx.Tx, ms []migration.File) (map[string]string, error) {
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
		if _, err := sp.Exec(ctx, m.SQL, pgx.QueryExecModeSimpleProtocol); err != nil {
			return nil, fmt.Errorf("%s: %w", m.Name, err)
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
// the partitions made at run time, nor schema_version) by their columns,
// as migration.Diff reads them: "table (name type NOT NULL, …)".
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
	cols := map[string][]string{}
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
		cols[table] = append(cols[table], c)
	}
	out := make(map[string]string, len(cols))
	for table, cs := range cols {
		out[table] = "table (" + strings.Join(cs, ", ") + ")"
	}
	return out, rows.Err()
}
