-- Verdicts on alerts: an analyst marked the alert a false alarm (标记为误报),
-- with who, when and an optional note. One row per alert; withdrawing the
-- verdict deletes it, and the audit trail keeps both. The precision of
-- alerts per kind (alerteval) is measured from these rows. Nothing here
-- depends on migration 0009, which may be applied after this one.
CREATE TABLE verdicts (
	alert TEXT    PRIMARY KEY REFERENCES alerts (id),
	actor TEXT    NOT NULL,
	time  INTEGER NOT NULL,
	note  TEXT    NOT NULL DEFAULT ''
);
