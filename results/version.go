package results

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"runtime/debug"
	"time"

	"trustwatch"
)

// format changes when the encoding of a result or the meaning of a key
// changes, so that results saved by an older trustwatch are recomputed.
const format = "1"

// Basis is what the results depend on besides the stored items: the watch
// file (its entities, claims and accounts decide what counts as evidence
// or as a spokesperson's post), the zone days are cut in, and the build
// that computes them.
type Basis struct {
	watch string
	zone  string
	build string
}

// NewBasis hashes the watch file once; the zone defaults to the domain's.
func NewBasis(w *trustwatch.Watch, loc *time.Location) Basis {
	if loc == nil {
		loc = trustwatch.DefaultLocation()
	}
	return Basis{watch: watchHash(w), zone: loc.String(), build: buildID()}
}

// Version is the version of the data the results would be computed from
// now: ingest only adds items, so a stored item changes the count or the
// span, and a re-tag is a change of the watch file.
func (b Basis) Version(ctx context.Context, items trustwatch.ItemStore) (string, error) {
	first, last, n, err := items.Span(ctx)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s/items=%d,%d,%d/watch=%s/tz=%s/build=%s", format, n, first.Unix(), last.Unix(), b.watch, b.zone, b.build), nil
}

// watchHash is a hash of the parsed watch file. The parsed form, not the
// file's bytes: a comment or a reordering that changes no entity, claim or
// rule keeps the results.
func watchHash(w *trustwatch.Watch) string {
	if w == nil {
		return "none"
	}
	b, err := json.Marshal(w)
	if err != nil {
		// A watch that cannot be hashed must never match a saved result.
		return "unhashable-" + fmt.Sprint(time.Now().UnixNano())
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// buildID names the build: a new binary may compute a result differently,
// so results saved by another build are recomputed. A build without VCS
// stamps (go test, go run) is "dev".
func buildID() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	rev, modified := "", ""
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "+dirty"
			}
		}
	}
	if rev == "" {
		return "dev"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	return rev + modified
}

// AlertsVersion fingerprints the alerts as the report shows them (which are
// open, acknowledged, assigned, snoozed, their statements): the report
// lists the open alerts, and acknowledging one changes no item.
func AlertsVersion(ctx context.Context, alerts trustwatch.AlertStore) (string, error) {
	as, _, err := alerts.FindAlerts(ctx, trustwatch.AlertFilter{})
	if err != nil {
		return "", err
	}
	h := sha256.New()
	stamp := func(t *time.Time) int64 {
		if t == nil {
			return 0
		}
		return t.UnixNano()
	}
	for _, a := range as {
		fmt.Fprintf(h, "%s|%s|%s|%d|%d|%d|%d|%s|%d|%d|%v\n", a.ID, a.Severity, a.Statement, a.Opened.UnixNano(), a.Updated.UnixNano(),
			stamp(a.Resolved), stamp(a.Acked), a.Assignee, stamp(a.SnoozedUntil), len(a.Evidence), a.Value)
	}
	return fmt.Sprintf("alerts=%d,%s", len(as), hex.EncodeToString(h.Sum(nil)[:8])), nil
}
