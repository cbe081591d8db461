package main

import (
	"context"
	"log/slog"
	"os"
	"time"

	"trustwatch"
	"trustwatch/auth"
	"trustwatch/ingest"
	"trustwatch/label"
	"trustwatch/monitor"
	"trustwatch/reader"
	"trustwatch/web"
)

// newAuthService checks sign-ins and tokens against the store; a push
// source's token may also be in the environment variable its watch-file
// entry names, read at each request so a rotated variable needs no restart
// of the process that sets it.
// Either store may be nil for a command that uses only the other.
func newAuthService(users trustwatch.UserStore, tokens trustwatch.TokenStore, w *trustwatch.Watch) *auth.Service {
	return &auth.Service{Users: users, Tokens: tokens, SourceSecret: func(id string) string {
		for _, src := range w.Sources {
			if src.ID == id && src.SourceKind() == trustwatch.SourcePush && src.TokenEnv != "" {
				return os.Getenv(src.TokenEnv)
			}
		}
		return ""
	}}
}

// pushIngest reads pushed bodies as `trustwatch ingest` reads files: same
// readers, analysis and quarantine; the answer is its --json summary. When
// the daemon runs (a.monitor), the oldest item a push stored widens its
// next pass to that item's day, as a dir source's would.
func pushIngest(db ingest.Store, an *ingest.Analyzer, loc *time.Location, touch func(time.Time)) web.IngestFunc {
	return func(ctx context.Context, p web.Push) (web.PushResult, error) {
		var st ingest.Store = db
		if touch != nil {
			st = &earliestStored{Store: db, touch: touch}
		}
		// The source's max_field_bytes bounds a pushed record as it bounds
		// a file's (0: the reader's default).
		in := &ingest.Ingester{Store: st, Analyzer: an, Options: reader.Options{Format: p.Format, Map: p.Map, Location: loc,
			MaxField: p.Source.MaxFieldBytes}}
		sum, err := in.IngestReader(ctx, p.Name, p.Body)
		return web.PushResult{Read: sum.Read, Stored: sum.Stored, Duplicates: sum.Duplicates,
			Quarantined: sum.Quarantined, Failed: sum.Failed, Summary: sum}, err
	}
}

// touch is the daemon's Monitor.Touch, nil when no daemon runs.
func (a *app) touch() func(time.Time) {
	if a.monitor == nil {
		return nil
	}
	return a.monitor.Touch
}

// earliestStored tells touch the time of the oldest item of every batch
// that stored something.
type earliestStored struct {
	ingest.Store
	touch func(time.Time)
}

func (s *earliestStored) PutItems(ctx context.Context, items []trustwatch.Item) (int, int, error) {
	stored, dup, err := s.Store.PutItems(ctx, items)
	if stored > 0 {
		s.touch(trustwatch.OldestTime(items))
	}
	return stored, dup, err
}

// pushRounds tells the metrics and, under the daemon, the monitor of every
// push, so that a silent push source raises source.silent too.
type pushRounds struct {
	metrics trustwatch.RoundRecorder
	monitor *monitor.Monitor
	log     *slog.Logger
}

func (p pushRounds) Round(r trustwatch.SourceRound) {
	p.metrics.Round(r)
	if p.monitor != nil {
		if err := p.monitor.RecordPush(context.Background(), r); err != nil {
			p.log.Error("push round", "source", r.Source, "err", err)
		}
	}
}

// accessNote says, when serving starts, who may do what without signing in.
func accessNote(anonymous trustwatch.Role, users int) string {
	switch {
	case anonymous == trustwatch.RoleAnalyst:
		return "access: anyone who reaches this address may read, acknowledge, resolve, comment on, assign and snooze alerts without signing in (" + label.Role(anonymous) + ")"
	case anonymous != "":
		return "access: anyone who reaches this address may read without signing in; acting on alerts needs a user"
	case users == 0:
		return "access: sign-in required, and the store has no users yet: trustwatch user add NAME --role admin"
	}
	return "access: sign-in required"
}
