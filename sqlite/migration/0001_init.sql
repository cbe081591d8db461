-- 0001_init: the whole store.
--
-- Conventions: every time is INTEGER unix seconds (UTC); text columns are
-- NOT NULL with '' for "absent", so filters compare with = and indexes stay
-- simple. Items are never updated or deleted, which is why the word index and
-- the rollups can be maintained by plain inserts in PutItems' transaction.

-- items holds one row per (platform, id). pk aliases the rowid: the side
-- tables and the word index refer to it, and being declared it survives
-- VACUUM. entities and aspects are the item's own lists, as JSON, for
-- reading it back; item_entities and item_aspects index the same facts for
-- filtering and rollups.
CREATE TABLE items (
	pk               INTEGER PRIMARY KEY,
	platform         TEXT    NOT NULL,
	id               TEXT    NOT NULL,
	kind             TEXT    NOT NULL,
	parent_id        TEXT    NOT NULL,
	author           TEXT    NOT NULL,
	author_followers INTEGER NOT NULL,
	title            TEXT    NOT NULL,
	text             TEXT    NOT NULL,
	time             INTEGER NOT NULL, -- unix seconds
	url              TEXT    NOT NULL,
	likes            INTEGER NOT NULL,
	reposts          INTEGER NOT NULL,
	replies          INTEGER NOT NULL,
	entities         TEXT    NOT NULL, -- JSON array of entity ids, distinct, in analysis order
	sentiment        TEXT    NOT NULL, -- pos | neg | neu | ''
	p_pos            REAL    NOT NULL,
	aspects          TEXT    NOT NULL, -- JSON array of [aspect, label, word, clause]
	source_file      INTEGER NOT NULL, -- sources.id of the file it was read from, 0 for none
	source_line      INTEGER NOT NULL, -- its line there
	UNIQUE (id, platform) -- id first: also the index for lookups by id alone
);
CREATE INDEX items_time ON items (time);
-- Items without an author (news titles, hot-search lists, anonymised
-- exports) are many and never looked up by author: the index leaves them
-- out, and queries by author say "author <> ''" so the planner can use it.
CREATE INDEX items_author ON items (author, time) WHERE author <> '';

-- sources names each input file once; items point at it with a line.
CREATE TABLE sources (
	id   INTEGER PRIMARY KEY,
	path TEXT    NOT NULL UNIQUE
);
CREATE INDEX items_parent ON items (parent_id) WHERE parent_id <> '';

-- item_entities: one row per watched entity an item mentions (each once),
-- keyed for "the items of an entity".
CREATE TABLE item_entities (
	entity TEXT    NOT NULL,
	item   INTEGER NOT NULL REFERENCES items (pk),
	PRIMARY KEY (entity, item)
) WITHOUT ROWID;

-- item_aspects: one row per aspect hit of an item (seq orders an item's
-- hits), with the sentiment of the clause that mentions it; keyed for "the
-- items mentioning an aspect". The word and clause are in items.aspects.
CREATE TABLE item_aspects (
	aspect TEXT    NOT NULL,
	item   INTEGER NOT NULL REFERENCES items (pk),
	seq    INTEGER NOT NULL,
	label  TEXT    NOT NULL,
	PRIMARY KEY (aspect, item, seq)
) WITHOUT ROWID;

-- items_fts indexes the items' words. The words are segmented, lower-cased
-- and width-folded before they reach the store and arrive joined by
-- spaces: the ascii tokenizer splits at ASCII spaces and punctuation and
-- keeps every other character in the token, which is exactly right and
-- much cheaper than unicode61. Contentless: only the index is kept (the
-- words are never read back); the FTS rowid is items.pk. columnsize=0:
-- results are never ranked. detail=none: no positions, as queries are ANDs
-- of words (a phrase query is not needed), which makes the index a
-- fraction of the size and its writes much cheaper.
CREATE VIRTUAL TABLE items_fts USING fts5 (
	tokens,
	content = '',
	tokenize = 'ascii',
	columnsize = 0,
	detail = none
);
-- Merge index segments less eagerly (16 instead of 4 segments of a level
-- before a merge): a bulk ingest commits many segments, and merging them
-- at every commit costs more than reading a few more at query time.
INSERT INTO items_fts (items_fts, rank) VALUES ('automerge', 16);

