-- 0006_results: results computed ahead of the pages that show them
-- (package results): one row per key, replaced when the data it was
-- computed from changes. version says which data that was; data is the
-- encoded result.
CREATE TABLE results (
	key     text PRIMARY KEY,
	version text NOT NULL,
	data    bytea NOT NULL,
	saved   timestamptz NOT NULL DEFAULT now()
);
