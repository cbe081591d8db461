package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"path/filepath"
	"strings"
	"testing"

	"trustwatch"
	"trustwatch/auth"
	"trustwatch/sqlite"
)

// runIn runs the command line with stdin.
func runIn(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestCheckAccess(t *testing.T) {
	loop := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080}
	loop6 := &net.TCPAddr{IP: net.IPv6loopback, Port: 8080}
	any4 := &net.TCPAddr{IP: net.IPv4zero, Port: 8080}
	lan := &net.TCPAddr{IP: net.IPv4(192, 168, 1, 5), Port: 8080}
	tests := []struct {
		name   string
		addr   net.Addr
		users  int
		flags  accessFlags
		role   trustwatch.Role
		refuse string
	}{
		{"loopback, no users", loop, 0, accessFlags{}, "", ""},
		{"loopback, anonymous read", loop6, 0, accessFlags{anonymousRead: true}, trustwatch.RoleViewer, ""},
		{"all interfaces, no users", any4, 0, accessFlags{}, "", "the store has no users"},
		{"LAN, no users", lan, 0, accessFlags{}, "", "the store has no users"},
		{"LAN, users", lan, 2, accessFlags{}, "", ""},
		{"LAN, no users, insecure", lan, 0, accessFlags{insecureNoAuth: true}, trustwatch.RoleAnalyst, ""},
		{"LAN, anonymous read", lan, 2, accessFlags{anonymousRead: true}, "", "only on a loopback address"},
		{"demo on loopback", loop, 0, accessFlags{demoRole: trustwatch.RoleAnalyst}, trustwatch.RoleAnalyst, ""},
		{"demo store with users", loop, 1, accessFlags{demoRole: trustwatch.RoleAnalyst}, "", ""},
		{"demo on the LAN", lan, 0, accessFlags{demoRole: trustwatch.RoleAnalyst}, "", "the store has no users"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			role, err := checkAccess(tt.addr.String(), tt.addr, tt.users, tt.flags)
			if tt.refuse != "" {
				if err == nil || !strings.Contains(trustwatch.ErrorMessage(err), tt.refuse) {
					t.Errorf("err %v, want a refusal saying %q", err, tt.refuse)
				}
				return
			}
			if err != nil || role != tt.role {
				t.Errorf("role %q, err %v; want %q", role, err, tt.role)
			}
		})
	}
}

func TestServeRefusesOpenBind(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	code, out, stderr := runIn(t, "", "serve", "--db", db, "--addr", "0.0.0.0:0")
	if code != exitFail || !strings.Contains(stderr, "refusing to serve on 0.0.0.0:") || !strings.Contains(stderr, "trustwatch user add NAME --role admin") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if strings.Contains(out, "dashboard:") {
		t.Error("it printed a dashboard address anyway")
	}
	if code, _, stderr := runIn(t, "", "serve", "--db", db, "--addr", "0.0.0.0:0", "--anonymous-read"); code != exitFail || !strings.Contains(stderr, "loopback") {
		t.Errorf("anonymous read on 0.0.0.0: exit %d, %q", code, stderr)
	}
}

