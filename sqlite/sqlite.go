package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"trustwatch"
)

//go:embed migration/*.sql
var migrationFS embed.FS

// DB is the SQLite store. Create it with Open, or with NewDB and then Open
// after setting the fields.
type DB struct {
	db     *sql.DB
	ctx    context.Context // cancelled by Close
	cancel context.CancelFunc

	// Path is the database file, or ":memory:".
	Path string

	// Now returns the current time; tests replace it.
	Now func() time.Time

	// Location is the zone whose hours and midnights cut the rollup
	// periods. Nil means trustwatch.DefaultLocation() (Asia/Shanghai).
	Location *time.Location

	// CacheKiB is each connection's page cache in KiB; 0 means 32,000,
	// which the dashboard's queries were measured with. A bulk writer
	// gains nothing from a large one (BulkWriteCacheKiB).
	CacheKiB int

	// Logger reports the progress of long work Open does (re-indexing
	// the text of a store made by an older version). Nil means
	// slog.Default().
	Logger *slog.Logger

	zoneMu      sync.Mutex
	zoneChecked string // the Location whose rollups have been verified

	// readQuery, when set, is told of every query a transaction reads
	// with, and its arguments: the test of the query plans
	// (explain_test.go) lists the dashboard's queries through it.
	readQuery func(query string, args []any)
}

// Compile-time check that DB is a trustwatch.Store.
var _ trustwatch.Store = (*DB)(nil)

// NewDB returns a DB for the file at path (":memory:" for a private
// in-memory database). Call Open before use.
func NewDB(path string) *DB {
	db := &DB{Path: path, Now: time.Now}
	db.ctx, db.cancel = context.WithCancel(context.Background())
	return db
}

// Open opens the database at path and brings its schema up to date.
func Open(path string) (*DB, error) {
	db := NewDB(path)
	if err := db.Open(); err != nil {
		return nil, err
	}
	return db, nil
}

// pragmas are applied by the driver to every connection. synchronous=NORMAL
// is durable enough under WAL and much faster; page_size only takes effect
// on a new database, before WAL is switched on (the driver applies
// _journal_mode after every _pragma).
var pragmas = []string{
	"busy_timeout(10000)",
	"page_size(8192)",
	"foreign_keys(1)",
	"synchronous(NORMAL)",
	"temp_store(MEMORY)",
	// Checkpoint every ~64 MiB of WAL instead of every 8: a page written by
	// many batches of a bulk ingest is copied into the database once.
	"wal_autocheckpoint(8192)",
}

// defaultCacheKiB is the page cache of a connection when CacheKiB is 0.
const defaultCacheKiB = 32000

// BulkWriteCacheKiB is the page cache ingest opens the store with (SQLite's
// own default). On the real-post ingest benchmark it cut peak RSS from
// about 430 to 330 MB at the same CPU time per item (docs/benchmarks.md).
const BulkWriteCacheKiB = 2000

// Open opens the database and applies the migrations not yet applied.
func (db *DB) Open() (err error) {
	if db.Path == "" {
		return fmt.Errorf("sqlite: path required")
	}
	if db.Now == nil {
		db.Now = time.Now
	}
	memory := db.Path == ":memory:"
	// Immediate transactions take the write lock up front, so two writers
	// wait for each other (busy_timeout) instead of failing on upgrade.
	params := []string{"_txlock=immediate"}
	if !memory {
		params = append(params, "_journal_mode=WAL") // readers run beside the writer
	}
	cache := db.CacheKiB
	if cache <= 0 {
		cache = defaultCacheKiB
	}
	for _, p := range pragmas {
		params = append(params, "_pragma="+p)
	}
	params = append(params, fmt.Sprintf("_pragma=cache_size(%d)", -cache)) // negative: KiB
	if db.db, err = sql.Open("sqlite", db.Path+"?"+strings.Join(params, "&")); err != nil {
		return fmt.Errorf("sqlite: open %s: %w", db.Path, err)
	}
	if memory {
		// Every connection to ":memory:" is a database of its own.
		db.db.SetMaxOpenConns(1)
	}
	db.db.SetConnMaxIdleTime(0)
	db.db.SetMaxIdleConns(4)
	if !memory {
		if err := db.quickCheck(db.ctx); err != nil {
			db.db.Close()
			return err
		}
	}
	if err := db.migrate(db.ctx); err != nil {
		db.db.Close()
		return fmt.Errorf("sqlite: migrate %s: %w", db.Path, err)
	}
	if err := db.reindexUnits(db.ctx); err != nil {
		db.db.Close()
		return fmt.Errorf("sqlite: %s: %w", db.Path, err)
	}
	if err := db.syncRollupZone(db.ctx); err != nil {
		db.db.Close()
		return err
	}
	return nil
}

