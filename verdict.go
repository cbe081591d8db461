package trustwatch

import (
	"context"
	"time"
)

// Verdict is an analyst's finding that an alert was a false alarm
// (标记为误报): who said so, when, and why if they wrote it down. It is
// the only verdict kept: an alert resolved without one counts as a real
// alarm when alerts are evaluated (alerteval, docs/validity.md), and an
// open alert without one is not judged yet.
type Verdict struct {
	Alert string    `json:"alert"`
	By    string    `json:"by"`
	At    time.Time `json:"at"`
	Note  string    `json:"note,omitempty"`
}

// Audit actions of verdicts, in the alert's audit trail beside those of
// AlertUpdate.
const (
	AuditFalseAlarm = "false_alarm"
	AuditWithdraw   = "false_alarm_withdrawn"
)

// VerdictFilter selects verdicts: of one alert, or all when Alert is "".
type VerdictFilter struct {
	Alert string
}

// VerdictStore keeps verdicts. A store that has it records each change in
// the alert's audit trail in the same transaction, as UpdateAlert does.
type VerdictStore interface {
	// PutVerdict marks v.Alert a false alarm, replacing an earlier verdict
	// of it (a new note, a new time); ENOTFOUND if there is no such alert,
	// EINVALID without By or At.
	PutVerdict(ctx context.Context, v Verdict) error
	// DeleteVerdict withdraws the alert's verdict, as by at at; ENOTFOUND
	// if it has none.
	DeleteVerdict(ctx context.Context, alert, by string, at time.Time) error
	// FindVerdicts returns the matching verdicts, by alert id.
	FindVerdicts(ctx context.Context, f VerdictFilter) ([]Verdict, error)
}