-- rollups count items per period and group, maintained on ingest.
--   period:  'hour' | 'day'
--   start:   unix seconds of the period's start in the zone named by
--            settings.rollup_zone (a day starts at local midnight)
--   entity:  '' counts every item; otherwise items mentioning that entity
--   pos/neg/neu: the items' sentiment labels (count may exceed their sum
--            when an item has no label)
CREATE TABLE rollups (
	period   TEXT    NOT NULL,
	entity   TEXT    NOT NULL,
	start    INTEGER NOT NULL,
	platform TEXT    NOT NULL,
	kind     TEXT    NOT NULL,
	count    INTEGER NOT NULL,
	pos      INTEGER NOT NULL,
	neg      INTEGER NOT NULL,
	neu      INTEGER NOT NULL,
	PRIMARY KEY (period, entity, start, platform, kind)
) WITHOUT ROWID;

-- aspect_rollups count, per period, the items mentioning an aspect. An item
-- counts once per aspect, with one label: neg when its hits of the aspect
-- are at least as often negative as positive (and some are), pos when more
-- are positive, neu otherwise.
CREATE TABLE aspect_rollups (
	period TEXT    NOT NULL,
	entity TEXT    NOT NULL,
	aspect TEXT    NOT NULL,
	start  INTEGER NOT NULL,
	count  INTEGER NOT NULL,
	pos    INTEGER NOT NULL,
	neg    INTEGER NOT NULL,
	neu    INTEGER NOT NULL,
	PRIMARY KEY (period, entity, aspect, start)
) WITHOUT ROWID;

-- settings holds facts about the stored data, e.g. rollup_zone: the time
-- zone the rollup periods were cut in. Opening with another zone rebuilds
-- the rollups from the items.
CREATE TABLE settings (
	name  TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

-- quarantine keeps input that could not be read. raw_hash (sha256 of raw)
-- makes re-reading the same bad file a no-op.
CREATE TABLE quarantine (
	id       INTEGER PRIMARY KEY AUTOINCREMENT,
	file     TEXT    NOT NULL,
	line     INTEGER NOT NULL,
	reason   TEXT    NOT NULL,
	raw      BLOB    NOT NULL,
	raw_hash BLOB    NOT NULL,
	time     INTEGER NOT NULL, -- when it was quarantined
	UNIQUE (file, line, reason, raw_hash)
);

-- points are observations of metric series; batch is '' for periodic points.
CREATE TABLE points (
	series TEXT    NOT NULL,
	time   INTEGER NOT NULL,
	batch  TEXT    NOT NULL,
	value  REAL    NOT NULL,
	entity TEXT    NOT NULL,
	unit   TEXT    NOT NULL,
	count  REAL    NOT NULL,
	sample REAL    NOT NULL,
	PRIMARY KEY (series, time, batch)
) WITHOUT ROWID;

-- events are things a brand did (lawsuits, recalls, apologies ...).
CREATE TABLE events (
	id     TEXT    PRIMARY KEY,
	time   INTEGER NOT NULL,
	entity TEXT    NOT NULL,
	kind   TEXT    NOT NULL,
	title  TEXT    NOT NULL,
	text   TEXT    NOT NULL,
	url    TEXT    NOT NULL
);
CREATE INDEX events_time ON events (time);
CREATE INDEX events_entity ON events (entity, time);

-- alerts are detections raised by rules. severity_rank is
-- trustwatch.SeverityRank(severity), stored so alerts sort by it; resolved
-- and acked are NULL until set; evidence is a JSON array of
-- trustwatch.Evidence.
CREATE TABLE alerts (
	id            TEXT    PRIMARY KEY,
	rule          TEXT    NOT NULL,
	kind          TEXT    NOT NULL,
	entity        TEXT    NOT NULL,
	series        TEXT    NOT NULL,
	subject       TEXT    NOT NULL,
	severity      TEXT    NOT NULL,
	severity_rank INTEGER NOT NULL,
	opened        INTEGER NOT NULL,
	updated       INTEGER NOT NULL,
	resolved      INTEGER,
	acked         INTEGER,
	value         REAL    NOT NULL,
	statement     TEXT    NOT NULL,
	evidence      TEXT    NOT NULL
);
CREATE INDEX alerts_order ON alerts ((resolved IS NULL) DESC, severity_rank DESC, opened DESC);
