package notify_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/notify"
)

const (
	secret = "SEC-test"
	token  = "tok-9f8e7d"
)

// fixedNow is 2025-06-12 08:00:00 UTC: unix 1749715200.
var fixedNow = time.Date(2025, 6, 12, 8, 0, 0, 0, time.UTC)

func alert() trustwatch.Alert {
	return trustwatch.Alert{
		ID: "a1", Rule: "stock-low", Kind: "metric.low", Entity: "xiaomi", Series: "mi.close", Severity: "high",
		Opened: fixedNow, Updated: fixedNow, Value: 39.8,
		Statement: "mi.close 收于 39.8 HKD，创 7 个月新低（2025-06-12；上次更低为 2024-11-05 的 38.5 HKD）",
		Evidence:  []trustwatch.Evidence{{Series: "mi.close", Time: fixedNow, Value: 39.8}, {Series: "mi.close", Time: fixedNow.AddDate(0, -7, 0), Value: 38.5}},
	}
}

const wantText = "【trustwatch 高】mi.close metric.low\n" +
	"mi.close 收于 39.8 HKD，创 7 个月新低（2025-06-12；上次更低为 2024-11-05 的 38.5 HKD）\n" +
	"规则：stock-low\n对象：xiaomi\n时间：2025-06-12 16:00\n证据：2 条\n告警 ID：a1"

const wantMarkdown = "### 【trustwatch 高】mi.close metric.low\n\n" +
	"mi.close 收于 39.8 HKD，创 7 个月新低（2025-06-12；上次更低为 2024-11-05 的 38.5 HKD）\n\n" +
	"> 规则：stock-low\n\n> 对象：xiaomi\n\n> 时间：2025-06-12 16:00\n\n> 证据：2 条\n\n> 告警 ID：a1"

// request is what the local server saw.
type request struct {
	method, path, rawQuery string
	header                 http.Header
	body                   []byte
}

// server answers with the given replies in turn (the last one repeats).
type server struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []request
}

type reply struct {
	status int
	body   string
	header map[string]string
}

func newServer(t *testing.T, replies ...reply) *server {
	s := &server{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.reqs = append(s.reqs, request{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), b})
		rep := replies[min(len(s.reqs), len(replies))-1]
		s.mu.Unlock()
		for k, v := range rep.header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(rep.status)
		io.WriteString(w, rep.body)
	}))
	t.Cleanup(s.Close)
	return s
}

// notifier builds a Notifier over one channel, with a recorded sleep and
// the log in a buffer.
func notifier(ch trustwatch.Channel, env map[string]string) (*notify.Notifier, *[]time.Duration, *bytes.Buffer) {
	var slept []time.Duration
	var logs bytes.Buffer
	return &notify.Notifier{
		Channels: []trustwatch.Channel{ch},
		Getenv:   func(k string) string { return env[k] },
		Sleep:    func(_ context.Context, d time.Duration) error { slept = append(slept, d); return nil },
		Now:      func() time.Time { return fixedNow },
		Log:      slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}, &slept, &logs
}

