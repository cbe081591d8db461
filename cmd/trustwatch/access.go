package main

import (
	"context"
	"os"
	"time"

	"trustwatch"
	"trustwatch/auth"
	"trustwatch/ingest"
	"trustwatch/label"
	"trustwatch/reader"
	"trustwatch/sqlite"
	"trustwatch/web"
)

// newAuthService checks sign-ins and tokens against the store; a push
// source's token may also be in the environment variable its watch-file
// entry names, read at each request so a rotated variable needs no restart
// of the process that sets it.
func newAuthService(db *sqlite.DB, w *trustwatch.Watch) *auth.Service {
	return &auth.Service{Users: db, Tokens: db, SourceSecret: func(id string) string {
		for _, src := range w.Sources {
			if src.ID == id && src.SourceKind() == trustwatch.SourcePush && src.TokenEnv != "" {
				return os.Getenv(src.TokenEnv)
			}
		}
		return ""
	}}
}

// pushIngest reads pushed bodies as `trustwatch ingest` reads files: same
// readers, analysis and quarantine; the answer is its --json summary.
func pushIngest(db *sqlite.DB, an *ingest.Analyzer, loc *time.Location) web.IngestFunc {
	return func(ctx context.Context, p web.Push) (web.PushResult, error) {
		in := &ingest.Ingester{Store: db, Analyzer: an, Options: reader.Options{Format: p.Format, Map: p.Map, Location: loc}}
		sum, err := in.IngestReader(ctx, p.Name, p.Body)
		return web.PushResult{Read: sum.Read, Stored: sum.Stored, Duplicates: sum.Duplicates,
			Quarantined: sum.Quarantined, Failed: sum.Failed, Summary: sum}, err
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
