package main

import (
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"trustwatch/detect/terms"
	"trustwatch/segment"
)

// termsMemoryLimit is the soft heap limit of `trustwatch terms` unless
// GOMEMLIMIT says otherwise: counting a million posts stays under 1 GB
// because the collector works harder instead of doubling the heap.
const termsMemoryLimit = 640 << 20

// newTermsCmd discovers new and surging terms in a window against a
// background, with their bursts and nickname links.
func newTermsCmd(a *app) *cobra.Command {
	var from, to, background, entity string
	var top, minCount int
	var newOnly bool
	cmd := &cobra.Command{
		Use:   "terms",
		Short: "Find new words and surging terms without a dictionary, with bursts and nickname links",
		Example: "  trustwatch terms --db su7.db --from 2025-03-12 --to 2025-03-12 --json\n" +
			"  trustwatch terms --db su7.db --from 2025-03-01 --to 2025-03-31 --background 2025-01-01..2025-02-28 --new-only\n" +
			"  trustwatch terms --db su7.db --config trustwatch.yaml --entity leijun",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if os.Getenv("GOMEMLIMIT") == "" {
				debug.SetMemoryLimit(termsMemoryLimit)
			}
			loc, err := location(a)
			if err != nil {
				return err
			}
			opt := terms.Options{Top: top, MinCount: minCount, NewOnly: newOnly, Entity: entity, Location: loc}
			if opt.From, opt.To, err = parseDayRange(from, to, loc); err != nil {
				return usageError{err}
			}
			if background != "" {
				lo, hi, ok := strings.Cut(background, "..")
				if !ok {
					return usageError{fmt.Errorf("--background wants D1..D2, got %q", background)}
				}
				if opt.BgFrom, opt.BgTo, err = parseDayRange(lo, hi, loc); err != nil {
					return usageError{err}
				}
			}
			w, err := loadWatch(a)
			if err != nil {
				return err
			}
			seg, err := segment.ForWatch(w)
			if err != nil {
				return err
			}
			opt.Known = seg.Known
			db, err := openStore(cmd.Context(), a)
			if err != nil {
				return err
			}
			defer db.Close()
			res, err := terms.DiscoverResult(cmd.Context(), db, w, opt)
			if err != nil {
				return err
			}
			found := res.Terms
			if a.jsonOut {
				// The JSON stays a list of terms; the note goes to stderr.
				if note := baselineNote(res); note != "" {
					fmt.Fprintln(a.stderr, "trustwatch terms: "+note)
				}
				if found == nil {
					found = []terms.Term{}
				}
				return printJSON(a, found)
			}
			return printTerms(a, res)
		},
	}
	f := cmd.Flags()
	f.StringVar(&from, "from", "", "first day of the window (2006-01-02; default: the newest item's day)")
	f.StringVar(&to, "to", "", "last day of the window, included (default: the newest item)")
	f.StringVar(&background, "background", "", "background days D1..D2, both included (default: the 30 days before --from)")
	f.StringVar(&entity, "entity", "", "only items mentioning this watched entity")
	f.IntVar(&top, "top", 50, "how many terms")
	f.IntVar(&minCount, "min-count", 5, "fewest items a term needs in the window")
	f.BoolVar(&newOnly, "new-only", false, "only terms no dictionary knows")
	return cmd
}

// parseDayRange reads two days (either may be empty) into [from, to+1 day).
func parseDayRange(from, to string, loc *time.Location) (time.Time, time.Time, error) {
	var lo, hi time.Time
	var err error
	if from != "" {
		if lo, err = time.ParseInLocation("2006-01-02", strings.TrimSpace(from), loc); err != nil {
			return lo, hi, fmt.Errorf("invalid day %q (want 2006-01-02)", from)
		}
	}
	if to != "" {
		if hi, err = time.ParseInLocation("2006-01-02", strings.TrimSpace(to), loc); err != nil {
			return lo, hi, fmt.Errorf("invalid day %q (want 2006-01-02)", to)
		}
		hi = hi.AddDate(0, 0, 1)
	}
	if !lo.IsZero() && !hi.IsZero() && !lo.Before(hi) {
		return lo, hi, fmt.Errorf("day range %s..%s is empty", from, to)
	}
	return lo, hi, nil
}

// baselineNote says when the background is too short for a rise to mean
// anything (the reason `analyze` raises no term alerts then), or "".
func baselineNote(res *terms.Result) string {
	switch {
	case res.Docs == 0:
		return "not enough data: no items in the window"
	case res.BackgroundDays < terms.MinHistoryDays:
		return fmt.Sprintf("not enough data: the background has items on %d day(s), at least %d are needed before a rise means anything (analyze raises no term alerts until then)",
			res.BackgroundDays, terms.MinHistoryDays)
	}
	return ""
}

func printTerms(a *app, res *terms.Result) error {
	found := res.Terms
	if note := baselineNote(res); note != "" {
		fmt.Fprintln(a.stdout, note)
	}
	if len(found) == 0 {
		if baselineNote(res) == "" {
			fmt.Fprintf(a.stdout, "no terms: none of %d items' terms rises above the background (%d items on %d days)\n",
				res.Docs, res.BackgroundDocs, res.BackgroundDays)
		}
		return nil
	}
	fmt.Fprintf(a.stdout, "%3s %-14s %-3s %9s %6s %6s %-10s %-23s %-10s %s\n", "#", "term", "new", "score", "count", "bg", "first", "burst", "about", "linked")
	for i, t := range found {
		nw, b := "", ""
		if t.New {
			nw = "new"
		}
		if t.Burst != nil {
			b = fmt.Sprintf("%s..%s %.1f", t.Burst.Start.Format("01-02"), t.Burst.End.Format("01-02"), t.Burst.Weight)
		}
		link := t.LinkedEntity
		if link != "" && t.Nickname {
			link += " (nickname: " + strings.Join(t.LinkReasons, "; ") + "; items " + strings.Join(t.LinkExamples, ", ") + ")"
		}
		about := ""
		if t.About != nil {
			about = t.About.Entity
		}
		fmt.Fprintf(a.stdout, "%3d %-14s %-3s %9.1f %6d %6d %-10s %-23s %-10s %s\n", i+1, t.Term, nw, t.Score, t.Count, t.BackgroundCount,
			t.FirstSeen.Format("2006-01-02"), b, about, link)
	}
	return nil
}