func jsonEqual(t *testing.T, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("body is not JSON: %v: %s", err, got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad want: %v", err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("body\n got %s\nwant %s", got, want)
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestChannels(t *testing.T) {
	tests := []struct {
		name  string
		typ   string
		path  string
		query string // the URL's own query, before signing
		reply reply
		check func(t *testing.T, r request)
	}{
		{
			name: "feishu text with signature in the body",
			typ:  "feishu", path: "/open-apis/bot/v2/hook/" + token,
			reply: reply{200, `{"code":0,"data":{},"msg":"success"}`, nil},
			check: func(t *testing.T, r request) {
				// sign = base64(HMAC-SHA256(key="1749715200\nSEC-test", msg="")), by openssl.
				jsonEqual(t, r.body, `{"timestamp":"1749715200","sign":"P+bjzxraombyrEWNhCtYR/082LSATtsd6L8JaTwTB/0=","msg_type":"text","content":{"text":`+mustJSON(wantText)+`}}`)
			},
		},
		{
			name: "dingtalk markdown with timestamp and sign in the query",
			typ:  "dingtalk", path: "/robot/send", query: "access_token=" + token,
			reply: reply{200, `{"errcode":0,"errmsg":"ok"}`, nil},
			check: func(t *testing.T, r request) {
				// sign = base64(HMAC-SHA256(key="SEC-test", msg="1749715200000\nSEC-test")), by openssl, url-encoded.
				want := "access_token=" + token + "&sign=Qwshs6hHCB9ax30wJznzGPWhxIGdZY91GNlHXxy0gwI%3D&timestamp=1749715200000"
				if r.rawQuery != want {
					t.Errorf("query\n got %s\nwant %s", r.rawQuery, want)
				}
				jsonEqual(t, r.body, `{"msgtype":"markdown","markdown":{"title":"【trustwatch 高】mi.close metric.low","text":`+mustJSON(wantMarkdown)+`}}`)
			},
		},
		{
			name: "wecom markdown",
			typ:  "wecom", path: "/cgi-bin/webhook/send", query: "key=" + token,
			reply: reply{200, `{"errcode":0,"errmsg":"ok"}`, nil},
			check: func(t *testing.T, r request) {
				if r.rawQuery != "key="+token {
					t.Errorf("query %s", r.rawQuery)
				}
				jsonEqual(t, r.body, `{"msgtype":"markdown","markdown":{"content":`+mustJSON(wantMarkdown)+`}}`)
			},
		},
		{
			name: "slack text",
			typ:  "slack", path: "/services/T0/B0/" + token,
			reply: reply{200, "ok", nil},
			check: func(t *testing.T, r request) {
				jsonEqual(t, r.body, `{"text":`+mustJSON(wantText)+`}`)
			},
		},
		{
			name: "generic webhook with HMAC-SHA256 signature header",
			typ:  "webhook", path: "/hooks/trustwatch",
			reply: reply{204, "", nil},
			check: func(t *testing.T, r request) {
				if ts := r.header.Get("X-Trustwatch-Timestamp"); ts != "1749715200" {
					t.Errorf("timestamp %q", ts)
				}
				mac := hmac.New(sha256.New, []byte(secret))
				mac.Write([]byte("1749715200."))
				mac.Write(r.body)
				if got, want := r.header.Get("X-Trustwatch-Signature"), "sha256="+hex.EncodeToString(mac.Sum(nil)); got != want {
					t.Errorf("signature %s, want %s", got, want)
				}
				var body struct {
					Type  string           `json:"type"`
					Text  string           `json:"text"`
					Alert trustwatch.Alert `json:"alert"`
				}
				if err := json.Unmarshal(r.body, &body); err != nil {
					t.Fatal(err)
				}
				a := alert()
				if body.Type != "trustwatch.alert" || body.Text != wantText || body.Alert.ID != a.ID ||
					!body.Alert.Opened.Equal(a.Opened) || body.Alert.Statement != a.Statement || len(body.Alert.Evidence) != 2 {
					t.Errorf("body %s", r.body)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, tt.reply)
			u := srv.URL + tt.path
			if tt.query != "" {
				u += "?" + tt.query
			}
			ch := trustwatch.Channel{ID: "ops", Type: tt.typ, URLEnv: "OPS_URL", SecretEnv: "OPS_SECRET"}
			if tt.typ == "wecom" || tt.typ == "slack" {
				ch.SecretEnv = "" // these bots sign nothing: the URL is the secret
			}
			n, slept, logs := notifier(ch, map[string]string{"OPS_URL": u, "OPS_SECRET": secret})
			ds := n.Send(context.Background(), alert(), []string{"ops"})
			if len(ds) != 1 || ds[0].Err != nil || ds[0].Attempts != 1 || ds[0].Status != tt.reply.status || len(*slept) != 0 {
				t.Fatalf("deliveries %+v, slept %v", ds, *slept)
			}
			if len(srv.reqs) != 1 {
				t.Fatalf("%d requests", len(srv.reqs))
			}
			r := srv.reqs[0]
			if r.method != http.MethodPost || r.path != tt.path || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
				t.Errorf("%s %s %s", r.method, r.path, r.header.Get("Content-Type"))
			}
			tt.check(t, r)
			if strings.Contains(logs.String(), token) || strings.Contains(logs.String(), secret) {
				t.Errorf("the log leaks a secret:\n%s", logs.String())
			}
		})
	}
}

func TestRetries(t *testing.T) {
	tests := []struct {
		name     string
		typ      string
		replies  []reply
		attempts int
		status   int
		ok       bool
		slept    []time.Duration
		reason   string
	}{
		{
			name: "500 twice, then delivered", typ: "webhook",
			replies:  []reply{{500, "boom", nil}, {502, "", nil}, {200, "", nil}},
			attempts: 3, status: 200, ok: true, slept: []time.Duration{time.Second, 2 * time.Second},
		},
		{
			name: "500 every time: retried and reported", typ: "feishu",
			replies:  []reply{{500, "internal", nil}},
			attempts: 3, status: 500, slept: []time.Duration{time.Second, 2 * time.Second},
			reason: "notify: channel ops (feishu): failed after 3 attempt(s): status 500: HTTP 500 Internal Server Error",
		},
		{
			name: "feishu signature rejected: not retried", typ: "feishu",
			replies:  []reply{{200, `{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"}`, nil}},
			attempts: 1, status: 200,
			reason: "notify: channel ops (feishu): failed after 1 attempt(s): status 200: code 19021: signature rejected (check secret_env and the clock)",
		},
		{
			name: "feishu rate limit retried", typ: "feishu",
			replies:  []reply{{200, `{"code":9499,"msg":"too many request"}`, nil}, {200, `{"StatusCode":0,"StatusMessage":"success"}`, nil}},
			attempts: 2, status: 200, ok: true, slept: []time.Duration{time.Second},
		},
		{
			name: "dingtalk keyword mismatch", typ: "dingtalk",
			replies:  []reply{{200, `{"errcode":310000,"errmsg":"keywords not in content"}`, nil}},
			attempts: 1, status: 200,
			reason: "notify: channel ops (dingtalk): failed after 1 attempt(s): status 200: errcode 310000: rejected by the bot's security settings (keyword, signature or IP address)",
		},
		{
			name: "wecom rate limit retried", typ: "wecom",
			replies:  []reply{{200, `{"errcode":45009,"errmsg":"api freq out of limit"}`, nil}, {200, `{"errcode":0,"errmsg":"ok"}`, nil}},
			attempts: 2, status: 200, ok: true, slept: []time.Duration{time.Second},
		},
		{
			name: "slack 429 honours Retry-After", typ: "slack",
			replies:  []reply{{429, "rate_limited", map[string]string{"Retry-After": "7"}}, {200, "ok", nil}},
			attempts: 2, status: 200, ok: true, slept: []time.Duration{7 * time.Second},
		},
		{
			name: "slack 404 not retried", typ: "slack",
			replies:  []reply{{404, "no_service", nil}},
			attempts: 1, status: 404,
			reason: "notify: channel ops (slack): failed after 1 attempt(s): status 404: HTTP 404 Not Found",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, tt.replies...)
			n, slept, logs := notifier(trustwatch.Channel{ID: "ops", Type: tt.typ, URL: srv.URL + "/hook/" + token}, nil)
			d := n.Send(context.Background(), alert(), []string{"ops"})[0]
			if d.Attempts != tt.attempts || d.Status != tt.status || d.OK() != tt.ok || len(srv.reqs) != tt.attempts {
				t.Errorf("delivery %+v after %d requests", d, len(srv.reqs))
			}
			if !slices.Equal(*slept, tt.slept) {
				t.Errorf("slept %v, want %v", *slept, tt.slept)
			}
			if tt.reason != "" {
				var ne *notify.Error
				if !errors.As(d.Err, &ne) || d.Err.Error() != tt.reason {
					t.Errorf("err %v\nwant %s", d.Err, tt.reason)
				}
				if !strings.Contains(logs.String(), "delivery failed") {
					t.Errorf("the failure is not logged:\n%s", logs.String())
				}
			}
			if strings.Contains(logs.String(), token) || (d.Err != nil && strings.Contains(d.Err.Error(), token)) {
				t.Errorf("token leaked: %v\n%s", d.Err, logs.String())
			}
		})
	}
}

