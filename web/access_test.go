package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/crypto/bcrypt"

	"trustwatch"
	"trustwatch/auth"
	"trustwatch/ingest"
	"trustwatch/reader"
	"trustwatch/sqlite"
	"trustwatch/web"
)

const password = "correct horse battery"

// envSecret is the token the push source "weibo" reads from its token_env.
const envSecret = "env-secret-for-weibo-0123456789"

// rounds records the push rounds the server reports.
type rounds struct {
	mu  sync.Mutex
	all []trustwatch.SourceRound
}

func (r *rounds) Round(sr trustwatch.SourceRound) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.all = append(r.all, sr)
}

func (r *rounds) list() []trustwatch.SourceRound {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]trustwatch.SourceRound(nil), r.all...)
}

// authFixture is a server with access control over an in-memory store
// holding the fixture items and alerts, the users alice (viewer), bob
// (analyst) and carol (admin), and two push sources: weibo (token from
// the environment) and other.
type authFixture struct {
	ts     *httptest.Server
	db     *sqlite.DB
	auth   *auth.Service
	rounds *rounds
}

type authOptions struct {
	tls          bool
	maxPushBytes int64
}

func newAuthServer(t *testing.T, opt authOptions) *authFixture {
	t.Helper()
	ctx := context.Background()
	db := sqlite.NewDB(":memory:")
	db.Location = shanghai
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.PutItems(ctx, fixtureItems()); err != nil {
		t.Fatal(err)
	}
	for _, a := range fixtureAlerts() {
		if err := db.PutAlert(ctx, &a); err != nil {
			t.Fatal(err)
		}
	}
	svc := &auth.Service{Users: db, Tokens: db, Cost: bcrypt.MinCost,
		SourceSecret: func(id string) string {
			if id == "weibo" {
				return envSecret
			}
			return ""
		}}
	for name, role := range map[string]trustwatch.Role{"alice": trustwatch.RoleViewer, "bob": trustwatch.RoleAnalyst, "carol": trustwatch.RoleAdmin} {
		if _, err := svc.AddUser(ctx, name, role, password); err != nil {
			t.Fatal(err)
		}
	}
	w := *watch
	w.Sources = []trustwatch.Source{
		{ID: "weibo", Kind: trustwatch.SourcePush, TokenEnv: "TW_WEIBO_TOKEN"},
		{ID: "other", Kind: trustwatch.SourcePush, Format: "csv", Map: map[string]string{"text": "content", "time": "date"}},
		{ID: "files", Kind: trustwatch.SourceDir, Path: "x"},
	}
	rec := &rounds{}
	s := &web.Server{Store: db, Watch: &w, Location: shanghai, Logger: slog.New(slog.DiscardHandler),
		Now: func() time.Time { return at(4, 1, 9) }, Auth: svc, Access: db,
		Ingest: pushIngest(db), Rounds: rec, MaxPushBytes: opt.maxPushBytes}
	var ts *httptest.Server
	if opt.tls {
		ts = httptest.NewTLSServer(s.Handler())
	} else {
		ts = httptest.NewServer(s.Handler())
	}
	t.Cleanup(func() { ts.Close(); db.Close() })
	return &authFixture{ts: ts, db: db, auth: svc, rounds: rec}
}

// pushIngest is the ingest pipeline as cmd wires it, without analysis.
func pushIngest(db *sqlite.DB) web.IngestFunc {
	return func(ctx context.Context, p web.Push) (web.PushResult, error) {
		in := &ingest.Ingester{Store: db, Options: reader.Options{Format: p.Format, Map: p.Map, Location: shanghai}}
		sum, err := in.IngestReader(ctx, p.Name, p.Body)
		return web.PushResult{Read: sum.Read, Stored: sum.Stored, Duplicates: sum.Duplicates, Quarantined: sum.Quarantined,
			Failed: sum.Failed, Summary: sum}, err
	}
}

// browser is a client with cookies that does not follow redirects.
type browser struct {
	t    *testing.T
	ts   *httptest.Server
	c    *http.Client
	csrf string // the token of the last page read
}

