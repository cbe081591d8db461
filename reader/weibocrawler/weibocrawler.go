package weibocrawler

import (
	"fmt"
	"io"
	"strings"

	"trustwatch"
	"trustwatch/reader/record"
)

// Format is the name of the format, used in errors.
const Format = "weibo-crawler"

// Platform is the platform of every item.
const Platform = "weibo"

// IsPostHeader and IsCommentHeader recognise the crawler's CSV headers.
func IsPostHeader(h map[string]bool) bool {
	return h["bid"] && (h["正文"] || h["微博正文"])
}

// IsCommentHeader recognises an export of the crawler's comments table.
func IsCommentHeader(h map[string]bool) bool {
	return h["weibo_id"] && h["text"] && (h["user_screen_name"] || h["root_id"])
}

// Parse calls fn for every weibo or comment of r (CSV or JSON), in order.
func Parse(r io.Reader, cfg record.Config, fn func(record.Record) error) error {
	cfg = cfg.WithDefaults()
	br, shape, err := record.Sniff(r)
	if err != nil {
		return fmt.Errorf("%s: %w", Format, err)
	}
	if shape == record.ShapeJSON {
		return parseJSON(br, &cfg, fn)
	}
	t, err := record.NewTable(br, cfg.Comma)
	if err != nil {
		return fmt.Errorf("%s: %w", Format, err)
	}
	h := map[string]bool{}
	for _, c := range t.Header {
		h[c] = true
	}
	var adapt func([]string) (*trustwatch.Item, string)
	switch {
	case IsPostHeader(h):
		adapt = postAdapter(t, &cfg)
	case IsCommentHeader(h):
		adapt = commentAdapter(t, &cfg)
	default:
		return fmt.Errorf("%s: header is neither a weibo nor a comment file (%s)", Format, strings.Join(t.Header, ", "))
	}
	for {
		line, fields, raw, reason, err := t.Next()
		if err == io.EOF {
			return nil
		} else if err != nil {
			return fmt.Errorf("%s: %w", Format, err)
		}
		rec := record.Record{Line: line, Raw: raw}
		if reason == "" {
			rec.Item, reason = adapt(fields)
		}
		if reason != "" {
			rec.Item, rec.Err = nil, record.Errorf(Format, line, reason)
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
}

// column reads one field of a row, naming a missing column.
type column struct {
	t *record.Table
	i int
}

func (c column) get(row []string, reason *string) string {
	v, why := c.t.Field(row, c.i)
	if why != "" && *reason == "" {
		*reason = why
	}
	return v
}

func postAdapter(t *record.Table, cfg *record.Config) func([]string) (*trustwatch.Item, string) {
	col := func(names []string) column { return column{t, t.Column(names...)} }
	id, bid, text, article := col(colID), col(colBID), col(colText), col(colArticle)
	fullDate, date := col(colFullDate), col(colDate)
	likes, replies, reposts := col(colLikes), col(colReplies), col(colReposts)
	userID, nickname := col(colUserID), col(colNickname)
	return func(row []string) (*trustwatch.Item, string) {
		var reason string
		w := rawWeibo{
			ID:             record.Str(id.get(row, &reason)),
			BID:            record.Str(bid.get(row, &reason)),
			Text:           record.Str(text.get(row, &reason)),
			ArticleURL:     record.Str(article.get(row, &reason)),
			FullCreatedAt:  record.Str(fullDate.get(row, &reason)),
			CreatedAt:      record.Str(date.get(row, &reason)),
			AttitudesCount: record.Str(likes.get(row, &reason)),
			CommentsCount:  record.Str(replies.get(row, &reason)),
			RepostsCount:   record.Str(reposts.get(row, &reason)),
			UserID:         record.Str(userID.get(row, &reason)),
			ScreenName:     record.Str(nickname.get(row, &reason)),
		}
		if reason != "" {
			return nil, reason
		}
		return adaptWeibo(&w, nil, cfg)
	}
}

func commentAdapter(t *record.Table, cfg *record.Config) func([]string) (*trustwatch.Item, string) {
	col := func(names []string) column { return column{t, t.Column(names...)} }
	id, weibo, user, userID := col(colID), col(colCommentWeibo), col(colCommentUser), col(colCommentUserID)
	text, created, likes := col(colCommentText), col(colCommentTime), col(colCommentLikes)
	return func(row []string) (*trustwatch.Item, string) {
		var reason string
		it := &trustwatch.Item{
			Platform: Platform,
			Kind:     trustwatch.KindComment,
			ID:       strings.TrimSpace(id.get(row, &reason)),
			ParentID: strings.TrimSpace(weibo.get(row, &reason)),
			Author:   strings.TrimSpace(user.get(row, &reason)),
			Text:     text.get(row, &reason),
		}
		if it.Author == "" {
			it.Author = strings.TrimSpace(userID.get(row, &reason))
		}
		timeText, likeText := created.get(row, &reason), likes.get(row, &reason)
		if reason != "" {
			return nil, reason
		}
		if it.ID == "" {
			return nil, "missing id"
		}
		if it.Likes, reason = record.Count("like_count", likeText); reason != "" {
			return nil, reason
		}
		if it.Time, reason = record.Time(timeText, cfg); reason != "" {
			return nil, reason
		}
		if reason = record.ValidateItem(it, cfg.MaxField); reason != "" {
			return nil, reason
		}
		return it, ""
	}
}

// adaptWeibo turns one weibo, from CSV or JSON, into an item. user is the
// JSON file's user, nil for CSV.
func adaptWeibo(w *rawWeibo, user *rawUser, cfg *record.Config) (*trustwatch.Item, string) {
	it := &trustwatch.Item{
		Platform: Platform,
		Kind:     trustwatch.KindPost,
		ID:       w.ID.Trim(), // the CSV's id ends with a TAB
		Text:     string(w.Text),
		Author:   w.ScreenName.Trim(),
	}
	if it.ID == "" {
		it.ID = w.BID.Trim()
	}
	if it.ID == "" {
		return nil, "missing id"
	}
	userID := w.UserID.Trim()
	var reason string
	if user != nil {
		if it.Author == "" {
			it.Author = user.ScreenName.Trim()
		}
		if userID == "" {
			userID = user.ID.Trim()
		}
		if it.AuthorFollowers, reason = record.Count("followers_count", string(user.FollowersCount)); reason != "" {
			return nil, reason
		}
	}
	if it.Author == "" {
		it.Author = userID
	}
	switch bid := w.BID.Trim(); {
	case w.ArticleURL.Trim() != "":
		it.URL = w.ArticleURL.Trim()
	case bid != "" && userID != "":
		it.URL = "https://weibo.com/" + userID + "/" + bid
	case bid != "":
		it.URL = "https://m.weibo.cn/status/" + bid
	}
	for _, c := range [...]struct {
		name string
		s    record.Str
		dst  *int64
	}{
		{"点赞数", w.AttitudesCount, &it.Likes},
		{"评论数", w.CommentsCount, &it.Replies},
		{"转发数", w.RepostsCount, &it.Reposts},
	} {
		if *c.dst, reason = record.Count(c.name, string(c.s)); reason != "" {
			return nil, reason
		}
	}
	when := w.FullCreatedAt.Trim()
	if when == "" {
		when = w.CreatedAt.Trim()
	}
	if it.Time, reason = record.Time(when, cfg); reason != "" {
		return nil, reason
	}
	if reason = record.ValidateItem(it, cfg.MaxField); reason != "" {
		return nil, reason
	}
	return it, ""
}

// parseJSON reads {"user": {...}, "weibo": [...]}, or weibo objects given
// as JSON lines or an array.
func parseJSON(r io.Reader, cfg *record.Config, fn func(record.Record) error) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("%s: %w", Format, err)
	}
	keys := record.JSONKeys(data)
	if !keys["weibo"] {
		return record.EachJSON(strings.NewReader(string(data)), record.LineLimit(cfg.MaxField), func(line int, raw []byte, reason string) error {
			return fn(weiboRecord(line, raw, reason, nil, cfg))
		})
	}
	type element struct {
		line   int
		raw    []byte
		reason string
	}
	var (
		user     *rawUser
		elements []element
		userErr  string
		userLine int
		userRaw  []byte
	)
	err = record.WalkObject(data, map[string]bool{"weibo": true}, func(key string, line int, raw []byte, reason string) error {
		switch key {
		case "weibo", "":
			elements = append(elements, element{line, raw, reason})
		case "user":
			var u rawUser
			if reason == "" {
				reason = record.Unmarshal(raw, &u)
			}
			user, userErr, userLine, userRaw = &u, reason, line, record.Clone(raw)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if userErr != "" {
		// Without the user the weibos still read; say so once.
		if err := fn(record.Record{Line: userLine, Raw: userRaw, Err: record.Errorf(Format, userLine, "user: "+userErr)}); err != nil {
			return err
		}
		user = nil
	}
	for _, e := range elements {
		if err := fn(weiboRecord(e.line, e.raw, e.reason, user, cfg)); err != nil {
			return err
		}
	}
	return nil
}

func weiboRecord(line int, raw []byte, reason string, user *rawUser, cfg *record.Config) record.Record {
	rec := record.Record{Line: line, Raw: record.Clone(raw)}
	if reason == "" {
		var w rawWeibo
		if reason = record.Unmarshal(raw, &w); reason == "" {
			rec.Item, reason = adaptWeibo(&w, user, cfg)
		}
	}
	if reason != "" {
		rec.Item, rec.Err = nil, record.Errorf(Format, line, reason)
	}
	return rec
}
