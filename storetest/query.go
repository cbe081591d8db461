package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/query"
)

// queryFixture is ten items for the query language, an hour apart from q1
// to q10, with their units (query.IndexUnits) where a case depends on
// positions:
//
//	q1  weibo    post    小米 米 su7 刹车 车异 异响 响 | 太吓 吓人 人了 了  likes 1200, neg, su7, brake, tags, keyword 小米su7, zh-Hans
//	q2  weibo    comment 刹车 车没 没问 问题 题啊 啊                      reply to q1, likes 3, pos, zh
//	q3  xhs      post    y7 刹车 车也 也异 异响 响                       likes 50, neg, brake, zh-CN
//	q4  douyin   review  小米 米汽 汽车 车刹 刹车 车异 异响 响            Traditional (folded), zh-Hant
//	q5  weibo    repost  转发 发 | 雷军 军 | 外观 观好 好看 看            reply to q1, via 雷军, reposts 10
//	q6  bilibili post    外观 观好 好看 看 | 刹车 车偏 偏软 软            views 10000, favorites 20
//	q7  weibo    news    发布 布会 会定 定档 档新 新车 车 (title only)
//	q8  xhs      comment the brake is soft | not great               neg, en
//	q9  weibo    post    su7 ultra 刹车 车太 太软 软                    likes 1000, keyword SU7
//	q10 zhihu    post    我觉 觉得 得刹 刹车 车盘 盘很 很大 大 | 异响 …   favorites 5
func queryFixture() []trustwatch.Item {
	at := func(h int) time.Time { return time.Date(2025, 4, 1, h, 0, 0, 0, time.UTC) }
	return []trustwatch.Item{
		{ID: "q1", Platform: "weibo", Kind: trustwatch.KindPost, Author: "雷军", Text: "小米SU7刹车异响，太吓人了",
			Time: at(1), Likes: 1200, Reposts: 30, Entities: []string{"su7", "xiaomi"}, Sentiment: trustwatch.Negative,
			Aspects: []trustwatch.AspectHit{{Aspect: "brake", Label: trustwatch.Negative}},
			Tags:    []string{"小米SU7", "刹车"}, Keyword: "小米su7", Lang: "zh-Hans"},
		{ID: "q2", Platform: "weibo", Kind: trustwatch.KindComment, ParentID: "q1", Author: "用户A", Text: "刹车没问题啊",
			Time: at(2), Likes: 3, Sentiment: trustwatch.Positive, Lang: "zh"},
		{ID: "q3", Platform: "xhs", Kind: trustwatch.KindPost, Author: "用户B", Text: "Y7刹车也异响", Time: at(3),
			Likes: 50, Entities: []string{"y7"}, Sentiment: trustwatch.Negative,
			Aspects: []trustwatch.AspectHit{{Aspect: "brake", Label: trustwatch.Negative}}, Lang: "zh-CN"},
		{ID: "q4", Platform: "douyin", Kind: trustwatch.KindReview, Text: "小米汽車剎車異響", Time: at(4), Lang: "zh-Hant"},
		{ID: "q5", Platform: "weibo", Kind: trustwatch.KindRepost, ParentID: "q1", Author: "用户C",
			Text: "转发 //@雷军: 外观好看", Time: at(5), Reposts: 10, Via: []string{"雷军"}},
		{ID: "q6", Platform: "bilibili", Kind: trustwatch.KindPost, Text: "外观好看，刹车偏软", Time: at(6),
			Views: 10000, Favorites: 20, Aspects: []trustwatch.AspectHit{{Aspect: "design", Label: trustwatch.Positive}}},
		{ID: "q7", Platform: "weibo", Kind: trustwatch.KindNews, Title: "发布会定档 新车", Time: at(7)},
		{ID: "q8", Platform: "xhs", Kind: trustwatch.KindComment, Text: "The brake is soft, not great", Time: at(8),
			Sentiment: trustwatch.Negative, Lang: "en"},
		{ID: "q9", Platform: "weibo", Kind: trustwatch.KindPost, Text: "SU7 Ultra 刹车 太软", Time: at(9), Likes: 1000,
			Keyword: "SU7"},
		{ID: "q10", Platform: "zhihu", Kind: trustwatch.KindPost, Text: "我觉得刹车盘很大，异响不多", Time: at(10), Favorites: 5},
	}
}