func newBrowser(t *testing.T, ts *httptest.Server) *browser {
	jar, _ := cookiejar.New(nil)
	c := *ts.Client()
	c.Jar = jar
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &browser{t: t, ts: ts, c: &c}
}

func (b *browser) do(method, path string, body io.Reader, header ...string) (*http.Response, string) {
	b.t.Helper()
	req, err := http.NewRequest(method, b.ts.URL+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if method == "POST" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp, string(out)
}

// page reads a page and remembers its CSRF token.
func (b *browser) page(path string, want int) *goquery.Document {
	b.t.Helper()
	resp, body := b.do("GET", path, nil)
	if resp.StatusCode != want {
		b.t.Fatalf("GET %s: %d, want %d: %.300s", path, resp.StatusCode, want, body)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		b.t.Fatal(err)
	}
	if v, ok := doc.Find(`input[name="csrf"]`).First().Attr("value"); ok {
		b.csrf = v
	}
	return doc
}

// post submits a form with the last page's CSRF token unless it has one.
func (b *browser) post(path string, form url.Values, header ...string) *http.Response {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", b.csrf)
	}
	resp, _ := b.do("POST", path, strings.NewReader(form.Encode()), header...)
	return resp
}

// login signs name in through the login form.
func (b *browser) login(name string) {
	b.t.Helper()
	b.page("/login", http.StatusOK)
	resp := b.post("/login", url.Values{"name": {name}, "password": {password}, "next": {"/alerts"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/alerts" {
		b.t.Fatalf("login %s: %d to %q", name, resp.StatusCode, resp.Header.Get("Location"))
	}
	b.page("/alerts", http.StatusOK) // the session's CSRF token
}

func sessionCookieOf(resp *http.Response) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == "tw_session" {
			return c
		}
	}
	return nil
}

func TestLogin(t *testing.T) {
	tests := []struct {
		name, user, password string
		noCSRF               bool
		want                 int
	}{
		{"right password", "bob", password, false, http.StatusSeeOther},
		{"wrong password", "bob", "wrong password!", false, http.StatusUnauthorized},
		{"unknown user", "mallory", password, false, http.StatusUnauthorized},
		{"no csrf token", "bob", password, true, http.StatusForbidden},
	}
	f := newAuthServer(t, authOptions{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBrowser(t, f.ts)
			b.page("/login", http.StatusOK)
			form := url.Values{"name": {tt.user}, "password": {tt.password}, "next": {"/alerts?open=1"}}
			if tt.noCSRF {
				form.Set("csrf", "")
			}
			resp := b.post("/login", form)
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.want)
			}
			ck := sessionCookieOf(resp)
			if tt.want != http.StatusSeeOther {
				if ck != nil {
					t.Errorf("a failed login set a session cookie")
				}
				return
			}
			if loc := resp.Header.Get("Location"); loc != "/alerts?open=1" {
				t.Errorf("redirect to %q", loc)
			}
			if ck == nil {
				t.Fatal("no session cookie")
			}
			if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure || ck.Path != "/" {
				t.Errorf("cookie flags: HttpOnly %v SameSite %v Secure %v Path %q", ck.HttpOnly, ck.SameSite, ck.Secure, ck.Path)
			}
			if d := time.Until(ck.Expires); d < 23*time.Hour || d > 25*time.Hour {
				t.Errorf("cookie expires in %v, want about %v", d, auth.DefaultSessionTTL)
			}
			doc := b.page("/alerts", http.StatusOK)
			if who := doc.Find("header .who span").Text(); who != "bob（分析员）" {
				t.Errorf("header says %q", who)
			}
		})
	}
	// A wrong name and a wrong password say the same thing.
	b := newBrowser(t, f.ts)
	b.page("/login", http.StatusOK)
	_, a := b.do("POST", "/login", strings.NewReader(url.Values{"csrf": {b.csrf}, "name": {"mallory"}, "password": {password}}.Encode()))
	_, c := b.do("POST", "/login", strings.NewReader(url.Values{"csrf": {b.csrf}, "name": {"bob"}, "password": {"nope nope nope"}}.Encode()))
	if !strings.Contains(a, "用户名或密码错误") || !strings.Contains(c, "用户名或密码错误") {
		t.Error("login failures do not both say 用户名或密码错误")
	}
	if strings.Contains(c, password) || strings.Contains(c, "nope nope nope") {
		t.Error("the login page repeats a password")
	}
}

