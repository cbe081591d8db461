// Command pagetimes measures how long every page of the dashboard takes
// over a store: each page cold (the first request to a fresh `trustwatch
// serve` process, so nothing is in memory) and warm (-n requests after
// that, p50 and p95), printed as a markdown table (docs/benchmarks.md,
// "Dashboard pages on the demo store").
//
//	go run ./cmd/pagetimes                       # builds the demo store in a temporary directory
//	go run ./cmd/pagetimes -db brand.db -config trustwatch.yaml
//
// It drives the trustwatch binary (-bin, built from ./cmd/trustwatch when
// empty) as a user would, over HTTP on a loopback address with
// --anonymous-read; it must not know how the pages compute.
package main
