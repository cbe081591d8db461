package weibocrawler

import "trustwatch/reader/record"

// rawUser mirrors the "user" object of the JSON output.
type rawUser struct {
	ID             record.Str `json:"id"`
	ScreenName     record.Str `json:"screen_name"`
	FollowersCount record.Str `json:"followers_count"`
}

// rawWeibo mirrors one element of the "weibo" array of the JSON output
// (weibo.py parse_weibo / get_one_weibo).
type rawWeibo struct {
	UserID         record.Str `json:"user_id"`
	ScreenName     record.Str `json:"screen_name"`
	ID             record.Str `json:"id"`
	BID            record.Str `json:"bid"`
	Text           record.Str `json:"text"`
	ArticleURL     record.Str `json:"article_url"`
	Location       record.Str `json:"location"`
	CreatedAt      record.Str `json:"created_at"`      // 2024-03-30 (older: 2024-03-30 12:22)
	FullCreatedAt  record.Str `json:"full_created_at"` // 2024-03-30 12:22:33
	Source         record.Str `json:"source"`
	AttitudesCount record.Str `json:"attitudes_count"`
	CommentsCount  record.Str `json:"comments_count"`
	RepostsCount   record.Str `json:"reposts_count"`
	Topics         record.Str `json:"topics"`
	AtUsers        record.Str `json:"at_users"`
}

// CSV headers of the post file (weibo.py get_result_headers) and of the
// weibo-search variant, by the item field they feed.
var (
	colID       = []string{"id"}
	colBID      = []string{"bid"}
	colText     = []string{"正文", "微博正文"}
	colArticle  = []string{"头条文章url"}
	colFullDate = []string{"完整日期"}
	colDate     = []string{"日期", "发布时间"}
	colLikes    = []string{"点赞数"}
	colReplies  = []string{"评论数"}
	colReposts  = []string{"转发数"}
	colUserID   = []string{"user_id", "用户id"}
	colNickname = []string{"用户昵称", "昵称", "screen_name"}
)

// Columns of the comments table (weibo.py parse_sqlite_comment).
var (
	colCommentWeibo  = []string{"weibo_id"}
	colCommentUser   = []string{"user_screen_name"}
	colCommentUserID = []string{"user_id"}
	colCommentText   = []string{"text"}
	colCommentTime   = []string{"created_at"}
	colCommentLikes  = []string{"like_count"}
)
