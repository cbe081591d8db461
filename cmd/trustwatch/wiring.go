package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"trustwatch"
	"trustwatch/metrics"
	"trustwatch/watchfile"
)

// loadWatch reads the watch file named by --config; without one, the watch
// is empty (nothing but the stored data is known).
func loadWatch(a *app) (*trustwatch.Watch, error) {
	if a.configPath == "" {
		return &trustwatch.Watch{}, nil
	}
	return watchfile.Load(a.configPath)
}

// logger is every command's logger: warnings and errors on stderr, as
// text or, with --log-format json, one JSON object a line.
func (a *app) logger() *slog.Logger { return a.loggerAt(slog.LevelWarn) }

// loggerAt is logger at another level: the daemon logs its rounds at Info.
func (a *app) loggerAt(level slog.Level) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	if a.logFormat == "json" {
		return slog.New(slog.NewJSONHandler(a.stderr, opts))
	}
	return slog.New(slog.NewTextHandler(a.stderr, opts))
}

// metricsFor returns the process's metrics over db, made on first use:
// the daemon records its rounds on them (they are a
// trustwatch.RoundRecorder) and serve exposes them at /metrics.
func (a *app) metricsFor(db trustwatch.Store, log *slog.Logger) *metrics.Metrics {
	if a.metrics == nil {
		a.metrics = metrics.New(db, log)
	}
	return a.metrics
}

// location returns the zone named by --tz.
func location(a *app) (*time.Location, error) {
	loc, err := time.LoadLocation(a.tz)
	if err != nil {
		return nil, usageError{trustwatch.Errorf(trustwatch.EINVALID, "unknown time zone %q", a.tz)}
	}
	return loc, nil
}

// printJSON writes v as indented JSON to stdout.
func printJSON(a *app, v any) error {
	enc := json.NewEncoder(a.stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// openWatchStore loads the watch file and opens the store; the caller
// closes the store.
func openWatchStore(ctx context.Context, a *app) (*trustwatch.Watch, trustwatch.Store, error) {
	w, err := loadWatch(a)
	if err != nil {
		return nil, nil, err
	}
	db, err := openStore(ctx, a)
	if err != nil {
		return nil, nil, err
	}
	return w, db, nil
}

// parseSpan reads --from and --to days in loc as the span [from, to+1 day):
// --to is the last day included. Empty flags give zero times.
func parseSpan(from, to string, loc *time.Location) (time.Time, time.Time, error) {
	f, err := parseDay(from, loc)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	t, err := parseDay(to, loc)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	if !t.IsZero() {
		t = t.AddDate(0, 0, 1)
	}
	return f, t, nil
}
