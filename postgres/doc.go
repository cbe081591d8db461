// Package postgres implements trustwatch.Store on PostgreSQL with pgx
// (pgxpool): items with their analysis, a word index, hourly and daily
// rollups maintained on ingest and on re-analysis, quarantined input,
// metric points, events and alerts, live sources' positions and rounds,
// and the detectors' pending window. It passes the storetest conformance
// suite unchanged, as the SQLite store does.
//
// Design, where it differs from the SQLite store:
//
//   - Items are partitioned by UTC month of their time (declarative range
//     partitioning, partitions items_YYYYMM made on demand in a short
//     transaction of their own under an advisory lock, see partition.go).
//   - Identity is a separate table, item_ids (platform, id) PRIMARY KEY: a
//     unique index on the partitioned items table would have to include
//     time. PutItems claims identities there with ON CONFLICT DO NOTHING in
//     the transaction that inserts the items, so re-ingest is a no-op across
//     concurrent writers (a writer of a key another has claimed but not
//     committed waits for it).
//   - A batch is copied (COPY) into a per-connection temporary staging
//     table, then moved into items with one INSERT ... SELECT.
//   - The text is a tsvector (items.words, GIN index) of the query
//     package's units of the normalised title and text with their
//     positions ('unit':pos, migration 0004; positions past 16383 sit at
//     16383). A query's pure-text parts become one tsquery each, phrases
//     with <->, prefixes with :*, NEAR/n as the OR of distances 1 to n+1
//     both ways; fields become conditions (query.go). Open rewrites the
//     vectors of items stored before 0004, in batches that survive a kill.
//   - Rollups are incremented in the items' transaction with INSERT ... ON
//     CONFLICT DO UPDATE SET count = count + excluded.count, rows in key
//     order so concurrent writers cannot deadlock; they stay exact under
//     concurrent writers (TestConcurrentWriters).
//   - Items' analysis is updated in place by UpdateAnalysis (below); their
//     identity, time, platform and kind never are.
//   - Migrations (migration/*.sql, embedded) are recorded in schema_version
//     and applied in one transaction under an advisory lock, so processes
//     starting together do not race.
//   - Live sources (source.go, migration 0003): CommitSource writes a
//     read's quarantine records, items (through PutItems' path: staging,
//     identity claiming, partitions, rollups), points, events, the
//     detectors' pending mark, the file position and the feed validators
//     in one transaction; a file's mtime is kept in nanoseconds (bigint),
//     as the dir source compares it exactly. Round history, feed state and
//     the pending window (MarkPending, Pending, ClearPending) are as in the
//     SQLite store.
//   - Re-analysis (analysis.go): ItemsAfter walks items in pk order;
//     UpdateAnalysis copies the new analysis into a staging table, locks
//     the stored rows in pk order (FOR UPDATE), rewrites the changed ones
//     in place (entities, label, aspects) and moves their
//     counts in the rollups in the same transaction, deleting rows that
//     fall to 0, so the rollups equal a fresh ingest's (also under
//     concurrent writers, TestConcurrentRetag). The text vector does not
//     depend on the analysis and is left alone.
//
// Besides trustwatch.Store it keeps, with the SQLite store's method sets
// so the commands find them by the same type assertions:
//   - access control: users, sessions, API and push tokens and the audit
//     trail (trustwatch.AccessStore, user.go; the trail is written by
//     UpdateAlert in its transaction, which locks the alert's row);
//   - operations: deliveries, the digests' last periods, the ready check
//     and the store's size (trustwatch.DeliveryStore, DigestStore and
//     HealthStore, delivery.go; migration 0002). SizeBytes counts the
//     tables of the store's schema with their indexes and TOAST;
//   - live sources and re-analysis: trustwatch.SourceStore, source.Store,
//     monitor.PendingStore and ingest.RetagStore (source.go, analysis.go;
//     migration 0003; asserted in the tests).
//
// Still missing: rebuilding the rollups when the zone changes (Open
// refuses a store cut in another zone).
// cmd/trustwatch still opens *sqlite.DB and does not take postgres://
// URLs yet; that needs it to depend on trustwatch.Store and those
// capabilities first.
//
// Tests need a server: TRUSTWATCH_PG names a database (postgres://...),
// and each test store is a schema of its own in it. Without it they skip.
// .ci/postgres.sh starts a throwaway server and sets it.
package postgres
