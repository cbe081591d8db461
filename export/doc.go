// Package export writes a list of items — a search, an alert's or a claim's
// evidence — as CSV or XLSX, streaming: rows are written as the items
// arrive (Store.EachItem), so an export of 100,000 items never holds them
// all in memory.
//
// Both formats have the same columns (Columns), in the same order: time in
// the watch's zone (RFC 3339 in CSV, a date cell in XLSX), platform, kind,
// id, parent_id, author, title, text, url, the counts as numbers, keyword,
// tags, label, p_pos, entities, aspects (aspect:label) and source
// (file:line). Lists inside a cell are joined by "; ". The CSV is for
// scripts and keeps the codes (weibo, neg, brakes:neg); the XLSX is for
// people: its header is in Chinese (XLSXHeader) and its platform, kind,
// label and aspects cells use the presentation vocabulary of package
// label (微博, 负面, 刹车:负面), aspects by Meta.AspectName.
//
// # What the file says about itself
//
// The CSV is a clean table: a UTF-8 byte order mark (so that Excel reads
// Chinese right), one header row, one row per item, CRLF line ends, and
// nothing else. Leading "# key: value" lines or meta rows above the header
// make pandas, DuckDB, csvkit and Excel's import take them for the header
// or for data, so the CSV says what it holds in columns instead: the last
// four of every row (CSVColumns) are the list, the query as typed and the
// time window (from, to) it was exported for, the same on every row, so a
// row copied elsewhere still says where it came from. Its file name says it
// too (the dashboard names it after the list, the query and the window,
// with "newestN" when it was cut), and the XLSX has it in full: its "query"
// sheet lists the query as typed and as matched, every filter, the window
// (from and to in the watch's zone), when and by which trustwatch version
// it was exported, how many items matched and how many rows the
// file holds. Meta is what the caller knows before writing; the writers
// count the rows.
//
// # Hostile text
//
// Posts are hostile input. A text cell that begins with = + - @, a tab, a
// carriage return or a line feed would be read as a formula by a
// spreadsheet (OWASP "CSV injection"); such cells get a leading
// apostrophe, in both formats. A cell that already begins with an
// apostrophe gets one too, so the change can be undone exactly: drop one
// leading apostrophe where there is one (Unneutralise). Numbers and times
// are written from numbers and cannot carry a formula. Cells are valid
// UTF-8 (invalid bytes become U+FFFD) with line ends normalised to LF
// (CSV writes them as CRLF inside quotes, which readers give back as LF);
// XLSX drops characters XML cannot hold and cuts a cell at Excel's 32,767
// characters.
package export
