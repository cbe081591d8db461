package alert

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"trustwatch"
)

// BuiltinPrefix names the rule of an item detection no watch-file rule
// asked for: "builtin:volume.spike".
const BuiltinPrefix = "builtin:"

// DefaultCooldown is how long after an alert's last data point a new
// finding on the same thing still belongs to it (or, if it was resolved,
// is held back), by severity. The more severe, the sooner it may alert
// again. A rule's cooldown overrides it.
var DefaultCooldown = map[string]time.Duration{
	trustwatch.SeverityCritical: 12 * time.Hour,
	trustwatch.SeverityHigh:     24 * time.Hour,
	trustwatch.SeverityMedium:   3 * 24 * time.Hour,
	trustwatch.SeverityLow:      7 * 24 * time.Hour,
}

// maxEvidence bounds an alert's evidence; a long episode keeps its newest.
const maxEvidence = 50

// Engine raises alerts from detections.
type Engine struct {
	Store    trustwatch.AlertStore
	Rules    []trustwatch.Rule
	Notifier trustwatch.Notifier // nil: nothing is delivered
	Now      func() time.Time    // time.Now when nil; for acknowledgements and NotifyMaxAge
	Log      *slog.Logger        // slog.Default() when nil
	// Location cuts days in statements; trustwatch.DefaultLocation() when nil.
	Location *time.Location
	// NotifyMaxAge, when set, keeps new alerts opened longer ago than this
	// from being delivered (they are stored all the same), so that a first
	// run over a year of history does not page anyone a hundred times.
	NotifyMaxAge time.Duration

	// Deliveries, when set, keeps every delivery attempt (nil: none kept).
	Deliveries trustwatch.DeliveryStore
}

// Result is what one Raise did.
type Result struct {
	New     []trustwatch.Alert `json:"new"`
	Updated []trustwatch.Alert `json:"updated"`
	// Unchanged counts detections already part of an alert as they are
	// (running the detectors again over the same data).
	Unchanged int `json:"unchanged"`
	// Suppressed counts detections held back by the cooldown of a resolved
	// alert; Filtered those a matching rule's thresholds rejected.
	Suppressed int             `json:"suppressed"`
	Filtered   int             `json:"filtered"`
	Deliveries []AlertDelivery `json:"deliveries,omitempty"`
}

// AlertDelivery is the delivery of one new alert to one channel.
type AlertDelivery struct {
	Alert string `json:"alert"`
	trustwatch.Delivery
	Error string `json:"error,omitempty"`
}