func TestUserCmd(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	const pw = "s3cret-passw0rd"
	code, out, stderr := runIn(t, pw+"\n", "user", "add", "wang", "--role", "analyst", "--db", db)
	if code != exitOK || out != "user wang added (analyst)\n" {
		t.Fatalf("add: exit %d, %q %q", code, out, stderr)
	}
	if strings.Contains(out+stderr, pw) {
		t.Error("user add printed the password")
	}
	tests := []struct {
		name  string
		stdin string
		args  []string
		want  int
		says  string
	}{
		{"taken", pw, []string{"user", "add", "wang", "--role", "viewer"}, exitFail, "exists"},
		{"bad role", pw, []string{"user", "add", "li", "--role", "root"}, exitUsage, "--role"},
		{"no role", pw, []string{"user", "add", "li"}, exitUsage, "role"},
		{"short password", "short\n", []string{"user", "add", "li", "--role", "viewer"}, exitFail, "password"},
		{"no password", "", []string{"user", "add", "li", "--role", "viewer"}, exitFail, "No password"},
		{"remove a missing user", "", []string{"user", "remove", "nobody"}, exitFail, "No user"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runIn(t, tt.stdin, append(tt.args, "--db", db)...)
			if code != tt.want || !strings.Contains(stderr, tt.says) {
				t.Errorf("exit %d, stderr %q; want %d saying %q", code, stderr, tt.want, tt.says)
			}
			if strings.Contains(stderr, pw) || strings.Contains(stderr, "short\n") {
				t.Error("an error repeats the password")
			}
		})
	}
	runIn(t, "another-passw0rd\n", "user", "add", "zhao", "--role", "admin", "--db", db)
	_, out, _ = runIn(t, "", "user", "list", "--json", "--db", db)
	var us []map[string]any
	if err := json.Unmarshal([]byte(out), &us); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(us) != 2 || us[0]["name"] != "wang" || us[0]["role"] != "analyst" || us[1]["name"] != "zhao" {
		t.Errorf("list = %v", us)
	}
	if strings.Contains(out, "$2a$") || strings.Contains(out, "hash") {
		t.Error("user list shows password hashes")
	}
	// The password works; after remove it does not.
	st, err := sqlite.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	svc := &auth.Service{Users: st, Tokens: st}
	if _, _, err := svc.Login(context.Background(), "wang", pw); err != nil {
		t.Errorf("login with the password read from stdin: %v", err)
	}
	st.Close()
	if code, out, _ := runIn(t, "", "user", "remove", "wang", "--db", db); code != exitOK || out != "user wang removed\n" {
		t.Errorf("remove: %d %q", code, out)
	}
	_, out, _ = runIn(t, "", "user", "list", "--db", db)
	if strings.Contains(out, "wang") || !strings.Contains(out, "zhao") {
		t.Errorf("list after remove: %q", out)
	}
}

func TestTokenCmd(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	code, out, stderr := runIn(t, "", "token", "add", "--source", "weibo", "--db", db)
	secret := strings.TrimSpace(out)
	if code != exitOK || !strings.HasPrefix(secret, auth.TokenPrefix) || strings.Count(out, "\n") != 1 || !strings.Contains(stderr, "shown once") {
		t.Fatalf("add: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	for _, tt := range []struct {
		name string
		args []string
		want int
	}{
		{"neither source nor role", []string{"token", "add"}, exitUsage},
		{"both", []string{"token", "add", "--source", "weibo", "--role", "admin"}, exitUsage},
		{"json", []string{"token", "add", "--role", "viewer", "--name", "x", "--json"}, exitUsage},
		{"not a push source of the watch file", []string{"token", "add", "--source", "nope", "--config", "testdata/watch-push.yaml"}, exitFail},
		{"revoke a missing token", []string{"token", "revoke", "99"}, exitFail},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if code, _, stderr := runIn(t, "", append(tt.args, "--db", db)...); code != tt.want {
				t.Errorf("exit %d, want %d: %s", code, tt.want, stderr)
			}
		})
	}
	if code, _, stderr := runIn(t, "", "token", "add", "--source", "weibo", "--name", "weibo2", "--config", "testdata/watch-push.yaml", "--db", db); code != exitOK {
		t.Errorf("a push source of the watch file: exit %d: %s", code, stderr)
	}
	// The printed token is the one stored (hashed) and the list never shows it.
	st, err := sqlite.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	p, err := (&auth.Service{Users: st, Tokens: st}).Push(context.Background(), "weibo", secret)
	st.Close()
	if err != nil || p.Name != "token:weibo" {
		t.Errorf("the printed token does not push: %+v %v", p, err)
	}
	_, out, _ = runIn(t, "", "token", "list", "--json", "--db", db)
	if strings.Contains(out, secret) || strings.Contains(out, secret[len(auth.TokenPrefix):len(auth.TokenPrefix)+8]) || !strings.Contains(out, `"source": "weibo"`) {
		t.Errorf("token list: %s", out)
	}
	if code, out, _ := runIn(t, "", "token", "revoke", "1", "--db", db); code != exitOK || out != "token 1 revoked\n" {
		t.Errorf("revoke: %d %q", code, out)
	}
	_, out, _ = runIn(t, "", "token", "list", "--db", db)
	if !strings.Contains(out, "revoked") {
		t.Errorf("list after revoke: %q", out)
	}
}
