// Package sqlite implements trustwatch.Store on an embedded SQLite database
// (modernc.org/sqlite, pure Go): items with their analysis, a full-text
// index of their text for the query language, hourly and daily rollups maintained on
// ingest, quarantined input, metric points, events and alerts.
//
// It is the only package that imports the SQLite driver or holds SQL. It
// must not know about readers, analysis, detectors or the web: it stores and
// returns trustwatch domain types, and the caller has already segmented,
// scored and validated what it puts.
//
// Beyond trustwatch.Store, DB.ItemsAfter and DB.UpdateAnalysis let a caller
// re-analyse the stored items in batches (trustwatch retag, after the watch
// file changes). The rollups are moved item by item in the same
// transaction, so they stay exact without being rebuilt.
//
// The text index (migration 0007) is a contentless FTS5 table of the
// query package's units of each item's normalised title and text, with
// positions and a one-character prefix index; it does not depend on the
// watch file, so re-analysis leaves it alone. FindItems parses
// ItemFilter.Query (query.Parse) and turns each pure-text part into one
// FTS5 query and each field into a condition (query.go). A store made
// before 0007 is re-indexed by Open, in batches that survive a kill.
//
// DB also keeps users, sessions, API tokens and the alert audit trail
// (trustwatch.AccessStore, migration 0004): sessions and tokens under the
// SHA-256 of their secret, passwords as bcrypt hashes made by package auth.
package sqlite
