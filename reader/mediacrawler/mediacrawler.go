package mediacrawler

import (
	"fmt"
	"io"
	"strings"

	"trustwatch"
	"trustwatch/reader/record"
)

// Format is the name of the format, used in errors.
const Format = "mediacrawler"

// Platforms as trustwatch names them.
const (
	Weibo    = "weibo"
	XHS      = "xhs"
	Douyin   = "douyin"
	Bilibili = "bilibili"
	Kuaishou = "kuaishou"
	Tieba    = "tieba"
	Zhihu    = "zhihu"
)

// Platforms lists them, for messages.
var Platforms = []string{Weibo, XHS, Douyin, Bilibili, Kuaishou, Tieba, Zhihu}

// Keys are the field names that mark a MediaCrawler record, for detection.
var Keys = []string{"note_id", "aweme_id", "video_id", "content_id", "comment_id", "liked_count", "last_modify_ts",
	"creator_hash", "create_date_time", "ip_location", "source_keyword", "voteup_count", "tieba_name", "viewd_count"}

// Parse calls fn for every record of r (JSON lines, a JSON array or CSV),
// in order. Only I/O errors, a CSV without a header and fn's errors stop it.
func Parse(r io.Reader, cfg record.Config, fn func(record.Record) error) error {
	cfg = cfg.WithDefaults()
	br, shape, err := record.Sniff(r)
	if err != nil {
		return fmt.Errorf("%s: %w", Format, err)
	}
	if shape == record.ShapeJSON {
		return record.EachObject(br, record.LineLimit(cfg.MaxField), func(line int, raw []byte, obj *jsonFields, reason string) error {
			rec := record.Record{Line: line, Raw: raw}
			if reason == "" {
				rec.Item, reason = adapt(*obj, &cfg)
			}
			if reason != "" {
				rec.Item, rec.Err = nil, record.Errorf(Format, line, reason)
			}
			return fn(rec)
		})
	}
	t, err := record.NewTableLimit(br, cfg.Comma, cfg.MaxField)
	if err != nil {
		return fmt.Errorf("%s: %w", Format, err)
	}
	return ParseRows(t, cfg, fn)
}

