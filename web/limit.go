package web

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"trustwatch/label"
)

// Heavy pages (routes marked Heavy: the ledger, claims, voice, terms, the
// report, stories, search, compare and the exports) compute over many
// items. Two bounds keep one client, or a crowd, from holding the CPU:
//
//   - a client (the signed-in user, else the remote address) has at most
//     HeavyPerClient heavy requests in flight; one more is refused at once
//     with 429 and Retry-After, so a script hammering /ledger is told to
//     slow down while everybody else is served;
//   - the server runs at most HeavyConcurrency heavy requests at a time
//     (GOMAXPROCS: more would only share the same cores). A request beyond
//     that waits in line for a slot, up to heavyWait, and is then refused
//     with 503 and Retry-After. Waiting in line rather than refusing at
//     once: a burst of four clients on two cores is normal use, and a page
//     served from memory takes a few milliseconds, so the line moves fast.
//
// A request that waits for a result another request is computing (memo.go)
// gives its slot back while it waits: it uses no CPU, and the slot lets
// another page be served meanwhile.
const (
	defaultHeavyPerClient = 2
	heavyWait             = 5 * time.Second
	// retryAfter is what Retry-After says, in seconds.
	retryAfter = 2
)

// heavyLimits counts heavy requests per client and server-wide.
type heavyLimits struct {
	perClient int
	slots     chan struct{}

	mu       sync.Mutex
	inFlight map[string]int

	// Refused requests, by reason, for /metrics (Server.HeavyRejected).
	overClient, busy atomic.Int64
}

func newHeavyLimits(perClient, concurrency int) *heavyLimits {
	if perClient <= 0 {
		perClient = defaultHeavyPerClient
	}
	if concurrency <= 0 {
		concurrency = runtime.GOMAXPROCS(0)
	}
	return &heavyLimits{perClient: perClient, slots: make(chan struct{}, concurrency), inFlight: map[string]int{}}
}

// enter counts a heavy request of client; false if the client already has
// its share in flight. Every true must be followed by leave.
func (l *heavyLimits) enter(client string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.inFlight[client] >= l.perClient {
		return false
	}
	l.inFlight[client]++
	return true
}

func (l *heavyLimits) leave(client string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.inFlight[client]--; l.inFlight[client] <= 0 {
		delete(l.inFlight, client) // the map holds only clients with requests in flight
	}
}

// slot is one of the server's heavy slots, held by a request; release is
// safe to call more than once (the handler's end and memo's wait both do).
type slot struct {
	once sync.Once
	free func()
}

func (s *slot) release() {
	if s != nil {
		s.once.Do(s.free)
	}
}

// acquire waits for a free slot until wait passes or ctx is done.
func (l *heavyLimits) acquire(ctx context.Context, wait time.Duration) (*slot, bool) {
	select {
	case l.slots <- struct{}{}:
	default:
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case l.slots <- struct{}{}:
		case <-t.C:
			return nil, false
		case <-ctx.Done():
			return nil, false
		}
	}
	return &slot{free: func() { <-l.slots }}, true
}

type slotKey struct{}

// releaseSlot gives back the heavy slot of the request of ctx, if it holds
// one: memo calls it before waiting for another request's computation.
func releaseSlot(ctx context.Context) {
	if s, ok := ctx.Value(slotKey{}).(*slot); ok {
		s.release()
	}
}

// limitHeavy wraps a heavy route's handler in both bounds.
func (s *Server) limitHeavy(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		client := s.client(r)
		if !s.heavy.enter(client) {
			s.heavy.overClient.Add(1)
			s.Logger.Info("web: heavy request refused", "reason", "client", "client", client, "path", r.URL.Path)
			s.refuse(w, r, http.StatusTooManyRequests,
				"你同时打开的计算量大的页面（账本、报告、搜索、导出等）太多了：请等前面的页面加载完，再刷新这一页。")
			return
		}
		defer s.heavy.leave(client)
		sl, ok := s.heavy.acquire(r.Context(), heavyWait)
		if !ok {
			if r.Context().Err() != nil {
				return // the client went away while waiting
			}
			s.heavy.busy.Add(1)
			s.Logger.Info("web: heavy request refused", "reason", "busy", "client", client, "path", r.URL.Path)
			s.refuse(w, r, http.StatusServiceUnavailable,
				"服务器正忙于为其他用户计算页面：请过几秒再刷新。")
			return
		}
		defer sl.release()
		next(w, r.WithContext(context.WithValue(r.Context(), slotKey{}, sl)))
	}
}

// refuse answers a request the limits turned away, with Retry-After, as
// JSON for the API and as the error page otherwise.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, status int, msg string) {
	w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
	if wantsJSON(r) {
		code := "busy"
		if status == http.StatusTooManyRequests {
			code = "too_many_requests"
		}
		s.json(w, status, errorResponse{Code: code, Error: msg})
		return
	}
	page := errorPage{Status: status, Title: label.HTTPStatus(status), Message: msg}
	s.render(w, r, status, "error", page.Title, page)
}

// HeavyRejected returns how many heavy requests were refused since the
// server started: over their client's limit (429), and after waiting in
// vain for a slot (503). cmd/trustwatch exports them to /metrics.
func (s *Server) HeavyRejected() (overClient, busy int64) {
	s.once.Do(s.init)
	return s.heavy.overClient.Load(), s.heavy.busy.Load()
}

// client names who makes the request for the per-client limit: the signed-in
// user or token, else the remote address. X-Forwarded-For is believed only
// from a proxy listed in TrustedProxies, and then its last address that is
// not itself a trusted proxy is the client (the ones before it are what the
// client claimed).
func (s *Server) client(r *http.Request) string {
	if c := callerFrom(r.Context()); c.Name != "" {
		return "user:" + c.Name
	}
	addr := remoteAddr(r.RemoteAddr)
	if !s.trustedProxy(addr) {
		return "ip:" + addr.String()
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // a forged or broken entry: stop at the last address we can trust
		}
		addr = hop.Unmap()
		if !s.trustedProxy(addr) {
			break
		}
	}
	return "ip:" + addr.String()
}

func (s *Server) trustedProxy(a netip.Addr) bool {
	for _, p := range s.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// remoteAddr is the address of a RemoteAddr "host:port"; an unparsable one
// (a test's "pipe") is the zero address, one client for all.
func remoteAddr(hostport string) netip.Addr {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = hostport
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap()
}
