package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"strings"
	"sync"
	"time"
	"unicode"

	"golang.org/x/crypto/bcrypt"

	"trustwatch"
)

// DefaultSessionTTL is how long a sign-in lasts when Service.SessionTTL is
// zero: a working day and the night after it.
const DefaultSessionTTL = 24 * time.Hour

// Password lengths. bcrypt reads at most 72 bytes; a longer password is
// refused rather than silently cut.
const (
	MinPasswordLength = 8
	MaxPasswordLength = 72
)

// TokenPrefix begins every token secret, so that one found in a file or a
// log is recognisable (and greppable) as a trustwatch token.
const TokenPrefix = "tw_"

// Service signs users in and checks sessions and tokens.
type Service struct {
	Users  trustwatch.UserStore
	Tokens trustwatch.TokenStore
	// SourceSecret returns the token held by a push source's token_env
	// variable, "" when it sets none. Nil: push sources have only the
	// tokens made with `trustwatch token add --source`.
	SourceSecret func(sourceID string) string
	// Now is time.Now when nil.
	Now func() time.Time
	// SessionTTL is DefaultSessionTTL when zero.
	SessionTTL time.Duration
	// Cost is the bcrypt cost; bcrypt.DefaultCost when zero. Tests lower it.
	Cost int
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

var errBadLogin = trustwatch.Errorf(trustwatch.EUNAUTHORIZED, "用户名或密码错误。")

// ValidName checks a user or token name: 1 to 64 letters, digits, and
// . _ - @, so that it prints safely in the audit trail and in a terminal.
func ValidName(name string) error {
	if name == "" || len(name) > 64 {
		return trustwatch.Errorf(trustwatch.EINVALID, "A name has 1 to 64 characters.")
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("._-@", r) {
			return trustwatch.Errorf(trustwatch.EINVALID, "Name %q: use letters, digits and . _ - @ only.", name)
		}
	}
	return nil
}

// HashPassword hashes a password with bcrypt after checking its length.
func (s *Service) HashPassword(password string) (string, error) {
	if len(password) < MinPasswordLength || len(password) > MaxPasswordLength {
		return "", trustwatch.Errorf(trustwatch.EINVALID, "A password has %d to %d bytes.", MinPasswordLength, MaxPasswordLength)
	}
	cost := s.Cost
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), cost)
	if err != nil {
		return "", err
	}
	return string(h), nil
}

// AddUser creates a user; ECONFLICT when the name is taken.
func (s *Service) AddUser(ctx context.Context, name string, role trustwatch.Role, password string) (*trustwatch.User, error) {
	if err := ValidName(name); err != nil {
		return nil, err
	}
	if !role.Valid() {
		return nil, trustwatch.Errorf(trustwatch.EINVALID, "Unknown role %q: use viewer, analyst or admin.", role)
	}
	hash, err := s.HashPassword(password)
	if err != nil {
		return nil, err
	}
	u := &trustwatch.User{Name: name, Role: role}
	if err := s.Users.CreateUser(ctx, u, hash); err != nil {
		return nil, err
	}
	return u, nil
}

// dummyHash is compared against when the user does not exist, so that a
// wrong name takes as long as a wrong password and names cannot be probed.
var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("no such user, no such password"), bcrypt.DefaultCost)
	return h
})

// Login checks a name and password and opens a session. It returns the
// session id, which only the browser keeps; EUNAUTHORIZED on a wrong name
// or password (the same error for both).
func (s *Service) Login(ctx context.Context, name, password string) (string, *trustwatch.Session, error) {
	u, hash, err := s.Users.UserByName(ctx, name)
	if trustwatch.ErrorCode(err) == trustwatch.ENOTFOUND {
		bcrypt.CompareHashAndPassword(dummyHash(), []byte(password))
		return "", nil, errBadLogin
	} else if err != nil {
		return "", nil, err
	}
	if err := bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)); err != nil {
		if errors.Is(err, bcrypt.ErrMismatchedHashAndPassword) {
			return "", nil, errBadLogin
		}
		return "", nil, err
	}
	ttl := s.SessionTTL
	if ttl <= 0 {
		ttl = DefaultSessionTTL
	}
	id := NewSecret()
	sess := &trustwatch.Session{User: *u, CSRF: NewSecret(), Expires: s.now().Add(ttl).Truncate(time.Second)}
	if err := s.Users.CreateSession(ctx, hashSecret(id), sess); err != nil {
		return "", nil, err
	}
	return id, sess, nil
}

