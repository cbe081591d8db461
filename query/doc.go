// Package query is trustwatch's search language: one grammar for the CLI,
// the dashboard, the API and saved topics (docs/query.md). It parses a query
// into an AST, matches the AST against an item in memory (for tagging items
// with topics at ingest), and defines the index units that the stores keep
// for text, so that a word or phrase means the same in memory and in SQL.
//
// Text is matched as a sequence of index units over the normalised text
// (segment.Normalize: case, width and Traditional/Simplified folded): a
// Chinese character with the next one, or a Latin word. So a word matches
// wherever its characters appear in order ("车" finds "刹车"), and a phrase
// is a run of consecutive units.
//
// It must not know any store: the sqlite and postgres packages translate the
// AST into their own index queries.
package query
