package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"trustwatch"
	"trustwatch/alerteval"
)

// newEvalAlertsCmd builds `trustwatch eval alerts`: the store's alerts
// against a file of expected events, or, without one, against the
// analysts' false-alarm verdicts kept in the store.
func newEvalAlertsCmd(a *app) *cobra.Command {
	var expected, tolerance, kinds, from, to string
	var list int
	cmd := &cobra.Command{
		Use:   "alerts --db STORE [--config WATCH --expected FILE]",
		Short: "Precision, recall and day error of the stored alerts against expected events, or precision by the analysts' verdicts",
		Long: `Pair the store's alerts with the expected events of FILE, one to one,
nearest day first, and report precision, recall and how many days early or
late the right alerts were opened, with the missed events and the unmatched
alerts.

FILE is YAML (a list; an empty list means the right answer is no alert) or
JSON lines, each event {kind, entity, day: 2006-01-02, term?, note?}. An
alert matches an event when its kind matches (exact, a prefix like claim.*,
or a family like volume.spike|sentiment.spike), its entity is the event's
or a descendant of it by the watch file's parent links ("*" is any entity,
an empty entity only alerts without one), the term if given contains the
alert's subject, and its opening day, in --tz (or the watch file's
timezone), is within --tolerance of the event's day. Alerts in scope are
those of --kinds, or of the kinds the file names, or of every kind.
An unmatched alert that would have matched an already credited event is
reported as redundant, apart from the false alarms.

Without --expected, the precision of each alert kind comes from the
verdicts kept in the store (标记为误报 on the alert page): an alert marked a
false alarm is wrong, one resolved without the mark is right, an open one
without it is not judged yet (counted as open). --kinds, --from and --to
narrow the alerts the same way. See docs/validity.md.`,
		Example: "  trustwatch eval alerts --db x.db --config watch.yaml --expected expected.yaml\n" +
			"  trustwatch eval alerts --db x.db --config watch.yaml --expected expected.yaml --tolerance 2d --kinds 'volume.spike,term.*' --json\n" +
			"  trustwatch eval alerts --db x.db --from 2025-05-01     # precision by the analysts' verdicts",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			tol, err := trustwatch.ParseDuration(tolerance)
			if err != nil || tol < 0 {
				return usageError{fmt.Errorf("eval alerts: invalid --tolerance %q (want e.g. 1d)", tolerance)}
			}
			w, err := loadWatch(a)
			if err != nil {
				return err
			}
			var evs []alerteval.Event
			if expected != "" {
				if evs, err = alerteval.Load(expected); err != nil {
					return err
				}
				if err := alerteval.Check(evs, w); err != nil {
					return err
				}
			}
			// The watch file's zone applies unless --tz was given.
			tz := a.tz
			if !cmd.Flags().Changed("tz") && w.Timezone != "" {
				tz = w.Timezone
			}
			loc, err := time.LoadLocation(tz)
			if err != nil {
				return usageError{trustwatch.Errorf(trustwatch.EINVALID, "unknown time zone %q", tz)}
			}
			db, err := openStore(cmd.Context(), a)
			if err != nil {
				return err
			}
			defer db.Close()
			alerts, _, err := db.FindAlerts(cmd.Context(), trustwatch.AlertFilter{})
			if err != nil {
				return err
			}
			opt := alerteval.Options{Tolerance: tol.D(), Location: loc, From: from, To: to}
			for _, k := range strings.Split(kinds, ",") {
				if k = strings.TrimSpace(k); k != "" {
					opt.Kinds = append(opt.Kinds, k)
				}
			}
			if expected == "" {
				return evalByVerdicts(cmd, a, db, alerts, opt)
			}
			rep, err := alerteval.Evaluate(alerts, evs, w, opt)
			if err != nil {
				return usageError{fmt.Errorf("eval alerts: %v", err)}
			}
			if a.jsonOut {
				return printJSON(a, rep)
			}
			fmt.Fprintf(a.stdout, "%s against %s\n", a.shownDB(), expected)
			rep.WriteText(a.stdout, list)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&expected, "expected", "", "expected events (YAML list or JSON lines); without it, precision by the store's verdicts")
	f.StringVar(&tolerance, "tolerance", "1d", "how far an alert's day may be from its event's (whole days)")
	f.StringVar(&kinds, "kinds", "", "alert kinds in scope, comma-separated (prefix.* allowed; default: the kinds FILE names)")
	f.StringVar(&from, "from", "", "first day looked at (2006-01-02; default: unbounded)")
	f.StringVar(&to, "to", "", "last day looked at (default: unbounded)")
	f.IntVar(&list, "list", 50, "list at most this many unmatched alerts (0: all)")
	return cmd
}

// evalByVerdicts reports precision per kind from the store's false-alarm
// verdicts.
func evalByVerdicts(cmd *cobra.Command, a *app, db trustwatch.Store, alerts []trustwatch.Alert, opt alerteval.Options) error {
	vs, ok := db.(trustwatch.VerdictStore)
	if !ok {
		return trustwatch.Errorf(trustwatch.EINVALID, "eval alerts: this store keeps no verdicts; give --expected FILE")
	}
	verdicts, err := vs.FindVerdicts(cmd.Context(), trustwatch.VerdictFilter{})
	if err != nil {
		return err
	}
	rep, err := alerteval.FromVerdicts(alerts, verdicts, opt)
	if err != nil {
		return usageError{fmt.Errorf("eval alerts: %v", err)}
	}
	if a.jsonOut {
		return printJSON(a, rep)
	}
	fmt.Fprintf(a.stdout, "%s: %d verdicts\n", a.shownDB(), len(verdicts))
	rep.WriteText(a.stdout)
	return nil
}
