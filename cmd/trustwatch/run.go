package main

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"trustwatch"
	"trustwatch/detect/health"
	"trustwatch/digest"
	"trustwatch/monitor"
	"trustwatch/notify"
	"trustwatch/reader"
	"trustwatch/source"
)

func newRunCmd(a *app) *cobra.Command {
	var addr string
	var interval, firstDay time.Duration
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Serve the dashboard and read the watch file's sources as they grow, alerting as data arrives",
		Long: `Run trustwatch as a service: the dashboard and JSON API (as serve) plus a
scheduler that, every source's interval, reads what is new in the watch
file's sources (dir: files appended to by crawlers; feed: RSS/Atom), runs
the detectors over the days the new data touches, and sends new alerts to
the rules' channels. Source health is alerted too: source.silent,
source.failing, source.bad_input. SIGINT or SIGTERM finishes the current
transaction and exits 0; after a kill, a restart reads exactly what was
not committed.`,
		Example: "  trustwatch run --db brand.db --config trustwatch.yaml --addr 127.0.0.1:8080",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return daemon(cmd.Context(), cmd, a, addr, interval, firstDay)
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on")
	addAccessFlags(cmd.Flags(), a)
	cmd.Flags().DurationVar(&interval, "interval", monitor.DefaultInterval, "how often a source without an interval is read")
	cmd.Flags().DurationVar(&firstDay, "first-day", 0, "how long a new source never alarms (default 24h; tests shorten it)")
	_ = cmd.Flags().MarkHidden("first-day")
	return cmd
}

// daemon is `trustwatch run` (and `serve --watch`): the server plus the
// scheduler of the watch file's sources, until SIGINT or SIGTERM.
// cmd is the command (run, or serve --watch), for the messages.
func daemon(ctx context.Context, cmd *cobra.Command, a *app, addr string, interval, firstDay time.Duration) error {
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM)
	defer stop()
	loc, err := location(a)
	if err != nil {
		return err
	}
	w, db, err := openWatchStore(cmd.Context(), a)
	if err != nil {
		return err
	}
	defer db.Close()
	// Everything the daemon needs, checked before it starts anything.
	ds, err := need[daemonStore](cmd, db, "sources")
	if err != nil {
		return err
	}
	lock, err := need[trustwatch.DetectorLock](cmd, db, "the detector lock")
	if err != nil {
		return err
	}
	if _, err := need[trustwatch.AccessStore](cmd, db, "users and sign-in"); err != nil {
		return err
	}
	var dst digestStore
	if len(w.Digests) > 0 {
		if dst, err = need[digestStore](cmd, db, "digests"); err != nil {
			return err
		}
	}
	an, _, err := newAnalyzer(w)
	if err != nil {
		return err
	}
	// Info, not the commands' Warn: one line per source and round.
	logger := a.loggerAt(slog.LevelInfo)
	runner := newRunner(a, db, w)
	runner.Sources = ds
	opts := reader.Options{Location: loc}
	for i, s := range w.Sources {
		if s.Path != "" && !filepath.IsAbs(s.Path) {
			// As for ingest: relative to the watch file.
			w.Sources[i].Path = filepath.Join(filepath.Dir(a.configPath), s.Path)
		}
		if s.ID == "" {
			w.Sources[i].ID = s.Path // a path-only source of an older watch file
		}
	}
	m := &monitor.Monitor{
		Sources:  w.Sources,
		Dir:      &source.Dir{Store: ds, Analyzer: an, Options: opts},
		Feed:     &source.Feed{Store: ds, Analyzer: an},
		Rounds:   ds,
		Pending:  ds,
		Lock:     lock,
		Runner:   runner,
		Interval: interval,
		Log:      logger,
	}
	// The operations hooks serve reads: /metrics counts the rounds,
	// /readyz checks the last one is recent; digests go out per pass.
	m.Recorder = a.metricsFor(db, logger)
	a.lastRound = m.LastRound
	a.monitor = m // pushes are its rounds too
	if len(w.Digests) > 0 {
		n := &notify.Notifier{Channels: w.Channels, Getenv: os.Getenv, Log: logger, Location: loc}
		g := &digest.Digests{Store: db, Sent: dst, Deliveries: dst, Watch: w, Sender: n, Location: loc, Log: logger}
		m.OnRound = func(ctx context.Context, now time.Time) {
			if err := g.Tick(ctx, now); err != nil {
				logger.Error("digests", "err", err)
			}
		}
	}
	// After each pass, the dashboard's default results for the data as it
	// now is, so that the pages read them instead of computing them.
	if p := newPrecomputer(a, db, w); p != nil {
		digests := m.OnRound
		m.OnRound = func(ctx context.Context, now time.Time) {
			if digests != nil {
				digests(ctx, now)
			}
			precompute(ctx, a, p, logger)
		}
	}
	if firstDay > 0 {
		m.Health = health.Detector{FirstDay: firstDay}
	}
	if len(w.Sources) == 0 {
		logger.Warn("the watch file has no sources: serving only")
	}
	var wg sync.WaitGroup
	mctx, cancel := context.WithCancel(ctx)
	defer cancel()
	wg.Go(func() { _ = m.Run(mctx) })
	err = serve(ctx, cmd, a, db, w, addr, "")
	cancel() // the server failed or ctx is done: stop after the current commit
	wg.Wait()
	return err
}

// daemonStore is what the daemon's scheduler keeps beyond a
// trustwatch.Store: how far each source was read (and the records of a
// round with it), the rounds, and the detectors' pending window.
type daemonStore interface {
	source.Store
	trustwatch.SourceStore
	monitor.PendingStore
}
