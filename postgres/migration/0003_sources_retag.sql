-- 0003_sources_retag: live sources (trustwatch run), the detectors'
-- pending window, and re-analysis (trustwatch retag), as the SQLite store's
-- 0002_retag, 0003_sources and 0006_pending.
--
-- Retag: 0001 said items are never updated. Their analysis now is, when
-- the watch file changes: entities, sentiment, p_pos, aspects, aspect_names
-- and words are replaced in place by DB.UpdateAnalysis, which moves the
-- item's counts in the rollups in the same transaction (taking its old
-- contribution out, adding its new one, deleting rows that fall to 0), so
-- the rollups stay exact without a rebuild. Time, platform and kind, which
-- the partition and the rollup keys hang on, are never updated. Unlike
-- SQLite's contentless FTS table, the tsvector column is the words, so it
-- needs no words_hash: the new vector is compared with the stored one.

-- source_files is how far a dir source has read each file. A row is written
-- in the same transaction as the items, points, events and quarantine
-- records read from the bytes before its offset (DB.CommitSource), so the
-- position never runs ahead of the data it covers, nor behind it. mtime is
-- unix nanoseconds, not timestamptz (microseconds): the dir source compares
-- it with the file's modification time exactly.
CREATE TABLE source_files (
	source   text   NOT NULL,
	path     text   NOT NULL,
	"offset" bigint NOT NULL,
	size     bigint NOT NULL,
	mtime    bigint NOT NULL, -- unix nanoseconds
	lines    bigint NOT NULL, -- line ends before offset
	sum      text   NOT NULL, -- hex SHA-256 of the bytes before offset
	PRIMARY KEY (source, path)
);

-- source_feeds keeps a feed's validators for a conditional GET.
CREATE TABLE source_feeds (
	source        text PRIMARY KEY,
	etag          text NOT NULL DEFAULT '',
	last_modified text NOT NULL DEFAULT ''
);

-- source_rounds is the history of rounds every source went through, read
-- by the source health detector (silence, failures, bad input). duration
-- is nanoseconds.
CREATE TABLE source_rounds (
	id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	source      text        NOT NULL,
	kind        text        NOT NULL,
	started     timestamptz NOT NULL,
	duration    bigint      NOT NULL,
	read        bigint      NOT NULL,
	stored      bigint      NOT NULL,
	duplicates  bigint      NOT NULL,
	quarantined bigint      NOT NULL,
	failed      bigint      NOT NULL,
	error       text        NOT NULL DEFAULT ''
);
CREATE INDEX source_rounds_source ON source_rounds (source, started, id);
CREATE INDEX source_rounds_started ON source_rounds (started, id);

-- The time the daemon's detectors still have to look back to: that of the
-- oldest record stored since their last completed pass. It is written in
-- the same transaction as the records (CommitSource) or right after them
-- (a push, MarkPending), and cleared when a pass over it completes, so
-- that a kill -9 between storing data and detecting over it loses no
-- alert: the next process's first pass starts there. seq tells a pass
-- whether data came in while it ran (then the mark stays for the next).
CREATE TABLE detect_pending (
	id    integer     PRIMARY KEY CHECK (id = 1),
	since timestamptz NOT NULL,
	seq   bigint      NOT NULL
);
