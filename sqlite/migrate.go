package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// migration is one embedded schema change.
type migration struct {
	version  int
	name     string // NNNN_what.sql
	sql      string
	checksum string // hex SHA-256 of the file
}

// migrations lists the embedded migrations in version order. A file is
// named NNNN_what.sql; NNNN is its version.
func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFS, "migration/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, name := range names {
		base := strings.TrimPrefix(name, "migration/")
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("%s: name must start with a version number and _", name)
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

// applied is a row of schema_version.
type applied struct {
	version  int
	name     string
	checksum string // "" for a migration applied before checksums were kept
}

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
	ms, err := migrations()
	if err != nil {
		return err
	}
	history, err := db.history(ctx)
	if err != nil {
		return err
	}
	if err := db.checkHistory(ctx, ms, history); err != nil {
		return err
	}
	done := make(map[int]bool, len(history))
	for _, h := range history {
		done[h.version] = true
	}
	for _, m := range ms {
		if done[m.version] {
			continue
		}
		if err := db.applyMigration(ctx, m); err != nil {
			return fmt.Errorf("%s: %w", m.name, err)
		}
	}
	return nil
}

func (db *DB) history(ctx context.Context) ([]applied, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT version, name, checksum FROM schema_version ORDER BY version`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var hs []applied
	for rows.Next() {
		var h applied
		if err := rows.Scan(&h.version, &h.name, &h.checksum); err != nil {
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

func (db *DB) checkHistory(ctx context.Context, ms []migration, history []applied) error {
	byVersion := make(map[int]migration, len(ms))
	for _, m := range ms {
		byVersion[m.version] = m
	}
	var legacy []migration
	for _, h := range history {
		m, ok := byVersion[h.version]
		switch {
		case !ok:
			return fmt.Errorf("the store records migration %d (%s), which this build of trustwatch does not have: it was made by a newer or a different build; %s", h.version, h.name, rebuildHint)
		case h.checksum == "":
			legacy = append(legacy, m)
		case h.checksum != m.checksum:
			return fmt.Errorf("migration %s was applied to this store from a different file than this build's (checksum %.12s…, this build %.12s…): its schema history was rewritten; %s", m.name, h.checksum, m.checksum, rebuildHint)
		}
	}
	if len(legacy) == 0 {
		return nil
	}
	// The legacy rows are trusted only if the schema they made is the one
	// the same migrations make now, compared before any new one is applied.
	if len(legacy) < len(history) {
		return fmt.Errorf("the store's schema history mixes migrations with and without checksums; %s", rebuildHint)
	}
	want, err := referenceSchema(ctx, legacy)
	if err != nil {
		return fmt.Errorf("building the reference schema: %w", err)
	}
	got, err := schemaOf(ctx, db.db)
	if err != nil {
		return err
	}
	if diff := diffSchema(got, want); diff != "" {
		last := legacy[len(legacy)-1]
		return fmt.Errorf("the store says it has migrations up to %s but its schema is not what they make (%s): it was made by an older build whose migrations were since rewritten; %s", last.name, diff, rebuildHint)
	}
	for _, m := range legacy {
		if _, err := db.db.ExecContext(ctx, `UPDATE schema_version SET checksum = ? WHERE version = ?`, m.checksum, m.version); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) applyMigration(ctx context.Context, m migration) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_version WHERE version = ?`, m.version).Scan(&n); err != nil {
		return err
	} else if n > 0 {
		return nil // another process applied it meanwhile
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version, name, applied, checksum) VALUES (?, ?, ?, ?)`,
		m.version, m.name, unix(tx.now), m.checksum); err != nil {
		return err
	}
	return tx.Commit()
}

// referenceSchema is the schema the given migrations make in an empty
// in-memory database.
func referenceSchema(ctx context.Context, ms []migration) (map[string]string, error) {
	ref, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		return nil, err
	}
	defer ref.Close()
	ref.SetMaxOpenConns(1)
	for _, m := range ms {
		if _, err := ref.ExecContext(ctx, m.sql); err != nil {
			return nil, fmt.Errorf("%s: %w", m.name, err)
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

// diffSchema says how got differs from want in a few words ("" when it
// does not): the first missing, extra and changed objects by name.
func diffSchema(got, want map[string]string) string {
	var missing, extra, changed []string
	for name, w := range want {
		g, ok := got[name]
		switch {
		case !ok:
			missing = append(missing, strings.Fields(w)[0]+" "+name)
		case g != w:
			changed = append(changed, name)
		}
	}
	for name, g := range got {
		if _, ok := want[name]; !ok {
			extra = append(extra, strings.Fields(g)[0]+" "+name)
		}
	}
	var parts []string
	for _, l := range []struct {
		what  string
		names []string
	}{{"missing", missing}, {"unexpected", extra}, {"different", changed}} {
		if len(l.names) == 0 {
			continue
		}
		slices.Sort(l.names)
		if len(l.names) > 3 {
			l.names = append(l.names[:3], fmt.Sprintf("and %d more", len(l.names)-3))
		}
		parts = append(parts, l.what+": "+strings.Join(l.names, ", "))
	}
	return strings.Join(parts, "; ")
}