// Raise turns detections into alerts. A detection joins the open alert of
// the same rule, kind, entity, series and subject whose last data point is
// within the cooldown before it (updating its value, statement and evidence
// when it is newer); otherwise, unless a resolved alert's cooldown holds it
// back, it opens a new alert whose id is derived from those fields and its
// time, and which is delivered to its rule's channels.
//
// Store errors stop it. Failed deliveries do not: the alerts are stored,
// every delivery is in the Result, and the failures are returned joined as
// the error (each naming its channel and status).
func (e *Engine) Raise(ctx context.Context, dets []trustwatch.Detection) (Result, error) {
	var res Result
	dets = slices.Clone(dets)
	slices.SortStableFunc(dets, func(a, b trustwatch.Detection) int { return a.Time.Compare(b.Time) })
	cache := map[key][]*trustwatch.Alert{}
	var fresh []*trustwatch.Alert
	freshRule := map[string]trustwatch.Rule{}
	for _, d := range dets {
		rules, filtered := e.rulesFor(d)
		res.Filtered += filtered
		for _, r := range rules {
			k := key{r.ID, d.Kind, d.Entity, d.Series, d.Subject}
			alerts, ok := cache[k]
			if !ok {
				var err error
				if alerts, err = e.load(ctx, k); err != nil {
					return res, err
				}
			}
			a, outcome := merge(alerts, k, d, severity(r, d), cooldown(r, d), e.loc())
			switch outcome {
			case opened:
				alerts = append(alerts, a)
				fresh = append(fresh, a)
				freshRule[a.ID] = r
			case updated:
				if !slices.Contains(fresh, a) {
					res.Updated = append(res.Updated, *a)
				}
			case unchanged:
				res.Unchanged++
			case suppressed:
				res.Suppressed++
			}
			cache[k] = alerts
			if outcome == opened || outcome == updated {
				if err := e.Store.PutAlert(ctx, a); err != nil {
					return res, fmt.Errorf("alert: storing %s: %w", a.ID, err)
				}
			}
		}
	}
	// An alert updated after it was opened in this run is reported once,
	// as new, in its final form; so are updates of older ones.
	res.Updated = lastOfEach(res.Updated)
	var failures []error
	for _, a := range fresh {
		res.New = append(res.New, *a)
		r := freshRule[a.ID]
		if e.Notifier == nil || len(r.Notify) == 0 {
			continue
		}
		if e.NotifyMaxAge > 0 && e.now().Sub(a.Opened) > e.NotifyMaxAge {
			e.log().Info("alert: not delivered, opened before the notify window", "alert", a.ID, "opened", a.Opened)
			continue
		}
		sent := e.Notifier.Send(ctx, *a, r.Notify)
		if err := e.record(ctx, a.ID, sent); err != nil {
			failures = append(failures, err)
		}
		for _, d := range sent {
			ad := AlertDelivery{Alert: a.ID, Delivery: d}
			if d.Err != nil {
				ad.Error = d.Err.Error()
				failures = append(failures, fmt.Errorf("alert %s: %w", a.ID, d.Err))
			}
			res.Deliveries = append(res.Deliveries, ad)
		}
	}
	for _, a := range res.New {
		e.log().Info("alert: new", "alert", a.ID, "rule", a.Rule, "kind", a.Kind, "severity", a.Severity, "statement", a.Statement)
	}
	return res, errors.Join(failures...)
}

// record keeps the attempts of an alert's deliveries, when there is a
// store for them. A failure to record is returned but stops nothing: the
// alert is delivered already.
func (e *Engine) record(ctx context.Context, alertID string, ds []trustwatch.Delivery) error {
	if e.Deliveries == nil {
		return nil
	}
	var rs []trustwatch.DeliveryRecord
	for _, d := range ds {
		rs = append(rs, d.Records(alertID, e.now())...)
	}
	if err := e.Deliveries.PutDeliveries(ctx, rs); err != nil {
		return fmt.Errorf("alert %s: recording deliveries: %w", alertID, err)
	}
	return nil
}

// Ack acknowledges the alert now.
func (e *Engine) Ack(ctx context.Context, id string) (*trustwatch.Alert, error) {
	return e.Store.UpdateAlert(ctx, id, trustwatch.AlertUpdate{Ack: true, At: e.now()})
}

// Resolve resolves the alert now.
func (e *Engine) Resolve(ctx context.Context, id string) (*trustwatch.Alert, error) {
	return e.Store.UpdateAlert(ctx, id, trustwatch.AlertUpdate{Resolve: true, At: e.now()})
}

func (e *Engine) now() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

func (e *Engine) log() *slog.Logger {
	if e.Log != nil {
		return e.Log
	}
	return slog.Default()
}

func (e *Engine) loc() *time.Location {
	if e.Location == nil {
		return trustwatch.DefaultLocation()
	}
	return e.Location
}

// key names the thing an alert is about.
type key struct{ rule, kind, entity, series, subject string }

// ID is the deterministic id of the alert on k opened at t.
func ID(rule, kind, entity, series, subject string, opened time.Time) string {
	h := sha256.New()
	for _, s := range []string{rule, kind, entity, series, subject, strconv.FormatInt(opened.Unix(), 10)} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return "al" + hex.EncodeToString(h.Sum(nil))[:14]
}

