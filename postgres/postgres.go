package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"trustwatch"
)

//go:embed migration/*.sql
var migrationFS embed.FS

// DB is the PostgreSQL store. Create it with Open, or with NewDB and then
// Open after setting the fields.
type DB struct {
	pool *pgxpool.Pool

	// URL is the connection string (postgres://USER@HOST:PORT/DB?...).
	// Run-time parameters in it, such as search_path, apply to every
	// connection of the pool.
	URL string

	// Now returns the current time; tests replace it.
	Now func() time.Time

	// Location is the zone whose hours and midnights cut the rollup
	// periods. Nil means trustwatch.DefaultLocation() (Asia/Shanghai).
	Location *time.Location

	partMu sync.Mutex
	parts  map[time.Time]bool // months whose items partition is known to exist
}

// Compile-time check that DB is a trustwatch.Store.
var _ trustwatch.Store = (*DB)(nil)

// NewDB returns a DB for the connection string url. Call Open before use.
func NewDB(url string) *DB { return &DB{URL: url, Now: time.Now} }

// Open connects to the database at url and brings its schema up to date.
func Open(ctx context.Context, url string) (*DB, error) {
	db := NewDB(url)
	if err := db.Open(ctx); err != nil {
		return nil, err
	}
	return db, nil
}

// Open connects and applies the migrations not yet applied.
func (db *DB) Open(ctx context.Context) (err error) {
	if db.URL == "" {
		return fmt.Errorf("postgres: connection URL required")
	}
	if db.Now == nil {
		db.Now = time.Now
	}
	db.parts = make(map[time.Time]bool)
	if db.pool, err = pgxpool.New(ctx, db.URL); err != nil {
		return fmt.Errorf("postgres: open: %w", err)
	}
	if err := db.migrate(ctx); err != nil {
		db.pool.Close()
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	if err := db.reindexUnits(ctx); err != nil {
		db.pool.Close()
		return fmt.Errorf("postgres: %w", err)
	}
	if err := db.checkRollupZone(ctx); err != nil {
		db.pool.Close()
		return err
	}
	return nil
}

// Close closes the pool.
func (db *DB) Close() error {
	if db.pool != nil {
		db.pool.Close()
	}
	return nil
}

// Ping checks that the server answers.
func (db *DB) Ping(ctx context.Context) error { return db.pool.Ping(ctx) }

// location is the zone of the rollups.
func (db *DB) location() *time.Location {
	if db.Location != nil {
		return db.Location
	}
	return trustwatch.DefaultLocation()
}

// now is the current time to the second, as the store keeps times.
func (db *DB) now() time.Time { return db.Now().UTC().Truncate(time.Second) }

// Advisory lock keys (pg_advisory_xact_lock takes a bigint). They are
// per database: every schema in it shares them, which only serialises
// migrations and partition creation, both rare and short.
const (
	lockMigrate    int64 = 0x7477_0001 // "tw" 1
	lockPartitions int64 = 0x7477_0002
)

// checkRollupZone records the rollup zone in a new store and refuses to
// open one whose rollups were cut in another zone (the SQLite store
// rebuilds them; this one does not yet).
func (db *DB) checkRollupZone(ctx context.Context) error {
	zone := db.location().String()
	var stored string
	err := db.update(ctx, "rollup zone", func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO settings (name, value) VALUES ('rollup_zone', $1) ON CONFLICT (name) DO NOTHING`, zone)
		if err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT value FROM settings WHERE name = 'rollup_zone'`).Scan(&stored)
	})
	if err != nil {
		return err
	}
	if stored != zone {
		return trustwatch.Errorf(trustwatch.EINVALID, "the store's rollups are cut in %s, not %s (rebuilding them is not supported by the PostgreSQL store yet)", stored, zone)
	}
	return nil
}

// update runs fn in a read-write transaction and commits it; op names the
// operation in errors. Application errors come back as they are.
func (db *DB) update(ctx context.Context, op string, fn func(tx pgx.Tx) error) error {
	err := pgx.BeginFunc(ctx, db.pool, fn)
	return wrap(op, err)
}

// read runs fn in a read-only transaction, so the statements of one call
// (a count and a page) see one snapshot.
func (db *DB) read(ctx context.Context, op string, fn func(tx pgx.Tx) error) error {
	err := pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead}, fn)
	return wrap(op, err)
}

// wrap prefixes err with the operation, leaving application errors (which
// carry their own message) and nil as they are.
func wrap(op string, err error) error {
	var e *trustwatch.Error
	if err == nil || errors.As(err, &e) {
		return err
	}
	return fmt.Errorf("postgres: %s: %w", op, err)
}

// args gathers query arguments and hands out their placeholders.
type args []any

// add appends v and returns its placeholder, $n.
func (a *args) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// whereClause joins conditions with AND; no condition selects everything.
func whereClause(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
}

// limitOffset renders a page; limit 0 means all.
func limitOffset(limit, offset int) string {
	s := ""
	if limit > 0 {
		s = " LIMIT " + strconv.Itoa(limit)
	}
	if offset > 0 {
		s += " OFFSET " + strconv.Itoa(offset)
	}
	return s
}

// utc returns t in UTC to the second, the way the store keeps times.
func utc(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }

// ceilSecond rounds t up to the second: a bound of [From, To) given with a
// fraction compares as the SQLite store does (items are whole seconds).
func ceilSecond(t time.Time) time.Time {
	s := t.UTC().Truncate(time.Second)
	if s.Before(t) {
		s = s.Add(time.Second)
	}
	return s
}

// nullTime is an optional time as a column value: nil is NULL.
func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return utc(*t)
}

// fromNullTime reads an optional time back in UTC.
func fromNullTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
