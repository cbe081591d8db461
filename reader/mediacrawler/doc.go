// Package mediacrawler reads the output of NanmiCoder/MediaCrawler (also
// forked as NanmuZhou/MediaCrawler) for Weibo, Xiaohongshu (xhs), Douyin,
// Bilibili, Kuaishou, Baidu Tieba and Zhihu: contents and comments, as JSON
// lines, JSON arrays or CSV (Parse), or as the rows of its Excel sheets and
// SQLite tables (ParseRows), in its older schema (user_id, nickname) and
// the newer one of 2026-07-01 (creator_hash, masked nickname).
//
// The field names mirror the dicts its store/<platform>/__init__.py and
// model/*.py build before handing them to its stores (raw.go lists them).
// The platform is what Config.Platform names, when it names one; else each
// platform's own fields tell (tieba_name, content_id, aweme_id, viewd_count
// or a kuaishou.com URL for Kuaishou's video_id, video_play_count for
// Bilibili's ...).
//
// Ids. Items are identified by platform and id together, so ids need only
// be unique within a platform. Contents keep the platform's id. Comments
// keep theirs where the platform draws comment and content ids from one
// sequence or from globally unique ids (Weibo mids, Xiaohongshu object
// ids, Douyin and Kuaishou ids); where it counts them apart (Bilibili rpid
// and aid, Tieba pid and tid, Zhihu comment and answer ids) the comment id
// is written "c" + id, and Zhihu contents, whose answers, articles and
// videos are counted apart, are written "<content_type>:<id>" ("answer:123").
// A comment's ParentID is the comment it answers (parent_comment_id, when
// it is not "", "0" or the comment's own id), else its note, aweme, video
// or content, written the same way.
//
// It is a pure reader: no storage, deduplication or analysis.
package mediacrawler
