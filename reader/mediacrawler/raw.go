package mediacrawler

import (
	"encoding/json"
	"strings"

	"trustwatch/reader/record"
)

// The fields MediaCrawler writes, by platform and record type
// (store/<platform>/__init__.py):
//
//	weibo contents:   note_id content create_time create_date_time liked_count comments_count shared_count note_url ip_location user_id nickname ...
//	weibo comments:   comment_id note_id content create_time create_date_time comment_like_count sub_comment_count parent_comment_id user_id nickname ...
//	xhs contents:     note_id type title desc time (ms) last_update_time user_id nickname liked_count collected_count comment_count share_count note_url xsec_token ...
//	xhs comments:     comment_id note_id content create_time (ms) like_count sub_comment_count parent_comment_id pictures user_id nickname ...
//	douyin contents:  aweme_id aweme_type title desc create_time user_id sec_uid nickname liked_count collected_count comment_count share_count aweme_url ...
//	douyin comments:  comment_id aweme_id content create_time like_count sub_comment_count parent_comment_id user_id nickname ...
//	bilibili videos:  video_id video_type title desc create_time user_id nickname liked_count video_play_count video_comment video_share_count video_url ...
//	bilibili comments: comment_id video_id parent_comment_id content create_time like_count sub_comment_count user_id nickname ...
//
// The newer schema replaces user_id with creator_hash and masks nickname.
// Counts are strings ("1.2万", "10万+", "None" for a missing one); times are
// unix seconds or milliseconds, or create_date_time "2024-03-30 12:22:33".

// fields is one record, whatever its form: a JSON object or a CSV row.
type fields interface {
	Has(key string) bool
	Get(key string) string
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
