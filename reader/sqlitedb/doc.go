// Package sqlitedb reads the tables of a SQLite database file written by a
// crawler (MediaCrawler's sqlite store, weibo-crawler's weibo.db) as tables
// of text, one row at a time. The file is opened read-only and never
// changed. Values come back as text: integers as digits, NULL as "". It
// knows nothing of what the columns mean.
package sqlitedb
