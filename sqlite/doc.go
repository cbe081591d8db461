// Package sqlite implements trustwatch.Store on an embedded SQLite database
// (modernc.org/sqlite, pure Go): items with their analysis, a full-text word
// index over their segmented text, hourly and daily rollups maintained on
// ingest, quarantined input, metric points, events and alerts.
//
// It is the only package that imports the SQLite driver or holds SQL. It
// must not know about readers, analysis, detectors or the web: it stores and
// returns trustwatch domain types, and the caller has already segmented,
// scored and validated what it puts.
package sqlite
