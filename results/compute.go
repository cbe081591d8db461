package results

import (
	"context"
	"fmt"
	"time"

	"trustwatch"
	"trustwatch/detect/ledger"
	"trustwatch/detect/terms"
	"trustwatch/detect/voice"
	"trustwatch/report"
	"trustwatch/story"
)

// TermsWindow is the terms page's default window: the week up to the end
// of the newest item's day.
const TermsWindow = 7 * 24 * time.Hour

// ReportWindow is the report's default window, as the dashboard's pages
// default to: the 30 days up to the end of the newest item's day. The
// stories page opens on it too.
const ReportWindow = 30 * 24 * time.Hour

// The keys of the results. A key holds everything the result is computed
// from besides the data: its subject and times.

// LedgerKey is the ledger of entity's claims ("" for all) as of at.
func LedgerKey(at time.Time, entity string) string {
	return fmt.Sprintf("ledger|%d|%s", at.UnixNano(), entity)
}

// EvidenceKey is a claim's evidence up to at.
func EvidenceKey(claim string, at time.Time) string {
	return fmt.Sprintf("evidence|%s|%d", claim, at.UnixNano())
}

// VoiceKey is an entity's voice profile over [from, to).
func VoiceKey(entity string, from, to time.Time) string {
	return fmt.Sprintf("voice|%s|%d|%d", entity, from.UnixNano(), to.UnixNano())
}

// TermsKey is the terms discovered over [from, to) about entity ("" for
// all), only the ones no dictionary knows if newOnly.
func TermsKey(from, to time.Time, entity string, newOnly bool) string {
	return fmt.Sprintf("terms|%d|%d|%s|%t", from.UnixNano(), to.UnixNano(), entity, newOnly)
}

// ReportKey is the report of [from, to).
func ReportKey(from, to time.Time) string {
	return fmt.Sprintf("report|%d|%d", from.UnixNano(), to.UnixNano())
}

// StoriesKey is the stories of [from, to).
func StoriesKey(from, to time.Time) string {
	return fmt.Sprintf("stories|%d|%d", from.UnixNano(), to.UnixNano())
}

// Computer computes the results. The pages and the Precomputer both call
// it, so that a precomputed result is the one the page would compute.
type Computer struct {
	Store trustwatch.Store
	Watch *trustwatch.Watch
	// Location is where days begin; Asia/Shanghai when nil.
	Location *time.Location
	// Cut is the segmenter's Cut over normalised text: it gives claims
	// without a subject their key terms (ledger.Options.Cut).
	Cut func(string) []string
	// Known is the segmenter's dictionary, telling new terms from known
	// words (terms.Options.Known).
	Known func(string) bool
}

// Terms are the top 50 terms discovered over [from, to) about entity.
func (c Computer) Terms(ctx context.Context, from, to time.Time, entity string, newOnly bool) ([]terms.Term, error) {
	return terms.Discover(ctx, c.Store, c.Watch, terms.Options{From: from, To: to, Entity: entity, Location: c.location(), Known: c.Known, Top: 50, NewOnly: newOnly})
}

func (c Computer) ledger() ledger.Options {
	return ledger.Options{Cut: c.Cut, Location: c.Location}
}

// Ledger is the ledger of entity's claims ("" for all) as of at.
func (c Computer) Ledger(ctx context.Context, at time.Time, entity string) ([]ledger.Row, error) {
	return c.ledger().Ledger(ctx, c.Store, c.Watch, at, entity)
}

// Evidence is a claim's evidence up to at.
func (c Computer) Evidence(ctx context.Context, claim string, at time.Time) ([]ledger.EvidenceItem, error) {
	return c.ledger().Evidence(ctx, c.Store, c.Watch, claim, at)
}

// Voice is an entity's voice profile over [from, to).
func (c Computer) Voice(ctx context.Context, entity string, from, to time.Time) (*voice.Profile, error) {
	return voice.Analyze(ctx, c.Store, c.Watch, entity, voice.Options{From: from, To: to})
}

// Report is the report of [from, to), generated at now.
func (c Computer) Report(ctx context.Context, from, to, now time.Time) (*report.Report, error) {
	return report.Build(ctx, c.Store, c.Watch, report.Options{From: from, To: to, Location: c.location(), Now: now})
}

// Stories are the stories of [from, to), clustered over the items of the
// window and of story.Background before it (the accounts seen earlier).
func (c Computer) Stories(ctx context.Context, from, to time.Time) ([]story.Story, error) {
	items, err := c.window(ctx, trustwatch.ItemFilter{}, from, to)
	if err != nil {
		return nil, err
	}
	return story.Cluster(items, story.Options{From: from, To: to, Cut: c.Cut}), nil
}

// Coordination is the coordination evidence of the items matching f in
// [from, to), with story.Background before as the accounts seen earlier.
func (c Computer) Coordination(ctx context.Context, f trustwatch.ItemFilter, from, to time.Time) (*story.Coordination, error) {
	items, err := c.window(ctx, f, from, to)
	if err != nil {
		return nil, err
	}
	co := story.Coordinate(items, story.Options{From: from, To: to, Cut: c.Cut})
	return &co, nil
}

// window reads the items matching f in [from, to) and in story.Background
// before it.
func (c Computer) window(ctx context.Context, f trustwatch.ItemFilter, from, to time.Time) ([]trustwatch.Item, error) {
	f.From, f.To = from.Add(-story.Background), to
	var items []trustwatch.Item
	err := c.Store.EachItem(ctx, f, func(it *trustwatch.Item) error {
		items = append(items, *it)
		return nil
	})
	return items, err
}

func (c Computer) location() *time.Location {
	if c.Location == nil {
		return trustwatch.DefaultLocation()
	}
	return c.Location
}

// Defaults are the times the pages use when the request names none: the
// end of the newest item's day (the ledger's at, the windows' end), the
// voice's lookback before it and the report's 30 days.
type Defaults struct {
	At         time.Time
	VoiceFrom  time.Time
	ReportFrom time.Time
	TermsFrom  time.Time
}

// DefaultsFor returns the defaults for a store whose newest item is at last.
func DefaultsFor(last time.Time, loc *time.Location) Defaults {
	l := last.In(loc)
	end := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc).AddDate(0, 0, 1)
	return Defaults{At: end, VoiceFrom: end.Add(-voice.DefaultLookback), ReportFrom: end.Add(-ReportWindow), TermsFrom: end.Add(-TermsWindow)}
}
