-- 0005_deliveries: every delivery attempt, the digests' last periods, and a
-- one-row table /readyz writes to.
--
-- deliveries has one row per try at sending something to a channel: an
-- alert (subject is its id) or a digest ("digest:ID:PERIOD"). state is ok,
-- failed or skipped; status the last HTTP or SMTP reply code (0 when none);
-- error the channel's reason, built without URLs or secrets. seq keeps the
-- order of attempts within one second.
CREATE TABLE deliveries (
	seq     INTEGER PRIMARY KEY,
	subject TEXT    NOT NULL,
	channel TEXT    NOT NULL,
	type    TEXT    NOT NULL,
	attempt INTEGER NOT NULL,
	time    INTEGER NOT NULL,
	state   TEXT    NOT NULL,
	status  INTEGER NOT NULL,
	error   TEXT    NOT NULL
);
CREATE INDEX deliveries_subject ON deliveries (subject, seq);

-- digest_sent is the last period (a day, 2025-06-12, or the Monday of a
-- week) each digest reached each of its channels.
CREATE TABLE digest_sent (
	digest  TEXT    NOT NULL,
	channel TEXT    NOT NULL,
	period  TEXT    NOT NULL,
	sent    INTEGER NOT NULL,
	PRIMARY KEY (digest, channel)
) WITHOUT ROWID;

-- ready_check holds one row that /readyz rewrites: a real write, as cheap
-- as one can be.
CREATE TABLE ready_check (
	id      INTEGER PRIMARY KEY CHECK (id = 1),
	checked INTEGER NOT NULL
);
