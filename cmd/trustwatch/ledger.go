package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"trustwatch"
	"trustwatch/detect/ledger"
	"trustwatch/segment"
)

// ledgerOptions builds the ledger's options for a watch file: the
// segmenter that cuts default subjects and query words, and the days of
// --tz.
func ledgerOptions(a *app, w *trustwatch.Watch) (ledger.Options, error) {
	loc, err := location(a)
	if err != nil {
		return ledger.Options{}, err
	}
	seg, err := segment.ForWatch(w)
	if err != nil {
		return ledger.Options{}, err
	}
	return ledger.Options{Cut: seg.Words, Location: loc}, nil
}

func newLedgerCmd(a *app) *cobra.Command {
	var entity, at string
	var daily, balance bool
	cmd := &cobra.Command{
		Use:   "ledger",
		Short: "The trust ledger: each claim's charge, evidence, reputation and status",
		Long: `For every claim of the watch file: its hype and charge (1 + hype/25), the
confirming (r) and contradicting (s) weight of the stored evidence after
forgetting, E = (r+1)/(r+s+2), Rep = (r−s)/(r+s+2), the status (open,
repaying, repaid, disputed, defaulting, defaulted) and the items behind it.
Evidence is found now, over what is stored, so claims added to the watch
file after ingest apply to items already stored.`,
		Example: "  trustwatch ledger --db su7.db --config trustwatch.yaml --at 2026-05-20 --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			w, err := loadWatch(a)
			if err != nil {
				return err
			}
			opt, err := ledgerOptions(a, w)
			if err != nil {
				return err
			}
			when, err := parseDay(at, opt.Location)
			if err != nil {
				return err
			}
			if when.IsZero() {
				when = time.Now()
			} else {
				when = when.AddDate(0, 0, 1).Add(-time.Nanosecond) // the end of that day
			}
			db, err := openStore(cmd.Context(), a)
			if err != nil {
				return err
			}
			defer db.Close()
			rows, err := opt.Ledger(cmd.Context(), db, w, when, entity)
			if err != nil {
				return err
			}
			bal := ledger.Balance(rows)
			if !daily {
				for i := range rows {
					rows[i].Daily = nil
				}
			}
			if a.jsonOut {
				if balance {
					return printJSON(a, struct {
						Claims  []ledger.Row        `json:"claims"`
						Balance []ledger.DayBalance `json:"balance"`
					}{rows, bal})
				}
				return printJSON(a, rows)
			}
			if len(rows) == 0 {
				fmt.Fprintln(a.stdout, "no claims in the watch file (add claims: to it)")
				return nil
			}
			fmt.Fprintf(a.stdout, "%-20s %4s %6s %7s %7s %6s %6s %-10s %4s  %s\n", "claim", "hype", "charge", "r", "s", "E", "rep", "status", "n", "first contradiction")
			for _, r := range rows {
				first := "-"
				if r.FirstContradiction != nil {
					first = r.FirstContradiction.In(opt.Location).Format("2006-01-02")
				}
				fmt.Fprintf(a.stdout, "%-20s %4d %6.2f %7.2f %7.2f %6.3f %+6.3f %-10s %4d  %s\n", r.Claim, r.Hype, r.Charge, r.R, r.S, r.E, r.Rep, r.Status, r.EvidenceCount, first)
				if r.StatusNote != "" {
					fmt.Fprintf(a.stdout, "%20s %s\n", "", r.StatusNote)
				}
			}
			if len(bal) > 0 {
				last := bal[len(bal)-1]
				fmt.Fprintf(a.stdout, "balance Σ h·Rep on %s: %+.3f over %d claims\n", last.Day.Format("2006-01-02"), last.Balance, last.Claims)
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&entity, "entity", "", "only the claims about this entity (and its products)")
	fl.StringVar(&at, "at", "", "the ledger as of the end of this day (2006-01-02; default now)")
	fl.BoolVar(&daily, "daily", false, "include each claim's daily r, s, E, Rep and status")
	fl.BoolVar(&balance, "balance", false, "with --json: {claims, balance} with the daily brand balance")
	return cmd
}

func newEvidenceCmd(a *app) *cobra.Command {
	var claimID, at string
	cmd := &cobra.Command{
		Use:     "evidence --claim ID",
		Short:   "List the items that confirm or contradict a claim",
		Long:    `List the stored items after the claim's date that name its entity and its subject, each with its stance (confirms, contradicts, unrelated), weight (1 + ln(1+likes+reposts)) and reasons. Near-duplicates are listed once, with their ids.`,
		Example: "  trustwatch evidence --db su7.db --config trustwatch.yaml --claim su7u-hood-ducts --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if claimID == "" {
				return usageError{fmt.Errorf("--claim is required")}
			}
			w, err := loadWatch(a)
			if err != nil {
				return err
			}
			opt, err := ledgerOptions(a, w)
			if err != nil {
				return err
			}
			to, err := parseDay(at, opt.Location)
			if err != nil {
				return err
			}
			if !to.IsZero() {
				to = to.AddDate(0, 0, 1)
			}
			db, err := openStore(cmd.Context(), a)
			if err != nil {
				return err
			}
			defer db.Close()
			ev, err := opt.Evidence(cmd.Context(), db, w, claimID, to)
			if err != nil {
				return err
			}
			if a.jsonOut {
				if ev == nil {
					ev = []ledger.EvidenceItem{}
				}
				return printJSON(a, ev)
			}
			for _, e := range ev {
				fmt.Fprintf(a.stdout, "%s  %-11s %5.2f  %s  %s\n", e.Time.In(opt.Location).Format("2006-01-02 15:04"), e.Stance, e.Weight, e.ItemID, oneLine(e.Text, 60))
			}
			fmt.Fprintf(a.stdout, "%d items\n", len(ev))
			return nil
		},
	}
	cmd.Flags().StringVar(&claimID, "claim", "", "the claim's id in the watch file")
	cmd.Flags().StringVar(&at, "at", "", "only items up to the end of this day (2006-01-02)")
	return cmd
}
