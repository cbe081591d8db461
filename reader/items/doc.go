// Package items reads trustwatch's canonical item schema from JSON lines or
// a JSON array: id, platform, kind, parent_id, author, author_followers,
// title, text, time, url, likes, reposts, replies. Counts and ids may be
// numbers or strings; times anything package cndate reads.
//
// It is a pure reader: no storage, deduplication or analysis.
package items
