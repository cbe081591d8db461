package web

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"trustwatch"
)

// Operations endpoints. /healthz says the process is alive; /readyz that
// it can do its work: the store takes a write and, when a daemon runs, its
// last round is recent; /metrics is the Prometheus text format. None of
// them needs a session, so that probes and scrapers reach them: an
// access-control middleware must let GET /healthz, /readyz and /metrics
// through (bind the server to loopback, or filter /metrics at the proxy,
// when the numbers should not be public).

// defaultRoundMaxAge is how old the last round may be for /readyz.
const defaultRoundMaxAge = 10 * time.Minute

// readyTimeout bounds the write check.
const readyTimeout = 2 * time.Second

func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if reason := s.notReady(r.Context()); reason != "" {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, "not ready: "+reason)
		return
	}
	fmt.Fprintln(w, "ready")
}

// notReady says why the server is not ready, "" when it is.
func (s *Server) notReady(ctx context.Context) string {
	if hs, ok := s.Store.(trustwatch.HealthStore); ok {
		ctx, cancel := context.WithTimeout(ctx, readyTimeout)
		defer cancel()
		if err := hs.CheckWrite(ctx); err != nil {
			s.Logger.Error("web: readyz: the store does not take writes", "err", err)
			return "the store does not take writes"
		}
	}
	if s.LastRound == nil {
		return ""
	}
	maxAge := s.RoundMaxAge
	if maxAge <= 0 {
		maxAge = defaultRoundMaxAge
	}
	last := s.LastRound()
	switch {
	case last.IsZero():
		return "no round has completed yet"
	case s.Now().Sub(last) > maxAge:
		return fmt.Sprintf("the last round completed %s ago (at most %s allowed)", s.Now().Sub(last).Truncate(time.Second), maxAge)
	}
	return ""
}

func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request) {
	if s.Metrics == nil {
		s.error(w, r, trustwatch.Errorf(trustwatch.ENOTFOUND, "No metrics are collected by this server."))
		return
	}
	s.Metrics.ServeHTTP(w, r)
}