func (e *Engine) load(ctx context.Context, k key) ([]*trustwatch.Alert, error) {
	found, _, err := e.Store.FindAlerts(ctx, trustwatch.AlertFilter{Rule: k.rule, Kind: k.kind, Entity: k.entity})
	if err != nil {
		return nil, fmt.Errorf("alert: finding alerts of rule %s: %w", k.rule, err)
	}
	var out []*trustwatch.Alert
	for i := range found {
		if found[i].Series == k.series && found[i].Subject == k.subject {
			out = append(out, &found[i])
		}
	}
	return out, nil
}

type outcome int

const (
	opened outcome = iota
	updated
	unchanged
	suppressed
)

// merge places detection d among the alerts on its key.
func merge(alerts []*trustwatch.Alert, k key, d trustwatch.Detection, sev string, cool time.Duration, loc *time.Location) (*trustwatch.Alert, outcome) {
	// Stores keep whole seconds; so do alert times, or a re-run would
	// always look newer than what it stored.
	t := d.Time.Truncate(time.Second)
	id := ID(k.rule, k.kind, k.entity, k.series, k.subject, t)
	for _, a := range alerts {
		if a.ID == id {
			return a, update(a, d, t, sev, loc)
		}
	}
	// The latest alert whose episode the detection falls in or right after.
	var home *trustwatch.Alert
	for _, a := range alerts {
		if !t.Before(a.Opened) && !t.After(a.Updated.Add(cool)) && (home == nil || a.Opened.After(home.Opened)) {
			home = a
		}
	}
	if home != nil {
		if home.Resolved != nil {
			if !t.After(home.Updated) {
				return home, unchanged // a re-run of what the resolved alert already holds
			}
			return home, suppressed
		}
		return home, update(home, d, t, sev, loc)
	}
	// A late detection just before an alert it would have been part of.
	for _, a := range alerts {
		if t.Before(a.Opened) && !t.Before(a.Opened.Add(-cool)) {
			return a, suppressed
		}
	}
	a := &trustwatch.Alert{
		ID: id, Rule: k.rule, Kind: k.kind, Entity: k.entity, Series: k.series, Subject: k.subject,
		Severity: sev, Opened: t, Updated: t, Value: d.Value, Statement: d.Statement,
		Evidence: mergeEvidence(nil, d.Evidence),
	}
	return a, opened
}

// update brings a up to date with d: a newer detection replaces its value
// and statement and adds its evidence; an older one (a re-run) changes
// nothing.
//
// The statement is the newest detection's, so that its numbers are the
// latest; when that detection is of a later day than the alert's opening,
// the statement says when the alert opened, so that a statement about a
// later burst does not read as the alert's beginning.
func update(a *trustwatch.Alert, d trustwatch.Detection, t time.Time, sev string, loc *time.Location) outcome {
	if t.Before(a.Updated) {
		return unchanged
	}
	changed := false
	if t.After(a.Updated) {
		a.Updated = t
		changed = true
	}
	st := d.Statement
	if opened := a.Opened.In(loc).Format("2006-01-02"); t.In(loc).Format("2006-01-02") != opened {
		st += "（预警自 " + opened + " 起）"
	}
	if a.Value != d.Value || a.Statement != st {
		a.Value, a.Statement = d.Value, st
		changed = true
	}
	if trustwatch.SeverityRank(sev) > trustwatch.SeverityRank(a.Severity) {
		a.Severity = sev
		changed = true
	}
	if ev := mergeEvidence(a.Evidence, d.Evidence); len(ev) != len(a.Evidence) || !slices.Equal(ev, a.Evidence) {
		a.Evidence = ev
		changed = true
	}
	if changed {
		return updated
	}
	return unchanged
}

