package trustwatch

import (
	"context"
	"time"
)

// Role is what a user or an API token may do. Each role may do everything
// the roles below it may.
type Role string

// Roles, in increasing order of power.
const (
	RoleViewer  Role = "viewer"  // reads every page and the API
	RoleAnalyst Role = "analyst" // also acknowledges, resolves, comments on, assigns and snoozes alerts
	RoleAdmin   Role = "admin"   // also manages users and tokens
)

// Roles lists the roles, weakest first.
var Roles = []Role{RoleViewer, RoleAnalyst, RoleAdmin}

func (r Role) rank() int {
	switch r {
	case RoleViewer:
		return 1
	case RoleAnalyst:
		return 2
	case RoleAdmin:
		return 3
	}
	return 0
}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool { return r.rank() > 0 }

// Allows reports whether r may do what need requires. The empty role (a
// push token's, or nobody's) allows nothing.
func (r Role) Allows(need Role) bool { return r.rank() > 0 && r.rank() >= need.rank() }

// User is a person who signs in to the dashboard.
type User struct {
	ID      int64     `json:"id"`
	Name    string    `json:"name"`
	Role    Role      `json:"role"`
	Created time.Time `json:"created"`
}

// Session is a signed-in browser. Its id is known only to the browser;
// the store keeps a hash of it.
type Session struct {
	User    User
	CSRF    string // the token every form of the session must carry
	Expires time.Time
}

// APIToken is a bearer token for the API (with a Role) or for pushing
// items to one push source (with a Source and no Role). The store keeps a
// hash of the secret, which is shown once, when the token is made.
type APIToken struct {
	ID       int64      `json:"id"`
	Name     string     `json:"name"`
	Role     Role       `json:"role,omitempty"`
	Source   string     `json:"source,omitempty"`
	Created  time.Time  `json:"created"`
	LastUsed *time.Time `json:"last_used,omitempty"`
	Revoked  *time.Time `json:"revoked,omitempty"`
}

// UserStore keeps users with their password hashes, and their sessions.
type UserStore interface {
	// CreateUser stores u (setting its ID and Created); ECONFLICT when
	// the name is taken.
	CreateUser(ctx context.Context, u *User, passwordHash string) error
	// UserByName returns the user and its password hash; ENOTFOUND.
	UserByName(ctx context.Context, name string) (*User, string, error)
	// FindUsers returns every user, by name.
	FindUsers(ctx context.Context) ([]User, error)
	// DeleteUser removes the user and its sessions; ENOTFOUND.
	DeleteUser(ctx context.Context, name string) error
	// CountUsers says how many users there are.
	CountUsers(ctx context.Context) (int, error)

	// CreateSession stores a session under the hash of its id.
	CreateSession(ctx context.Context, idHash []byte, s *Session) error
	// SessionByHash returns the unexpired session; ENOTFOUND otherwise.
	SessionByHash(ctx context.Context, idHash []byte, now time.Time) (*Session, error)
	// DeleteSession removes a session; removing none is no error.
	DeleteSession(ctx context.Context, idHash []byte) error
}

// TokenStore keeps API tokens by the hash of their secret.
type TokenStore interface {
	// CreateToken stores t (setting its ID and Created).
	CreateToken(ctx context.Context, t *APIToken, secretHash []byte) error
	// TokenByHash returns the unrevoked token and marks it used at now;
	// ENOTFOUND otherwise.
	TokenByHash(ctx context.Context, secretHash []byte, now time.Time) (*APIToken, error)
	// FindTokens returns every token, revoked ones too, oldest first.
	FindTokens(ctx context.Context) ([]APIToken, error)
	// RevokeToken revokes a token; ENOTFOUND.
	RevokeToken(ctx context.Context, id int64, at time.Time) error
}

// Audit actions: what an AlertUpdate did, one entry each.
const (
	AuditAck     = "ack"
	AuditResolve = "resolve"
	AuditComment = "comment"
	AuditAssign  = "assign"
	AuditSnooze  = "snooze"
)

// AuditEntry is one thing someone did to an alert.
type AuditEntry struct {
	ID     int64     `json:"id"`
	Alert  string    `json:"alert"`
	Time   time.Time `json:"time"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"`
	// Detail is the comment, the assignee, or the end of the snooze
	// (RFC 3339); "" when the action says it all, or undoes (unassign,
	// unsnooze).
	Detail string `json:"detail,omitempty"`
}

// AuditStore reads the audit trail that AlertStore.UpdateAlert writes.
type AuditStore interface {
	// AlertAudit returns what was done to the alert, oldest first.
	AlertAudit(ctx context.Context, alertID string) ([]AuditEntry, error)
}

// AccessStore is everything access control keeps.
type AccessStore interface {
	UserStore
	TokenStore
	AuditStore
}

// Principal is who makes a request: a signed-in user, an API token, or
// nobody (Name "", the anonymous role the server allows, if any).
type Principal struct {
	Name string // the user's name, or "token:NAME"
	Role Role
	// Source is the push source a push token may write to.
	Source string
}

// Actor is the principal's name in the audit trail.
func (p Principal) Actor() string {
	if p.Name == "" {
		return "anonymous"
	}
	return p.Name
}

type contextKey int

const principalKey contextKey = iota

// NewContextWithPrincipal returns a context carrying p.
func NewContextWithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey, p)
}

// PrincipalFromContext returns the principal of ctx; the zero Principal
// (no role) when there is none.
func PrincipalFromContext(ctx context.Context) Principal {
	p, _ := ctx.Value(principalKey).(Principal)
	return p
}
