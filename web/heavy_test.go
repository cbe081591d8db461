package web

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/results"
	"trustwatch/sqlite"
)

// heavyServer is a server over a small store with one claim, whose ledger
// is a real computation; put adds an item of the same day (a new data
// version, the same default ledger day).
func heavyServer(t *testing.T) (*Server, func(id string)) {
	t.Helper()
	ctx := context.Background()
	sh := trustwatch.DefaultLocation()
	db, err := sqlite.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	day := func(d, h int) time.Time { return time.Date(2025, 3, d, h, 0, 0, 0, sh) }
	w := &trustwatch.Watch{
		Entities: []trustwatch.Entity{{ID: "yaochuan", Kind: trustwatch.EntityBrand, Name: "曜川汽车"}},
		Claims:   []trustwatch.Claim{{ID: "c1", Entity: "yaochuan", Text: "刹车最强", Date: trustwatch.Date{Time: day(1, 0)}, Subject: []string{"刹车"}}},
	}
	put := func(id string) {
		it := trustwatch.Item{ID: id, Platform: "weibo", Kind: trustwatch.KindPost, Text: "曜川 刹车 软", Time: day(3, 10), Entities: []string{"yaochuan"}}
		if _, _, err := db.PutItems(ctx, []trustwatch.Item{it}); err != nil {
			t.Error(err)
		}
	}
	put("p0")
	s := &Server{Store: db, Watch: w, Location: sh, Anonymous: trustwatch.RoleViewer, Logger: slog.New(slog.DiscardHandler),
		HeavyConcurrency: 2}
	return s, put
}

// request makes a GET of path from the client at addr.
func request(h http.Handler, addr, path string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("GET", path, nil)
	req.RemoteAddr = addr
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// computations records the remembered results computed, and can hold the
// first computation of a key until released.
type computations struct {
	mu      sync.Mutex
	done    map[string]int // key@version → computations
	hold    string         // key to hold
	held    chan struct{}  // closed when a computation of hold started; never reassigned, so the tests read it unlocked
	fired   bool           // held is closed
	release chan struct{}
}

func newComputations(hold string) *computations {
	return &computations{done: map[string]int{}, hold: hold, held: make(chan struct{}), release: make(chan struct{})}
}

func (c *computations) computed(key, version string) {
	c.mu.Lock()
	c.done[key+"@"+version]++
	first := key == c.hold && !c.fired
	if first {
		c.fired = true
		close(c.held)
	}
	c.mu.Unlock()
	if first {
		<-c.release
	}
}

// counts is a copy of done.
func (c *computations) counts() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.done)
}

// waiters is how many requests wait for the computation of key.
func waiters(s *Server, key string) int {
	s.memo.mu.Lock()
	defer s.memo.mu.Unlock()
	n := 0
	for k, c := range s.memo.calls {
		if strings.HasPrefix(k, key+"@") {
			n += c.waiters
		}
	}
	return n
}

// TestLedgerOncePerVersion: 8 clients ask for /ledger at once while an
// item is stored (the data version changes during the computation); then 8
// more. The ledger is computed once for each version, every request is
// answered with the ledger, and the 7 requests that wait for the first
// computation give back their heavy slots (else, with 2 slots, they could
// not all be waiting).
func TestLedgerOncePerVersion(t *testing.T) {
	s, put := heavyServer(t)
	h := s.Handler()
	const n = 8
	// The default ledger: as of the end of the newest item's day. No
	// ledger was computed before, so there is no older one to show.
	key := results.LedgerKey(time.Date(2025, 3, 4, 0, 0, 0, 0, s.Location), "")

	c := newComputations(key)
	s.computed = c.computed
	round := func(hold bool) []int {
		var wg sync.WaitGroup
		codes := make([]int, n)
		var finished atomic.Int32
		for i := range n {
			wg.Go(func() {
				defer finished.Add(1)
				codes[i] = request(h, fmt.Sprintf("192.0.2.%d:4000", i+1), "/ledger").Code
			})
		}
		if hold {
			<-c.held
			// Store an item while the ledger is computed, once the other
			// requests wait for it (or one gave up: then the codes say so).
			for waiters(s, key) < n-1 && finished.Load() == 0 {
				runtime.Gosched()
			}
			put("p2")
			close(c.release)
		}
		wg.Wait()
		return codes
	}
	first := round(true)
	second := round(false)
	for i, code := range append(first, second...) {
		if code != http.StatusOK {
			t.Errorf("request %d: status %d, want 200", i, code)
		}
	}
	done := c.counts()
	if len(done) != 2 {
		t.Errorf("computed %v; want 2 versions", done)
	}
	for kv, times := range done {
		if times != 1 {
			t.Errorf("%s computed %d times, want once", kv, times)
		}
	}
}

