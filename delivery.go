package trustwatch

import (
	"context"
	"time"
)

// Attempt is one try at delivering a message to a channel.
type Attempt struct {
	N      int       `json:"attempt"`
	Time   time.Time `json:"time"`
	Status int       `json:"status,omitempty"` // HTTP or SMTP reply code, 0 when none came back
	// Error is why the try failed ("" when it succeeded). Channels build
	// it without URLs or secrets.
	Error string `json:"error,omitempty"`
}

// Delivery record states.
const (
	DeliveryOK      = "ok"
	DeliveryFailed  = "failed"
	DeliverySkipped = "skipped"
)

// DeliveryRecord is one stored delivery attempt. Subject is the alert's
// id, or "digest:ID:PERIOD" for a digest.
type DeliveryRecord struct {
	Subject string    `json:"subject"`
	Channel string    `json:"channel"`
	Type    string    `json:"type"`
	Attempt int       `json:"attempt"`
	Time    time.Time `json:"time"`
	State   string    `json:"state"` // ok|failed|skipped
	Status  int       `json:"status,omitempty"`
	Error   string    `json:"error,omitempty"`
}

// Records turns a delivery into its records: one per try, or one skipped
// (or failed before any try) record at time t.
func (d Delivery) Records(subject string, t time.Time) []DeliveryRecord {
	base := DeliveryRecord{Subject: subject, Channel: d.Channel, Type: d.Type}
	if len(d.Tries) == 0 {
		r := base
		r.Time, r.State, r.Status = t, DeliveryOK, d.Status
		switch {
		case d.Skipped != "":
			r.State, r.Error = DeliverySkipped, d.Skipped
		case d.Err != nil:
			r.State, r.Error = DeliveryFailed, d.Err.Error()
		}
		return []DeliveryRecord{r}
	}
	out := make([]DeliveryRecord, 0, len(d.Tries))
	for _, a := range d.Tries {
		r := base
		r.Attempt, r.Time, r.Status, r.Error, r.State = a.N, a.Time, a.Status, a.Error, DeliveryOK
		if a.Error != "" {
			r.State = DeliveryFailed
		}
		out = append(out, r)
	}
	return out
}

// DeliveryCount is how many stored attempts a channel had in one state.
type DeliveryCount struct {
	Channel string
	Type    string
	State   string
	N       int64
}

// DeliveryStore keeps every delivery attempt.
type DeliveryStore interface {
	PutDeliveries(ctx context.Context, rs []DeliveryRecord) error
	// FindDeliveries returns the attempts for a subject, oldest first.
	FindDeliveries(ctx context.Context, subject string) ([]DeliveryRecord, error)
	// CountDeliveries counts all attempts by channel, type and state.
	CountDeliveries(ctx context.Context) ([]DeliveryCount, error)
}

// DigestStore remembers the last period each digest was sent to each of
// its channels, so a restart neither skips a digest nor sends it twice.
type DigestStore interface {
	// DigestSent returns the last period sent ("" when none).
	DigestSent(ctx context.Context, digest, channel string) (string, error)
	MarkDigestSent(ctx context.Context, digest, channel, period string, at time.Time) error
}

// HealthStore answers the operational questions a store can answer
// cheaply: whether it can still write, and its size on disk.
type HealthStore interface {
	// CheckWrite makes one tiny write and returns its error.
	CheckWrite(ctx context.Context) error
	SizeBytes(ctx context.Context) (int64, error)
}
