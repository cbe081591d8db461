// Package csvfile reads items from any CSV or TSV file with a header row.
// The delimiter (comma, tab, semicolon or |) is detected from the header;
// columns are mapped to item fields by an explicit map (canonical field ->
// column name) or, without one, by name: canonical names and common
// synonyms in English and Chinese (content/正文/评论内容 -> text,
// date/created_at/发布时间 -> time ...).
//
// It is a pure reader: no storage, deduplication or analysis.
package csvfile