// testQueries runs hand-checked queries against queryFixture and checks
// each also against query.Match, the in-memory meaning.
func testQueries(t *testing.T, open func(t *testing.T) trustwatch.Store) {
	ctx := context.Background()
	s := open(t)
	items := queryFixture()
	if _, _, err := s.PutItems(ctx, items); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, q string
		want    []string
	}{
		{"word", "刹车", []string{"q1", "q2", "q3", "q4", "q6", "q9", "q10"}},
		{"a character finds the words it begins", "车", []string{"q1", "q2", "q3", "q4", "q6", "q7", "q9", "q10"}},
		{"minus excludes", "刹车 -Y7", []string{"q1", "q2", "q4", "q6", "q9", "q10"}},
		{"two words", "刹车 Y7", []string{"q3"}},
		{"phrase", `"刹车异响"`, []string{"q1", "q4"}},
		{"a bare run is a phrase too", "刹车异响", []string{"q1", "q4"}},
		{"OR", "外观 OR 发布会", []string{"q5", "q6", "q7"}},
		{"pure negative", "-刹车", []string{"q5", "q7", "q8"}},
		{"NOT", "NOT 刹车 NOT 外观", []string{"q7", "q8"}},
		{"parentheses and a negated field", "(刹车 OR 外观) -sentiment:neg", []string{"q2", "q4", "q5", "q6", "q9", "q10"}},
		{"NEAR/1: one unit between in q1 and q4, two in q3", "刹车 NEAR/1 异响", []string{"q1", "q4"}},
		{"NEAR/2", "刹车 NEAR/2 异响", []string{"q1", "q3", "q4"}},
		{"NEAR either order", "异响 NEAR/2 刹车", []string{"q1", "q3", "q4"}},
		{"Latin words", "brake soft", []string{"q8"}},
		{"Latin NEAR/0", "brake NEAR/0 soft", nil},
		{"Latin NEAR/1", "brake NEAR/1 soft", []string{"q8"}},
		{"Traditional", "汽車", []string{"q4"}},
		{"Traditional meets Simplified", `"剎車異響"`, []string{"q1", "q4"}},
		{"Simplified meets Traditional", "汽车", []string{"q4"}},
		{"text and negated field", "小米 -platform:douyin", []string{"q1"}},
		{"platform and kind", "platform:WEIBO kind:comment", []string{"q2"}},
		{"author", "author:雷军", []string{"q1"}},
		{"entity", "entity:su7", []string{"q1"}},
		{"aspect", "aspect:brake", []string{"q1", "q3"}},
		{"sentiment", "sentiment:neg", []string{"q1", "q3", "q8"}},
		{"kind repost", "kind:repost", []string{"q5"}},
		{"tag", "tag:刹车", []string{"q1"}},
		{"keyword", "keyword:SU7", []string{"q9"}},
		{"keyword in any case", "keyword:小米SU7", []string{"q1"}},
		{"lang and its subtags", "lang:zh", []string{"q1", "q2", "q3", "q4"}},
		{"lang subtag", "lang:zh-hant", []string{"q4"}},
		{"likes >", "likes:>1000", []string{"q1"}},
		{"likes >=", "likes:>=1000", []string{"q1", "q9"}},
		{"likes <", "likes:<3", []string{"q4", "q5", "q6", "q7", "q8", "q10"}},
		{"likes =", "likes:50", []string{"q3"}},
		{"views", "views:>0", []string{"q6"}},
		{"favorites <= and >", "favorites:<=5 favorites:>0", []string{"q10"}},
		{"reposts OR text", "reposts:10 OR 太软", []string{"q5", "q9"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, n, err := s.FindItems(ctx, trustwatch.ItemFilter{Query: tt.q, Order: "time_asc"})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(ids(got), orEmpty(tt.want)) || n != len(tt.want) {
				t.Errorf("FindItems(%s) = %q, total %d; want %q", tt.q, ids(got), n, tt.want)
			}
			q, err := query.Parse(tt.q, query.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var matched []string
			for i := range items {
				if q.Match(query.NewDoc(&items[i])) {
					matched = append(matched, items[i].ID)
				}
			}
			if !reflect.DeepEqual(matched, tt.want) {
				t.Errorf("query.Match(%s) = %q; want %q", tt.q, matched, tt.want)
			}
		})
	}
	t.Run("new fields round-trip", func(t *testing.T) {
		for _, i := range []int{0, 4, 5} { // tags, keyword, lang; via; views, favorites
			got, err := s.ItemByID(ctx, items[i].ID)
			if err != nil {
				t.Fatal(err)
			}
			sameItem(t, *got, items[i])
		}
	})
	t.Run("a query that does not parse is EINVALID", func(t *testing.T) {
		_, _, err := s.FindItems(ctx, trustwatch.ItemFilter{Query: "(刹车"})
		wantCode(t, err, trustwatch.EINVALID)
	})
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
