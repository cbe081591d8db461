package csvfile

import (
	"fmt"
	"io"
	"strings"

	"trustwatch"
	"trustwatch/reader/record"
)

// Format is the name of the format, used in errors.
const Format = "csv"

// Synonyms are the column names recognised for each canonical field when
// no map names its column, in order of preference after the canonical
// name itself.
var Synonyms = map[string][]string{
	"id":               {"item_id", "mid"},
	"platform":         {"平台"},
	"kind":             {},
	"parent_id":        {"parent"},
	"author":           {"user", "username", "user_name", "screen_name", "nickname", "author_name", "用户", "用户名", "用户昵称", "昵称", "作者"},
	"author_followers": {"followers", "followers_count", "粉丝数"},
	"title":            {"标题", "headline"},
	"text":             {"content", "正文", "微博正文", "评论内容", "内容", "评论", "body", "comment", "review", "message", "text_raw"},
	"time":             {"date", "created_at", "datetime", "timestamp", "publish_time", "create_time", "pubdate", "发布时间", "时间", "日期", "评论时间"},
	"url":              {"link", "链接"},
	"likes":            {"like_count", "likecount", "likes_count", "liked_count", "attitudes_count", "digg_count", "点赞数", "点赞"},
	"reposts":          {"repost_count", "reposts_count", "share_count", "shares", "转发数"},
	"replies":          {"reply_count", "comments_count", "comment_count", "评论数"},
}

// columns holds the column index of each item field, -1 when absent.
type columns struct {
	id, platform, kind, parentID, author, followers, title, text, time, url, likes, reposts, replies int
}

// Parse calls fn for every row of r, in order. A map column missing from
// the header, or a file with no text or no time column, is an error that
// stops the run; a bad row is a record error.
func Parse(r io.Reader, cfg record.Config, fn func(record.Record) error) error {
	cfg = cfg.WithDefaults()
	t, err := record.NewTableLimit(r, cfg.Comma, cfg.MaxField)
	if err != nil {
		return fmt.Errorf("%s: %w", Format, err)
	}
	cols, err := lookup(t, cfg.Map)
	if err != nil {
		return fmt.Errorf("%s: %w", Format, err)
	}
	var times record.TimeCache
	for {
		line, fields, raw, reason, err := t.Next()
		if err == io.EOF {
			return nil
		} else if err != nil {
			return fmt.Errorf("%s: %w", Format, err)
		}
		rec := record.Record{Line: line, Raw: raw}
		if reason == "" {
			rec.Item, reason = adapt(t, fields, &cols, &cfg, &times)
		}
		if reason != "" {
			rec.Item, rec.Err = nil, record.Errorf(Format, line, reason)
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
}

func lookup(t *record.Table, m map[string]string) (columns, error) {
	for field := range m {
		if _, ok := Synonyms[field]; !ok {
			return columns{}, fmt.Errorf("map: unknown field %q (want one of id, platform, kind, parent_id, author, author_followers, title, text, time, url, likes, reposts, replies)", field)
		}
	}
	var c columns
	var err error
	for _, f := range []struct {
		name string
		dst  *int
	}{
		{"id", &c.id}, {"platform", &c.platform}, {"kind", &c.kind}, {"parent_id", &c.parentID},
		{"author", &c.author}, {"author_followers", &c.followers}, {"title", &c.title},
		{"text", &c.text}, {"time", &c.time}, {"url", &c.url},
		{"likes", &c.likes}, {"reposts", &c.reposts}, {"replies", &c.replies},
	} {
		if *f.dst, err = t.Lookup(m, f.name, Synonyms[f.name]...); err != nil {
			return c, err
		}
	}
	header := strings.Join(t.Header, ", ")
	if c.text < 0 && c.title < 0 {
		return c, fmt.Errorf("no text column in the header (%s): map one, e.g. text=content", header)
	}
	if c.time < 0 {
		return c, fmt.Errorf("no time column in the header (%s): map one, e.g. time=date", header)
	}
	return c, nil
}

func adapt(t *record.Table, fields []string, c *columns, cfg *record.Config, times *record.TimeCache) (*trustwatch.Item, string) {
	var get [13]string
	for i, col := range [...]int{c.id, c.platform, c.kind, c.parentID, c.author, c.followers, c.title, c.text, c.time, c.url, c.likes, c.reposts, c.replies} {
		v, reason := t.Field(fields, col)
		if reason != "" {
			return nil, reason
		}
		get[i] = v
	}
	it := &trustwatch.Item{
		ID:       strings.TrimSpace(get[0]),
		Platform: strings.TrimSpace(get[1]),
		Kind:     trustwatch.Kind(strings.TrimSpace(get[2])),
		ParentID: strings.TrimSpace(get[3]),
		Author:   strings.TrimSpace(get[4]),
		Title:    get[6],
		Text:     get[7],
		URL:      strings.TrimSpace(get[9]),
	}
	if it.Platform == "" {
		it.Platform = cfg.Platform
	}
	var reason string
	for _, n := range [...]struct {
		name string
		s    string
		dst  *int64
	}{
		{"author_followers", get[5], &it.AuthorFollowers},
		{"likes", get[10], &it.Likes},
		{"reposts", get[11], &it.Reposts},
		{"replies", get[12], &it.Replies},
	} {
		if n.s == "" {
			continue
		}
		if *n.dst, reason = record.Count(n.name, n.s); reason != "" {
			return nil, reason
		}
	}
	if it.Time, reason = times.Parse(get[8], cfg); reason != "" {
		return nil, reason
	}
	if reason = record.ValidateItem(it, cfg.MaxField); reason != "" {
		return nil, reason
	}
	return it, ""
}
