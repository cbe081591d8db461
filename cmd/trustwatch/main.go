// Command trustwatch is the brand-trust early-warning system's single
// binary. This package only wires: it parses flags, opens the store and the
// watch file, and calls the capability packages.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"trustwatch"
	"trustwatch/metrics"
	"trustwatch/monitor"
)

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// usageError marks an error in how the command was called (exit code 2).
type usageError struct{ error }

// run executes the command line and returns the exit code; tests call it.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	app := &app{stdin: stdin, stdout: stdout, stderr: stderr}
	root := newRootCmd(app)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var ue usageError
	var unsupported unsupportedError
	if errors.As(err, &unsupported) {
		fmt.Fprintln(stderr, unsupported.Error())
		return exitFail
	}
	if errors.As(err, &ue) || isCobraUsage(err) {
		fmt.Fprintf(stderr, "trustwatch: %v\n", err)
		return exitUsage
	}
	if code := trustwatch.ErrorCode(err); code != trustwatch.EINTERNAL {
		fmt.Fprintf(stderr, "trustwatch: %s\n", trustwatch.ErrorMessage(err))
	} else {
		fmt.Fprintf(stderr, "trustwatch: %v\n", err)
	}
	return exitFail
}

// app holds what every command shares: the global flags and the streams.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer

	dbPath     string
	dbFromEnv  bool // dbPath is $TRUSTWATCH_DB
	configPath string
	jsonOut    bool
	tz         string
	cpuProfile string
	logFormat  string

	// The daemon's operations state, read by serve: metrics (also its
	// RoundRecorder, see metricsFor) and when its last round completed
	// (nil when no daemon runs: /readyz then checks the store only).
	metrics   *metrics.Metrics
	lastRound func() time.Time

	// monitor is the daemon's scheduler under `run` (nil otherwise); a
	// push is one of its rounds.
	monitor *monitor.Monitor

	// access is how serve lets people in (serve.go).
	access accessFlags
}

func newRootCmd(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:           "trustwatch",
		Short:         "Brand-trust early warning: public opinion, claims and hard signals, with evidence",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	pf := root.PersistentFlags()
	pf.StringVar(&a.dbPath, "db", "trustwatch.db", "store: a SQLite file, or postgres://USER@HOST:PORT/DB (default $TRUSTWATCH_DB, else trustwatch.db)")
	pf.StringVar(&a.configPath, "config", "", "watch file (trustwatch.yaml)")
	pf.BoolVar(&a.jsonOut, "json", false, "machine-readable JSON output")
	pf.StringVar(&a.tz, "tz", trustwatch.DefaultTimezone, "time zone for naive times and for periods")
	pf.StringVar(&a.logFormat, "log-format", "text", "log lines on stderr: text or json")
	pf.StringVar(&a.cpuProfile, "cpuprofile", "", "write a CPU profile of the command to this file")
	pf.MarkHidden("cpuprofile")
	var stopProfile func()
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		if a.logFormat != "text" && a.logFormat != "json" {
			return usageError{fmt.Errorf("unknown --log-format %q (want text or json)", a.logFormat)}
		}
		if v := os.Getenv("TRUSTWATCH_DB"); v != "" && !cmd.Flags().Changed("db") {
			a.dbPath, a.dbFromEnv = v, true
		}
		if a.cpuProfile == "" {
			return nil
		}
		f, err := os.Create(a.cpuProfile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return err
		}
		stopProfile = func() { pprof.StopCPUProfile(); f.Close() }
		return nil
	}
	root.PersistentPostRun = func(cmd *cobra.Command, args []string) {
		if stopProfile != nil {
			stopProfile()
		}
	}
	for _, c := range append(coreCommands, commands...) {
		root.AddCommand(c(a))
	}
	return root
}

// commands lists the subcommand constructors, one file each.
var commands = []func(*app) *cobra.Command{newClassifyCmd, newTrainCmd, newEvalCmd, newHypeCmd, newLedgerCmd, newEvidenceCmd, newVoiceCmd, newReportCmd, newAlertsCmd, newTermsCmd,
	newDigestCmd,
	newWorkerCmd}

// isCobraUsage recognises cobra's argument-validation errors.
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand", "accepts ", "requires at least", "requires at most", "invalid argument", "required flag"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}
