-- 0001_init: the whole store, in PostgreSQL.
--
-- Conventions as in the SQLite store: text columns are NOT NULL with ''
-- for "absent", so filters compare with =. Times are timestamptz, whole
-- seconds (the SQLite store keeps unix seconds; the two agree). Items are
-- never updated or deleted, which is why the rollups can be maintained by
-- adding to them in PutItems' transaction.

-- item_ids is the identity of items: one row per (platform, id). It exists
-- because a unique index on the partitioned items table must include the
-- partition key (time), and the same item re-read with another time (a
-- "3分钟前" resolved at another moment) must still be a duplicate.
-- PutItems claims identities here with ON CONFLICT DO NOTHING in the same
-- transaction as it inserts the items, so a concurrent writer of the same
-- item waits for the first to commit and then finds it stored. pk numbers
-- items in the order they were claimed; time says in which partition the
-- item is.
CREATE TABLE item_ids (
	platform text        NOT NULL,
	id       text        NOT NULL,
	pk       bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
	time     timestamptz NOT NULL,
	PRIMARY KEY (platform, id)
);
-- ItemByID looks items up by id alone.
CREATE INDEX item_ids_id ON item_ids (id, pk);

-- items is partitioned by month of time (partitions items_YYYYMM, made on
-- demand by PutItems, see partition.go). entities and aspect_names are
-- arrays with GIN indexes for the entity and aspect filters; aspects keeps
-- the hits as [[aspect, label, word, clause], ...] for reading them back.
-- words is the tsvector of the item's already segmented words, built with
-- array_to_tsvector (the words are lexemes as they are, the 'simple' way:
-- no stemming, no stop words), so a query is a tsquery of lexemes.
CREATE TABLE items (
	pk               bigint           NOT NULL,
	platform         text             NOT NULL,
	id               text             NOT NULL,
	kind             text             NOT NULL,
	parent_id        text             NOT NULL,
	author           text             NOT NULL,
	author_followers bigint           NOT NULL,
	title            text             NOT NULL,
	text             text             NOT NULL,
	time             timestamptz      NOT NULL,
	url              text             NOT NULL,
	likes            bigint           NOT NULL,
	reposts          bigint           NOT NULL,
	replies          bigint           NOT NULL,
	entities         text[]           NOT NULL,
	sentiment        text             NOT NULL,
	p_pos            double precision NOT NULL,
	aspects          jsonb            NOT NULL,
	aspect_names     text[]           NOT NULL,
	source           text             NOT NULL,
	words            tsvector         NOT NULL,
	PRIMARY KEY (pk, time)
) PARTITION BY RANGE (time);
CREATE INDEX items_time ON items (time, pk);
CREATE INDEX items_author ON items (author, time) WHERE author <> '';
CREATE INDEX items_parent ON items (parent_id) WHERE parent_id <> '';
CREATE INDEX items_entities ON items USING gin (entities);
CREATE INDEX items_aspects ON items USING gin (aspect_names);
CREATE INDEX items_words ON items USING gin (words);

-- rollups count items per period and group, maintained on ingest, as in
-- the SQLite store: period 'hour' | 'day'; start is the period's start in
-- the zone settings.rollup_zone names; entity '' counts every item.
CREATE TABLE rollups (
	period   text        NOT NULL,
	entity   text        NOT NULL,
	start    timestamptz NOT NULL,
	platform text        NOT NULL,
	kind     text        NOT NULL,
	count    bigint      NOT NULL,
	pos      bigint      NOT NULL,
	neg      bigint      NOT NULL,
	neu      bigint      NOT NULL,
	PRIMARY KEY (period, entity, start, platform, kind)
);

-- aspect_rollups count, per period, the items mentioning an aspect, each
-- once with one label (see aspectLabel).
CREATE TABLE aspect_rollups (
	period text        NOT NULL,
	entity text        NOT NULL,
	aspect text        NOT NULL,
	start  timestamptz NOT NULL,
	count  bigint      NOT NULL,
	pos    bigint      NOT NULL,
	neg    bigint      NOT NULL,
	neu    bigint      NOT NULL,
	PRIMARY KEY (period, entity, aspect, start)
);

-- settings holds facts about the stored data: rollup_zone.
CREATE TABLE settings (
	name  text PRIMARY KEY,
	value text NOT NULL
);

-- quarantine keeps input that could not be read; raw_hash (sha256 of raw)
-- makes re-reading the same bad file a no-op.
CREATE TABLE quarantine (
	id       bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	file     text        NOT NULL,
	line     bigint      NOT NULL,
	reason   text        NOT NULL,
	raw      bytea       NOT NULL,
	raw_hash bytea       NOT NULL,
	time     timestamptz NOT NULL,
	UNIQUE (file, line, reason, raw_hash)
);

-- points are observations of metric series; batch is '' for periodic points.
CREATE TABLE points (
	series text             NOT NULL,
	time   timestamptz      NOT NULL,
	batch  text             NOT NULL,
	value  double precision NOT NULL,
	entity text             NOT NULL,
	unit   text             NOT NULL,
	count  double precision NOT NULL,
	sample double precision NOT NULL,
	PRIMARY KEY (series, time, batch)
);

CREATE TABLE events (
	id     text        PRIMARY KEY,
	time   timestamptz NOT NULL,
	entity text        NOT NULL,
	kind   text        NOT NULL,
	title  text        NOT NULL,
	text   text        NOT NULL,
	url    text        NOT NULL
);
CREATE INDEX events_time ON events (time);
CREATE INDEX events_entity ON events (entity, time);

-- alerts as in the SQLite store (0001 and 0004): severity_rank is
-- trustwatch.SeverityRank(severity); resolved, acked and snoozed_until are
-- NULL until set; evidence is a JSON array of trustwatch.Evidence.
CREATE TABLE alerts (
	id            text             PRIMARY KEY,
	rule          text             NOT NULL,
	kind          text             NOT NULL,
	entity        text             NOT NULL,
	series        text             NOT NULL,
	subject       text             NOT NULL,
	severity      text             NOT NULL,
	severity_rank integer          NOT NULL,
	opened        timestamptz      NOT NULL,
	updated       timestamptz      NOT NULL,
	resolved      timestamptz,
	acked         timestamptz,
	value         double precision NOT NULL,
	statement     text             NOT NULL,
	evidence      jsonb            NOT NULL,
	assignee      text             NOT NULL DEFAULT '',
	snoozed_until timestamptz
);
CREATE INDEX alerts_order ON alerts ((resolved IS NULL) DESC, severity_rank DESC, opened DESC);

-- The audit trail of alerts: every ack, resolve, comment, assignment and
-- snooze UpdateAlert makes, in its transaction.
CREATE TABLE alert_audit (
	id     bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	alert  text        NOT NULL,
	time   timestamptz NOT NULL,
	actor  text        NOT NULL,
	action text        NOT NULL,
	detail text        NOT NULL
);
CREATE INDEX alert_audit_alert ON alert_audit (alert, id);