func TestSessionCookieSecureOverTLS(t *testing.T) {
	f := newAuthServer(t, authOptions{tls: true})
	b := newBrowser(t, f.ts)
	b.page("/login", http.StatusOK)
	resp := b.post("/login", url.Values{"name": {"alice"}, "password": {password}})
	ck := sessionCookieOf(resp)
	if resp.StatusCode != http.StatusSeeOther || ck == nil || !ck.Secure || !ck.HttpOnly {
		t.Fatalf("login over TLS: %d, cookie %+v", resp.StatusCode, ck)
	}
}

func TestLogout(t *testing.T) {
	f := newAuthServer(t, authOptions{})
	b := newBrowser(t, f.ts)
	b.login("alice")
	u, _ := url.Parse(f.ts.URL)
	var stolen *http.Cookie
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == "tw_session" {
			stolen = c
		}
	}
	if resp := b.post("/logout", nil); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
		t.Fatalf("logout: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := b.do("GET", "/alerts", nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("after logout /alerts: %d, want 303 to the login page", resp.StatusCode)
	}
	// The old cookie, replayed, opens nothing: the session is gone.
	replay := newBrowser(t, f.ts)
	replay.c.Jar.SetCookies(u, []*http.Cookie{stolen})
	if resp, _ := replay.do("GET", "/alerts", nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("replayed cookie: %d, want 303", resp.StatusCode)
	}
}

