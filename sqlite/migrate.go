package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"trustwatch/migration"
)

// migrations are the embedded migrations, in version order.
func migrations() ([]migration.File, error) { return migration.Files(migrationFS, "migration") }

// migrate checks the store's schema history against the embedded
// migrations, then applies, each in its own transaction, those not applied
// yet. Migrations are append-only: a store whose history names a migration
// this build does not have, or one whose file has changed since it was
// applied, is refused rather than half-used. Rows from before checksums
// were kept are accepted only if the store's schema is exactly what those
// migrations make today, and then get their checksums.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (
		version  INTEGER PRIMARY KEY,
		name     TEXT    NOT NULL,
		applied  INTEGER NOT NULL,
		checksum TEXT    NOT NULL DEFAULT ''
	)`); err != nil {
		return err
	}
	var hasChecksum int
	if err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM pragma_table_info('schema_version') WHERE name = 'checksum'`).Scan(&hasChecksum); err != nil {
		return err
	}
	if hasChecksum == 0 {
		if _, err := db.db.ExecContext(ctx, `ALTER TABLE schema_version ADD COLUMN checksum TEXT NOT NULL DEFAULT ''`); err != nil {
			return err
		}
	}
	files, err := migrations()
	if err != nil {
		return err
	}
	history, err := db.history(ctx)
	if err != nil {
		return err
	}
	if err := db.checkHistory(ctx, files, history); err != nil {
		return err
	}
	for _, f := range migration.Pending(files, history) {
		if err := db.applyMigration(ctx, f); err != nil {
			return fmt.Errorf("%s: %w", f.Name, err)
		}
	}
	return nil
}

func (db *DB) history(ctx context.Context) ([]migration.Applied, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT version, name, checksum FROM schema_version ORDER BY version`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var hs []migration.Applied
	for rows.Next() {
		var h migration.Applied
		if err := rows.Scan(&h.Version, &h.Name, &h.Checksum); err != nil {
			return nil, err
		}
		hs = append(hs, h)
	}
	return hs, rows.Err()
}

// rebuildHint is what to do with a store this build cannot trust.
const rebuildHint = "rebuild it from its source files with this build: " +
	"trustwatch ingest --db NEW.db --config WATCH FILES..., then trustwatch analyze --db NEW.db --config WATCH " +
	"(or open it with the build that made it)"

// checkHistory refuses a history this build cannot trust (migration.Check)
// and adopts one kept before checksums if the schema it made is the one the
// same migrations make now, compared before any new one is applied.
func (db *DB) checkHistory(ctx context.Context, files []migration.File, history []migration.Applied) error {
	legacy, err := migration.Check(files, history, rebuildHint)
	if err != nil || len(legacy) == 0 {
		return err
	}
	want, err := referenceSchema(ctx, legacy)
	if err != nil {
		return fmt.Errorf("building the reference schema: %w", err)
	}
	got, err := schemaOf(ctx, db.db)
	if err != nil {
		return err
	}
	if diff := migration.Diff(got, want); diff != "" {
		return migration.NotAdopted(legacy, diff, rebuildHint)
	}
	for _, f := range legacy {
		if _, err := db.db.ExecContext(ctx, `UPDATE schema_version SET checksum = ? WHERE version = ?`, f.Checksum, f.Version); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) applyMigration(ctx context.Context, m migration.File) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_version WHERE version = ?`, m.Version).Scan(&n); err != nil {
		return err
	} else if n > 0 {
		return nil // another process applied it meanwhile
	}
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version, name, applied, checksum) VALUES (?, ?, ?, ?)`,
		m.Version, m.Name, unix(tx.now), m.Checksum); err != nil {
		return err
	}
	return tx.Commit()
}

// referenceSchema is the schema the given migrations make in an empty
// in-memory database.
func referenceSchema(ctx context.Context, ms []migration.File) (map[string]string, error) {
	ref, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		return nil, err
	}
	defer ref.Close()
	ref.SetMaxOpenConns(1)
	for _, m := range ms {
		if _, err := ref.ExecContext(ctx, m.SQL); err != nil {
			return nil, fmt.Errorf("%s: %w", m.Name, err)
		}
	}
	return schemaOf(ctx, ref)
}

// schemaOf describes every table (its columns: name, type, not null,
// primary key), index, view and trigger by name, leaving out SQLite's own
// tables and schema_version.
func schemaOf(ctx context.Context, q *sql.DB) (map[string]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT type, name, tbl_name FROM sqlite_master
		WHERE name NOT LIKE 'sqlite_%' AND name != 'schema_version'`)
	if err != nil {
		return nil, err
	}
	type object struct{ typ, name, table string }
	var objs []object
	for rows.Next() {
		var o object
		if err := rows.Scan(&o.typ, &o.name, &o.table); err != nil {
			rows.Close()
			return nil, err
		}
		objs = append(objs, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make(map[string]string, len(objs))
	for _, o := range objs {
		desc := o.typ + " on " + o.table
		if o.typ == "table" {
			cols, err := columnsOf(ctx, q, o.name)
			if err != nil {
				return nil, err
			}
			desc = "table (" + cols + ")"
		}
		out[o.name] = desc
	}
	return out, nil
}

func columnsOf(ctx context.Context, q *sql.DB, table string) (string, error) {
	rows, err := q.QueryContext(ctx, `SELECT name, type, "notnull", pk FROM pragma_table_info(?)`, table)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var name, typ string
		var notNull, pk int
		if err := rows.Scan(&name, &typ, &notNull, &pk); err != nil {
			return "", err
		}
		c := name + " " + typ
		if notNull != 0 {
			c += " NOT NULL"
		}
		if pk != 0 {
			c += " PK"
		}
		cols = append(cols, c)
	}
	return strings.Join(cols, ", "), rows.Err()
}
