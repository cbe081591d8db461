package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"trustwatch"
)

// Compile-time check that DB keeps users, tokens and the audit trail.
var _ trustwatch.AccessStore = (*DB)(nil)

// CreateUser stores u with its password hash; ECONFLICT when the name is
// taken.
func (db *DB) CreateUser(ctx context.Context, u *trustwatch.User, passwordHash string) error {
	return db.update(ctx, "create user", func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO users (name, role, password_hash, created) VALUES (?, ?, ?, ?)`,
			u.Name, string(u.Role), passwordHash, tx.now.Unix())
		if err != nil {
			if trustwatch.ErrorCode(FormatError(err)) == trustwatch.ECONFLICT {
				return trustwatch.Errorf(trustwatch.ECONFLICT, "User %q exists.", u.Name)
			}
			return err
		}
		u.ID, err = res.LastInsertId()
		u.Created = tx.now
		return err
	})
}

// UserByName returns the user and its password hash; ENOTFOUND.
func (db *DB) UserByName(ctx context.Context, name string) (*trustwatch.User, string, error) {
	var u trustwatch.User
	var hash string
	var created int64
	err := db.db.QueryRowContext(ctx, `SELECT id, name, role, password_hash, created FROM users WHERE name = ?`, name).
		Scan(&u.ID, &u.Name, &u.Role, &hash, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", trustwatch.Errorf(trustwatch.ENOTFOUND, "No user %q.", name)
	} else if err != nil {
		return nil, "", wrap("user by name", err)
	}
	u.Created = fromUnix(created)
	return &u, hash, nil
}

// FindUsers returns every user, by name.
func (db *DB) FindUsers(ctx context.Context) ([]trustwatch.User, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id, name, role, created FROM users ORDER BY name`)
	if err != nil {
		return nil, wrap("find users", err)
	}
	defer rows.Close()
	us := []trustwatch.User{}
	for rows.Next() {
		var u trustwatch.User
		var created int64
		if err := rows.Scan(&u.ID, &u.Name, &u.Role, &created); err != nil {
			return nil, wrap("find users", err)
		}
		u.Created = fromUnix(created)
		us = append(us, u)
	}
	return us, wrap("find users", rows.Err())
}

// DeleteUser removes the user; its sessions go with it (ON DELETE
// CASCADE). ENOTFOUND when there is none.
func (db *DB) DeleteUser(ctx context.Context, name string) error {
	return db.update(ctx, "delete user", func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM users WHERE name = ?`, name)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return trustwatch.Errorf(trustwatch.ENOTFOUND, "No user %q.", name)
		}
		return nil
	})
}

// CountUsers says how many users there are.
func (db *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	return n, wrap("count users", err)
}

// CreateSession stores the session under the hash of its id. Expired
// sessions are removed on the way, so the table stays small.
func (db *DB) CreateSession(ctx context.Context, idHash []byte, s *trustwatch.Session) error {
	return db.update(ctx, "create session", func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires <= ?`, tx.now.Unix()); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (id_hash, user_id, csrf, created, expires) VALUES (?, ?, ?, ?, ?)`,
			idHash, s.User.ID, s.CSRF, tx.now.Unix(), s.Expires.Unix())
		return err
	})
}

// SessionByHash returns the session if it has not expired at now, with its
// user as it is now (a changed role applies at once); ENOTFOUND otherwise.
func (db *DB) SessionByHash(ctx context.Context, idHash []byte, now time.Time) (*trustwatch.Session, error) {
	var s trustwatch.Session
	var created, expires int64
	err := db.db.QueryRowContext(ctx, `SELECT u.id, u.name, u.role, u.created, s.csrf, s.expires
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.id_hash = ? AND s.expires > ?`, idHash, now.Unix()).
		Scan(&s.User.ID, &s.User.Name, &s.User.Role, &created, &s.CSRF, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, trustwatch.Errorf(trustwatch.ENOTFOUND, "No such session.")
	} else if err != nil {
		return nil, wrap("session", err)
	}
	s.User.Created, s.Expires = fromUnix(created), fromUnix(expires)
	return &s, nil
}

// DeleteSession removes a session.
func (db *DB) DeleteSession(ctx context.Context, idHash []byte) error {
	return db.update(ctx, "delete session", func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = ?`, idHash)
		return err
	})
}

// CreateToken stores the token under the hash of its secret.
func (db *DB) CreateToken(ctx context.Context, t *trustwatch.APIToken, secretHash []byte) error {
	return db.update(ctx, "create token", func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO api_tokens (secret_hash, name, role, source, created) VALUES (?, ?, ?, ?, ?)`,
			secretHash, t.Name, string(t.Role), t.Source, tx.now.Unix())
		if err != nil {
			return err
		}
		t.ID, err = res.LastInsertId()
		t.Created = tx.now
		return err
	})
}

// TokenByHash returns the unrevoked token with that secret hash and notes
// its use; ENOTFOUND otherwise. last_used is written at most once a minute
// per token, so that a busy push client does not turn every request into
// a write.
func (db *DB) TokenByHash(ctx context.Context, secretHash []byte, now time.Time) (*trustwatch.APIToken, error) {
	var t trustwatch.APIToken
	var created int64
	var lastUsed sql.NullInt64
	err := db.db.QueryRowContext(ctx, `SELECT id, name, role, source, created, last_used FROM api_tokens
		WHERE secret_hash = ? AND revoked IS NULL`, secretHash).
		Scan(&t.ID, &t.Name, &t.Role, &t.Source, &created, &lastUsed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, trustwatch.Errorf(trustwatch.ENOTFOUND, "No such token.")
	} else if err != nil {
		return nil, wrap("token", err)
	}
	t.Created = fromUnix(created)
	if !lastUsed.Valid || now.Unix()-lastUsed.Int64 >= 60 {
		if err := db.update(ctx, "token used", func(tx *Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE api_tokens SET last_used = ? WHERE id = ?`, now.Unix(), t.ID)
			return err
		}); err != nil {
			return nil, err
		}
		lastUsed = sql.NullInt64{Int64: now.Unix(), Valid: true}
	}
	t.LastUsed = fromNullUnix(lastUsed)
	return &t, nil
}

// FindTokens returns every token, oldest first.
func (db *DB) FindTokens(ctx context.Context) ([]trustwatch.APIToken, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id, name, role, source, created, last_used, revoked FROM api_tokens ORDER BY id`)
	if err != nil {
		return nil, wrap("find tokens", err)
	}
	defer rows.Close()
	ts := []trustwatch.APIToken{}
	for rows.Next() {
		var t trustwatch.APIToken
		var created int64
		var lastUsed, revoked sql.NullInt64
		if err := rows.Scan(&t.ID, &t.Name, &t.Role, &t.Source, &created, &lastUsed, &revoked); err != nil {
			return nil, wrap("find tokens", err)
		}
		t.Created, t.LastUsed, t.Revoked = fromUnix(created), fromNullUnix(lastUsed), fromNullUnix(revoked)
		ts = append(ts, t)
	}
	return ts, wrap("find tokens", rows.Err())
}

// RevokeToken revokes the token; ENOTFOUND when there is none. Revoking a
// revoked token keeps its first time.
func (db *DB) RevokeToken(ctx context.Context, id int64, at time.Time) error {
	return db.update(ctx, "revoke token", func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked = COALESCE(revoked, ?) WHERE id = ?`, at.Unix(), id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return trustwatch.Errorf(trustwatch.ENOTFOUND, "No token %d.", id)
		}
		return nil
	})
}
