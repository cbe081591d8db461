// Package record is what every format reader shares: the Record a reader
// yields (one line, JSON element or CSV row, its line number, its raw bytes
// and the domain value read from it or the reason it could not be read),
// the plain-words Error for a refused record, and the scanners that cut a
// UTF-8 stream into records: JSON lines, JSON arrays and CSV/TSV rows with
// correct line numbers, size limits and validity checks.
//
// Every scanner holds one record at a time, whatever the input:
//
//   - A field is at most Config.MaxField bytes (DefaultMaxField, 1 MiB;
//     `ingest --max-field-bytes`, a source's max_field_bytes): a longer
//     one refuses its record.
//   - A record (a JSON line, an array element or object, a CSV row with
//     its quoted line ends) is at most LineLimit(MaxField) bytes, 4 MiB +
//     64 KiB by default: a longer one is refused as "line longer than …"
//     and skipped to its end without being held. A 2 GB file without a
//     newline is one refused record read in a few MiB.
//   - A CSV/TSV row has at most as many fields as its header: a wider row
//     is refused naming both counts ("row has 10002 fields, the header 4").
//   - A CSV/TSV quote that never closes costs its row, not the file: the
//     rule is in split.go. In short, a quote not at the start of a field is
//     a character; a quoted field whose closing quote is followed by text
//     is text; and a quoted field that swallows three lines that are rows
//     by themselves, runs past a bound, meets the end of the file, or makes
//     a row of the wrong width was a stray quote: its first line is refused
//     ("lines 3–5: unterminated quote in field 2 (…); read again from line
//     6") and reading resumes at the next line that is a row by itself.
//   - A JSON value the file ends inside is refused, and the scanner then
//     returns a *CutError naming the line: the rest could not be read.
//
// One text rule (clean.go) applies to every reader's records: U+FEFF is
// removed wherever it is, a NUL refuses the record, other C0 control
// characters but TAB, LF and CR are removed.
//
// It knows no format's fields and does no storage, deduplication or
// analysis.
package record
