package bus

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"trustwatch"
)

// Names on the server. One stream holds every kind of record; the kind is
// the subject's second token, and items carry their platform as a third, so
// that a deployment can later give a busy platform its own consumers.
const (
	StreamName   = "TRUSTWATCH"
	ConsumerName = "trustwatch-workers"

	subjectAll        = "trustwatch.>"
	subjectItems      = "trustwatch.items."
	subjectQuarantine = "trustwatch.quarantine"
	subjectPoints     = "trustwatch.points"
	subjectEvents     = "trustwatch.events"
)

// DuplicateWindow is how long the stream remembers a Nats-Msg-Id: a record
// re-sent within it is dropped by the server (PubAck.Duplicate); one re-sent
// later is dropped by the store, which has the same identity.
const DuplicateWindow = 2 * time.Hour

// Connect dials url (nats://HOST:PORT) and returns the JetStream context
// with the stream created or brought up to date. name shows in the
// server's connection list.
func Connect(ctx context.Context, url, name string) (*nats.Conn, jetstream.JetStream, error) {
	nc, err := nats.Connect(url, nats.Name(name), nats.MaxReconnects(-1))
	if err != nil {
		return nil, nil, fmt.Errorf("bus: connect %s: %w", url, err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, nil, fmt.Errorf("bus: jetstream: %w", err)
	}
	if err := EnsureStream(ctx, js); err != nil {
		nc.Close()
		return nil, nil, err
	}
	return nc, js, nil
}

// EnsureStream creates the stream if it is missing. It is a work queue:
// a record leaves the stream when a worker acks it, after the store has
// committed it, so the store is the only lasting copy.
func EnsureStream(ctx context.Context, js jetstream.JetStream) error {
	_, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:       StreamName,
		Subjects:   []string{subjectAll},
		Retention:  jetstream.WorkQueuePolicy,
		Storage:    jetstream.FileStorage,
		Duplicates: DuplicateWindow,
	})
	if err != nil {
		return fmt.Errorf("bus: stream %s: %w", StreamName, err)
	}
	return nil
}

// ItemSubject is the subject an item is published on.
func ItemSubject(platform string) string { return subjectItems + token(platform) }

// token makes s one subject token: '.', '*', '>' and spaces would split
// or widen the subject.
func token(s string) string {
	if s == "" {
		return "_"
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '.' || r == '*' || r == '>' || r <= ' ':
			return '_'
		}
		return r
	}, s)
}

// Message ids are the store's identities, so that the server's duplicate
// window and the store's unique keys agree on what "the same record" is.

// ItemMsgID is an item's identity: platform and id (the id a reader gave
// it, or trustwatch.HashID). The item must have been validated.
func ItemMsgID(it *trustwatch.Item) string { return "item:" + it.Platform + ":" + it.ID }

// QuarantineMsgID is a quarantine record's identity in the store: file,
// line, reason and raw bytes (not the time it was quarantined).
func QuarantineMsgID(q *trustwatch.Quarantined) string {
	h := sha256.New()
	for _, s := range []string{q.File, strconv.Itoa(q.Line), q.Reason} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	h.Write(q.Raw)
	return "quarantine:" + hex.EncodeToString(h.Sum(nil))[:32]
}

// PointMsgID is a point's identity: series, time and batch.
func PointMsgID(p *trustwatch.Point) string {
	return "point:" + p.Series + ":" + strconv.FormatInt(p.Time.UnixNano(), 10) + ":" + p.Batch
}

// EventMsgID is an event's identity, its ID.
func EventMsgID(e *trustwatch.Event) string { return "event:" + e.ID }