// Session returns the live session with that id; EUNAUTHORIZED when it is
// unknown or expired.
func (s *Service) Session(ctx context.Context, id string) (*trustwatch.Session, error) {
	if id == "" {
		return nil, trustwatch.Errorf(trustwatch.EUNAUTHORIZED, "请先登录。")
	}
	sess, err := s.Users.SessionByHash(ctx, hashSecret(id), s.now())
	if trustwatch.ErrorCode(err) == trustwatch.ENOTFOUND {
		return nil, trustwatch.Errorf(trustwatch.EUNAUTHORIZED, "登录已过期，请重新登录。")
	}
	return sess, err
}

// Logout ends the session with that id.
func (s *Service) Logout(ctx context.Context, id string) error {
	return s.Users.DeleteSession(ctx, hashSecret(id))
}

// AddToken makes a token: an API token with a role, or a push token for
// one source (role empty). It returns the secret, which is shown once and
// never stored.
func (s *Service) AddToken(ctx context.Context, name string, role trustwatch.Role, source string) (string, *trustwatch.APIToken, error) {
	if err := ValidName(name); err != nil {
		return "", nil, err
	}
	switch {
	case source == "" && !role.Valid():
		return "", nil, trustwatch.Errorf(trustwatch.EINVALID, "A token needs a role (viewer, analyst, admin) or a source.")
	case source != "" && role != "":
		return "", nil, trustwatch.Errorf(trustwatch.EINVALID, "A push token (for a source) has no role.")
	}
	secret := TokenPrefix + NewSecret()
	t := &trustwatch.APIToken{Name: name, Role: role, Source: source}
	if err := s.Tokens.CreateToken(ctx, t, hashSecret(secret)); err != nil {
		return "", nil, err
	}
	return secret, t, nil
}

// Bearer returns the principal of an API token's secret; EUNAUTHORIZED
// when it is unknown or revoked.
func (s *Service) Bearer(ctx context.Context, secret string) (trustwatch.Principal, error) {
	if !strings.HasPrefix(secret, TokenPrefix) {
		return trustwatch.Principal{}, trustwatch.Errorf(trustwatch.EUNAUTHORIZED, "Invalid token.")
	}
	t, err := s.Tokens.TokenByHash(ctx, hashSecret(secret), s.now())
	if trustwatch.ErrorCode(err) == trustwatch.ENOTFOUND {
		return trustwatch.Principal{}, trustwatch.Errorf(trustwatch.EUNAUTHORIZED, "Invalid token.")
	} else if err != nil {
		return trustwatch.Principal{}, err
	}
	return trustwatch.Principal{Name: "token:" + t.Name, Role: t.Role, Source: t.Source}, nil
}

// Push checks that secret may push to the source: it is the token in the
// source's token_env, or a push token made for it. EUNAUTHORIZED otherwise.
func (s *Service) Push(ctx context.Context, sourceID, secret string) (trustwatch.Principal, error) {
	bad := trustwatch.Errorf(trustwatch.EUNAUTHORIZED, "Invalid token for source %q.", sourceID)
	if secret == "" {
		return trustwatch.Principal{}, trustwatch.Errorf(trustwatch.EUNAUTHORIZED, "Missing token: send Authorization: Bearer TOKEN.")
	}
	if s.SourceSecret != nil {
		if want := s.SourceSecret(sourceID); want != "" && Equal(want, secret) {
			return trustwatch.Principal{Name: "source:" + sourceID, Source: sourceID}, nil
		}
	}
	p, err := s.Bearer(ctx, secret)
	if trustwatch.ErrorCode(err) == trustwatch.EUNAUTHORIZED {
		return p, bad
	} else if err != nil {
		return p, err
	}
	if p.Source != sourceID {
		return trustwatch.Principal{}, bad
	}
	return p, nil
}

// NewSecret returns 32 random bytes, base64url-encoded: a session id, a
// CSRF token, the body of a token secret.
func NewSecret() string {
	// crypto/rand.Read never fails (it panics if the system has no entropy).
	var b [32]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// Equal compares two secrets in constant time (for equal lengths; the
// length is not secret).
func Equal(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// hashSecret is what the store keeps of a secret. A plain SHA-256 is
// enough: the secrets are 256 random bits, not guessable passwords.
func hashSecret(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}
