package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"trustwatch"
	"trustwatch/aspect"
	"trustwatch/monitor"
	"trustwatch/web"
)

func newServeCmd(a *app) *cobra.Command {
	var addr string
	var watch bool
	cmd := &cobra.Command{
		Use:     "serve",
		Short:   "Serve the dashboard and the JSON API (with --watch, also read the sources: trustwatch run)",
		Example: "  trustwatch serve --db brand.db --config trustwatch.yaml --addr 127.0.0.1:8080",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if watch {
				return daemon(cmd.Context(), cmd, a, addr, monitor.DefaultInterval, 0)
			}
			w, db, err := openWatchStore(cmd.Context(), a)
			if err != nil {
				return err
			}
			defer db.Close()
			return serve(cmd.Context(), cmd, a, db, w, addr, "")
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on")
	cmd.Flags().BoolVar(&watch, "watch", false, "also read the watch file's sources as they grow and alert, as trustwatch run does")
	addAccessFlags(cmd.Flags(), a)
	return cmd
}

// accessFlags say who may use the dashboard without signing in.
type accessFlags struct {
	anonymousRead  bool // viewers need no sign-in; loopback only
	insecureNoAuth bool // anyone may read and act on alerts, on any address
	secureCookies  bool // behind a TLS-terminating proxy
	// trustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client of the per-client limits (addresses or CIDR prefixes).
	trustedProxies []string
	// demoRole is the role the demo gives everyone on loopback while its
	// store has no users; no flag sets it.
	demoRole trustwatch.Role
}

// addAccessFlags registers the access flags on a command that serves
// (serve, run).
func addAccessFlags(f *pflag.FlagSet, a *app) {
	f.BoolVar(&a.access.anonymousRead, "anonymous-read", false, "let visitors read without signing in (only on a loopback address)")
	f.BoolVar(&a.access.insecureNoAuth, "insecure-no-auth", false, "let anyone who reaches the address read, acknowledge and resolve alerts without signing in")
	f.BoolVar(&a.access.secureCookies, "secure-cookies", false, "mark cookies Secure even over plain HTTP (behind a TLS-terminating proxy)")
	f.StringSliceVar(&a.access.trustedProxies, "trusted-proxy", nil, "address or CIDR of a reverse proxy whose X-Forwarded-For header names the client (repeatable); from anyone else the header is ignored")
}

// checkAccess decides the anonymous role for a server listening on addr
// over a store with that many users, or refuses to serve: a non-loopback
// address over a store without users would let anyone who reaches it act
// on the alerts.
// given is the address as the user wrote it, for the messages.
func checkAccess(given string, addr net.Addr, users int, f accessFlags) (trustwatch.Role, error) {
	loopback := isLoopback(addr)
	switch {
	case f.anonymousRead && !loopback:
		return "", trustwatch.Errorf(trustwatch.EINVALID, "refusing to serve on %s: --anonymous-read is allowed only on a loopback address (127.0.0.1 or ::1)", given)
	case !loopback && users == 0 && !f.insecureNoAuth:
		return "", trustwatch.Errorf(trustwatch.EINVALID, "refusing to serve on %s: the store has no users, so anyone who reaches this address could read and act on the alerts. "+
			"Create an admin first (trustwatch user add NAME --role admin), serve on 127.0.0.1, or pass --insecure-no-auth", given)
	case f.insecureNoAuth:
		return trustwatch.RoleAnalyst, nil
	case f.demoRole != "" && loopback && users == 0:
		return f.demoRole, nil
	case f.anonymousRead:
		return trustwatch.RoleViewer, nil
	}
	return "", nil
}

// isLoopback reports whether a listener's address is a loopback one; the
// unspecified address (":8080", "0.0.0.0") is every interface, so not.
func isLoopback(addr net.Addr) bool {
	tcp, ok := addr.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

// serve listens on addr, prints the dashboard's address and serves until
// ctx is done. reportFile, if not empty, is linked from the report page.
// cmd is the command that serves, for the messages.
func serve(ctx context.Context, cmd *cobra.Command, a *app, db trustwatch.Store, w *trustwatch.Watch, addr, reportFile string) error {
	loc, err := location(a)
	if err != nil {
		return err
	}
	access, err := need[trustwatch.AccessStore](cmd, db, "users and sign-in")
	if err != nil {
		return err
	}
	proxies, err := parseProxies(a.access.trustedProxies)
	if err != nil {
		return err
	}
	logger := a.logger()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return trustwatch.Errorf(trustwatch.EINVALID, "listen on %s: %v", addr, err)
	}
	defer ln.Close() // after a refusal; Serve closes it otherwise
	users, err := access.CountUsers(ctx)
	if err != nil {
		return err
	}
	anonymous, err := checkAccess(addr, ln.Addr(), users, a.access)
	if err != nil {
		return err
	}
	an, seg, err := newAnalyzer(w)
	if err != nil {
		return err
	}
	srv := &web.Server{Store: db, Watch: w, Location: loc, Logger: logger, ReportFile: reportFile,
		Cut: seg.Words, Known: seg.Known, Metrics: a.metricsFor(db, logger).Handler(), LastRound: a.lastRound,
		Auth: newAuthService(access, access, w), Access: access, Anonymous: anonymous, SecureCookies: a.access.secureCookies,
		Ingest: pushIngest(db, an, loc, a.touch()), Rounds: pushRounds{metrics: a.metricsFor(db, logger), monitor: a.monitor, log: logger}}
	srv.TrustedProxies = proxies
	if lex, err := aspect.Default().With(w.Aspects); err == nil {
		srv.AspectName = lex.Name
	}
	registerHeavyRejected(a.metricsFor(db, logger).Registry(), srv)
	url := "http://" + ln.Addr().String() + "/"
	fmt.Fprintf(a.stdout, "dashboard: %s\n", url)
	fmt.Fprintln(a.stdout, accessNote(anonymous, users))
	// A slow client may hold a connection only so long; WriteTimeout is
	// above the slowest page's first computation (the report over a large
	// store), IdleTimeout frees kept-alive connections.
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute, // push bodies up to MaxPushBytes
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := hs.Shutdown(shut); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}

// parseProxies reads --trusted-proxy: an address is a prefix of its own.
func parseProxies(given []string) ([]netip.Prefix, error) {
	var ps []netip.Prefix
	for _, g := range given {
		if p, err := netip.ParsePrefix(g); err == nil {
			ps = append(ps, p.Masked())
		} else if ip, err := netip.ParseAddr(g); err == nil {
			ps = append(ps, netip.PrefixFrom(ip.Unmap(), ip.Unmap().BitLen()))
		} else {
			return nil, usageError{trustwatch.Errorf(trustwatch.EINVALID, "--trusted-proxy wants an address or CIDR prefix, got %q", g)}
		}
	}
	return ps, nil
}

// registerHeavyRejected exports the heavy requests the server refused
// (web/limit.go) to /metrics. A second server in the same process (the
// tests') keeps the first one's counters.
func registerHeavyRejected(reg *prometheus.Registry, srv *web.Server) {
	for _, reason := range []string{"client", "busy"} {
		c := prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name:        "trustwatch_web_heavy_rejected_total",
			Help:        "Heavy page requests refused: over the client's limit (client, 429) or with no free slot in time (busy, 503).",
			ConstLabels: prometheus.Labels{"reason": reason},
		}, func() float64 {
			overClient, busy := srv.HeavyRejected()
			if reason == "client" {
				return float64(overClient)
			}
			return float64(busy)
		})
		_ = reg.Register(c)
	}
}
