// Package mediacrawler reads the output of NanmiCoder/MediaCrawler (also
// forked as NanmuZhou/MediaCrawler) for Weibo, Xiaohongshu (xhs), Douyin
// and Bilibili: contents and comments, as JSON lines, JSON arrays or CSV,
// in its older schema (user_id, nickname) and the newer one (creator_hash,
// masked nickname).
//
// The field names mirror the dicts its store/<platform>/__init__.py
// builds before handing them to the CSV, JSON and JSONL stores. IDs are the
// crawler's own; comments point at their note, aweme or video through
// ParentID, so that threads link. It is a pure reader: no storage,
// deduplication or analysis.
package mediacrawler
