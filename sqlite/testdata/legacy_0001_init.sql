-- The initial migration as an early build shipped it (before it was
-- rewritten in place): TestLegacyStoreWithRewrittenHistory builds a store
-- from it to check that such a store is refused, not half-used.
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
	tokens           TEXT    NOT NULL, -- segmented words joined by single spaces
	entities         TEXT    NOT NULL, -- JSON array of entity ids, distinct, in analysis order
	sentiment        TEXT    NOT NULL, -- pos | neg | neu | ''
	p_pos            REAL    NOT NULL,
	aspects          TEXT    NOT NULL, -- JSON array of [aspect, label, word, clause]
	source           TEXT    NOT NULL, -- file:line the item was read from
	UNIQUE (id, platform) -- id first: also the index for lookups by id alone
);
CREATE INDEX items_time ON items (time);
CREATE INDEX items_author ON items (author, time);
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
-- items mentioning an aspect".
CREATE TABLE item_aspects (
	aspect TEXT    NOT NULL,
	item   INTEGER NOT NULL REFERENCES items (pk),
	seq    INTEGER NOT NULL,
	label  TEXT    NOT NULL,
	word   TEXT    NOT NULL,
	clause TEXT    NOT NULL,
	PRIMARY KEY (aspect, item, seq)
) WITHOUT ROWID;

-- items_fts indexes items.tokens. The words are segmented before they reach
-- the store, so unicode61 only has to split on the spaces between them (and
-- fold case). External content: the text lives once, in items; the FTS rowid
-- is items.pk. columnsize=0: results are never ranked, so FTS5 need not
-- keep a size row per item.
CREATE VIRTUAL TABLE items_fts USING fts5 (
	tokens,
	content = 'items',
	content_rowid = 'pk',
	tokenize = 'unicode61',
	columnsize = 0
);

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