// Close closes the database, first letting SQLite refresh the statistics
// its query planner uses (cheap; recommended before closing).
func (db *DB) Close() error {
	db.cancel()
	if db.db == nil {
		return nil
	}
	_, optErr := db.db.Exec(`PRAGMA optimize`)
	if err := db.db.Close(); err != nil {
		return fmt.Errorf("sqlite: close %s: %w", db.Path, err)
	}
	if optErr != nil {
		return fmt.Errorf("sqlite: close %s: optimize: %w", db.Path, optErr)
	}
	return nil
}

// SchemaVersion returns the version of the newest migration applied.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := db.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&v)
	return v, wrap("schema version", err)
}

// Tx is a transaction that remembers when it began, so every time it writes
// is the same.
type Tx struct {
	*sql.Tx
	db  *DB
	now time.Time
}

// QueryContext is sql.Tx's, telling DB.readQuery of the query.
func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if tx.db.readQuery != nil {
		tx.db.readQuery(query, args)
	}
	return tx.Tx.QueryContext(ctx, query, args...)
}

// QueryRowContext is sql.Tx's, telling DB.readQuery of the query.
func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if tx.db.readQuery != nil {
		tx.db.readQuery(query, args)
	}
	return tx.Tx.QueryRowContext(ctx, query, args...)
}

// BeginTx starts a transaction. Read-only transactions run beside the
// writer; others take the write lock at once.
func (db *DB) BeginTx(ctx context.Context, opts *sql.TxOptions) (*Tx, error) {
	tx, err := db.db.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &Tx{Tx: tx, db: db, now: db.Now().UTC().Truncate(time.Second)}, nil
}

// beginRead starts a read-only transaction.
func (db *DB) beginRead(ctx context.Context) (*Tx, error) {
	return db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
}

// location returns the rollup zone.
func (db *DB) location() *time.Location {
	if db.Location != nil {
		return db.Location
	}
	return trustwatch.DefaultLocation()
}

// FormatError turns a SQLite error into an application error where a caller
// can act on it: a UNIQUE or PRIMARY KEY violation becomes ECONFLICT.
// Other errors are returned unchanged.
func FormatError(err error) error {
	var e *sqlite.Error
	if errors.As(err, &e) {
		switch e.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return trustwatch.Errorf(trustwatch.ECONFLICT, "already exists: %s", e.Error())
		}
	}
	return err
}

// wrap prefixes a storage error with the operation it failed in; application
// errors pass through so their code and message reach the caller intact.
// update runs fn in a write transaction and commits it; an error, of fn or
// of the commit, is wrapped with op and rolls everything back.
func (db *DB) update(ctx context.Context, op string, fn func(*Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return wrap(op, err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return wrap(op, err)
	}
	return wrap(op, tx.Commit())
}

// upsertEach runs the upsert st for each of n rows, with the arguments
// args gives, and counts the rows it changed (stored) and those it found
// as they were (duplicates): st's conflict clause must change nothing for
// an identical row.
func upsertEach(ctx context.Context, st *sql.Stmt, n int, args func(i int) []any) (stored, duplicates int, err error) {
	for i := range n {
		res, err := st.ExecContext(ctx, args(i)...)
		if err != nil {
			return 0, 0, err
		}
		if changed, err := res.RowsAffected(); err != nil {
			return 0, 0, err
		} else if changed == 0 {
			duplicates++
		} else {
			stored++
		}
	}
	return stored, duplicates, nil
}

func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	var e *trustwatch.Error
	if errors.As(err, &e) {
		return err
	}
	return fmt.Errorf("sqlite: %s: %w", op, FormatError(err))
}

// ceilUnix is t in whole seconds, rounded up: times are stored to the
// second, so a bound of 10:00:00.5 must compare as 10:00:01 for [From, To)
// to keep meaning what it says (To = last + 1ns includes last).
func ceilUnix(t time.Time) int64 {
	u := t.Unix()
	if t.Nanosecond() != 0 {
		u++
	}
	return u
}

// unix encodes a time as unix seconds; the zero time is 0.
func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// fromUnix decodes unix seconds into a UTC time; 0 is the zero time.
func fromUnix(s int64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}

// nullUnix encodes an optional time as unix seconds or NULL.
func nullUnix(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.Unix()
}

// fromNullUnix decodes an optional time.
func fromNullUnix(n sql.NullInt64) *time.Time {
	if !n.Valid {
		return nil
	}
	t := time.Unix(n.Int64, 0).UTC()
	return &t
}

// limitOffset renders LIMIT/OFFSET; limit 0 means no limit.
func limitOffset(limit, offset int) string {
	if limit <= 0 {
		limit = -1
	}
	if offset < 0 {
		offset = 0
	}
	return " LIMIT " + strconv.Itoa(limit) + " OFFSET " + strconv.Itoa(offset)
}

// whereClause joins conditions with AND; no condition selects everything.
func whereClause(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
}
