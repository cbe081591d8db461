package auth_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"trustwatch"
	"trustwatch/auth"
	"trustwatch/sqlite"
)

func newService(t *testing.T) *auth.Service {
	t.Helper()
	db, err := sqlite.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return &auth.Service{Users: db, Tokens: db, Cost: bcrypt.MinCost,
		SourceSecret: func(id string) string { return map[string]string{"weibo": "from-env"}[id] }}
}

func TestAddUser(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	tests := []struct {
		name, user, password string
		role                 trustwatch.Role
		code                 string
	}{
		{"ok", "bob", "long enough", trustwatch.RoleAnalyst, ""},
		{"taken", "bob", "long enough", trustwatch.RoleAdmin, trustwatch.ECONFLICT},
		{"short password", "eve", "short", trustwatch.RoleViewer, trustwatch.EINVALID},
		{"password past bcrypt's 72 bytes", "eve", strings.Repeat("x", 73), trustwatch.RoleViewer, trustwatch.EINVALID},
		{"unknown role", "eve", "long enough", "root", trustwatch.EINVALID},
		{"name with a space", "e ve", "long enough", trustwatch.RoleViewer, trustwatch.EINVALID},
		{"name with a newline", "eve\nadmin", "long enough", trustwatch.RoleViewer, trustwatch.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.AddUser(ctx, tt.user, tt.role, tt.password)
			if got := trustwatch.ErrorCode(err); got != tt.code {
				t.Errorf("code %q, want %q (%v)", got, tt.code, err)
			}
			if err != nil && strings.Contains(err.Error(), tt.password) {
				t.Error("the error repeats the password")
			}
		})
	}
	_, hash, _ := s.Users.UserByName(ctx, "bob")
	if !strings.HasPrefix(hash, "$2a$") || strings.Contains(hash, "long enough") {
		t.Errorf("stored hash %q is not bcrypt", hash)
	}
}

func TestLoginSession(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return now }
	s.AddUser(ctx, "bob", trustwatch.RoleAnalyst, "long enough")
	if _, _, err := s.Login(ctx, "bob", "wrong one!"); trustwatch.ErrorCode(err) != trustwatch.EUNAUTHORIZED {
		t.Errorf("wrong password: %v", err)
	}
	id, sess, err := s.Login(ctx, "bob", "long enough")
	if err != nil || len(id) < 40 || sess.CSRF == "" || sess.CSRF == id || !sess.Expires.Equal(now.Add(auth.DefaultSessionTTL)) {
		t.Fatalf("login: %q %+v %v", id, sess, err)
	}
	if got, err := s.Session(ctx, id); err != nil || got.User.Name != "bob" || got.CSRF != sess.CSRF {
		t.Errorf("session: %+v %v", got, err)
	}
	now = now.Add(auth.DefaultSessionTTL)
	if _, err := s.Session(ctx, id); trustwatch.ErrorCode(err) != trustwatch.EUNAUTHORIZED {
		t.Errorf("expired session: %v", err)
	}
}

func TestPushAuth(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	weibo, _, err := s.AddToken(ctx, "crawler", "", "weibo")
	if err != nil || !strings.HasPrefix(weibo, auth.TokenPrefix) {
		t.Fatalf("token %q: %v", weibo, err)
	}
	api, _, _ := s.AddToken(ctx, "bot", trustwatch.RoleAdmin, "")
	if _, _, err := s.AddToken(ctx, "both", trustwatch.RoleAdmin, "weibo"); trustwatch.ErrorCode(err) != trustwatch.EINVALID {
		t.Errorf("token with a role and a source: %v", err)
	}
	tests := []struct {
		source, secret string
		ok             bool
	}{
		{"weibo", "from-env", true},
		{"weibo", weibo, true},
		{"weibo", "from-env-", false},
		{"weibo", "", false},
		{"weibo", api, false},
		{"other", weibo, false},
		{"other", "from-env", false},
		{"other", "", false}, // a source without token_env takes no empty token
	}
	for _, tt := range tests {
		p, err := s.Push(ctx, tt.source, tt.secret)
		if (err == nil) != tt.ok {
			t.Errorf("push %s with %q: %v, want ok %v", tt.source, tt.secret, err, tt.ok)
		}
		if err != nil && (trustwatch.ErrorCode(err) != trustwatch.EUNAUTHORIZED || (tt.secret != "" && strings.Contains(err.Error(), tt.secret))) {
			t.Errorf("push error %v: want EUNAUTHORIZED without the secret", err)
		}
		if err == nil && p.Source != tt.source {
			t.Errorf("principal %+v", p)
		}
	}
}
