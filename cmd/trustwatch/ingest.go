package main

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"trustwatch"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"trustwatch/ingest"
	"trustwatch/reader"
)

func newIngestCmd(a *app) *cobra.Command {
	var format string
	var maps []string
	var platform string
	var busURL string
	var maxField int
	cmd := &cobra.Command{
		Use:   "ingest [flags] [PATH...]",
		Short: "Read crawler exports, CSV, metrics or events into the store",
		Long: `Read files into the store. A PATH may be a file, a directory (read
recursively), a .gz file, or - for standard input.

Formats: auto (default: recognised from the header or first record), items
(canonical JSONL), mediacrawler (Weibo, Xiaohongshu, Douyin, Bilibili; JSONL,
JSON, CSV; old and new schema), weibo-crawler (dataabc CSV/JSON), csv (any
CSV/TSV with --map), metrics (series,time,value), events (lawsuits, recalls …).

Without a PATH, the watch file's sources are read, each with its own format
and column map (paths relative to the watch file).

Lines that cannot be read are quarantined with file, line and reason; the run
goes on. A field over --max-field-bytes refuses its record; a stray quote in
a CSV/TSV costs its row (README, "Bad input"). A file cut short by a read error
makes the exit status 1. Re-ingesting the same data stores nothing new.`,
		Example: `  trustwatch ingest --db su7.db --format csv \
    --map text=content,time=date,author=author_hash,likes=likecount weibo_comments.csv
  trustwatch ingest --db brand.db --config trustwatch.yaml ./mediacrawler_data/
  trustwatch ingest --db brand.db --config trustwatch.yaml     # the watch file's sources`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opt, err := readerOptions(a, format, maps, platform)
			if err != nil {
				return err
			}
			if maxField < 0 {
				return usageError{fmt.Errorf("--max-field-bytes must not be negative")}
			}
			opt.MaxField = maxField
			w, err := loadWatch(a)
			if err != nil {
				return err
			}
			runs, err := ingestRuns(a, w, args, opt)
			if err != nil {
				return err
			}
			if busURL != "" {
				return ingestToBus(cmd.Context(), a, busURL, runs) // workers analyse and store (worker.go)
			}
			// Checked after loadWatch, which is what decides whether a watch
			// file is read; metrics and events are never tagged.
			if a.configPath == "" && format != reader.FormatMetrics && format != reader.FormatEvents {
				fmt.Fprintln(a.stderr, "trustwatch: warning: no watch file (--config), so no entity will be tagged; `trustwatch retag --config FILE` can tag the stored items later")
			}
			db, err := openIngestStore(cmd.Context(), a)
			if err != nil {
				return err
			}
			defer db.Close()
			an, _, err := newAnalyzer(w)
			if err != nil {
				return err
			}
			bar := newProgress(a)
			var sum ingest.Summary
			var errs []error
			for _, run := range runs {
				in := &ingest.Ingester{Store: db, Analyzer: an, Options: run.opt, Progress: bar.update}
				s, err := in.Ingest(cmd.Context(), run.paths, a.stdin)
				sum.Merge(s)
				if err != nil {
					errs = append(errs, err)
				}
			}
			bar.done()
			if perr := printSummary(a, sum); perr != nil {
				return perr
			}
			return errors.Join(errs...)
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", "auto", "input format: auto|items|mediacrawler|weibo-crawler|csv|metrics|events")
	f.StringArrayVar(&maps, "map", nil, "for csv: canonical field=column (repeatable, or comma-separated)")
	f.StringVar(&busURL, "bus", "", "publish the records to this NATS JetStream server (nats://HOST:PORT) instead of storing them; `trustwatch worker` stores them")
	f.IntVar(&maxField, "max-field-bytes", 0, "longest field of a record, in bytes (default 1 MiB; a watch file source's max_field_bytes wins): a longer one refuses the record")
	f.StringVar(&platform, "platform", "", "platform of the items when the data does not say (weibo, xhs, douyin, bilibili …)")
	return cmd
}

// knownFormat reports whether the readers know f ("auto" included).
func knownFormat(f string) bool { return f == reader.FormatAuto || slices.Contains(reader.Formats, f) }

func readerOptions(a *app, format string, maps []string, platform string) (reader.Options, error) {
	loc, err := location(a)
	if err != nil {
		return reader.Options{}, err
	}
	if !knownFormat(format) {
		return reader.Options{}, usageError{fmt.Errorf("unknown --format %q", format)}
	}
	m := map[string]string{}
	for _, arg := range maps {
		for _, kv := range strings.Split(arg, ",") {
			k, v, ok := strings.Cut(kv, "=")
			if !ok || k == "" || v == "" {
				return reader.Options{}, usageError{fmt.Errorf("--map wants field=column, got %q", kv)}
			}
			m[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return reader.Options{Format: format, Location: loc, Map: m, Platform: platform}, nil
}

func printSummary(a *app, sum ingest.Summary) error {
	if a.jsonOut {
		if sum.Files == nil {
			sum.Files = []ingest.FileSummary{}
		}
		return printJSON(a, sum)
	}
	for _, f := range sum.Files {
		if f.Error != "" && f.Read == 0 {
			fmt.Fprintf(a.stdout, "%s: %s\n", f.Path, f.Error)
			continue
		}
		fmt.Fprintf(a.stdout, "%s: %s, %s: read %d, stored %d, duplicates %d, quarantined %d%s\n",
			f.Path, f.Format, f.Encoding, f.Read, f.Stored, f.Duplicates, f.Quarantined, quarantineSplit(f.Quarantined, f.QuarantineNew, f.QuarantineKept))
	}
	fmt.Fprintf(a.stdout, "total: read %d, stored %d, duplicates %d, quarantined %d%s\n",
		sum.Read, sum.Stored, sum.Duplicates, sum.Quarantined, quarantineSplit(sum.Quarantined, sum.QuarantineNew, sum.QuarantineKept))
	if sum.Failed > 0 {
		fmt.Fprintf(a.stdout, "%d records were read but not written (see the error below); run the same ingest again to store them\n", sum.Failed)
	}
	if sum.Quarantined > 0 {
		fmt.Fprintf(a.stdout, "quarantined lines are listed by `trustwatch quarantine --db %s` and on the dashboard\n", a.shownDB())
	}
	return nil
}

// quarantineSplit says how many quarantined records were new to the store
// and how many it kept already (a re-run), when any were kept already.
func quarantineSplit(n, fresh, kept int) string {
	if kept == 0 || n == 0 {
		return ""
	}
	return fmt.Sprintf(" (%d new, %d already in the quarantine)", fresh, kept)
}

// progress draws a one-line bar on a terminal for inputs that take more
// than a couple of seconds; it draws nothing when stderr is not a terminal.
type progress struct {
	a       *app
	start   time.Time
	enabled bool
	drawn   bool
}

func newProgress(a *app) *progress {
	f, ok := a.stderr.(*os.File)
	return &progress{a: a, start: time.Now(), enabled: ok && term.IsTerminal(int(f.Fd()))}
}

func (p *progress) update(file string, done, size int64) {
	if !p.enabled || time.Since(p.start) < 2*time.Second {
		return
	}
	p.drawn = true
	mb := float64(done) / (1 << 20)
	if size > 0 {
		frac := float64(done) / float64(size)
		n := int(frac * 30)
		fmt.Fprintf(p.a.stderr, "\r%-40.40s [%-30s] %3.0f%% %.1f MiB", file, strings.Repeat("=", n), frac*100, mb)
		return
	}
	fmt.Fprintf(p.a.stderr, "\r%-40.40s %.1f MiB", file, mb)
}

func (p *progress) done() {
	if p.drawn {
		fmt.Fprint(p.a.stderr, "\r\033[K")
	}
}

// ingestRun is a set of paths read with one set of reader options.
type ingestRun struct {
	paths []string
	opt   reader.Options
}

// ingestRuns is the paths given, or, without any, the watch file's
// sources, each with its own format and column map.
func ingestRuns(a *app, w *trustwatch.Watch, args []string, opt reader.Options) ([]ingestRun, error) {
	if len(args) > 0 {
		return []ingestRun{{args, opt}}, nil
	}
	if len(w.Sources) == 0 {
		return nil, usageError{fmt.Errorf("ingest needs a PATH, or a watch file (--config) with sources")}
	}
	base := filepath.Dir(a.configPath)
	var runs []ingestRun
	for _, src := range w.Sources {
		o := opt
		o.Format = cmp.Or(src.Format, "auto")
		if !knownFormat(o.Format) {
			return nil, trustwatch.Errorf(trustwatch.EINVALID, "%s: source %s: unknown format %q", a.configPath, src.Path, src.Format)
		}
		o.Map = src.Map
		if src.MaxFieldBytes > 0 {
			o.MaxField = src.MaxFieldBytes
		}
		path := src.Path
		if path != "-" && !filepath.IsAbs(path) {
			path = filepath.Join(base, path)
		}
		runs = append(runs, ingestRun{[]string{path}, o})
	}
	return runs, nil
}
