package bus

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"trustwatch"
	"trustwatch/ingest"
)

// Committer writes a batch in one transaction; the SQLite store's
// CommitSource is one (it also marks the batch's days for the detectors).
// A store without it gets the four idempotent writes one after another.
type Committer interface {
	CommitSource(ctx context.Context, c trustwatch.SourceCommit) (stored, duplicates int, err error)
}

// Worker consumes the stream through the shared durable pull consumer:
// every worker fetches from the same consumer, so the server hands each
// message to one of them at a time.
type Worker struct {
	NC       *nats.Conn
	JS       jetstream.JetStream
	Store    ingest.Store
	Analyzer *ingest.Analyzer // nil: items are stored unanalysed

	// Batch is how many messages are fetched, analysed and committed
	// together (default 500).
	Batch int
	// AckWait is how long the server waits for a batch's acks before it
	// hands the messages to another worker (default 30s). It must exceed
	// the time a batch takes; the worker also reports progress while
	// analysing so a slow batch is not redelivered needlessly.
	AckWait time.Duration
	// Threads analyse items in parallel (default 2).
	Threads int
	Log     *slog.Logger

	stats Stats
}

// Stats counts what a worker did.
type Stats struct {
	Messages    int64 `json:"messages"`
	Batches     int64 `json:"batches"`
	Stored      int64 `json:"stored"`
	Duplicates  int64 `json:"duplicates"`
	Quarantined int64 `json:"quarantined"`
	// Redelivered counts messages delivered more than once: their first
	// worker died or was too slow to ack.
	Redelivered int64 `json:"redelivered"`
}

// Stats returns the counts so far; safe while Run runs.
func (w *Worker) Stats() Stats {
	return Stats{
		Messages: atomic.LoadInt64(&w.stats.Messages), Batches: atomic.LoadInt64(&w.stats.Batches),
		Stored: atomic.LoadInt64(&w.stats.Stored), Duplicates: atomic.LoadInt64(&w.stats.Duplicates),
		Quarantined: atomic.LoadInt64(&w.stats.Quarantined), Redelivered: atomic.LoadInt64(&w.stats.Redelivered),
	}
}

// Consumer creates the shared durable consumer if missing and returns it.
func Consumer(ctx context.Context, js jetstream.JetStream, ackWait time.Duration) (jetstream.Consumer, error) {
	c, err := js.CreateOrUpdateConsumer(ctx, StreamName, jetstream.ConsumerConfig{
		Durable:   ConsumerName,
		AckPolicy: jetstream.AckExplicitPolicy,
		AckWait:   ackWait,
		// Unlimited deliveries: a record is never dropped by the bus; one
		// the store keeps refusing stays in the stream, and in the logs.
		MaxDeliver:    -1,
		MaxAckPending: 100000,
	})
	if err != nil {
		return nil, fmt.Errorf("bus: consumer %s: %w", ConsumerName, err)
	}
	return c, nil
}

// Run consumes until ctx is done. A cancelled ctx ends the loop between
// batches: the batch in hand is committed and acked first. Run returns
// nil then, and an error when the connection or the store fails.
func (w *Worker) Run(ctx context.Context) error {
	batch := cmp.Or(w.Batch, 500)
	ackWait := w.AckWait
	if ackWait <= 0 {
		ackWait = 30 * time.Second
	}
	log := w.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	cons, err := Consumer(ctx, w.JS, ackWait)
	if err != nil {
		return err
	}
	for ctx.Err() == nil {
		// A short wait, so a stop request is noticed within a second.
		mb, err := cons.Fetch(batch, jetstream.FetchMaxWait(time.Second))
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("bus: fetch: %w", err)
		}
		var msgs []jetstream.Msg
		for m := range mb.Messages() {
			msgs = append(msgs, m)
		}
		if err := mb.Error(); err != nil && !errors.Is(err, nats.ErrTimeout) && !errors.Is(err, jetstream.ErrNoMessages) {
			if errors.Is(err, nats.ErrConnectionClosed) || errors.Is(err, jetstream.ErrConnectionClosed) {
				return fmt.Errorf("bus: fetch: %w", err)
			}
			log.Warn("bus: fetch", "err", err)
		}
		if len(msgs) == 0 {
			if w.NC != nil && w.NC.IsClosed() {
				return fmt.Errorf("bus: fetch: %w", nats.ErrConnectionClosed)
			}
			continue
		}
		// The batch is finished even when a stop was asked for meanwhile:
		// committing and acking it is what makes the stop clean.
		if err := w.handle(context.WithoutCancel(ctx), msgs, ackWait); err != nil {
			return err
		}
	}
	return nil
}

