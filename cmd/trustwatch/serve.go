package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"trustwatch"
	"trustwatch/aspect"
	"trustwatch/segment"
	"trustwatch/sqlite"
	"trustwatch/web"
)

func newServeCmd(a *app) *cobra.Command {
	var addr string
	cmd := &cobra.Command{
		Use:     "serve",
		Short:   "Serve the dashboard and the JSON API",
		Example: "  trustwatch serve --db brand.db --config trustwatch.yaml --addr 127.0.0.1:8080",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			w, db, err := openWatchStore(a)
			if err != nil {
				return err
			}
			defer db.Close()
			return serve(cmd.Context(), a, db, w, addr, "")
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on")
	return cmd
}

// serve listens on addr, prints the dashboard's address and serves until
// ctx is done. reportFile, if not empty, is linked from the report page.
func serve(ctx context.Context, a *app, db *sqlite.DB, w *trustwatch.Watch, addr, reportFile string) error {
	loc, err := location(a)
	if err != nil {
		return err
	}
	logger := a.logger()
	seg, err := segment.ForWatch(w)
	if err != nil {
		return err
	}
	srv := &web.Server{Store: db, Watch: w, Location: loc, Logger: logger, ReportFile: reportFile,
		Cut: seg.Words, Known: seg.Known, Metrics: a.metricsFor(db, logger).Handler(), LastRound: a.lastRound}
	if lex, err := aspect.Default().With(w.Aspects); err == nil {
		srv.AspectName = lex.Name
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return trustwatch.Errorf(trustwatch.EINVALID, "listen on %s: %v", addr, err)
	}
	url := "http://" + ln.Addr().String() + "/"
	fmt.Fprintf(a.stdout, "dashboard: %s\n", url)
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := hs.Shutdown(shut); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}
