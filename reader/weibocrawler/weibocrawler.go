package weibocrawler

import (
	"bufio"
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
	t, err := record.NewTableLimit(br, cfg.Comma, cfg.MaxField)
	if err != nil {
		return fmt.Errorf("%s: %w", Format, err)
	}
	h := map[string]bool{}
	for _, c := range t.Header {
		h[c] = true
	}
	var table string
	switch {
	case IsPostHeader(h):
		table = TableWeibo
	case IsCommentHeader(h):
		table = TableComments
	default:
		return fmt.Errorf("%s: header is neither a weibo nor a comment file (%s)", Format, strings.Join(t.Header, ", "))
	}
	return ParseTable(table, t, cfg, fn)
}

// wholeLimit is how many field limits a {"user", "weibo"} JSON file may
// hold: it is read whole (64 MiB by default).
const wholeLimit = 64

// The tables of the crawler's SQLite database that hold items.
const (
	TableWeibo    = "weibo"
	TableComments = "comments"
	TableReposts  = "reposts"
)

// ParseTable calls fn for every row of rows, read as the crawler's table
// (TableWeibo, TableComments or TableReposts, whose columns its CSV files
// share): a CSV file or a table of its SQLite database.
func ParseTable(table string, rows record.Rows, cfg record.Config, fn func(record.Record) error) error {
	cfg = cfg.WithDefaults()
	var adapt func([]string) (*trustwatch.Item, string)
	switch table {
	case TableWeibo:
		adapt = postAdapter(rows.Head(), &cfg)
	case TableComments:
		adapt = commentAdapter(rows.Head(), &cfg, trustwatch.KindComment)
	case TableReposts:
		adapt = commentAdapter(rows.Head(), &cfg, trustwatch.KindRepost)
	default:
		return fmt.Errorf("%s: no table %q", Format, table)
	}
	for {
		line, fields, raw, reason, err := rows.Next()
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
	head []string
	i    int // -1: the column is absent
}

func columnOf(head []string, names []string) column {
	for _, n := range names {
		for i, h := range head {
			if strings.EqualFold(strings.TrimSpace(h), n) {
				return column{head, i}
			}
		}
	}
	return column{head, -1}
}

func (c column) get(row []string, reason *string) string {
	switch {
	case c.i < 0:
		return ""
	case c.i >= len(row):
		if *reason == "" {
			*reason = fmt.Sprintf("row has %d fields, column %q is missing", len(row), c.head[c.i])
		}
		return ""
	}
	return row[c.i]
}

func postAdapter(head []string, cfg *record.Config) func([]string) (*trustwatch.Item, string) {
	col := func(names []string) column { return columnOf(head, names) }
	id, bid, text, article := col(colID), col(colBID), col(colText), col(colArticle)
	fullDate, date := col(colFullDate), col(colDate)
	likes, replies, reposts := col(colLikes), col(colReplies), col(colReposts)
	userID, nickname := col(colUserID), col(colNickname)
	topics, original, retweet := col(colTopics), col(colOriginal), col(colRetweetID)
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
			Topics:         record.Str(topics.get(row, &reason)),
		}
		// The per-user CSV says 是否原创 False and gives 源微博id; weibo-search
		// and the SQLite table give retweet_id.
		src := strings.TrimSpace(retweet.get(row, &reason))
		if o := strings.TrimSpace(original.get(row, &reason)); !strings.EqualFold(o, "false") && original.i >= 0 {
			src = ""
		}
		if reason != "" {
			return nil, reason
		}
		if src != "" {
			w.Retweet = &rawRetweet{ID: record.Str(src)}
		}
		return adaptWeibo(&w, nil, cfg)
	}
}

func commentAdapter(head []string, cfg *record.Config, kind trustwatch.Kind) func([]string) (*trustwatch.Item, string) {
	col := func(names []string) column { return columnOf(head, names) }
	id, weibo, root, user, userID := col(colID), col(colCommentWeibo), col(colCommentRoot), col(colCommentUser), col(colCommentUserID)
	text, created, likes := col(colCommentText), col(colCommentTime), col(colCommentLikes)
	return func(row []string) (*trustwatch.Item, string) {
		var reason string
		it := &trustwatch.Item{
			Platform: Platform,
			Kind:     kind,
			ID:       strings.TrimSpace(id.get(row, &reason)),
			ParentID: strings.TrimSpace(weibo.get(row, &reason)),
			Author:   strings.TrimSpace(user.get(row, &reason)),
			Text:     text.get(row, &reason),
		}
		// root_id is the top comment of a thread; a top comment has its
		// own id there, a reply the one it sits under.
		if r := strings.TrimSpace(root.get(row, &reason)); r != "" && r != it.ID && kind == trustwatch.KindComment {
			it.ParentID = r
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
		if kind == trustwatch.KindRepost {
			if it.ParentID == "" {
				return nil, "missing weibo_id"
			}
			it.Via = record.RepostChain(it.Text)
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
	it.Tags = record.SplitList(string(w.Topics))
	if w.Retweet != nil && w.Retweet.ID.Trim() != "" {
		// A repost keeps its text as written; the //@ chain in it is the
		// way it came.
		it.Kind = trustwatch.KindRepost
		it.ParentID = w.Retweet.ID.Trim()
		it.Via = record.RepostChain(it.Text)
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
// as JSON lines or an array. The latter are read one at a time; the
// former is read whole, so it is bounded: at most wholeLimit field limits.
func parseJSON(br *bufio.Reader, cfg *record.Config, fn func(record.Record) error) error {
	prefix, _ := br.Peek(br.Size())
	if !record.JSONKeys(prefix)["weibo"] {
		return record.EachJSON(br, record.LineLimit(cfg.MaxField), func(line int, raw []byte, reason string) error {
			return fn(weiboRecord(line, raw, reason, nil, cfg))
		})
	}
	limit := int64(wholeLimit) * int64(cfg.MaxField)
	data, err := io.ReadAll(io.LimitReader(br, limit+1))
	if err != nil {
		return fmt.Errorf("%s: %w", Format, err)
	}
	if int64(len(data)) > limit {
		return fmt.Errorf("%s: %w", Format, &record.CutError{Line: 1, Reason: fmt.Sprintf(
			"a {\"user\", \"weibo\"} file is read whole, and this one is over %s (%d times the field limit)", record.Size(int(limit)), wholeLimit)})
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