// handle decodes, analyses, commits and then acks one batch. If anything
// fails before the commit returns, no message is acked and the server
// redelivers the batch after AckWait.
func (w *Worker) handle(ctx context.Context, msgs []jetstream.Msg, ackWait time.Duration) error {
	var c trustwatch.SourceCommit
	var redelivered int64
	for _, m := range msgs {
		if md, err := m.Metadata(); err == nil && md.NumDelivered > 1 {
			redelivered++
		}
		decode(m, &c)
	}
	if w.Analyzer != nil && len(c.Items) > 0 {
		stop := keepAlive(msgs, ackWait)
		w.Analyzer.AnalyzeAll(c.Items, cmp.Or(w.Threads, 2))
		stop()
	}
	stored, dups, err := w.commit(ctx, c)
	if err != nil {
		return fmt.Errorf("bus: commit batch of %d: %w", len(msgs), err)
	}
	// Only now: the records are in the store. An ack lost from here on
	// means a redelivery, which the store turns into duplicates.
	for _, m := range msgs {
		if err := m.Ack(); err != nil {
			return fmt.Errorf("bus: ack: %w", err)
		}
	}
	if w.NC != nil {
		// The acks are on the wire before the next fetch (or the exit).
		if err := w.NC.FlushTimeout(5 * time.Second); err != nil {
			return fmt.Errorf("bus: flush acks: %w", err)
		}
	}
	atomic.AddInt64(&w.stats.Messages, int64(len(msgs)))
	atomic.AddInt64(&w.stats.Batches, 1)
	atomic.AddInt64(&w.stats.Stored, int64(stored))
	atomic.AddInt64(&w.stats.Duplicates, int64(dups))
	atomic.AddInt64(&w.stats.Quarantined, int64(len(c.Quarantine)))
	atomic.AddInt64(&w.stats.Redelivered, redelivered)
	return nil
}

// keepAlive tells the server, every half AckWait, that the batch is being
// worked on, until stop is called.
func keepAlive(msgs []jetstream.Msg, ackWait time.Duration) (stop func()) {
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(ackWait / 2)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				for _, m := range msgs {
					m.InProgress()
				}
			}
		}
	}()
	return func() { close(done) }
}

func (w *Worker) commit(ctx context.Context, c trustwatch.SourceCommit) (stored, dups int, err error) {
	if cm, ok := w.Store.(Committer); ok {
		return cm.CommitSource(ctx, c)
	}
	// Each write is idempotent, so a crash between two of them is made
	// good by the redelivery of the whole batch.
	if _, _, err := w.Store.PutQuarantine(ctx, c.Quarantine); err != nil {
		return 0, 0, err
	}
	for _, put := range []func() (int, int, error){
		func() (int, int, error) { return w.Store.PutItems(ctx, c.Items) },
		func() (int, int, error) { return w.Store.PutPoints(ctx, c.Points) },
		func() (int, int, error) { return w.Store.PutEvents(ctx, c.Events) },
	} {
		s, d, err := put()
		if err != nil {
			return 0, 0, err
		}
		stored, dups = stored+s, dups+d
	}
	return stored, dups, nil
}

// decode adds m's record to c. A message that cannot be decoded becomes a
// quarantine record (file "bus:SUBJECT", line = stream sequence) instead
// of being dropped, which keeps "quarantine, never drop" across the bus.
func decode(m jetstream.Msg, c *trustwatch.SourceCommit) {
	subj := m.Subject()
	var err error
	switch {
	case strings.HasPrefix(subj, subjectItems):
		var it trustwatch.Item
		if err = json.Unmarshal(m.Data(), &it); err == nil {
			if err = it.Validate(); err == nil {
				c.Items = append(c.Items, it)
				return
			}
		}
	case subj == subjectQuarantine:
		var q trustwatch.Quarantined
		if err = json.Unmarshal(m.Data(), &q); err == nil {
			c.Quarantine = append(c.Quarantine, q)
			return
		}
	case subj == subjectPoints:
		var p trustwatch.Point
		if err = json.Unmarshal(m.Data(), &p); err == nil {
			c.Points = append(c.Points, p)
			return
		}
	case subj == subjectEvents:
		var e trustwatch.Event
		if err = json.Unmarshal(m.Data(), &e); err == nil {
			c.Events = append(c.Events, e)
			return
		}
	default:
		err = errors.New("unknown subject")
	}
	var line int
	if md, merr := m.Metadata(); merr == nil {
		line = int(md.Sequence.Stream)
	}
	c.Quarantine = append(c.Quarantine, trustwatch.Quarantined{
		File: "bus:" + subj, Line: line, Reason: "bus: " + err.Error(), Raw: m.Data(), Time: time.Now().UTC(),
	})
}
