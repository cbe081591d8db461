-- Results computed ahead of the pages that show them (package results):
-- one row per key, replaced when the data it was computed from changes.
-- version says which data that was; data is the encoded result.
CREATE TABLE results (
	key     TEXT PRIMARY KEY,
	version TEXT NOT NULL,
	data    BLOB NOT NULL,
	saved   INTEGER NOT NULL -- unix seconds
);
