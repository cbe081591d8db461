// Package bus puts NATS JetStream between the readers and the store, so
// that reading and analysis can run in different processes and on
// different machines (issue 12). It is named bus, not nats, so as not to
// shadow the client package it wraps.
//
// # Publishing
//
// A Publisher is an ingest.Store that sends records instead of writing
// them: `trustwatch ingest --bus nats://HOST:PORT` runs the usual
// ingest.Ingester, without an Analyzer, over it. Records go to one stream,
// TRUSTWATCH (file storage, work-queue retention, a 2 h duplicate window),
// on these subjects:
//
//	trustwatch.items.<platform>   a read, unanalysed trustwatch.Item as JSON
//	trustwatch.quarantine         a trustwatch.Quarantined as JSON
//	trustwatch.points             a trustwatch.Point
//	trustwatch.events             a trustwatch.Event
//
// Every message's Nats-Msg-Id is the record's identity in the store (an
// item's platform and id — the reader's id or trustwatch.HashID —, a
// quarantine record's file, line, reason and raw bytes, a point's series,
// time and batch, an event's id), so a re-send within the window is dropped
// by the server and reported by its PubAck as a duplicate.
//
// # Consuming
//
// Every Worker pulls from the same durable consumer (trustwatch-workers,
// explicit acks): the consumer is the queue group, and the server hands a
// message to one worker at a time. A worker fetches a batch, analyses its
// items with the ingest Analyzer, writes the batch — in one transaction when
// the store has CommitSource, as the SQLite store has — and acks the
// messages only after that write has returned. A message not acked within
// AckWait (its worker was killed, lost its connection or failed to write)
// is delivered again, to any worker; a message is never given up on
// (MaxDeliver is unlimited).
//
// # Why this is exactly-once in effect
//
// Delivery is at least once: a record leaves the stream only when acked,
// and it is acked only after the store has committed it, so a crash at any
// point leaves it in the stream to be delivered again. Writes are
// idempotent: the store inserts items, quarantine records, points and
// events with ON CONFLICT on the same identities the message ids carry,
// and updates the rollups in the same transaction only for rows it newly
// inserted. A redelivered batch — whether its first worker died before the
// commit, or after it but before the acks reached the server — is
// therefore stored as duplicates and changes neither the rows nor the
// rollups. At-least-once delivery plus idempotent writes is the effect of
// exactly once, without any transaction spanning the bus and the store.
// The duplicate window only saves work; correctness does not depend on it.
//
// A stopped worker (SIGINT, SIGTERM: a cancelled context) finishes the
// batch in hand, commits it, acks it and flushes the acks before it exits.
package bus
