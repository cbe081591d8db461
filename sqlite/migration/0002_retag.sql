-- 0002_retag: items' analysis can be replaced (trustwatch retag).
--
-- 0001 said items are never updated. Their analysis now is, when the watch
-- file changes: entities, sentiment, aspects and words are replaced in place
-- by DB.UpdateAnalysis, which also moves the item's counts in the rollups in
-- the same transaction (subtracting its old contribution, adding its new one),
-- so the rollups stay exact without a rebuild.
--
-- The word index. A contentless FTS5 table can only forget a row if it is
-- told the row's exact old words ('delete' command), and the words are not
-- stored: an item ingested under another watch file was cut differently, so
-- its old words cannot be re-derived. SQLite 3.43 added contentless_delete=1,
-- which lets a contentless table DELETE a rowid without its words (modernc's
-- SQLite is 3.54). It is incompatible with columnsize=0, so the new table
-- keeps the default per-row size record (a few bytes per item, %_docsize).
-- The index is rebuilt here from the old one, without re-segmenting: with
-- detail=none a row's index entries are exactly its set of distinct words,
-- which fts5vocab's 'instance' table lists. Search results are unchanged.
CREATE VIRTUAL TABLE items_fts_new USING fts5 (
	tokens,
	content = '',
	contentless_delete = 1,
	tokenize = 'ascii',
	detail = none
);
CREATE VIRTUAL TABLE temp.items_fts_words USING fts5vocab (main, items_fts, instance);
INSERT INTO items_fts_new (rowid, tokens)
	SELECT doc, group_concat(term, ' ') FROM temp.items_fts_words GROUP BY doc;
DROP TABLE temp.items_fts_words;
DROP TABLE items_fts;
ALTER TABLE items_fts_new RENAME TO items_fts;
-- As in 0001: merge segments less eagerly during bulk writes.
INSERT INTO items_fts (items_fts, rank) VALUES ('automerge', 16);

-- words_hash fingerprints the words an item's FTS row was last written
-- with (FNV-1a over the words, never 0), so that re-analysis rewrites the
-- row only when the words changed, and a second retag writes nothing. 0 is
-- "unknown" (items stored before this migration): their row is rewritten
-- by the first retag.
ALTER TABLE items ADD COLUMN words_hash INTEGER NOT NULL DEFAULT 0;
