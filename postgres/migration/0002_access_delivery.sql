-- 0002_access_delivery: users, sessions and API tokens (the SQLite store's
-- 0004_auth); every delivery attempt, the digests' last periods and the
-- ready check's row (its 0005_deliveries). The alerts' assignee and
-- snooze and the audit trail are in 0001 already.
--
-- No secret is stored as it is: password_hash is bcrypt's self-describing
-- hash, a session is kept under the SHA-256 of its id and a token under the
-- SHA-256 of its secret, so a copy of the store lets nobody sign in. Times
-- are timestamptz, whole seconds, as in 0001.

CREATE TABLE users (
	id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name          text        NOT NULL UNIQUE,
	role          text        NOT NULL,
	password_hash text        NOT NULL,
	created       timestamptz NOT NULL
);

-- csrf is the token the session's forms carry; it is not a credential on
-- its own (a request must also bear the session cookie). A session dies
-- with its user.
CREATE TABLE sessions (
	id_hash bytea       PRIMARY KEY,
	user_id bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	csrf    text        NOT NULL,
	created timestamptz NOT NULL,
	expires timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
-- CreateSession removes the expired sessions.
CREATE INDEX sessions_expires ON sessions (expires);

-- A token has a role (API access) or a source (push to that source only);
-- role and source are '' when absent. last_used and revoked are NULL
-- until set.
CREATE TABLE api_tokens (
	id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	secret_hash bytea       NOT NULL UNIQUE,
	name        text        NOT NULL,
	role        text        NOT NULL,
	source      text        NOT NULL,
	created     timestamptz NOT NULL,
	last_used   timestamptz,
	revoked     timestamptz
);

-- deliveries has one row per try at sending something to a channel: an
-- alert (subject is its id) or a digest ("digest:ID:PERIOD"). state is ok,
-- failed or skipped; status the last HTTP or SMTP reply code (0 when none);
-- error the channel's reason, built without URLs or secrets. seq keeps the
-- order of attempts within one second (PutDeliveries inserts a call's
-- records in order, in one transaction).
CREATE TABLE deliveries (
	seq     bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	subject text        NOT NULL,
	channel text        NOT NULL,
	type    text        NOT NULL,
	attempt integer     NOT NULL,
	time    timestamptz NOT NULL,
	state   text        NOT NULL,
	status  integer     NOT NULL,
	error   text        NOT NULL
);
CREATE INDEX deliveries_subject ON deliveries (subject, seq);

-- digest_sent is the last period (a day, 2025-06-12, or the Monday of a
-- week) each digest reached each of its channels.
CREATE TABLE digest_sent (
	digest  text        NOT NULL,
	channel text        NOT NULL,
	period  text        NOT NULL,
	sent    timestamptz NOT NULL,
	PRIMARY KEY (digest, channel)
);

-- ready_check holds one row that /readyz rewrites: a real write, as cheap
-- as one can be.
CREATE TABLE ready_check (
	id      integer     PRIMARY KEY CHECK (id = 1),
	checked timestamptz NOT NULL
);
