// Package source reads live sources as they grow, for `trustwatch run`:
// a dir source (a file, a glob or a directory of crawler output) is read
// from where the last round stopped, and a feed source (RSS or Atom) is
// fetched with a conditional GET. What is read goes through the same
// reader, ingest.Analyzer and quarantine as `trustwatch ingest`.
//
// # The transaction boundary
//
// A dir source remembers per file how far it was read (trustwatch.SourceFile:
// offset, size, mtime, line count and a SHA-256 of the bytes before the
// offset). Every read of a chunk of a file ends at a line end and is
// committed with DB.CommitSource in one transaction together with the new
// position: the items, points, events and quarantine records of the chunk
// and the offset past its last line are stored together or not at all. A
// process killed at any moment therefore restarts from the last committed
// offset and reads the uncommitted chunk exactly once more; what it already
// stored is never read into new rows (and identity makes it a duplicate
// even if it were). A chunk is at most Dir.MaxChunk bytes (more only for a
// single longer line, up to the record limit), so one transaction stays
// bounded.
//
// A line over the record limit (record.LineLimit of the source's field
// limit) where a chunk would begin is quarantined here as soon as that
// much of it is read, with its first bytes as record keeps them, whether
// its end is written yet or not (so the reader never takes it for the
// file's first line; a long line inside a chunk is the reader's to refuse); the rest of it is skipped a buffer at a time, into
// the prefix hash but not into memory, and the committed offset may then
// be inside it. An offset whose previous byte is not a line end is such
// an offset: the next round skips on to the line end without quarantining
// it again. The stored form of SourceFile does not change (its Sum is
// still the hash of every byte before the offset), so positions stored
// before are read as they were. A file whose first line is over the limit
// has no head for later chunks.
//
// A line without its line end is never read: it waits for the next round.
// A file that shrank below its offset, or whose first offset bytes no
// longer hash to the stored sum, was rewritten and is read again from the
// start (ingest is idempotent, so only what is new is stored). A CSV/TSV
// file's header line, a JSONL file's first line and any byte-order mark are
// given to the reader again before an appended chunk, so the format, the
// encoding and the columns are those of the whole file; the first line's
// record is then skipped, and line numbers in quarantine are those of the
// file. Files that cannot be appended to line by line (.json, .gz, UTF-16)
// are read whole whenever they change, a .json file only once it ends in
// ] or }; such a file is streamed to the reader, not held, and its records
// are committed in batches of about Dir.MaxChunk bytes (at most 10,000
// records), its position with the last batch: a kill in between makes the
// next round read it again whole, and what was stored a duplicate. A CSV chunk ends at a line end outside double quotes, so a
// quoted field with line breaks is not cut; a stray quote (the readers
// accept them) makes it fall back to the last line end.
//
// # Feeds
//
// A feed is fetched with If-None-Match and If-Modified-Since from the
// stored ETag and Last-Modified (304 is a round that read nothing), within
// Feed.Timeout, refusing a body over Feed.MaxBody. After k consecutive
// failures the next fetch waits the source's interval times 2^(k-1)
// (at most Feed.MaxBackoff); rounds in between are skipped, not failed.
// An entry becomes a news Item: platform the source id (else the feed's
// host), id the guid (else the link), time the published (else updated)
// time, title and text with HTML tags removed. The validators are
// committed with the entries.
//
// # Push sources
//
// Push sources are not read here: the POST /api/v1/ingest endpoint stores
// what it receives and reports each request as a round to the monitor
// (monitor.Monitor.RecordPush), which keeps the history the health
// detector reads.
//
// This package must not know SQL, the web, detectors or alerts: it reads,
// analyses and commits through the small Store interface.
package source
