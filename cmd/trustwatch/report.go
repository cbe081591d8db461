package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"trustwatch/report"
)

func newReportCmd(a *app) *cobra.Command {
	var from, to, format, out, baseURL, title string
	cmd := &cobra.Command{
		Use:   "report",
		Short: "The unfiltered report of a period: bad news first, every figure linked to its evidence",
		Long: `Writes what got worse in the period (open alerts by severity, claims
defaulting, aspects whose negative share rose, new nicknames and terms, SLA
breaches and out-of-control batches, market lows), then what held or
improved, then the full tables, each figure with its sample size and its
evidence. HTML is one self-contained file (its evidence in an appendix),
Markdown links to the dashboard (--base-url), XLSX has one sheet per section.
The period is compared with the one of the same length before it.`,
		Example: "  trustwatch report --db su7.db --config trustwatch.yaml --from 2025-03-01 --to 2025-03-31 --format html -o report.html",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			loc, err := location(a)
			if err != nil {
				return err
			}
			opt := report.Options{Location: loc, BaseURL: baseURL, Title: title}
			if opt.From, err = parseDay(from, loc); err != nil {
				return err
			}
			if opt.To, err = parseDay(to, loc); err != nil {
				return err
			}
			if opt.To.IsZero() {
				y, m, d := time.Now().In(loc).Date()
				opt.To = time.Date(y, m, d, 0, 0, 0, 0, loc)
			} else {
				opt.To = opt.To.AddDate(0, 0, 1) // --to is the last day included
			}
			if opt.From.IsZero() {
				opt.From = opt.To.AddDate(0, 0, -7)
			}
			if format == "" {
				format = strings.TrimPrefix(filepath.Ext(out), ".")
			}
			format = strings.ToLower(format)
			switch format {
			case "", "htm":
				format = "html"
			case "markdown":
				format = "md"
			}
			if format != "html" && format != "md" && format != "xlsx" {
				return usageError{fmt.Errorf("unknown --format %q (want html, md or xlsx)", format)}
			}
			w, db, err := openWatchStore(cmd.Context(), a)
			if err != nil {
				return err
			}
			defer db.Close()
			r, err := report.Build(cmd.Context(), db, w, opt)
			if err != nil {
				return err
			}
			var dst io.Writer = a.stdout
			var f *os.File
			if out != "" && out != "-" {
				if f, err = os.Create(out); err != nil {
					return fmt.Errorf("report: %w", err)
				}
				dst = f
			}
			switch format {
			case "html":
				err = r.HTML(dst)
			case "md":
				err = r.Markdown(dst)
			case "xlsx":
				err = r.XLSX(dst)
			}
			if f != nil {
				if cerr := f.Close(); err == nil && cerr != nil {
					err = fmt.Errorf("report: %w", cerr)
				}
				if err == nil {
					fmt.Fprintf(a.stderr, "wrote %s: %d worse, %d held, %d tables\n", out, len(r.Worse), len(r.Held), len(r.Tables))
				}
			}
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&from, "from", "", "first day of the period (default: 7 days before --to)")
	f.StringVar(&to, "to", "", "last day of the period (default: yesterday)")
	f.StringVar(&format, "format", "", "html, md or xlsx (default: from -o's extension, else html)")
	f.StringVarP(&out, "output", "o", "", "file to write (default: stdout)")
	f.StringVar(&baseURL, "base-url", "", "dashboard address for evidence links (e.g. http://localhost:8080)")
	f.StringVar(&title, "title", "", "report title")
	return cmd
}
