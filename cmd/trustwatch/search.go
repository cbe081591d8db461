package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"trustwatch"
	"trustwatch/query"
	"trustwatch/segment"
)

func newSearchCmd(a *app) *cobra.Command {
	var f trustwatch.ItemFilter
	var from, to, format, out string
	cmd := &cobra.Command{
		Use:   "search [flags] QUERY",
		Short: "Find stored items with a query",
		Long: `Find stored items matching QUERY (docs/query.md). Words are cut the same
way as the stored text, so 刹车异响 finds items with both 刹车 and 异响;
"刹车异响" finds the exact phrase. -word and NOT exclude, OR offers
alternatives, a NEAR/5 b finds a and b at most 5 units apart, and fields
such as platform:weibo, sentiment:neg, kind:comment or likes:>1000 filter.

--format csv and --format xlsx export the items (see README, "Export"):
the newest --limit of them (0 for all, streamed), oldest first, with the
same columns as the dashboard's export; xlsx adds a "query" sheet naming
the query, the filters, the window and how many items matched.`,
		Example: `  trustwatch search --db su7.db --limit 5 雷总 --json
  trustwatch search --db su7.db '刹车 -Y7 (platform:weibo OR platform:douyin)'
  trustwatch search --db su7.db --limit 0 --format csv 刹车 > brakes.csv
  trustwatch search --db su7.db --limit 0 --from 2024-03-28 --to 2024-04-03 --out brakes.xlsx 刹车`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			w, err := loadWatch(a)
			if err != nil {
				return err
			}
			loc, err := location(a)
			if err != nil {
				return err
			}
			if f.From, f.To, err = parseSpan(from, to, loc); err != nil {
				return err
			}
			if format, err = searchFormat(a, format, out); err != nil {
				return err
			}
			seg, err := segment.ForWatch(w)
			if err != nil {
				return err
			}
			if f.Query, err = query.Canonical(args[0], seg.Words); err != nil {
				var se *query.SyntaxError
				if errors.As(err, &se) {
					return usageError{fmt.Errorf("query: %s\n  %s", se, strings.ReplaceAll(se.Caret(args[0]), "\n", "\n  "))}
				}
				return err
			}
			db, err := openStore(cmd.Context(), a)
			if err != nil {
				return err
			}
			defer db.Close()
			if format == "csv" || format == "xlsx" {
				return exportSearch(cmd.Context(), a, db, format, out, args[0], f, loc, w)
			}
			if out != "" && out != "-" {
				file, err := os.Create(out)
				if err != nil {
					return fmt.Errorf("search: %w", err)
				}
				defer file.Close()
				to := *a
				to.stdout = file
				a = &to
			}
			items, total, err := db.FindItems(cmd.Context(), f)
			if err != nil {
				return err
			}
			for i := range items {
				items[i].Tokens = nil
			}
			if format == "json" {
				if items == nil {
					items = []trustwatch.Item{}
				}
				return printJSON(a, items)
			}
			fmt.Fprintf(a.stdout, "%d items match %q (showing %d)\n", total, f.Query, len(items))
			for _, it := range items {
				fmt.Fprintf(a.stdout, "%s  %-8s %-4s %s\n", it.Time.In(loc).Format("2006-01-02 15:04"), it.Platform, it.Sentiment, oneLine(it.Body(), 80))
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&f.Limit, "limit", 20, "at most this many items (0 for all)")
	fl.StringVar(&f.Entity, "entity", "", "only items mentioning this entity id")
	fl.StringVar(&f.Platform, "platform", "", "only items from this platform")
	fl.StringVar(&from, "from", "", "first day (2006-01-02)")
	fl.StringVar(&to, "to", "", "last day, inclusive (2006-01-02)")
	fl.StringVar(&f.Order, "order", "time", "time|time_asc|engagement")
	fl.StringVar(&format, "format", "", "text, json, csv or xlsx (default: json with --json, else from --out's extension, else text); csv and xlsx stream the newest --limit items in time order")
	fl.StringVarP(&out, "out", "o", "", "file to write (default: stdout)")
	return cmd
}

// parseDay reads a 2006-01-02 day (or RFC 3339 time) in loc; "" is zero.
func parseDay(s string, loc *time.Location) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, usageError{fmt.Errorf("invalid date %q (want 2006-01-02)", s)}
}

func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