// mergeEvidence adds the new evidence not already there (same item, or
// same series and time), keeping the newest maxEvidence.
func mergeEvidence(old, add []trustwatch.Evidence) []trustwatch.Evidence {
	seen := map[string]bool{}
	id := func(e trustwatch.Evidence) string {
		return e.ItemID + "\x00" + e.Series + "\x00" + strconv.FormatInt(e.Time.Unix(), 10)
	}
	out := slices.Clone(old)
	for _, e := range out {
		seen[id(e)] = true
	}
	for _, e := range add {
		if !seen[id(e)] {
			seen[id(e)] = true
			e.Time = e.Time.Truncate(time.Second)
			out = append(out, e)
		}
	}
	if len(out) > maxEvidence {
		out = out[len(out)-maxEvidence:]
	}
	return out
}

func lastOfEach(as []trustwatch.Alert) []trustwatch.Alert {
	var out []trustwatch.Alert
	for i := len(as) - 1; i >= 0; i-- {
		if !slices.ContainsFunc(out, func(a trustwatch.Alert) bool { return a.ID == as[i].ID }) {
			out = append(out, as[i])
		}
	}
	slices.Reverse(out)
	return out
}

// rulesFor returns the rules a detection is raised under. A detection
// naming its rule gets that rule (or a bare one with that id if the watch
// file no longer has it). An item detection gets every rule without a
// series whose detector is its kind or the kind's prefix before a dot,
// whose entity (if any) is the detection's and whose aspect (if any) is its
// subject, and whose thresholds admit its value; or, when no rule is about
// it at all, a builtin rule. filtered counts rules whose thresholds
// rejected it.
func (e *Engine) rulesFor(d trustwatch.Detection) (rules []trustwatch.Rule, filtered int) {
	if d.Rule != "" {
		for _, r := range e.Rules {
			if r.ID == d.Rule {
				return []trustwatch.Rule{r}, 0
			}
		}
		return []trustwatch.Rule{{ID: d.Rule}}, 0
	}
	about := 0
	for _, r := range e.Rules {
		if r.Series != "" || !(r.Detector == d.Kind || strings.HasPrefix(d.Kind, r.Detector+".")) {
			continue
		}
		if (r.Entity != "" && r.Entity != d.Entity) || (r.Aspect != "" && r.Aspect != d.Subject) {
			continue
		}
		about++
		if !admits(r, d.Value) {
			filtered++
			continue
		}
		rules = append(rules, r)
	}
	if about == 0 {
		rules = []trustwatch.Rule{{ID: BuiltinPrefix + d.Kind}}
	}
	return rules, filtered
}

// admits applies a rule's thresholds to an item detection's value.
func admits(r trustwatch.Rule, v float64) bool {
	return (r.Below == nil || v <= *r.Below) && (r.Above == nil || v >= *r.Above)
}

// severity is the rule's, else the detection's, else medium.
func severity(r trustwatch.Rule, d trustwatch.Detection) string {
	return cmp.Or(r.Severity, d.Severity, trustwatch.SeverityMedium)
}

// thingKinds are detections about a thing (a term, a claim, a value, a
// voice) rather than a moment; thingEpisode is their shortest episode.
var thingKinds = map[string]bool{"term": true, "claim": true, "saydo": true, "voice": true}

const thingEpisode = 30 * 24 * time.Hour

// minSeriesEpisode keeps a series rule's episode open across a weekend or
// holiday without data, so a market series does not alert again on Monday
// for the condition it alerted on on Friday.
const minSeriesEpisode = 4 * 24 * time.Hour

func cooldown(r trustwatch.Rule, d trustwatch.Detection) time.Duration {
	if r.Cooldown > 0 {
		return r.Cooldown.D()
	}
	c := DefaultCooldown[severity(r, d)]
	if thingKinds[strings.SplitN(d.Kind, ".", 2)[0]] {
		// A nickname, a defaulting claim or a say-do gap is news once: the
		// same subject found again on a later day continues its alert.
		c = max(c, thingEpisode)
	}
	if r.Series != "" {
		// A condition over a window (a 30-day change) or per period (a daily
		// SLA) persists as long as the window or two periods: one episode.
		c = max(c, minSeriesEpisode, r.Window.D(), 2*r.Period.D())
	}
	return c
}