// ParseRows calls fn for every row of a table with MediaCrawler's columns:
// a CSV file, a sheet of its Excel output or a table of its SQLite
// database. Only rows' I/O errors and fn's errors stop it.
func ParseRows(rows record.Rows, cfg record.Config, fn func(record.Record) error) error {
	cfg = cfg.WithDefaults()
	head := rows.Head()
	row := &csvFields{index: map[string]int{}}
	for i, h := range head {
		if _, dup := row.index[h]; !dup {
			row.index[h] = i
		}
	}
	for {
		line, fields, raw, reason, err := rows.Next()
		if err == io.EOF {
			return nil
		} else if err != nil {
			return fmt.Errorf("%s: %w", Format, err)
		}
		rec := record.Record{Line: line, Raw: raw}
		if reason == "" && len(fields) < len(head) {
			reason = fmt.Sprintf("row has %d fields, column %q is missing", len(fields), head[len(fields)])
		}
		if reason == "" {
			row.row = fields
			rec.Item, reason = adapt(row, &cfg)
		}
		if reason != "" {
			rec.Item, rec.Err = nil, record.Errorf(Format, line, reason)
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
}

// Platform tells the platform of a record: hint, when it names one, wins
// (the user knows what they crawled); else each platform's own keys
// decide; "" when nothing does.
func Platform(f fields, hint string) string {
	if p := NormalisePlatform(hint); p != "" {
		return p
	}
	switch {
	case f.Has("tieba_name") || f.Has("tieba_id") || f.Has("tieba_link") || f.Has("total_replay_num") ||
		strings.Contains(f.Get("note_url"), "tieba.baidu.com"):
		return Tieba
	case f.Has("content_id") || f.Has("voteup_count") || f.Has("content_text") || f.Has("question_id"):
		return Zhihu
	case f.Has("aweme_id") || f.Has("aweme_url") || f.Has("sec_uid"):
		return Douyin
	case f.Has("video_id") || f.Has("bvid"):
		return videoPlatform(f)
	}
	url := f.Get("note_url")
	switch {
	case strings.Contains(url, "xiaohongshu.com") || f.Has("xsec_token") || f.Has("tag_list") || f.Has("collected_count"):
		return XHS
	case strings.Contains(url, "weibo.") || f.Has("create_date_time") || f.Has("comment_like_count") || f.Has("shared_count"):
		return Weibo
	}
	if f.Has("note_id") && (f.Has("pictures") || f.Has("desc") || f.Has("time") || f.Has("like_count")) {
		return XHS
	}
	return ""
}

// videoPlatform tells Kuaishou from Bilibili, which both key by video_id.
// Kuaishou videos have viewd_count and a kuaishou.com URL; its comments
// have neither parent_comment_id nor like_count, which Bilibili's have.
func videoPlatform(f fields) string {
	url := f.Get("video_url")
	switch {
	case strings.Contains(url, "kuaishou.com") || f.Has("viewd_count") || f.Has("video_play_url"):
		return Kuaishou
	case strings.Contains(url, "bilibili.com") || f.Has("bvid") || f.Has("video_play_count") || f.Has("video_danmaku") ||
		f.Has("video_coin_count") || f.Has("video_favorite_count") || f.Has("disliked_count"):
		return Bilibili
	case f.Has("comment_id") && (f.Has("parent_comment_id") || f.Has("like_count")):
		return Bilibili
	case f.Has("comment_id"):
		return Kuaishou
	}
	return ""
}

// NormalisePlatform maps the names people and MediaCrawler use for a
// platform (dy, xiaohongshu, bili, ks ...) to trustwatch's.
func NormalisePlatform(p string) string {
	switch strings.ToLower(strings.TrimSpace(p)) {
	case "weibo", "wb", "sina":
		return Weibo
	case "xhs", "xiaohongshu", "rednote", "red":
		return XHS
	case "douyin", "dy", "tiktok-cn":
		return Douyin
	case "bilibili", "bili", "b站":
		return Bilibili
	case "kuaishou", "ks":
		return Kuaishou
	case "tieba", "baidu-tieba", "贴吧":
		return Tieba
	case "zhihu", "知乎":
		return Zhihu
	}
	return ""
}

// separateCommentIDs are the platforms whose comment ids are counted apart
// from their content ids (Bilibili rpid and aid, Tieba pid and tid, Zhihu
// comment and answer ids), so a comment id could equal a post id.
var separateCommentIDs = map[string]bool{Bilibili: true, Tieba: true, Zhihu: true}

// commentID is the item id of a platform's comment id: "c" + id where
// comment and content ids are counted apart, else the id itself.
func commentID(platform, id string) string {
	if separateCommentIDs[platform] {
		return "c" + id
	}
	return id
}

// contentID is the item id of a content: Zhihu's answers, articles and
// videos are counted apart, so their type leads ("answer:123").
func contentID(platform string, f fields) string {
	id := first(f, "note_id", "aweme_id", "video_id", "content_id")
	if platform == Zhihu && id != "" {
		if t := first(f, "content_type"); t != "" {
			return t + ":" + id
		}
	}
	return id
}

var contentKeys = []string{"note_id", "aweme_id", "video_id", "content_id"}

func adapt(f fields, cfg *record.Config) (*trustwatch.Item, string) {
	platform := Platform(f, cfg.Platform)
	if platform == "" {
		return nil, "cannot tell the platform from the fields: give one (" + strings.Join(Platforms, ", ") + ")"
	}
	it := &trustwatch.Item{Platform: platform, Kind: trustwatch.KindPost}
	post := contentID(platform, f)
	if f.Has("comment_id") {
		it.Kind = trustwatch.KindComment
		own := first(f, "comment_id")
		if own == "" {
			return nil, "missing comment_id"
		}
		if post == "" {
			return nil, "missing " + orDefault(firstKey(f, contentKeys...), "note_id")
		}
		it.ID, it.ParentID = commentID(platform, own), post
		// A reply names the comment it answers; top-level comments have
		// "", "0" or (Weibo's rootid) their own id there.
		if pc := first(f, "parent_comment_id"); pc != "" && pc != "0" && pc != own {
			it.ParentID = commentID(platform, pc)
		}
	} else {
		it.ID = post
		if it.ID == "" {
			return nil, "missing " + orDefault(firstKey(f, contentKeys...), "note_id")
		}
		it.URL = first(f, "note_url", "aweme_url", "video_url", "content_url")
	}
	text := f.Get("content")
	if strings.TrimSpace(text) == "" {
		text = f.Get("content_text")
	}
	if strings.TrimSpace(text) == "" {
		text = f.Get("desc")
	}
	it.Text = text
	if title := f.Get("title"); strings.TrimSpace(title) != "" && !strings.HasPrefix(strings.TrimSpace(text), strings.TrimSpace(title)) {
		it.Title = title
	}
	// The newer schema hides user_id behind creator_hash and masks the
	// nickname, so the hash is the only stable author there.
	it.Author = first(f, "creator_hash", "nickname", "user_nickname", "user_id")
	it.Keyword = first(f, "source_keyword")
	it.Tags = f.List("tag_list")

	var reason string
	for _, c := range [...]struct {
		dst  *int64
		keys []string
	}{
		{&it.Likes, []string{"liked_count", "like_count", "comment_like_count", "voteup_count"}},
		{&it.Replies, []string{"comments_count", "comment_count", "video_comment", "total_replay_num", "sub_comment_count"}},
		{&it.Reposts, []string{"shared_count", "share_count", "video_share_count"}},
		{&it.Views, []string{"video_play_count", "viewd_count"}},
		{&it.Favorites, []string{"collected_count", "video_favorite_count"}},
	} {
		key := firstKey(f, c.keys...)
		if key == "" {
			continue
		}
		if *c.dst, reason = record.Count(key, f.Get(key)); reason != "" {
			return nil, reason
		}
	}
	for _, key := range [...]string{"create_time", "time", "create_date_time", "created_time", "publish_time"} {
		if v := strings.TrimSpace(f.Get(key)); v != "" {
			if it.Time, reason = record.Time(v, cfg); reason != "" {
				return nil, reason + " in " + key
			}
			break
		}
	}
	if reason = record.ValidateItem(it, cfg.MaxField); reason != "" {
		return nil, reason
	}
	return it, ""
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
