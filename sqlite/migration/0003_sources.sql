-- 0003_sources: live sources (trustwatch run).
--
-- source_files is how far a dir source has read each file. A row is written
-- in the same transaction as the items, points, events and quarantine
-- records read from the bytes before its offset (DB.CommitSource), so the
-- position never runs ahead of the data it covers, nor behind it.
CREATE TABLE source_files (
	source  TEXT    NOT NULL,
	path    TEXT    NOT NULL,
	offset  INTEGER NOT NULL,
	size    INTEGER NOT NULL,
	mtime   INTEGER NOT NULL, -- unix nanoseconds
	lines   INTEGER NOT NULL, -- line ends before offset
	sum     TEXT    NOT NULL, -- hex SHA-256 of the bytes before offset
	PRIMARY KEY (source, path)
) WITHOUT ROWID;

-- source_feeds keeps a feed's validators for a conditional GET.
CREATE TABLE source_feeds (
	source        TEXT PRIMARY KEY,
	etag          TEXT NOT NULL DEFAULT '',
	last_modified TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

-- source_rounds is the history of rounds every source went through, read
-- by the source health detector (silence, failures, bad input).
CREATE TABLE source_rounds (
	id          INTEGER PRIMARY KEY,
	source      TEXT    NOT NULL,
	kind        TEXT    NOT NULL,
	started     INTEGER NOT NULL, -- unix nanoseconds
	duration    INTEGER NOT NULL, -- nanoseconds
	read        INTEGER NOT NULL,
	stored      INTEGER NOT NULL,
	duplicates  INTEGER NOT NULL,
	quarantined INTEGER NOT NULL,
	failed      INTEGER NOT NULL,
	error       TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX source_rounds_source ON source_rounds (source, started);
