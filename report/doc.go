// Package report writes the unfiltered report of a period: what got worse
// first (open alerts by severity, claims defaulting, aspects whose negative
// share rose, new nicknames and terms, SLA breaches and out-of-control
// batches, market lows), then what held or improved, then the full tables;
// every figure says how many items it rests on and links to its evidence.
// It renders the report as self-contained HTML (inline CSS and SVG, the
// evidence in an appendix), as Markdown linking to the dashboard, and as
// XLSX with real numbers.
//
// It reads everything through trustwatch.Store: it must not know the
// detectors (ledger, terms, SPC ...) that raised the alerts, nor the
// storage behind the store, nor the web server that shows it.
package report
