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
)

// Keys are the field names that mark a MediaCrawler record, for detection.
var Keys = []string{"note_id", "aweme_id", "video_id", "comment_id", "liked_count", "last_modify_ts", "creator_hash", "create_date_time", "ip_location"}

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
	t, err := record.NewTable(br, cfg.Comma)
	if err != nil {
		return fmt.Errorf("%s: %w", Format, err)
	}
	row := &csvFields{index: map[string]int{}}
	for i, h := range t.Header {
		if _, dup := row.index[h]; !dup {
			row.index[h] = i
		}
	}
	for {
		line, fields, raw, reason, err := t.Next()
		if err == io.EOF {
			return nil
		} else if err != nil {
			return fmt.Errorf("%s: %w", Format, err)
		}
		rec := record.Record{Line: line, Raw: raw}
		if reason == "" && len(fields) < len(t.Header) {
			reason = fmt.Sprintf("row has %d fields, column %q is missing", len(fields), t.Header[len(fields)])
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

// Platform tells the platform of a record from its fields, falling back on
// hint; "" when neither says.
func Platform(f fields, hint string) string {
	switch {
	case f.Has("aweme_id") || f.Has("aweme_url") || f.Has("sec_uid"):
		return Douyin
	case f.Has("video_id") || f.Has("bvid") || f.Has("video_url") && strings.Contains(f.Get("video_url"), "bilibili.com"):
		return Bilibili
	}
	url := f.Get("note_url")
	switch {
	case strings.Contains(url, "xiaohongshu.com") || f.Has("xsec_token"):
		return XHS
	case strings.Contains(url, "weibo.") || f.Has("create_date_time") || f.Has("comment_like_count") || f.Has("shared_count"):
		return Weibo
	}
	if p := NormalisePlatform(hint); p != "" {
		return p
	}
	if f.Has("note_id") && (f.Has("pictures") || f.Has("desc") || f.Has("time") || f.Has("like_count")) {
		return XHS
	}
	return ""
}

// NormalisePlatform maps the names people and MediaCrawler use for a
// platform (dy, xiaohongshu, bili, wb ...) to trustwatch's.
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
	}
	return ""
}

func adapt(f fields, cfg *record.Config) (*trustwatch.Item, string) {
	platform := Platform(f, cfg.Platform)
	if platform == "" {
		return nil, "cannot tell the platform from the fields: give one (weibo, xhs, douyin, bilibili)"
	}
	it := &trustwatch.Item{Platform: platform, Kind: trustwatch.KindPost}
	parent := first(f, "note_id", "aweme_id", "video_id")
	if f.Has("comment_id") {
		it.Kind = trustwatch.KindComment
		it.ID = first(f, "comment_id")
		it.ParentID = parent
		if it.ID == "" {
			return nil, "missing comment_id"
		}
		if it.ParentID == "" {
			return nil, "missing " + orDefault(firstKey(f, "note_id", "aweme_id", "video_id"), "note_id")
		}
	} else {
		it.ID = parent
		if it.ID == "" {
			return nil, "missing " + orDefault(firstKey(f, "note_id", "aweme_id", "video_id"), "note_id")
		}
		it.URL = first(f, "note_url", "aweme_url", "video_url")
	}
	text := f.Get("content")
	if strings.TrimSpace(text) == "" {
		text = f.Get("desc")
	}
	it.Text = text
	if title := f.Get("title"); strings.TrimSpace(title) != "" && !strings.HasPrefix(strings.TrimSpace(text), strings.TrimSpace(title)) {
		it.Title = title
	}
	// The newer schema hides user_id behind creator_hash and masks the
	// nickname, so the hash is the only stable author there.
	it.Author = first(f, "creator_hash", "nickname", "user_id")

	var reason string
	for _, c := range [...]struct {
		dst  *int64
		keys []string
	}{
		{&it.Likes, []string{"liked_count", "like_count", "comment_like_count"}},
		{&it.Replies, []string{"comments_count", "comment_count", "video_comment", "sub_comment_count"}},
		{&it.Reposts, []string{"shared_count", "share_count", "video_share_count"}},
	} {
		key := firstKey(f, c.keys...)
		if key == "" {
			continue
		}
		if *c.dst, reason = record.Count(key, f.Get(key)); reason != "" {
			return nil, reason
		}
	}
	for _, key := range [...]string{"create_time", "time", "create_date_time"} {
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