func TestNobodySignedIn(t *testing.T) {
	f := newAuthServer(t, authOptions{})
	b := newBrowser(t, f.ts)
	resp, _ := b.do("GET", "/alerts?open=1", nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login?next=%2Falerts%3Fopen%3D1" {
		t.Errorf("page: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body := b.do("GET", "/api/v1/alerts", nil)
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, `"code":"unauthorized"`) || resp.Header.Get("WWW-Authenticate") == "" {
		t.Errorf("api: %d %s", resp.StatusCode, body)
	}
	if resp, body := b.do("GET", "/healthz", nil); resp.StatusCode != http.StatusOK || body != "ok" {
		t.Errorf("healthz: %d %q", resp.StatusCode, body)
	}
	if resp, _ := b.do("GET", "/static/style.css", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("static: %d", resp.StatusCode)
	}
	if resp := b.post("/alerts/a1/ack", nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("anonymous ack: %d, want 401", resp.StatusCode)
	}
}

func TestRoles(t *testing.T) {
	tests := []struct {
		user         string
		method, path string
		want         int
	}{
		{"alice", "GET", "/alerts", http.StatusOK},
		{"alice", "GET", "/api/v1/items", http.StatusOK},
		{"alice", "POST", "/alerts/a1/ack", http.StatusForbidden},
		{"alice", "POST", "/alerts/a1/comment", http.StatusForbidden},
		{"alice", "GET", "/admin", http.StatusForbidden},
		{"bob", "POST", "/alerts/a1/ack", http.StatusSeeOther},
		{"bob", "GET", "/admin", http.StatusForbidden},
		{"bob", "POST", "/admin/tokens/1/revoke", http.StatusForbidden},
		{"carol", "GET", "/admin", http.StatusOK},
		{"carol", "POST", "/alerts/a2/resolve", http.StatusSeeOther},
	}
	f := newAuthServer(t, authOptions{})
	for _, tt := range tests {
		t.Run(tt.user+" "+tt.method+" "+tt.path, func(t *testing.T) {
			b := newBrowser(t, f.ts)
			b.login(tt.user)
			var status int
			if tt.method == "GET" {
				resp, _ := b.do("GET", tt.path, nil)
				status = resp.StatusCode
			} else {
				status = b.post(tt.path, url.Values{"comment": {"看一下"}}).StatusCode
			}
			if status != tt.want {
				t.Errorf("status %d, want %d", status, tt.want)
			}
		})
	}
	// The viewer's 403 changed nothing; only bob's ack did.
	audit, err := f.db.AlertAudit(context.Background(), "a1")
	if err != nil || len(audit) != 1 || audit[0].Actor != "bob" || audit[0].Action != trustwatch.AuditAck {
		t.Errorf("a1 audit = %+v, %v; want one ack by bob", audit, err)
	}
	// A viewer sees no forms she could not submit; the admin link is the admin's.
	b := newBrowser(t, f.ts)
	b.login("alice")
	doc := b.page("/alerts/a2", http.StatusOK)
	if n := doc.Find(`form[action^="/alerts/"]`).Length(); n != 0 {
		t.Errorf("viewer sees %d alert forms", n)
	}
	if n := doc.Find(`nav a[href="/admin"]`).Length(); n != 0 {
		t.Error("viewer sees the admin link")
	}
}

func TestAuditTrail(t *testing.T) {
	f := newAuthServer(t, authOptions{})
	b := newBrowser(t, f.ts)
	b.login("bob")
	for _, step := range []struct {
		path string
		form url.Values
	}{
		{"/alerts/a1/ack", nil},
		{"/alerts/a1/comment", url.Values{"comment": {"已联系车主 <b>核实</b>"}}},
		{"/alerts/a1/assign", url.Values{"assignee": {"alice"}}},
		{"/alerts/a1/snooze", url.Values{"for": {"1d"}}},
	} {
		if resp := b.post(step.path, step.form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST %s: %d", step.path, resp.StatusCode)
		}
	}
	if resp := b.post("/alerts/a1/assign", url.Values{"assignee": {"nobody"}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("assign to a missing user: %d, want 400", resp.StatusCode)
	}
	if resp := b.post("/alerts/a1/snooze", url.Values{"for": {"90d"}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("snooze 90d: %d, want 400", resp.StatusCode)
	}

	doc := b.page("/alerts/a1", http.StatusOK)
	var rows []string
	doc.Find("table.audit tbody tr").Each(func(_ int, tr *goquery.Selection) {
		var cells []string
		tr.Find("td").Each(func(i int, td *goquery.Selection) {
			if i > 0 {
				cells = append(cells, td.Text())
			}
		})
		rows = append(rows, strings.Join(cells, "|"))
	})
	// The server's clock says 2024-04-01 09:00 in Shanghai; the snooze
	// ends a day later, shown in Shanghai time.
	want := []string{"bob|确认|", "bob|评论|已联系车主 <b>核实</b>", "bob|指派|指派给 alice", "bob|暂停|至 2024-04-02T01:00:00Z"}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("audit rows:\n%s\nwant:\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
	if got := doc.Find("table.audit b").Length(); got != 0 {
		t.Error("a comment's markup was rendered")
	}

	// Snoozed, a1 leaves the default list, and comes back with snoozed=1.
	ids := func(doc *goquery.Document) string {
		var out []string
		doc.Find("table.alerts tbody tr td:nth-child(3) a").Each(func(_ int, a *goquery.Selection) {
			h, _ := a.Attr("href")
			out = append(out, strings.TrimPrefix(h, "/alerts/"))
		})
		return strings.Join(out, ",")
	}
	if got := ids(b.page("/alerts", http.StatusOK)); strings.Contains(got, "a1") {
		t.Errorf("default list %s shows the snoozed a1", got)
	}
	if got := ids(b.page("/alerts?snoozed=1", http.StatusOK)); !strings.Contains(got, "a1") {
		t.Errorf("snoozed=1 list %s lacks a1", got)
	}

	// The API gives the alert with its trail, to a viewer's token.
	secret, _, err := f.auth.AddToken(context.Background(), "grafana", trustwatch.RoleViewer, "")
	if err != nil {
		t.Fatal(err)
	}
	var a struct {
		Assignee     string
		SnoozedUntil *time.Time `json:"snoozed_until"`
		Audit        []trustwatch.AuditEntry
	}
	api := newBrowser(t, f.ts)
	resp, body := api.do("GET", "/api/v1/alerts/a1", nil, "Authorization", "Bearer "+secret)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("api alert: %d %s", resp.StatusCode, body)
	}
	if err := jsonUnmarshal(body, &a); err != nil {
		t.Fatal(err)
	}
	if a.Assignee != "alice" || a.SnoozedUntil == nil || len(a.Audit) != 4 || a.Audit[1].Detail != "已联系车主 <b>核实</b>" || a.Audit[3].Actor != "bob" {
		t.Errorf("api alert = %+v", a)
	}
}

func TestCSRF(t *testing.T) {
	f := newAuthServer(t, authOptions{})
	b := newBrowser(t, f.ts)
	b.login("bob")
	// The wrong token differs from the right one in its first character
	// whatever that character is (a fixed "x" matched one token in 64).
	first := "x"
	if b.csrf[0] == 'x' {
		first = "y"
	}
	wrong := first + b.csrf[1:]
	if wrong == b.csrf {
		t.Fatal("the wrong token equals the right one")
	}
	for name, token := range map[string]string{"missing": "", "wrong": wrong} {
		if resp := b.post("/alerts/a1/ack", url.Values{"csrf": {token}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s token: %d, want 403", name, resp.StatusCode)
		}
	}
	// Another session's token does not do either.
	other := newBrowser(t, f.ts)
	other.login("carol")
	if resp := b.post("/alerts/a1/ack", url.Values{"csrf": {other.csrf}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("another session's token: %d, want 403", resp.StatusCode)
	}
	if as, _, _ := f.db.FindAlerts(context.Background(), trustwatch.AlertFilter{ID: "a1"}); as[0].Acked != nil {
		t.Error("a refused form acknowledged a1")
	}
	if resp := b.post("/alerts/a1/ack", nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("right token: %d", resp.StatusCode)
	}
}

func TestAPIBearer(t *testing.T) {
	f := newAuthServer(t, authOptions{})
	ctx := context.Background()
	viewer, _, _ := f.auth.AddToken(ctx, "reader", trustwatch.RoleViewer, "")
	analyst, _, _ := f.auth.AddToken(ctx, "bot", trustwatch.RoleAnalyst, "")
	push, _, _ := f.auth.AddToken(ctx, "crawler", "", "weibo")
	revoked, tok, _ := f.auth.AddToken(ctx, "old", trustwatch.RoleAdmin, "")
	if err := f.db.RevokeToken(ctx, tok.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, token, method, path string
		want                      int
	}{
		{"viewer reads", viewer, "GET", "/api/v1/alerts", http.StatusOK},
		{"viewer acks", viewer, "POST", "/alerts/a1/ack", http.StatusForbidden},
		{"analyst acks without csrf", analyst, "POST", "/alerts/a1/ack", http.StatusSeeOther},
		{"push token reads", push, "GET", "/api/v1/alerts", http.StatusForbidden},
		{"revoked", revoked, "GET", "/api/v1/alerts", http.StatusUnauthorized},
		{"garbage", "tw_garbage", "GET", "/api/v1/alerts", http.StatusUnauthorized},
		{"env push secret is no API token", envSecret, "GET", "/api/v1/alerts", http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBrowser(t, f.ts)
			resp, body := b.do(tt.method, tt.path, nil, "Authorization", "Bearer "+tt.token)
			if resp.StatusCode != tt.want {
				t.Errorf("status %d, want %d: %.200s", resp.StatusCode, tt.want, body)
			}
			if strings.Contains(body, tt.token) {
				t.Error("the answer repeats the token")
			}
		})
	}
	audit, _ := f.db.AlertAudit(ctx, "a1")
	if len(audit) != 1 || audit[0].Actor != "token:bot" {
		t.Errorf("audit = %+v, want one ack by token:bot", audit)
	}
}

func jsonUnmarshal(body string, v any) error { return json.Unmarshal([]byte(body), v) }
