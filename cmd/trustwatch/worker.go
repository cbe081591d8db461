package main

import (
	"context"
	"errors"
	"fmt"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"trustwatch/bus"
	"trustwatch/ingest"
)

func newWorkerCmd(a *app) *cobra.Command {
	var url string
	var batch, threads int
	var ackWait time.Duration
	cmd := &cobra.Command{
		Use:   "worker --bus nats://HOST:PORT [--db postgres://…|FILE] [--config FILE]",
		Short: "Analyse and store the records `ingest --bus` published, until stopped",
		Long: `Consume the records that ` + "`trustwatch ingest --bus`" + ` published: fetch a batch from the
shared durable consumer, analyse its items with the watch file, write it to
the store, and only then ack it. Any number of workers may run against the
same bus; a batch whose worker dies is delivered again to another after
--ack-wait, and the store counts it as duplicates.

SIGINT or SIGTERM stop the worker after the batch in hand is stored and acked.`,
		Example: `  trustwatch worker --bus nats://127.0.0.1:4222 --db postgres://trustwatch@db:5432/trustwatch --config trustwatch.yaml`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if url == "" {
				return usageError{errors.New("worker needs --bus nats://HOST:PORT")}
			}
			// main stops on SIGINT only; a worker is also stopped by SIGTERM
			// (docker stop, systemd).
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGTERM)
			defer stop()
			w, db, err := openWatchStore(cmd.Context(), a)
			if err != nil {
				return err
			}
			defer db.Close()
			an, _, err := newAnalyzer(w)
			if err != nil {
				return err
			}
			nc, js, err := bus.Connect(ctx, url, "trustwatch worker")
			if err != nil {
				return err
			}
			defer nc.Close()
			wk := &bus.Worker{NC: nc, JS: js, Store: db, Analyzer: an, Batch: batch, AckWait: ackWait, Threads: threads, Log: a.logger()}
			start := time.Now()
			runErr := wk.Run(ctx)
			st := wk.Stats()
			if a.jsonOut {
				if err := printJSON(a, st); err != nil {
					return err
				}
			} else {
				fmt.Fprintf(a.stdout, "worker: %d messages in %d batches in %s: stored %d, duplicates %d, quarantined %d, redelivered %d\n",
					st.Messages, st.Batches, time.Since(start).Round(time.Millisecond), st.Stored, st.Duplicates, st.Quarantined, st.Redelivered)
			}
			return runErr
		},
	}
	f := cmd.Flags()
	f.StringVar(&url, "bus", "", "NATS server with JetStream (nats://HOST:PORT)")
	f.IntVar(&batch, "batch", 500, "messages fetched, analysed and committed together")
	f.IntVar(&threads, "threads", 2, "goroutines analysing a batch")
	f.DurationVar(&ackWait, "ack-wait", 30*time.Second, "how long the server waits for a batch's acks before redelivering it")
	return cmd
}

// busFileSummary is ingest's FileSummary as a publisher sees it: what
// the stream kept is published, not stored.
type busFileSummary struct {
	Path        string `json:"path"`
	Format      string `json:"format"`
	Encoding    string `json:"encoding"`
	Read        int    `json:"read"`
	Published   int    `json:"published"`
	Duplicates  int    `json:"duplicates"`
	Quarantined int    `json:"quarantined"`
	Failed      int    `json:"failed,omitempty"`
	Error       string `json:"error,omitempty"`
}

type busSummary struct {
	Read        int              `json:"read"`
	Published   int              `json:"published"`
	Duplicates  int              `json:"duplicates"`
	Quarantined int              `json:"quarantined"`
	Failed      int              `json:"failed,omitempty"`
	Files       []busFileSummary `json:"files"`
}

// ingestToBus reads the runs with the same readers as ingest and publishes
// the records, unanalysed, for workers to analyse and store.
func ingestToBus(ctx context.Context, a *app, url string, runs []ingestRun) error {
	nc, js, err := bus.Connect(ctx, url, "trustwatch ingest")
	if err != nil {
		return err
	}
	defer nc.Close()
	pub := &bus.Publisher{JS: js}
	bar := newProgress(a)
	var sum ingest.Summary
	var errs []error
	for _, run := range runs {
		in := &ingest.Ingester{Store: pub, Options: run.opt, Progress: bar.update}
		s, err := in.Ingest(ctx, run.paths, a.stdin)
		sum.Merge(s)
		if err != nil {
			errs = append(errs, err)
		}
	}
	bar.done()
	out := busSummary{Read: sum.Read, Published: sum.Stored, Duplicates: sum.Duplicates, Quarantined: sum.Quarantined, Failed: sum.Failed, Files: []busFileSummary{}}
	for _, f := range sum.Files {
		out.Files = append(out.Files, busFileSummary{f.Path, f.Format, f.Encoding, f.Read, f.Stored, f.Duplicates, f.Quarantined, f.Failed, f.Error})
	}
	if a.jsonOut {
		if err := printJSON(a, out); err != nil {
			return err
		}
		return errors.Join(errs...)
	}
	for _, f := range out.Files {
		if f.Error != "" && f.Read == 0 {
			fmt.Fprintf(a.stdout, "%s: %s\n", f.Path, f.Error)
			continue
		}
		fmt.Fprintf(a.stdout, "%s: %s, %s: read %d, published %d, duplicates %d, quarantined %d\n",
			f.Path, f.Format, f.Encoding, f.Read, f.Published, f.Duplicates, f.Quarantined)
	}
	fmt.Fprintf(a.stdout, "total: read %d, published %d, duplicates %d, quarantined %d\n",
		out.Read, out.Published, out.Duplicates, out.Quarantined)
	if out.Failed > 0 {
		fmt.Fprintf(a.stdout, "%d records were read but not published (see the error below); publishing again is harmless\n", out.Failed)
	}
	return errors.Join(errs...)
}