func TestSendProblems(t *testing.T) {
	srv := newServer(t, reply{200, `{"errcode":0}`, nil})
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL + "/robot/send?access_token=" + token
	dead.Close()
	n, slept, logs := notifier(trustwatch.Channel{}, map[string]string{"URL": srv.URL})
	n.Channels = []trustwatch.Channel{
		{ID: "no-secret", Type: "dingtalk", URLEnv: "URL", SecretEnv: "DING_SECRET"},
		{ID: "no-url", Type: "wecom", URLEnv: "WECOM_URL"},
		{ID: "highs-only", Type: "wecom", URLEnv: "URL", MinSeverity: "critical"},
		{ID: "odd", Type: "teams", URLEnv: "URL"},
		{ID: "down", Type: "dingtalk", URL: deadURL},
	}
	ds := n.Send(context.Background(), alert(), []string{"no-secret", "no-url", "highs-only", "odd", "missing", "down"})
	want := []struct {
		attempts int
		skipped  bool
		err      string
	}{
		{0, false, "notify: channel no-secret (dingtalk): failed after 0 attempt(s): environment variable DING_SECRET (secret_env) is empty"},
		{0, false, "notify: channel no-url (wecom): failed after 0 attempt(s): environment variable WECOM_URL (url_env) is empty"},
		{0, true, ""},
		{0, false, `notify: channel odd (teams): failed after 0 attempt(s): unknown channel type "teams" (want webhook, feishu, lark, dingtalk, wecom, slack or email)`},
		{0, false, "notify: channel missing (?): failed after 0 attempt(s): no such channel in the watch file"},
		{3, false, "connection refused"},
	}
	for i, w := range want {
		d := ds[i]
		if d.Attempts != w.attempts || (d.Skipped != "") != w.skipped {
			t.Errorf("%s: %+v", d.Channel, d)
		}
		switch {
		case w.err == "" && d.Err != nil:
			t.Errorf("%s: unexpected %v", d.Channel, d.Err)
		case w.err != "" && (d.Err == nil || !strings.Contains(d.Err.Error(), w.err)):
			t.Errorf("%s: err %v, want %s", d.Channel, d.Err, w.err)
		}
	}
	if len(srv.reqs) != 0 || len(*slept) != 2 {
		t.Errorf("%d requests, slept %v", len(srv.reqs), *slept)
	}
	if strings.Contains(logs.String(), token) || strings.Contains(ds[5].Err.Error(), token) {
		t.Errorf("token leaked: %v\n%s", ds[5].Err, logs.String())
	}
}

func TestCancelledContext(t *testing.T) {
	srv := newServer(t, reply{500, "", nil})
	n, _, _ := notifier(trustwatch.Channel{ID: "ops", Type: "webhook", URL: srv.URL}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	n.Sleep = func(ctx context.Context, _ time.Duration) error { cancel(); return ctx.Err() }
	d := n.Send(ctx, alert(), []string{"ops"})[0]
	if d.OK() || d.Attempts != 1 || !strings.Contains(d.Err.Error(), "context canceled") {
		t.Errorf("got %+v", d)
	}
}
