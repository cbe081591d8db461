package web

import (
	"cmp"
	"log/slog"
	"net/http"
	"net/netip"
	"runtime/debug"
	"sync"
	"time"

	"trustwatch"
	"trustwatch/auth"
)

// Server serves the dashboard and the JSON API. Set the exported fields,
// then call Handler once and serve it.
type Server struct {
	Store trustwatch.Store
	// Watch is the watch file; it names entities and aspects. It may be
	// nil: entities are then known by the ids found in the data.
	Watch *trustwatch.Watch
	// Location is where times are shown and days begin; Asia/Shanghai
	// when nil.
	Location *time.Location
	// Logger receives internal errors and request logs; slog.Default()
	// when nil.
	Logger *slog.Logger
	// Now returns the current time; time.Now when nil. It is used when
	// the store is empty and there is no data to anchor a window, to time
	// acknowledgements, and as the "generated" time of reports.
	Now func() time.Time

	// Cut and Known come from the segmenter the items were analysed with
	// (segment.Segmenter's Cut over normalised text, and Known). Cut gives
	// claims without a subject their key terms on the ledger; Known tells
	// dictionary words from new ones on the terms page. Either may be nil:
	// the ledger then splits claims at punctuation only, and every
	// discovered term counts as new.
	Cut   func(string) []string
	Known func(string) bool

	// ReportFile, if set, is a report written earlier (the demo writes one
	// at start-up); the report page links it at /report/file.
	ReportFile string

	// AspectName gives an aspect's display name (刹车 for brakes); the
	// watch file's names win. Nil shows the ids.
	AspectName func(id string) string

	// Metrics, when set, is served at /metrics (metrics.Metrics.Handler).
	// LastRound, when set, is when the daemon's last round completed:
	// /readyz then also requires it to be at most RoundMaxAge old (10
	// minutes when zero). See ops.go.
	Metrics     http.Handler
	LastRound   func() time.Time
	RoundMaxAge time.Duration
	// Access control (access.go): Auth checks sessions and tokens, Access
	// lists users, tokens and audit trails; Anonymous is the role of a
	// request with neither ("" for none: sign in first). SecureCookies
	// marks cookies Secure behind a TLS-terminating proxy.
	Auth          *auth.Service
	Access        trustwatch.AccessStore
	Anonymous     trustwatch.Role
	SecureCookies bool

	// Push ingest (push.go): Ingest reads a pushed body (nil: no push
	// endpoint), Rounds is told of each push, MaxPushBytes bounds a body.
	Ingest       IngestFunc
	Rounds       trustwatch.RoundRecorder
	MaxPushBytes int64

	// ExportLimit is the most rows an export (/export.csv, /export.xlsx)
	// holds; DefaultExportLimit when zero. See export.go.
	ExportLimit int

	// Limits of heavy pages (limit.go): HeavyPerClient requests in flight
	// per client (2 when zero), HeavyConcurrency server-wide (GOMAXPROCS
	// when zero). TrustedProxies are the reverse proxies whose
	// X-Forwarded-For names the client; from anyone else it is ignored.
	HeavyPerClient   int
	HeavyConcurrency int
	TrustedProxies   []netip.Prefix

	heavy *heavyLimits
	// computed, when set, is told of every computation of a remembered
	// result (key and data version), for the tests.
	computed func(key, version string)

	memo  memo
	once  sync.Once
	views map[string]*view
	nav   []navLink
}

// route is one pattern the server answers. Routes with a NavLabel appear in
// the navigation, in this order, linking to NavPath. Role is the least role
// that may use it (viewer when empty); a Public route checks for itself.
type route struct {
	Pattern  string
	Handler  http.HandlerFunc
	NavLabel string
	NavPath  string
	Role     trustwatch.Role
	Public   bool
	// OwnBodyLimit says the handler bounds its request body itself (push
	// ingest, MaxPushBytes); every other body is cut at maxFormBody.
	OwnBodyLimit bool
	// Heavy marks a route that computes over many items: it is under the
	// per-client and server-wide limits of limit.go.
	Heavy bool
}

// maxFormBody bounds the body of every request but a push: the forms and
// the API take a few fields, and a larger body is refused with 413 before
// it is read.
const maxFormBody = 1 << 20

// navLink is one entry of the navigation bar, shown to callers whose role
// allows Role.
type navLink struct {
	Label, Path string
	Role        trustwatch.Role
}

