// Package reader turns input files into trustwatch items, metric points and
// events. Read detects the encoding (UTF-8 with or without BOM, UTF-16,
// GB18030/GBK) and the format (canonical items, MediaCrawler,
// weibo-crawler, any CSV/TSV, metrics, events) from a bounded prefix, then
// hands the decoded stream to the format's package, which yields one Record
// per line, JSON element or CSV row.
//
// Readers are pure: io.Reader in, domain values out. A record that cannot
// be read comes back with its line, raw bytes and a plain-words reason, and
// the run goes on. Normalising, deduplicating, quarantining and storing
// belong to package ingest.
package reader
