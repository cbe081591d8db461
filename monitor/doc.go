// Package monitor is the scheduler of `trustwatch run`: every source's
// interval it reads what is new (package source), logs one line per
// source and round, records the round (trustwatch.SourceStore, and an
// optional trustwatch.RoundRecorder), then runs the detectors
// incrementally and raises alerts through the analyze.Runner it is given.
//
// Incremental means: when a round stored something, every detector but
// the health detector runs with From = the start of the day (in the
// runner's zone) of the oldest record newly stored since the last pass,
// and To = now; a full replay stays `trustwatch analyze`. The health
// detector runs after every pass, judging the round history at now (its
// findings of the last 30 days). When a
// source stores data again, its open source.silent alerts are resolved.
//
// Push sources are not read by the monitor: the ingest endpoint calls
// RecordPush for each request it served, with the round it made (Stored,
// Quarantined, Err …), and Touch with the time of the oldest item it
// stored, so the next pass looks at that day; a push round is logged and
// recorded like any other. OnRound is called after every pass (digests);
// LastRound tells when the last pass ended (readiness).
//
// Stopping (ctx cancelled) lets the source being read finish committing
// its chunk, records that round, and returns nil. The package must not know
// SQL, HTTP, file formats or how detectors compute.
package monitor
