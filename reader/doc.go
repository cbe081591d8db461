// Package reader turns input files into trustwatch items, metric points and
// events. Read detects the encoding (UTF-8 with or without BOM, UTF-16,
// GB18030/GBK) and the format (canonical items, MediaCrawler,
// weibo-crawler, any CSV/TSV, metrics, events) from a bounded prefix, then
// hands the decoded stream to the format's package, which yields one Record
// per line, JSON element or CSV row.
//
// An Excel workbook (a zip with xl/ parts) or a SQLite database ("SQLite
// format 3") is told by its first bytes instead: each sheet whose header a
// format recognises is read row by row (MediaCrawler's Creators, Contacts
// and Dynamics sheets hold no items and are passed over; any other sheet
// comes back as one record error); a database is read by its tables'
// names, MediaCrawler's first, else weibo-crawler's. A database is copied
// to a temporary file first, because the driver reads files. A record's
// line is then its sheet or table row, its error names the sheet or table,
// its raw bytes are the row as a JSON object, and its item's Source is
// "file:sheet:row" or "file:table:row".
//
// Readers are pure: io.Reader in, domain values out. A record that cannot
// be read comes back with its line, raw bytes and a plain-words reason, and
// the run goes on. Normalising, deduplicating, quarantining and storing
// belong to package ingest.
package reader
