-- 0004_query: the query language (docs/query.md) and the item fields it
-- can ask about, as the SQLite store's 0007_query.
--
-- New item fields, with defaults for the items stored before.
ALTER TABLE items ADD COLUMN views     bigint NOT NULL DEFAULT 0;
ALTER TABLE items ADD COLUMN favorites bigint NOT NULL DEFAULT 0;
ALTER TABLE items ADD COLUMN tags      text[] NOT NULL DEFAULT '{}';
ALTER TABLE items ADD COLUMN keyword   text   NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN lang      text   NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN via       text[] NOT NULL DEFAULT '{}';
-- tags: a GIN index for tag:, as for entities. keyword: a selective filter
-- on the few items a crawler searched for. lang has a handful of values,
-- each a large share of the items: no index.
CREATE INDEX items_tags ON items USING gin (tags);
CREATE INDEX items_keyword ON items (keyword) WHERE keyword <> '';

-- words now holds the units of the normalised title and text
-- (query.IndexUnits) with their positions, 'unit':pos, for phrases (<->),
-- NEAR and prefixes (:*); it held the segmenter's words without positions.
-- The units come from Go: the first Open after this migration rewrites the
-- vectors of the items stored before (reindexUnits in postgres/reindex.go)
-- in batches from units_reindex.after, the pk up to which items are done.
-- The row is removed when all are.
CREATE TABLE units_reindex (
	id    integer PRIMARY KEY CHECK (id = 1),
	after bigint  NOT NULL
);
INSERT INTO units_reindex (id, after) SELECT 1, 0 WHERE EXISTS (SELECT 1 FROM items);
