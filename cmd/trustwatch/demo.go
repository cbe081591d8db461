package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"trustwatch"
	"trustwatch/demo"
	"trustwatch/ingest"
	"trustwatch/reader"
	"trustwatch/report"
	"trustwatch/watchfile"
)

// writeDemoReport writes the report of the scenario's last 30 days.
func writeDemoReport(ctx context.Context, db trustwatch.Store, w *trustwatch.Watch, loc *time.Location, path string) error {
	_, last, _, err := db.Span(ctx)
	if err != nil {
		return err
	}
	end := time.Date(last.In(loc).Year(), last.In(loc).Month(), last.In(loc).Day(), 0, 0, 0, 0, loc).AddDate(0, 0, 1)
	r, err := report.Build(ctx, db, w, report.Options{From: end.AddDate(0, 0, -30), To: end, Location: loc, Title: "曜川汽车 信任报告（演示）"})
	if err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := r.HTML(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func newDemoCmd(a *app) *cobra.Command {
	var addr, dir string
	var seed uint64
	var scale float64
	var noServe bool
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Generate the demo scenario, ingest it, run every detector and serve the dashboard",
		Long: `Generate a deterministic, fictional scenario — an invented car brand
(曜川汽车), its founder (程朗) and products, 120 days of posts and comments on
Weibo, Xiaohongshu and Douyin, stock, followers, orders, SOS connect times,
defect batches and events — write it as the files a user would collect,
ingest them through the same readers, run every detector, write the report
and serve the dashboard.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if dir == "" {
				d, err := os.MkdirTemp("", "trustwatch-demo-")
				if err != nil {
					return err
				}
				dir = d
			}
			if !cmd.Flags().Changed("db") && !a.dbFromEnv {
				a.dbPath = filepath.Join(dir, "demo.db")
			}
			fmt.Fprintf(a.stdout, "generating the demo scenario in %s …\n", dir)
			files, err := demo.Generate(dir, seed, scale)
			if err != nil {
				return err
			}
			a.configPath = files.Watch
			w, err := watchfile.Load(files.Watch)
			if err != nil {
				return err
			}
			db, err := openStore(cmd.Context(), a)
			if err != nil {
				return err
			}
			defer db.Close()
			an, _, err := newAnalyzer(w)
			if err != nil {
				return err
			}
			loc, err := location(a)
			if err != nil {
				return err
			}
			steps := []struct {
				format string
				paths  []string
			}{
				{"auto", files.Items},
				{"metrics", []string{files.Metrics, files.Defects}},
				{"events", []string{files.Events}},
			}
			for _, s := range steps {
				in := &ingest.Ingester{Store: db, Analyzer: an, Options: reader.Options{Format: s.format, Location: loc}}
				sum, err := in.Ingest(ctx, s.paths, nil)
				if err != nil {
					return err
				}
				for _, f := range sum.Files {
					fmt.Fprintf(a.stdout, "  %s: %s, read %d, stored %d, duplicates %d, quarantined %d\n",
						filepath.Base(f.Path), f.Format, f.Read, f.Stored, f.Duplicates, f.Quarantined)
				}
			}
			fmt.Fprintln(a.stdout, "running every detector …")
			rep, err := newRunner(a, db, w).Run(ctx)
			if err != nil {
				return err
			}
			res := rep.Result
			fmt.Fprintf(a.stdout, "  %d findings over %d days: %d alerts\n", rep.Detections, rep.Days, len(res.New)+len(res.Updated))
			precompute(ctx, a, newPrecomputer(a, db, w), a.logger())
			reportPath := filepath.Join(dir, "report.html")
			if err := writeDemoReport(ctx, db, w, loc, reportPath); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "report: %s\n", reportPath)
			if noServe {
				fmt.Fprintf(a.stdout, "store: %s\n", a.dbPath)
				return nil
			}
			// The demo's store is its own, just generated: on loopback, and
			// while it has no users, everyone may also act on its alerts, so
			// that the two-command start needs no account. serve says so.
			a.access.demoRole = trustwatch.RoleAnalyst
			return serve(ctx, cmd, a, db, w, addr, reportPath)
		},
	}
	f := cmd.Flags()
	f.StringVar(&addr, "addr", "127.0.0.1:8080", "address to serve the dashboard on")
	f.StringVar(&dir, "dir", "", "directory for the generated files and store (default: a new temporary directory)")
	f.Uint64Var(&seed, "seed", 1, "scenario seed")
	f.Float64Var(&scale, "scale", 1, "volume multiplier (1 ≈ 50,000 items)")
	f.BoolVar(&noServe, "no-serve", false, "build the store and exit without serving")
	return cmd
}
