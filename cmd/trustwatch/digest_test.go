package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDigestSendLeaksNoSecret sends a digest to a webhook that refuses it
// and to an SMTP server that refuses the login, with --json and
// --log-format json, and checks that the planted URL token and password
// appear nowhere, and that the log is JSON lines.
func TestDigestSendLeaksNoSecret(t *testing.T) {
	const token, password = "PLANTED-url-token-7f3a", "PLANTED-password-9c1e"
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, "bad request")
	}))
	defer hook.Close()
	smtp := refusingSMTP(t)
	t.Setenv("TW_HOOK", hook.URL+"/hook/"+token)
	t.Setenv("TW_SMTP_USER", "tw")
	t.Setenv("TW_SMTP_PASS", password)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "w.yaml")
	os.WriteFile(cfg, []byte(`entities: []
channels:
  - {id: ops, type: webhook, url_env: TW_HOOK}
  - {id: mail, type: email, smtp: "`+smtp+`", from: tw@example.com, to: [pr@example.com], username_env: TW_SMTP_USER, password_env: TW_SMTP_PASS, insecure_no_tls: true}
digests:
  - {id: daily, every: daily, at: "08:30", channels: [ops, mail]}
`), 0o644)
	db := filepath.Join(dir, "t.db")
	code, stdout, stderr := runCmd(t, "digest", "--db", db, "--config", cfg, "--at", "2025-06-12 09:00", "--send", "--json", "--log-format", "json")
	if code != exitFail {
		t.Errorf("exit %d; want %d (both deliveries fail)\n%s", code, exitFail, stderr)
	}
	for name, out := range map[string]string{"stdout": stdout, "stderr": stderr} {
		for _, secret := range []string{token, password} {
			if strings.Contains(out, secret) {
				t.Errorf("%s holds %s:\n%s", name, secret, out)
			}
		}
	}
	var res []struct {
		Period string   `json:"period"`
		Errors []string `json:"errors"`
	}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil || len(res) != 1 || res[0].Period != "2025-06-11" || len(res[0].Errors) != 2 {
		t.Errorf("--json output %v: %s", err, stdout)
	}
	logLines := 0
	for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
		if strings.HasPrefix(line, "trustwatch: ") {
			continue // the command's own error message
		}
		var v map[string]any
		if err := json.Unmarshal([]byte(line), &v); err != nil || v["level"] == nil || v["msg"] == nil {
			t.Errorf("not a JSON log line: %q (%v)", line, err)
		}
		logLines++
	}
	if logLines < 2 {
		t.Errorf("%d JSON log lines; want one per failed delivery at least:\n%s", logLines, stderr)
	}
}

// refusingSMTP is an SMTP server without TLS that refuses every login.
func refusingSMTP(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				defer c.Close()
				r := bufio.NewReader(c)
				io.WriteString(c, "220 fake\r\n")
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					switch strings.ToUpper(strings.Fields(line + " x")[0]) {
					case "EHLO":
						io.WriteString(c, "250-fake\r\n250 AUTH PLAIN\r\n")
					case "AUTH":
						io.WriteString(c, "535 5.7.8 authentication failed\r\n")
					case "QUIT":
						io.WriteString(c, "221 bye\r\n")
						return
					default:
						io.WriteString(c, "502 no\r\n")
					}
				}
			}(c)
		}
	}()
	return ln.Addr().String()
}

func TestLogFormat(t *testing.T) {
	if code, _, stderr := runCmd(t, "stats", "--db", filepath.Join(t.TempDir(), "t.db"), "--log-format", "xml"); code != exitUsage || !strings.Contains(stderr, "--log-format") {
		t.Errorf("--log-format xml: exit %d, %q", code, stderr)
	}
}
