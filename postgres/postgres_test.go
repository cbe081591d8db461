package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"trustwatch"
	"trustwatch/storetest"
)

// serverURL returns TRUSTWATCH_PG, skipping tb when it is unset or the
// server does not answer: the tests need a real PostgreSQL.
func serverURL(tb testing.TB) string {
	tb.Helper()
	serverOnce.Do(func() {
		serverAddr = os.Getenv("TRUSTWATCH_PG")
		if serverAddr == "" {
			serverSkip = "TRUSTWATCH_PG is not set (postgres://USER@HOST:PORT/DB; .ci/postgres.sh starts a server and sets it)"
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, serverAddr)
		if err != nil {
			serverSkip = "PostgreSQL at TRUSTWATCH_PG is not reachable: " + err.Error()
			// CI sets TRUSTWATCH_PG to a server it started: not reaching it
			// there is a failure, not a reason to skip.
			serverFail = os.Getenv("CI") != ""
			return
		}
		conn.Close(ctx)
	})
	if serverFail {
		tb.Fatal(serverSkip)
	}
	if serverSkip != "" {
		tb.Skip(serverSkip)
	}
	return serverAddr
}

var (
	serverOnce             sync.Once
	serverAddr, serverSkip string
	serverFail             bool
)

// newSchema creates an empty schema for tb, dropped when tb ends, and
// returns a connection URL whose search_path is that schema: each test
// store is a database of its own in one server.
func newSchema(tb testing.TB) string {
	tb.Helper()
	base := serverURL(tb)
	ctx := context.Background()
	buf := make([]byte, 6)
	rand.Read(buf)
	schema := "tw_test_" + hex.EncodeToString(buf)
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			tb.Error(err)
			return
		}
		defer conn.Close(ctx)
		if os.Getenv("TRUSTWATCH_PG_KEEP") == "" {
			if _, err := conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
				tb.Error(err)
			}
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// mustOpen opens a store at url, closed when tb ends.
func mustOpen(tb testing.TB, url string) *DB {
	tb.Helper()
	db, err := Open(context.Background(), url)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// MustOpenDB returns a store in a new empty schema, closed and dropped when
// tb ends.
func MustOpenDB(tb testing.TB) *DB {
	tb.Helper()
	return mustOpen(tb, newSchema(tb))
}

func TestStore(t *testing.T) {
	serverURL(t)
	storetest.TestStore(t, func(t *testing.T) trustwatch.Store { return MustOpenDB(t) })
}
