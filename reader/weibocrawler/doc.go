// Package weibocrawler reads the output of dataabc/weibo-crawler: its
// per-user CSV (Chinese headers: id, bid, 正文, 头条文章url, 原始图片url, 视频url,
// 位置, 日期, 工具, 点赞数, 评论数, 转发数, 话题, @用户, 完整日期, and the retweet
// columns; the id carries a trailing TAB so that Excel keeps it as text),
// the variant with user_id and 用户昵称 columns (dataabc/weibo-search), its
// JSON ({"user": {...}, "weibo": [...]}, English keys), and its comments
// (the crawler keeps them in SQLite; exported as CSV they have the columns
// id, bid, root_id, created_at, weibo_id, user_id, user_screen_name, text,
// like_count ...).
//
// ParseTable reads the same columns as the rows of its SQLite database's
// weibo, comments and reposts tables.
//
// Every item is on platform weibo, with the crawler's id (Weibo's posts,
// comments and reposts share one id space). A weibo that reposts another
// (是否原创 False with 源微博id, weibo-search's retweet_id, the JSON's
// "retweet", the table's retweet_id) and every row of the reposts table is
// an item of kind repost whose ParentID is the reposted weibo, with Text
// as written and Via the "//@name:" chain in it (record.RepostChain). A
// comment whose root_id is another comment's id is that comment's child.
// 话题/topics become Tags. It is a pure reader: no storage, deduplication
// or analysis.
package weibocrawler
