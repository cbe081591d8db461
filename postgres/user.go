package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"trustwatch"
)

// Compile-time check that DB keeps users, tokens and the audit trail.
var _ trustwatch.AccessStore = (*DB)(nil)

// uniqueViolation is PostgreSQL's SQLSTATE for a broken unique constraint.
const uniqueViolation = "23505"

// isUniqueViolation reports whether err is a broken unique constraint.
func isUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == uniqueViolation
}

// CreateUser stores u with its password hash, setting its ID and Created;
// ECONFLICT when the name is taken.
func (db *DB) CreateUser(ctx context.Context, u *trustwatch.User, passwordHash string) error {
	now := db.now()
	var id int64
	err := db.update(ctx, "create user", func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO users (name, role, password_hash, created) VALUES ($1, $2, $3, $4) RETURNING id`,
			u.Name, string(u.Role), passwordHash, now).Scan(&id)
		if isUniqueViolation(err) {
			return trustwatch.Errorf(trustwatch.ECONFLICT, "User %q exists.", u.Name)
		}
		return err
	})
	if err != nil {
		return err
	}
	u.ID, u.Created = id, now
	return nil
}

// UserByName returns the user and its password hash; ENOTFOUND.
func (db *DB) UserByName(ctx context.Context, name string) (*trustwatch.User, string, error) {
	var u trustwatch.User
	var hash string
	err := db.pool.QueryRow(ctx, `SELECT id, name, role, password_hash, created FROM users WHERE name = $1`, name).
		Scan(&u.ID, &u.Name, &u.Role, &hash, &u.Created)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, "", trustwatch.Errorf(trustwatch.ENOTFOUND, "No user %q.", name)
	} else if err != nil {
		return nil, "", wrap("user by name", err)
	}
	u.Created = u.Created.UTC()
	return &u, hash, nil
}

// FindUsers returns every user, by name (byte order, as SQLite compares).
func (db *DB) FindUsers(ctx context.Context) ([]trustwatch.User, error) {
	rows, err := db.pool.Query(ctx, `SELECT id, name, role, created FROM users ORDER BY name COLLATE "C"`)
	if err != nil {
		return nil, wrap("find users", err)
	}
	defer rows.Close()
	us := []trustwatch.User{}
	for rows.Next() {
		var u trustwatch.User
		if err := rows.Scan(&u.ID, &u.Name, &u.Role, &u.Created); err != nil {
			return nil, wrap("find users", err)
		}
		u.Created = u.Created.UTC()
		us = append(us, u)
	}
	return us, wrap("find users", rows.Err())
}

// DeleteUser removes the user; its sessions go with it (ON DELETE
// CASCADE). ENOTFOUND when there is none.
func (db *DB) DeleteUser(ctx context.Context, name string) error {
	tag, err := db.pool.Exec(ctx, `DELETE FROM users WHERE name = $1`, name)
	if err != nil {
		return wrap("delete user", err)
	}
	if tag.RowsAffected() == 0 {
		return trustwatch.Errorf(trustwatch.ENOTFOUND, "No user %q.", name)
	}
	return nil
}

// CountUsers says how many users there are.
func (db *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := db.pool.QueryRow(ctx, `SELECT count(*) FROM users`).Scan(&n)
	return n, wrap("count users", err)
}

// CreateSession stores the session under the hash of its id. Expired
// sessions are removed on the way, so the table stays small.
func (db *DB) CreateSession(ctx context.Context, idHash []byte, s *trustwatch.Session) error {
	now := db.now()
	return db.update(ctx, "create session", func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE expires <= $1`, now); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO sessions (id_hash, user_id, csrf, created, expires) VALUES ($1, $2, $3, $4, $5)`,
			idHash, s.User.ID, s.CSRF, now, utc(s.Expires))
		return err
	})
}

// SessionByHash returns the session if it has not expired at now, with its
// user as it is now (a changed role applies at once); ENOTFOUND otherwise.
func (db *DB) SessionByHash(ctx context.Context, idHash []byte, now time.Time) (*trustwatch.Session, error) {
	var s trustwatch.Session
	err := db.pool.QueryRow(ctx, `SELECT u.id, u.name, u.role, u.created, s.csrf, s.expires
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.id_hash = $1 AND s.expires > $2`, idHash, utc(now)).
		Scan(&s.User.ID, &s.User.Name, &s.User.Role, &s.User.Created, &s.CSRF, &s.Expires)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, trustwatch.Errorf(trustwatch.ENOTFOUND, "No such session.")
	} else if err != nil {
		return nil, wrap("session", err)
	}
	s.User.Created, s.Expires = s.User.Created.UTC(), s.Expires.UTC()
	return &s, nil
}

// DeleteSession removes a session; removing none is no error.
func (db *DB) DeleteSession(ctx context.Context, idHash []byte) error {
	_, err := db.pool.Exec(ctx, `DELETE FROM sessions WHERE id_hash = $1`, idHash)
	return wrap("delete session", err)
}

// CreateToken stores the token under the hash of its secret, setting its
// ID and Created.
func (db *DB) CreateToken(ctx context.Context, t *trustwatch.APIToken, secretHash []byte) error {
	now := db.now()
	var id int64
	err := db.pool.QueryRow(ctx, `INSERT INTO api_tokens (secret_hash, name, role, source, created) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		secretHash, t.Name, string(t.Role), t.Source, now).Scan(&id)
	if err != nil {
		return wrap("create token", err)
	}
	t.ID, t.Created = id, now
	return nil
}

