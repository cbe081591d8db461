// Package results keeps the dashboard's slow results — the trust ledger,
// each claim's evidence, each spokesperson's voice profile, the new terms
// of the default week, and the stories and the report of the default
// window — computed ahead of the pages that show them and
// saved in a trustwatch.ResultStore, so that the first look after analyze,
// a demo build or a round of trustwatch run reads a stored result instead
// of computing it for seconds.
//
// A result is saved under its key (LedgerKey, EvidenceKey, VoiceKey,
// TermsKey, StoriesKey, ReportKey: what it is and its parameters) with the version of the data
// it was computed from (Basis.Version: the stored items' count and span, a
// hash of the watch file, the time zone and the build). A result whose
// version differs from the current one is stale and is computed again.
// Computer is the one place the results are computed, used by the
// Precomputer and by the web pages alike, so that a precomputed result is
// exactly the one the page would compute.
//
// It must not know HTTP, templates or SQL: it reaches the data through the
// trustwatch interfaces and the detectors' own packages.
package results
