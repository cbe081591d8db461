package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"trustwatch"
)

// newAlertsCmd lists alerts (the default), and acknowledges or resolves them.
func newAlertsCmd(a *app) *cobra.Command {
	var since string
	var open bool
	var limit int
	list := func(cmd *cobra.Command, args []string) error {
		loc, err := location(a)
		if err != nil {
			return err
		}
		f := trustwatch.AlertFilter{Open: open, Limit: limit}
		if f.Since, err = parseSince(since, loc, time.Now()); err != nil {
			return err
		}
		db, err := openStore(cmd.Context(), a)
		if err != nil {
			return err
		}
		defer db.Close()
		as, total, err := db.FindAlerts(cmd.Context(), f)
		if err != nil {
			return err
		}
		if a.jsonOut {
			return printJSON(a, as)
		}
		if len(as) == 0 {
			fmt.Fprintln(a.stdout, "no alerts")
			return nil
		}
		fmt.Fprintf(a.stdout, "%-16s %-8s %-8s %-16s %-14s %s\n", "id", "severity", "status", "opened", "rule", "statement")
		for _, al := range as {
			fmt.Fprintf(a.stdout, "%-16s %-8s %-8s %-16s %-14s %s\n", al.ID, al.Severity, alertStatus(al),
				al.Opened.In(loc).Format("2006-01-02 15:04"), al.Rule, al.Statement)
		}
		if total > len(as) {
			fmt.Fprintf(a.stdout, "(%d of %d shown; use --limit)\n", len(as), total)
		}
		return nil
	}
	cmd := &cobra.Command{
		Use:   "alerts",
		Short: "List alerts, or acknowledge and resolve them",
		Example: "  trustwatch alerts --db su7.db --since 7d --open\n" +
			"  trustwatch alerts --db su7.db --json\n" +
			"  trustwatch alerts ack al06ffac95bca334 --db su7.db",
		Args: cobra.NoArgs,
		RunE: list,
	}
	pf := cmd.PersistentFlags()
	pf.StringVar(&since, "since", "", "only alerts opened since this day (2006-01-02) or this long ago (7d, 12h)")
	pf.BoolVar(&open, "open", false, "only unresolved alerts")
	pf.IntVar(&limit, "limit", 0, "at most this many alerts (0: all)")
	cmd.AddCommand(&cobra.Command{
		Use:   "list",
		Short: "List alerts: open ones first, then the most severe, then the newest",
		Args:  cobra.NoArgs,
		RunE:  list,
	})
	cmd.AddCommand(newAlertUpdateCmd(a, "ack", "Acknowledge alerts", trustwatch.AlertUpdate{Ack: true}))
	cmd.AddCommand(newAlertUpdateCmd(a, "resolve", "Resolve alerts", trustwatch.AlertUpdate{Resolve: true}))
	return cmd
}

func newAlertUpdateCmd(a *app, verb, short string, u trustwatch.AlertUpdate) *cobra.Command {
	return &cobra.Command{
		Use:   verb + " ID...",
		Short: short,
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := openStore(cmd.Context(), a)
			if err != nil {
				return err
			}
			defer db.Close()
			u.At, u.By = time.Now(), "cli" // the audit trail names the command line
			var done []*trustwatch.Alert
			for _, id := range args {
				al, err := db.UpdateAlert(cmd.Context(), id, u)
				if err != nil {
					return err
				}
				done = append(done, al)
			}
			if a.jsonOut {
				return printJSON(a, done)
			}
			for _, al := range done {
				fmt.Fprintf(a.stdout, "%s %s: %s\n", al.ID, alertStatus(*al), al.Statement)
			}
			return nil
		},
	}
}

// alertStatus is resolved, acked or open.
func alertStatus(al trustwatch.Alert) string {
	switch {
	case al.Resolved != nil:
		return "resolved"
	case al.Acked != nil:
		return "acked"
	}
	return "open"
}

// parseSince reads --since: a day, an RFC 3339 time, or a span back from now.
func parseSince(s string, loc *time.Location, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if d, err := trustwatch.ParseDuration(s); err == nil && d > 0 {
		return now.Add(-d.D()), nil
	}
	t, err := parseDay(s, loc)
	if err != nil {
		return time.Time{}, usageError{fmt.Errorf("invalid --since %q (want 2006-01-02 or a span like 7d)", s)}
	}
	return t, nil
}
