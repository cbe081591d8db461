// Command pagetimes measures how long every page of the dashboard takes
// over a store: each page cold (the first request to a fresh `trustwatch
// serve` process, so nothing is in memory) and warm (-n requests after
// that, p50 and p95), printed as a markdown table (docs/benchmarks.md,
// "Dashboard pages on the demo store").
//
//	go run ./cmd/pagetimes                       # builds the demo store in a temporary directory
//	go run ./cmd/pagetimes -db brand.db -config trustwatch.yaml
//	go run ./cmd/pagetimes -db big.db -config w.yaml -clients 4 -q 口罩
//
// With -clients above 1 it skips the cold requests and measures every page
// under load instead: after one request to warm it, each of the clients
// requests it -n times at the same time as the others, and the table gives
// p50, p95 and p99 of all of them (docs/benchmarks.md, "Dashboard at 1M
// items"; scripts/load1m.sh builds that store and runs it). Each load
// client sends an X-Forwarded-For of its own to a server started with
// --trusted-proxy 127.0.0.1, so the per-client limits see four clients
// (-proxy=false for a binary older than those limits). -pages keeps the
// pages whose path matches a regular expression.
//
// It drives the trustwatch binary (-bin, built from ./cmd/trustwatch when
// empty) as a user would, over HTTP on a loopback address with
// --anonymous-read; it must not know how the pages compute.
package main
