package trustwatch

import (
	"context"
	"fmt"
	"time"
)

// Severities, in increasing order.
const (
	SeverityLow      = "low"
	SeverityMedium   = "medium"
	SeverityHigh     = "high"
	SeverityCritical = "critical"
)

// SeverityRank orders severities; unknown ones rank lowest.
func SeverityRank(s string) int {
	switch s {
	case SeverityCritical:
		return 4
	case SeverityHigh:
		return 3
	case SeverityMedium:
		return 2
	case SeverityLow:
		return 1
	}
	return 0
}

// Evidence is what a figure rests on: an item, or a point of a series.
type Evidence struct {
	ItemID string    `json:"item_id,omitempty"`
	Series string    `json:"series,omitempty"`
	Time   time.Time `json:"time"`
	Value  float64   `json:"value,omitempty"`
	Note   string    `json:"note,omitempty"`
}

// Detection is one finding of a detector, before rules turn it into an alert.
type Detection struct {
	// Rule is the id of the watch-file rule that asked for this finding;
	// empty for detectors that run without one (a default rule applies).
	Rule   string `json:"rule,omitempty"`
	Kind   string `json:"kind"` // e.g. metric.low, volume.spike, claim.default
	Entity string `json:"entity,omitempty"`
	Series string `json:"series,omitempty"`
	// Subject distinguishes findings of one kind on one entity: a claim id,
	// a term, an aspect. Together with Kind, Entity and Series it names the
	// thing an alert is about, for dedupe.
	Subject   string     `json:"subject,omitempty"`
	Time      time.Time  `json:"time"` // the data point that triggered it
	Value     float64    `json:"value"`
	Severity  string     `json:"severity,omitempty"`
	Statement string     `json:"statement"`
	Evidence  []Evidence `json:"evidence,omitempty"`
}

// Alert is a detection raised by a rule, with a lifecycle.
type Alert struct {
	ID        string     `json:"id"`
	Rule      string     `json:"rule"`
	Kind      string     `json:"kind"`
	Entity    string     `json:"entity,omitempty"`
	Series    string     `json:"series,omitempty"`
	Subject   string     `json:"subject,omitempty"`
	Severity  string     `json:"severity"`
	Opened    time.Time  `json:"opened"`
	Updated   time.Time  `json:"updated"`
	Resolved  *time.Time `json:"resolved,omitempty"`
	Acked     *time.Time `json:"acked,omitempty"`
	Value     float64    `json:"value"`
	Statement string     `json:"statement"`
	Evidence  []Evidence `json:"evidence,omitempty"`
	// Assignee is the user who looks after the alert; "" for nobody.
	Assignee string `json:"assignee,omitempty"`
	// SnoozedUntil hides the alert from the open list until then.
	SnoozedUntil *time.Time `json:"snoozed_until,omitempty"`
}

// Snoozed reports whether the alert is snoozed at t.
func (a Alert) Snoozed(t time.Time) bool { return a.SnoozedUntil != nil && a.SnoozedUntil.After(t) }

// AlertFilter selects alerts.
type AlertFilter struct {
	ID     string
	Rule   string
	Kind   string
	Entity string
	Since  time.Time // opened at or after
	// Open selects unresolved alerts only.
	Open bool
	// AwakeAt, when set, leaves out the alerts snoozed past it.
	AwakeAt time.Time
	Offset  int
	Limit   int
}

// AlertUpdate changes an alert's lifecycle. The store records each change
// it makes in the audit trail, in the same transaction, under By.
type AlertUpdate struct {
	Ack     bool
	Resolve bool
	At      time.Time
	// By is who makes the change (a user, token:NAME, anonymous, cli).
	By string
	// Comment, when not empty, is added to the alert.
	Comment string
	// Assign, when set, assigns the alert to that user ("" unassigns).
	Assign *string
	// Snooze, when set, snoozes the alert until then (the zero time wakes it).
	Snooze *time.Time
}

// Notifier delivers an alert to the watch file's channels; the notify
// package is one.
type Notifier interface {
	Send(ctx context.Context, a Alert, channelIDs []string) []Delivery
}

// Delivery is the outcome of sending one alert to one channel.
type Delivery struct {
	Channel  string `json:"channel"`
	Type     string `json:"type,omitempty"`
	Attempts int    `json:"attempts"`
	Status   int    `json:"status,omitempty"` // last HTTP status, 0 when none came back
	// Skipped says why nothing was sent (the alert is below the channel's
	// min_severity); it is not a failure.
	Skipped string `json:"skipped,omitempty"`
	Err     error  `json:"-"`
	// Tries are the attempts one by one, for the delivery record.
	Tries []Attempt `json:"tries,omitempty"`
}

// OK reports whether the alert was delivered or deliberately skipped.
func (d Delivery) OK() bool { return d.Err == nil }

// String is the delivery in one line for a terminal:
// "ops (webhook): delivered after 1 attempt(s), HTTP 200".
func (d Delivery) String() string {
	s := d.Channel
	if d.Type != "" {
		s += " (" + d.Type + ")"
	}
	switch {
	case d.Skipped != "":
		return s + ": skipped: " + d.Skipped
	case d.Err != nil:
		return s + ": FAILED: " + d.Err.Error()
	}
	s += fmt.Sprintf(": delivered after %d attempt(s)", d.Attempts)
	if d.Status != 0 {
		s += fmt.Sprintf(", HTTP %d", d.Status)
	}
	return s
}