// routes lists everything the server answers. Add new pages here (see doc.go).
func (s *Server) routes() []route {
	return []route{
		{Pattern: "GET /{$}", Handler: s.handleOverview, NavLabel: "概览", NavPath: "/"},
		{Pattern: "GET /search", Handler: s.handleSearch, NavLabel: "搜索", NavPath: "/search", Heavy: true},
		{Pattern: "GET /aspects", Handler: s.handleAspects, NavLabel: "方面", NavPath: "/aspects"},
		{Pattern: "GET /alerts", Handler: s.handleAlerts, NavLabel: "预警", NavPath: "/alerts"},
		{Pattern: "GET /stories", Handler: s.handleStories, NavLabel: "事件", NavPath: "/stories", Heavy: true},
		{Pattern: "GET /stories/{id}", Handler: s.handleStory, Heavy: true},
		{Pattern: "GET /compare", Handler: s.handleCompare, NavLabel: "竞品对比", NavPath: "/compare", Heavy: true},
		{Pattern: "GET /series", Handler: s.handleSeriesList, NavLabel: "指标", NavPath: "/series"},
		{Pattern: "GET /ledger", Handler: s.handleLedger, NavLabel: "信用账本", NavPath: "/ledger", Heavy: true},
		{Pattern: "GET /terms", Handler: s.handleTerms, NavLabel: "新词", NavPath: "/terms", Heavy: true},
		{Pattern: "GET /report", Handler: s.handleReport, NavLabel: "报告", NavPath: "/report", Heavy: true},
		{Pattern: "GET /quarantine", Handler: s.handleQuarantine, NavLabel: "隔离区", NavPath: "/quarantine"},
		// The storybook is for developers checking layouts: served, not in the users' menu.
		{Pattern: "GET /storybook", Handler: s.handleStorybook},
		{Pattern: "GET /admin", Handler: s.handleAdmin, NavLabel: "用户", NavPath: "/admin", Role: trustwatch.RoleAdmin},
		{Pattern: "POST /admin/tokens/{id}/revoke", Handler: s.handleTokenRevoke, Role: trustwatch.RoleAdmin},
		{Pattern: "GET /login", Handler: s.handleLoginPage, Public: true},
		{Pattern: "POST /login", Handler: s.handleLogin, Public: true},
		{Pattern: "POST /logout", Handler: s.handleLogout, Public: true},
		{Pattern: "GET /entities/{id}", Handler: s.handleEntity},
		{Pattern: "GET /items/{id}", Handler: s.handleItem},
		{Pattern: "GET /alerts/{id}", Handler: s.handleAlert},
		{Pattern: "POST /alerts/{id}/ack", Handler: s.handleAlertAck, Role: trustwatch.RoleAnalyst},
		{Pattern: "POST /alerts/{id}/resolve", Handler: s.handleAlertResolve, Role: trustwatch.RoleAnalyst},
		{Pattern: "POST /alerts/{id}/comment", Handler: s.handleAlertComment, Role: trustwatch.RoleAnalyst},
		{Pattern: "POST /alerts/{id}/assign", Handler: s.handleAlertAssign, Role: trustwatch.RoleAnalyst},
		{Pattern: "POST /alerts/{id}/snooze", Handler: s.handleAlertSnooze, Role: trustwatch.RoleAnalyst},
		{Pattern: "POST /alerts/{id}/false-alarm", Handler: s.handleFalseAlarm, Role: trustwatch.RoleAnalyst},
		{Pattern: "POST /alerts/{id}/false-alarm/withdraw", Handler: s.handleFalseAlarmWithdraw, Role: trustwatch.RoleAnalyst},
		{Pattern: "GET /series/{id}", Handler: s.handleSeries},
		{Pattern: "GET /claims/{id}", Handler: s.handleClaim, Heavy: true},
		{Pattern: "GET /voice/{entity}", Handler: s.handleVoice, Heavy: true},
		{Pattern: "GET /report/print", Handler: s.handleReportPrint, Heavy: true},
		{Pattern: "GET /report/file", Handler: s.handleReportFile},
		{Pattern: "GET /export.csv", Handler: s.handleExport("csv"), Heavy: true},
		{Pattern: "GET /export.xlsx", Handler: s.handleExport("xlsx"), Heavy: true},

		{Pattern: "GET /api/v1/items", Handler: s.handleAPIItems, Heavy: true},
		{Pattern: "GET /api/v1/items/{id}", Handler: s.handleAPIItem},
		{Pattern: "GET /api/v1/volume", Handler: s.handleAPIVolume},
		{Pattern: "GET /api/v1/sentiment", Handler: s.handleAPISentiment},
		{Pattern: "GET /api/v1/aspects", Handler: s.handleAPIAspects},
		{Pattern: "GET /api/v1/entities", Handler: s.handleAPIEntities},
		{Pattern: "GET /api/v1/detectors", Handler: s.handleAPIDetectors},
		{Pattern: "GET /api/v1/quarantine", Handler: s.handleAPIQuarantine},
		{Pattern: "GET /api/v1/alerts", Handler: s.handleAPIAlerts},
		{Pattern: "GET /api/v1/alerts/{id}", Handler: s.handleAPIAlert},
		// weibo-crawler's post mode sends its body with GET (see push.go).
		{Pattern: "POST /api/v1/ingest", Handler: s.handlePush, Public: true, OwnBodyLimit: true},
		{Pattern: "GET /api/v1/ingest", Handler: s.handlePush, Public: true, OwnBodyLimit: true},
		{Pattern: "GET /api/v1/series/{id}", Handler: s.handleAPISeries},
		{Pattern: "GET /api/v1/ledger", Handler: s.handleAPILedger, Heavy: true},
		{Pattern: "GET /api/v1/terms", Handler: s.handleAPITerms, Heavy: true},
		{Pattern: "GET /api/v1/export.csv", Handler: s.handleExport("csv"), Heavy: true},
		{Pattern: "GET /api/v1/export.xlsx", Handler: s.handleExport("xlsx"), Heavy: true},

		// /healthz, /readyz and /metrics are for probes and scrapers: they
		// must answer without a session (see ops.go).
		{Pattern: "GET /healthz", Handler: handleHealthz, Public: true},
		{Pattern: "GET /readyz", Handler: s.handleReadyz, Public: true},
		{Pattern: "GET /metrics", Handler: s.handleMetrics, Public: true},
		{Pattern: "GET /static/", Handler: staticHandler(), Public: true},
		{Pattern: "/", Handler: s.handleNotFound, Public: true},
	}
}

