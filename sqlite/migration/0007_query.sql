-- 0007_query: the query language (docs/query.md) and the item fields it
-- can ask about.
--
-- New item fields, with defaults for the items stored before: views and
-- favorites counts, the platform's tags and the accounts a repost came
-- via (JSON arrays of strings, '[]' for none), the crawler's search
-- keyword and the language tag.
ALTER TABLE items ADD COLUMN views     INTEGER NOT NULL DEFAULT 0;
ALTER TABLE items ADD COLUMN favorites INTEGER NOT NULL DEFAULT 0;
ALTER TABLE items ADD COLUMN tags      TEXT    NOT NULL DEFAULT '[]';
ALTER TABLE items ADD COLUMN keyword   TEXT    NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN lang      TEXT    NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN via       TEXT    NOT NULL DEFAULT '[]';
-- keyword: is a selective filter (one crawl's query) on the few items a
-- crawler searched for. lang: has a handful of
-- values, each covering a large share of the items: an index would not be
-- used, so there is none.
CREATE INDEX items_keyword ON items (keyword) WHERE keyword <> '';

-- item_tags: one row per distinct tag of an item, keyed for "the items of a
-- tag" as item_entities is for entities (json_each over items.tags would
-- read every item for each tag: query).
CREATE TABLE item_tags (
	tag  TEXT    NOT NULL,
	item INTEGER NOT NULL REFERENCES items (pk),
	PRIMARY KEY (tag, item)
) WITHOUT ROWID;

-- The text index. It indexed the segmenter's words without positions
-- (detail=none); it now indexes the query package's units of the normalised
-- title and text (query.IndexUnits: pairs of Chinese characters, Latin
-- words), with positions (detail=full) for phrases and NEAR, and a prefix
-- index of one character (FTS5 counts prefix lengths in characters) for a
-- query word ending in one Chinese character. The units arrive joined by
-- spaces; a unit is letters and digits only, so the ascii tokenizer keeps
-- each whole (it splits only at ASCII characters other than letters and
-- digits and keeps every other byte). Contentless, columnsize=0: results
-- are never ranked, and a row is never deleted: an item's text does not
-- change, and re-analysis (retag) changes no unit.
--
-- The units come from Go, so SQL cannot fill the new index: the first Open
-- after this migration does (reindexUnits in sqlite/reindex.go), in batches,
-- from settings.units_reindexed (the pk up to which items are indexed),
-- which this migration sets when there are items. The old table goes.
DROP TABLE items_fts;
CREATE VIRTUAL TABLE items_fts USING fts5 (
	units,
	content = '',
	tokenize = 'ascii',
	columnsize = 0,
	detail = full,
	prefix = '1'
);
INSERT INTO items_fts (items_fts, rank) VALUES ('automerge', 16);
-- words_hash told re-analysis whether an item's words had to be rewritten
-- in the index; the index no longer holds words.
ALTER TABLE items DROP COLUMN words_hash;
INSERT INTO settings (name, value) SELECT 'units_reindexed', '0' WHERE EXISTS (SELECT 1 FROM items);