// TestHeavyPerClient: a client with two heavy requests in flight gets 429
// with Retry-After for a third, page and API alike, while another client
// is served; once its requests are done the client is served again.
func TestHeavyPerClient(t *testing.T) {
	s, put := heavyServer(t)
	h := s.Handler()
	probe := newComputations("")
	s.computed = probe.computed
	request(h, "192.0.2.99:1", "/ledger")
	var key string
	for k := range probe.counts() {
		key, _, _ = strings.Cut(k, "@")
	}
	put("p1") // the probe's ledger is remembered: a new version computes again
	c := newComputations(key)
	s.computed = c.computed
	// Client A: two requests for the held ledger, one computing and one
	// waiting for it.
	const a, b = "198.51.100.7:5000", "203.0.113.9:6000"
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i := range 2 {
		wg.Go(func() { codes[i] = request(h, a, "/ledger").Code })
	}
	<-c.held
	for waiters(s, key) < 1 {
		runtime.Gosched()
	}
	for _, tt := range []struct {
		name, addr, path string
		want             int
	}{
		{"A's third page", a, "/ledger?at=2025-03-02", http.StatusTooManyRequests},
		{"A's third, from another port", "198.51.100.7:5001", "/search?q=刹车", http.StatusTooManyRequests},
		{"A's third, API", a, "/api/v1/ledger", http.StatusTooManyRequests},
		{"A's light page", a, "/aspects", http.StatusOK},
		{"B's heavy page", b, "/ledger?at=2025-03-02", http.StatusOK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := request(h, tt.addr, tt.path)
			if rec.Code != tt.want {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.want, rec.Body)
			}
			if tt.want != http.StatusTooManyRequests {
				return
			}
			if ra := rec.Header().Get("Retry-After"); ra != "2" {
				t.Errorf("Retry-After %q, want 2", ra)
			}
			body := rec.Body.String()
			if strings.HasPrefix(tt.path, "/api/") {
				if !strings.Contains(body, `"code":"too_many_requests"`) {
					t.Errorf("API body %s, want the too_many_requests code", body)
				}
			} else if !strings.Contains(body, "请求太频繁") || !strings.Contains(body, "请等前面的页面加载完") {
				t.Errorf("page lacks the Chinese explanation: %s", body)
			}
		})
	}
	close(c.release)
	wg.Wait()
	for i, code := range codes {
		if code != http.StatusOK {
			t.Errorf("A's request %d: status %d, want 200", i, code)
		}
	}
	if rec := request(h, a, "/ledger?at=2025-03-02"); rec.Code != http.StatusOK {
		t.Errorf("A after its requests ended: status %d, want 200", rec.Code)
	}
	if over, busy := s.HeavyRejected(); over != 3 || busy != 0 {
		t.Errorf("HeavyRejected() = %d, %d; want 3 over the client's limit, 0 busy", over, busy)
	}
}

// The server-wide slots: a request finds none free, waits, and is turned
// away when none frees in time; a slot given back is free again.
func TestHeavySlots(t *testing.T) {
	l := newHeavyLimits(2, 1)
	ctx := context.Background()
	first, ok := l.acquire(ctx, 0)
	if !ok {
		t.Fatal("no slot for the first request")
	}
	if _, ok := l.acquire(ctx, 0); ok {
		t.Fatal("a second slot of one")
	}
	first.release()
	first.release() // a second release must not free another's slot
	second, ok := l.acquire(ctx, 0)
	if !ok {
		t.Fatal("the released slot is not free")
	}
	if _, ok := l.acquire(ctx, 0); ok {
		t.Error("a double release freed a slot held by another request")
	}
	second.release()
}

