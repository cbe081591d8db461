package main

import (
	"context"
	"net/url"
	"strings"

	"github.com/spf13/cobra"

	"trustwatch"
	"trustwatch/aspect"
	"trustwatch/ingest"
	"trustwatch/postgres"
	"trustwatch/segment"
	"trustwatch/sentiment"
	"trustwatch/sqlite"
)

// isPostgresURL says whether a --db value names a PostgreSQL database
// rather than a SQLite file.
func isPostgresURL(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// openStore opens the store named by --db (or TRUSTWATCH_DB): PostgreSQL
// for a postgres:// or postgresql:// URL, else the SQLite file; rollup
// periods are cut in --tz. Commands take it as a trustwatch.Store and ask
// for the capabilities they need beyond it with need.
func openStore(ctx context.Context, a *app) (trustwatch.Store, error) {
	return openStoreCache(ctx, a, 0)
}

// openIngestStore is openStore for a command that only writes in bulk: a
// SQLite store gets the small page cache of sqlite.BulkWriteCacheKiB.
func openIngestStore(ctx context.Context, a *app) (trustwatch.Store, error) {
	return openStoreCache(ctx, a, sqlite.BulkWriteCacheKiB)
}

func openStoreCache(ctx context.Context, a *app, cacheKiB int) (trustwatch.Store, error) {
	loc, err := location(a)
	if err != nil {
		return nil, err
	}
	if isPostgresURL(a.dbPath) {
		db := postgres.NewDB(a.dbPath)
		db.Location = loc
		if err := db.Open(ctx); err != nil {
			return nil, err
		}
		return db, nil
	}
	db := sqlite.NewDB(a.dbPath)
	db.Location = loc
	db.CacheKiB = cacheKiB
	if err := db.Open(); err != nil {
		return nil, err
	}
	return db, nil
}

// shownDB is --db for messages: a URL without its password.
func (a *app) shownDB() string {
	if isPostgresURL(a.dbPath) {
		if u, err := url.Parse(a.dbPath); err == nil {
			return u.Redacted()
		}
	}
	return a.dbPath
}

// storeName names the kind of a store in messages.
func storeName(st trustwatch.Store) string {
	switch st.(type) {
	case *postgres.DB:
		return "postgres"
	case *sqlite.DB:
		return "sqlite"
	}
	return "this"
}

// unsupportedError says a command needs a capability its store lacks. It
// is printed as it is: "trustwatch retag: the postgres store does not
// support retag yet".
type unsupportedError struct {
	command, store, what string
}

func (e unsupportedError) Error() string {
	return e.command + ": the " + e.store + " store does not support " + e.what + " yet"
}

// need returns st as the capability T the command cmd needs (what names
// it in the error), or an unsupportedError.
func need[T any](cmd *cobra.Command, st trustwatch.Store, what string) (T, error) {
	c, ok := st.(T)
	if !ok {
		return c, unsupportedError{command: cmd.CommandPath(), store: storeName(st), what: what}
	}
	return c, nil
}

// newAnalyzer builds the per-item analysis for a watch file: words and
// entities, sentiment from the embedded model, aspects from the default
// lexicon with the watch file's additions, and the topics. Every path that
// analyses items (ingest, retag, run, worker, serve's push, demo) builds
// it here.
func newAnalyzer(w *trustwatch.Watch) (*ingest.Analyzer, *segment.Segmenter, error) {
	seg, err := segment.ForWatch(w)
	if err != nil {
		return nil, nil, err
	}
	lex, err := aspect.Default().With(w.Aspects)
	if err != nil {
		return nil, nil, trustwatch.Errorf(trustwatch.EINVALID, "aspects: %v", err)
	}
	topics, err := ingest.CompileTopics(w, seg.Words)
	if err != nil {
		return nil, nil, err
	}
	model := sentiment.Default()
	return &ingest.Analyzer{
		Matcher:   segment.NewMatcher(seg, w),
		Sentiment: model.ClassifyTokens,
		Aspects:   func(text string) []trustwatch.AspectHit { return lex.Find(text, model) },
		Topics:    topics,
	}, seg, nil
}
