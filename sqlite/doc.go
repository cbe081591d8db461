// Package sqlite implements trustwatch.Store on an embedded SQLite database
// (modernc.org/sqlite, pure Go): items with their analysis, a full-text word
// index over their segmented text, hourly and daily rollups maintained on
// ingest, quarantined input, metric points, events and alerts.
//
// It is the only package that imports the SQLite driver or holds SQL. It
// must not know about readers, analysis, detectors or the web: it stores and
// returns trustwatch domain types, and the caller has already segmented,
// scored and validated what it puts.
//
// Beyond trustwatch.Store, DB.ItemsAfter and DB.UpdateAnalysis let a caller
// re-analyse the stored items in batches (trustwatch retag, after the watch
// file changes). The word index is a contentless FTS5 table created with
// contentless_delete=1 (migration 0002; SQLite 3.43 or later, modernc ships
// 3.54), so an item's row is deleted by rowid and written again from the
// new words: the old words are not stored and, cut under another watch
// file, could not be re-derived for FTS5's 'delete' command. The rollups
// are moved item by item in the same transaction, so they stay exact
// without being rebuilt.
//
// DB also keeps users, sessions, API tokens and the alert audit trail
// (trustwatch.AccessStore, migration 0004): sessions and tokens under the
// SHA-256 of their secret, passwords as bcrypt hashes made by package auth.
package sqlite