func TestClientIdentity(t *testing.T) {
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	tests := []struct {
		name    string
		trusted []netip.Prefix
		remote  string
		xff     []string
		user    string
		want    string
	}{
		{"remote address", nil, "192.0.2.1:1234", nil, "", "ip:192.0.2.1"},
		{"port does not matter", nil, "192.0.2.1:9", nil, "", "ip:192.0.2.1"},
		{"IPv6", nil, "[2001:db8::1]:80", nil, "", "ip:2001:db8::1"},
		{"X-Forwarded-For without trusted proxies is ignored", nil, "192.0.2.1:1234", []string{"198.51.100.1"}, "", "ip:192.0.2.1"},
		{"X-Forwarded-For from an untrusted address is ignored", proxies, "192.0.2.1:1234", []string{"198.51.100.1"}, "", "ip:192.0.2.1"},
		{"trusted proxy", proxies, "10.1.2.3:1234", []string{"198.51.100.1"}, "", "ip:198.51.100.1"},
		{"the client's own claim before the proxy's is not believed", proxies, "10.1.2.3:1234", []string{"203.0.113.5, 198.51.100.1"}, "", "ip:198.51.100.1"},
		{"chain of trusted proxies", proxies, "10.1.2.3:1234", []string{"198.51.100.1", "10.9.9.9"}, "", "ip:198.51.100.1"},
		{"garbage stops the walk", proxies, "10.1.2.3:1234", []string{"nonsense"}, "", "ip:10.1.2.3"},
		{"signed-in user", nil, "192.0.2.1:1234", nil, "王芳", "user:王芳"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &Server{TrustedProxies: tt.trusted}
			r := httptest.NewRequest("GET", "/ledger", nil)
			r.RemoteAddr = tt.remote
			for _, v := range tt.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if tt.user != "" {
				r = r.WithContext(context.WithValue(r.Context(), callerKey{}, &caller{Principal: trustwatch.Principal{Name: tt.user, Role: trustwatch.RoleViewer}}))
			}
			if got := s.client(r); got != tt.want {
				t.Errorf("client = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestSearchEstimate: past countEstimate matches the search page says its
// total is an estimate (约), the API marks it, and below it neither does.
func TestSearchEstimate(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	start := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	var items []trustwatch.Item
	for i := range 1500 {
		text := "刹车 偏软"
		if i < 10 {
			text = "异响 明显"
		}
		items = append(items, trustwatch.Item{ID: fmt.Sprint("p", i), Platform: "weibo", Kind: trustwatch.KindPost, Text: text, Time: start.Add(time.Duration(i) * time.Minute)})
	}
	if _, _, err := db.PutItems(ctx, items); err != nil {
		t.Fatal(err)
	}
	s := &Server{Store: db, Anonymous: trustwatch.RoleViewer, Logger: slog.New(slog.DiscardHandler)}
	h := s.Handler()
	for _, tt := range []struct {
		path, want string
	}{
		// Every stored item after the tenth matches: 1,001 counted by the
		// 1,011th item of 1,500, so about 1,485, kept to two figures.
		{"/search?q=" + url.QueryEscape("刹车"), "约 1,500 条结果"},
		{"/search?q=" + url.QueryEscape("异响"), "10 条结果"},
		{"/api/v1/items?q=" + url.QueryEscape("刹车"), `"total":1500,"total_estimated":true`},
		{"/api/v1/items?q=" + url.QueryEscape("异响"), `"total":10,`},
	} {
		rec := request(h, "192.0.2.1:1", tt.path)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: status %d", tt.path, rec.Code)
		}
		body := rec.Body.String()
		if !strings.Contains(body, tt.want) || strings.Contains(tt.want, "10 条") && strings.Contains(body, "约") {
			t.Errorf("%s: want %q in the answer", tt.path, tt.want)
		}
	}
}
