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
	UserID         record.Str  `json:"user_id"`
	ScreenName     record.Str  `json:"screen_name"`
	ID             record.Str  `json:"id"`
	BID            record.Str  `json:"bid"`
	Text           record.Str  `json:"text"`
	ArticleURL     record.Str  `json:"article_url"`
	Location       record.Str  `json:"location"`
	CreatedAt      record.Str  `json:"created_at"`      // 2024-03-30 (older: 2024-03-30 12:22)
	FullCreatedAt  record.Str  `json:"full_created_at"` // 2024-03-30 12:22:33
	Source         record.Str  `json:"source"`
	AttitudesCount record.Str  `json:"attitudes_count"`
	CommentsCount  record.Str  `json:"comments_count"`
	RepostsCount   record.Str  `json:"reposts_count"`
	Topics         record.Str  `json:"topics"`
	AtUsers        record.Str  `json:"at_users"`
	Retweet        *rawRetweet `json:"retweet"` // the reposted weibo, for a repost
}

// rawRetweet is the reposted weibo inside a repost; only its id is used.
type rawRetweet struct {
	ID record.Str `json:"id"`
}

// CSV headers of the post file (weibo.py get_result_headers), of the
// weibo-search variant and the columns of the SQLite weibo table, by the
// item field they feed.
var (
	colID        = []string{"id"}
	colBID       = []string{"bid"}
	colText      = []string{"正文", "微博正文", "text"}
	colArticle   = []string{"头条文章url", "article_url"}
	colFullDate  = []string{"完整日期"}
	colDate      = []string{"日期", "发布时间", "created_at"}
	colLikes     = []string{"点赞数", "attitudes_count"}
	colReplies   = []string{"评论数", "comments_count"}
	colReposts   = []string{"转发数", "reposts_count"}
	colUserID    = []string{"user_id", "用户id"}
	colNickname  = []string{"用户昵称", "昵称", "screen_name"}
	colTopics    = []string{"话题", "topics"}
	colOriginal  = []string{"是否原创"}
	colRetweetID = []string{"源微博id", "retweet_id"}
)

// Columns of the comments and reposts tables (weibo.py parse_sqlite_comment,
// parse_sqlite_repost; reposts have no root_id).
var (
	colCommentWeibo  = []string{"weibo_id"}
	colCommentRoot   = []string{"root_id"}
	colCommentUser   = []string{"user_screen_name"}
	colCommentUserID = []string{"user_id"}
	colCommentText   = []string{"text"}
	colCommentTime   = []string{"created_at"}
	colCommentLikes  = []string{"like_count"}
)
