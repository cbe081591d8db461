package mediacrawler

import (
	"encoding/json"
	"strings"

	"trustwatch/reader/record"
)

// The fields MediaCrawler writes, by platform and record type
// (store/<platform>/__init__.py, model/m_baidu_tieba.py, model/m_zhihu.py;
// the SQLite tables of database/models.py have the same columns):
//
//	weibo contents    weibo_note:             note_id content create_time create_date_time liked_count comments_count shared_count note_url source_keyword
//	weibo comments    weibo_note_comment:     comment_id note_id content create_time create_date_time comment_like_count sub_comment_count parent_comment_id
//	xhs contents      xhs_note:               note_id type title desc time (ms) liked_count collected_count comment_count share_count tag_list note_url xsec_token source_keyword
//	xhs comments      xhs_note_comment:       comment_id note_id content create_time (ms) like_count sub_comment_count parent_comment_id pictures
//	douyin contents   douyin_aweme:           aweme_id aweme_type title desc create_time liked_count collected_count comment_count share_count aweme_url source_keyword
//	douyin comments   douyin_aweme_comment:   comment_id aweme_id content create_time like_count sub_comment_count parent_comment_id ("0" at the top)
//	bilibili videos   bilibili_video:         video_id title desc create_time liked_count video_play_count video_favorite_count video_share_count video_comment video_danmaku video_coin_count video_url source_keyword
//	bilibili comments bilibili_video_comment: comment_id video_id parent_comment_id ("0" at the top) content create_time like_count sub_comment_count
//	kuaishou videos   kuaishou_video:         video_id video_type title desc create_time liked_count viewd_count video_url (kuaishou.com) video_play_url source_keyword
//	kuaishou comments kuaishou_video_comment: comment_id video_id content create_time sub_comment_count (no parent, no likes)
//	tieba posts       tieba_note:             note_id title desc note_url publish_time ("2024-03-05 12:00") user_nickname tieba_name tieba_link total_replay_num source_keyword
//	tieba comments    tieba_comment:          comment_id parent_comment_id content publish_time sub_comment_count note_id note_url tieba_id tieba_name
//	zhihu contents    zhihu_content:          content_id content_type (answer|article|zvideo) content_text content_url question_id title desc created_time voteup_count comment_count source_keyword user_nickname
//	zhihu comments    zhihu_comment:          comment_id parent_comment_id content publish_time sub_comment_count like_count dislike_count content_id content_type user_nickname
//
// The older schema has user_id (and avatar, ip_location ...) where the
// newer one, since 2026-07-01, has creator_hash and a masked nickname or
// user_nickname. Counts are strings ("1.2万", "10万+", "None" for a missing
// one); times are unix seconds or milliseconds, or strings.

// fields is one record, whatever its form: a JSON object or a CSV row.
type fields interface {
	Has(key string) bool
	Get(key string) string
	List(key string) []string
}

// jsonFields is a JSON object read lazily by key.
type jsonFields map[string]json.RawMessage

func (o jsonFields) Has(key string) bool { _, ok := o[key]; return ok }

func (o jsonFields) Get(key string) string {
	raw, ok := o[key]
	if !ok {
		return ""
	}
	var s record.Str
	if err := s.UnmarshalJSON(raw); err != nil {
		return ""
	}
	return string(s)
}

func (o jsonFields) List(key string) []string {
	raw, ok := o[key]
	if !ok {
		return nil
	}
	return record.ListJSON(raw)
}

// csvFields is a CSV row seen through its header.
type csvFields struct {
	index map[string]int
	row   []string
}

func (c *csvFields) Has(key string) bool { _, ok := c.index[key]; return ok }

func (c *csvFields) Get(key string) string {
	i, ok := c.index[key]
	if !ok || i >= len(c.row) {
		return ""
	}
	return c.row[i]
}

func (c *csvFields) List(key string) []string { return record.SplitList(c.Get(key)) }

// first returns the first non-blank value among keys.
func first(f fields, keys ...string) string {
	for _, k := range keys {
		if v := strings.TrimSpace(f.Get(k)); v != "" {
			return v
		}
	}
	return ""
}

// firstKey returns the first key among keys the record has.
func firstKey(f fields, keys ...string) string {
	for _, k := range keys {
		if f.Has(k) {
			return k
		}
	}
	return ""
}