// tokenUseInterval is how often at most TokenByHash writes a token's
// last_used.
const tokenUseInterval = time.Minute

// TokenByHash returns the unrevoked token with that secret hash and notes
// its use; ENOTFOUND otherwise. last_used is written at most once a minute
// per token, so that a busy push client does not turn every request into
// a write.
func (db *DB) TokenByHash(ctx context.Context, secretHash []byte, now time.Time) (*trustwatch.APIToken, error) {
	now = utc(now)
	var t trustwatch.APIToken
	err := db.pool.QueryRow(ctx, `SELECT id, name, role, source, created, last_used FROM api_tokens
		WHERE secret_hash = $1 AND revoked IS NULL`, secretHash).
		Scan(&t.ID, &t.Name, &t.Role, &t.Source, &t.Created, &t.LastUsed)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, trustwatch.Errorf(trustwatch.ENOTFOUND, "No such token.")
	} else if err != nil {
		return nil, wrap("token", err)
	}
	t.Created, t.LastUsed = t.Created.UTC(), fromNullTime(t.LastUsed)
	if t.LastUsed == nil || now.Sub(*t.LastUsed) >= tokenUseInterval {
		if _, err := db.pool.Exec(ctx, `UPDATE api_tokens SET last_used = $1 WHERE id = $2`, now, t.ID); err != nil {
			return nil, wrap("token used", err)
		}
		t.LastUsed = &now
	}
	return &t, nil
}

// FindTokens returns every token, revoked ones too, oldest first.
func (db *DB) FindTokens(ctx context.Context) ([]trustwatch.APIToken, error) {
	rows, err := db.pool.Query(ctx, `SELECT id, name, role, source, created, last_used, revoked FROM api_tokens ORDER BY id`)
	if err != nil {
		return nil, wrap("find tokens", err)
	}
	defer rows.Close()
	ts := []trustwatch.APIToken{}
	for rows.Next() {
		var t trustwatch.APIToken
		if err := rows.Scan(&t.ID, &t.Name, &t.Role, &t.Source, &t.Created, &t.LastUsed, &t.Revoked); err != nil {
			return nil, wrap("find tokens", err)
		}
		t.Created, t.LastUsed, t.Revoked = t.Created.UTC(), fromNullTime(t.LastUsed), fromNullTime(t.Revoked)
		ts = append(ts, t)
	}
	return ts, wrap("find tokens", rows.Err())
}

// RevokeToken revokes the token; ENOTFOUND when there is none. Revoking a
// revoked token keeps its first time.
func (db *DB) RevokeToken(ctx context.Context, id int64, at time.Time) error {
	tag, err := db.pool.Exec(ctx, `UPDATE api_tokens SET revoked = COALESCE(revoked, $1) WHERE id = $2`, utc(at), id)
	if err != nil {
		return wrap("revoke token", err)
	}
	if tag.RowsAffected() == 0 {
		return trustwatch.Errorf(trustwatch.ENOTFOUND, "No token %d.", id)
	}
	return nil
}

// AlertAudit returns what was done to the alert, oldest first: the trail
// UpdateAlert writes in the transaction of each change.
func (db *DB) AlertAudit(ctx context.Context, alertID string) ([]trustwatch.AuditEntry, error) {
	rows, err := db.pool.Query(ctx, `SELECT id, alert, time, actor, action, detail FROM alert_audit
		WHERE alert = $1 ORDER BY id`, alertID)
	if err != nil {
		return nil, wrap("alert audit", err)
	}
	defer rows.Close()
	out := []trustwatch.AuditEntry{}
	for rows.Next() {
		var e trustwatch.AuditEntry
		if err := rows.Scan(&e.ID, &e.Alert, &e.Time, &e.Actor, &e.Action, &e.Detail); err != nil {
			return nil, wrap("alert audit", err)
		}
		e.Time = e.Time.UTC()
		out = append(out, e)
	}
	return out, wrap("alert audit", rows.Err())
}
