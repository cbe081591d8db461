-- 0004_auth: users, sessions, API tokens; alert comments, assignment,
-- snooze; the audit trail.
--
-- No secret is stored as it is: password_hash is bcrypt's self-describing
-- hash, a session is kept under the SHA-256 of its id and a token under the
-- SHA-256 of its secret, so a copy of the store lets nobody sign in.

CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	name          TEXT    NOT NULL UNIQUE,
	role          TEXT    NOT NULL,
	password_hash TEXT    NOT NULL,
	created       INTEGER NOT NULL
);

-- csrf is the token the session's forms carry; it is not a credential on
-- its own (a request must also bear the session cookie).
CREATE TABLE sessions (
	id_hash BLOB    PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	csrf    TEXT    NOT NULL,
	created INTEGER NOT NULL,
	expires INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);

-- A token has a role (API access) or a source (push to that source only).
CREATE TABLE api_tokens (
	id          INTEGER PRIMARY KEY,
	secret_hash BLOB    NOT NULL UNIQUE,
	name        TEXT    NOT NULL,
	role        TEXT    NOT NULL,
	source      TEXT    NOT NULL,
	created     INTEGER NOT NULL,
	last_used   INTEGER,
	revoked     INTEGER
);

-- Assignment and snooze are the alert's current state; the audit trail
-- says who set them when. PutAlert leaves both columns as they are, so a
-- detector updating an alert keeps its assignee and snooze.
ALTER TABLE alerts ADD COLUMN assignee TEXT NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN snoozed_until INTEGER;

-- The audit trail of alerts: every ack, resolve, comment, assignment and
-- snooze, by whom and when. Comments live here too: a comment is what was
-- done (action 'comment') and its text is the detail.
CREATE TABLE alert_audit (
	id     INTEGER PRIMARY KEY,
	alert  TEXT    NOT NULL,
	time   INTEGER NOT NULL,
	actor  TEXT    NOT NULL,
	action TEXT    NOT NULL,
	detail TEXT    NOT NULL
);
CREATE INDEX alert_audit_alert ON alert_audit (alert, id);
