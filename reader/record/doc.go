// Package record is what every format reader shares: the Record a reader
// yields (one line, JSON element or CSV row, its line number, its raw bytes
// and the domain value read from it or the reason it could not be read),
// the plain-words Error for a refused record, and the scanners that cut a
// UTF-8 stream into records: JSON lines, JSON arrays and CSV/TSV rows with
// correct line numbers, size limits and validity checks.
//
// It knows no format's fields and does no storage, deduplication or
// analysis.
package record