// Handler returns the server's HTTP handler. Templates are parsed on the
// first call; a broken template panics, as it is a programming error.
func (s *Server) Handler() http.Handler {
	s.once.Do(s.init)
	mux := http.NewServeMux()
	for _, rt := range s.routes() {
		h := rt.Handler
		if rt.Heavy {
			h = s.limitHeavy(h)
		}
		if !rt.Public {
			h = s.require(rt.Role, h)
		}
		if !rt.OwnBodyLimit {
			h = limitBody(h, maxFormBody)
		}
		mux.Handle(rt.Pattern, h)
	}
	// Forms change state: besides their CSRF tokens (access.go), refuse
	// cross-origin POSTs (by Sec-Fetch-Site or Origin) outright.
	csrf := http.NewCrossOriginProtection()
	return s.recoverPanics(securityHeaders(s.logRequests(csrf.Handler(s.identify(mux)))))
}

func (s *Server) init() {
	if s.Location == nil {
		s.Location = trustwatch.DefaultLocation()
	}
	if s.Logger == nil {
		s.Logger = slog.Default()
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.Watch == nil {
		s.Watch = &trustwatch.Watch{}
	}
	for _, rt := range s.routes() {
		if rt.NavLabel != "" {
			s.nav = append(s.nav, navLink{Label: rt.NavLabel, Path: rt.NavPath, Role: cmp.Or(rt.Role, trustwatch.RoleViewer)})
		}
	}
	s.heavy = newHeavyLimits(s.HeavyPerClient, s.HeavyConcurrency)
	s.views = mustParseViews(s.funcs())
}

// limitBody refuses a body past limit bytes: 413 at once when its length
// is declared, else an error from the reader once it passes the limit.
func limitBody(h http.Handler, limit int64) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > limit {
			http.Error(w, "请求内容过大。", http.StatusRequestEntityTooLarge)
			return
		}
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		h.ServeHTTP(w, r)
	}
}

func handleHealthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok"))
}

func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) {
	s.error(w, r, trustwatch.Errorf(trustwatch.ENOTFOUND, "No page at %s.", r.URL.Path))
}

// contentSecurityPolicy allows nothing but the server's own resources: no
// inline script, no inline style, no plugins, no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// statusWriter records the status for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		s.Logger.Debug("web: request", "method", r.Method, "path", r.URL.Path, "status", sw.status, "duration", time.Since(start))
	})
}

func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Logger.Error("web: panic", "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				http.Error(w, "Internal error.", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}
