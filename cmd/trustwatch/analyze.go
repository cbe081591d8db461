package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sort"
	"time"

	"github.com/spf13/cobra"

	"trustwatch"
	"trustwatch/alert"
	"trustwatch/analyze"
	"trustwatch/notify"
	"trustwatch/results"
	"trustwatch/segment"
)

func newAnalyzeCmd(a *app) *cobra.Command {
	var from, to string
	cmd := &cobra.Command{
		Use:   "analyze",
		Short: "Run every detector over the stored data and raise alerts",
		Long: `Run every registered detector over all the stored data (or --from … --to):
the watch file's series rules (lows, drawdowns, changes, anomalies, SLA,
SPC), volume and sentiment spikes and new terms about the watched entities
(replayed day by day, so each is raised on the day it happened), the trust
ledger and say-do gaps, and the spokesperson's voice. Detectors need a
baseline: the first day of a store never alarms. New alerts are stored and
sent to the rules' channels. Running it twice raises nothing new.`,
		Example: "  trustwatch analyze --db brand.db --config trustwatch.yaml",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			loc, err := location(a)
			if err != nil {
				return err
			}
			w, db, err := openWatchStore(cmd.Context(), a)
			if err != nil {
				return err
			}
			defer db.Close()
			unlock, err := lockDetectors(cmd, db)
			if err != nil {
				return err
			}
			defer unlock()
			r := newRunner(a, db, w)
			if r.From, r.To, err = parseSpan(from, to, loc); err != nil {
				return err
			}
			if !r.To.IsZero() {
				r.To = r.To.Add(-time.Second)
			}
			rep, err := r.Run(cmd.Context())
			if rep != nil {
				if perr := printAnalyze(a, rep); perr != nil {
					return perr
				}
			}
			if err == nil {
				precompute(cmd.Context(), a, newPrecomputer(a, db, w), a.logger())
			}
			return err
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "first day to analyse (default: the first stored item)")
	cmd.Flags().StringVar(&to, "to", "", "last day (default: the newest stored item)")
	return cmd
}

// newRunner wires the detectors to the alert engine and the watch file's
// notification channels.
func newRunner(a *app, db trustwatch.Store, w *trustwatch.Watch) *analyze.Runner {
	loc, _ := location(a)
	logger := a.logger()
	eng := &alert.Engine{Store: db, Rules: w.Rules, Log: logger, Location: loc}
	if ds, ok := db.(trustwatch.DeliveryStore); ok {
		eng.Deliveries = ds
	} else if len(w.Channels) > 0 {
		logger.Warn("the " + storeName(db) + " store does not keep delivery records yet: alerts are sent, their delivery attempts are not recorded")
	}
	if len(w.Channels) > 0 {
		eng.Notifier = &notify.Notifier{Channels: w.Channels, Getenv: os.Getenv, Log: logger, Location: loc}
	}
	r := &analyze.Runner{Store: db, Watch: w, Location: loc, Engine: eng}
	if seg, err := segment.ForWatch(w); err == nil {
		r.Known = seg.Known
	}
	return r
}

func printAnalyze(a *app, rep *analyze.Report) error {
	if a.jsonOut {
		return printJSON(a, rep)
	}
	loc, _ := location(a)
	fmt.Fprintf(a.stdout, "analysed %d days (%s … %s): %d findings\n", rep.Days,
		rep.From.In(loc).Format("2006-01-02"), rep.To.Add(-time.Second).In(loc).Format("2006-01-02"), rep.Detections)
	for _, n := range rep.Notes {
		fmt.Fprintf(a.stdout, "  note: %s\n", n)
	}
	kinds := make([]string, 0, len(rep.ByKind))
	for k := range rep.ByKind {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		fmt.Fprintf(a.stdout, "  %-22s %d\n", k, rep.ByKind[k])
	}
	res := rep.Result
	fmt.Fprintf(a.stdout, "alerts: %d new, %d updated, %d unchanged, %d held back by cooldown, %d below thresholds\n",
		len(res.New), len(res.Updated), res.Unchanged, res.Suppressed, res.Filtered)
	for _, al := range res.New {
		fmt.Fprintf(a.stdout, "  %-8s %s  %s\n", al.Severity, al.Opened.In(loc).Format("2006-01-02"), al.Statement)
	}
	for _, d := range res.Deliveries {
		fmt.Fprintf(a.stdout, "  delivery: %s\n", d)
	}
	return nil
}

// lockDetectors takes the store's detector lock for a command that runs
// the detectors, or says who holds it.
func lockDetectors(cmd *cobra.Command, db trustwatch.Store) (unlock func(), err error) {
	lock, err := need[trustwatch.DetectorLock](cmd, db, "the detector lock")
	if err != nil {
		return nil, err
	}
	unlock, ok, err := lock.LockDetectors(cmd.Context())
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, trustwatch.Errorf(trustwatch.ECONFLICT, "%s: another trustwatch process is running the detectors on this store (an analyze, or a pass of trustwatch run); try again when it is done", cmd.Name())
	}
	return unlock, nil
}

// newPrecomputer wires the precomputation of the dashboard's default
// results (results.Precomputer) with the segmenter and zone the dashboard
// uses, so that what it saves is what the pages would compute. It is nil
// when the store keeps no results.
func newPrecomputer(a *app, db trustwatch.Store, w *trustwatch.Watch) *results.Precomputer {
	rs, ok := db.(trustwatch.ResultStore)
	if !ok {
		return nil
	}
	loc, _ := location(a)
	p := &results.Precomputer{Computer: results.Computer{Store: db, Watch: w, Location: loc}, Results: rs}
	if seg, err := segment.ForWatch(w); err == nil {
		p.Cut, p.Known = seg.Words, seg.Known
	}
	return p
}

// precompute runs p (if any) and says what it did: one line on stdout for
// analyze and demo (none in --json mode, whose stdout is the report), a
// log line for the daemon. A failure is reported, not returned: the pages
// then compute the results on first look, as before.
func precompute(ctx context.Context, a *app, p *results.Precomputer, logger *slog.Logger) {
	if p == nil {
		return
	}
	sum, err := p.Run(ctx)
	if err != nil {
		logger.Error("precomputing the dashboard's results", "err", err)
		return
	}
	if logger.Enabled(ctx, slog.LevelInfo) {
		logger.Info("precomputed the dashboard's results", "computed", len(sum.Computed), "fresh", sum.Fresh, "duration", sum.Took.Round(time.Millisecond))
	} else if !a.jsonOut {
		fmt.Fprintf(a.stdout, "precomputed %d dashboard results (%d already current) in %s\n", len(sum.Computed), sum.Fresh, sum.Took.Round(time.Millisecond))
	}
}
