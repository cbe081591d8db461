package storetest

import (
	"context"
	"testing"
	"time"

	"trustwatch"
)

// TestStore runs the conformance suite. open must return a new, empty store
// for each call, cutting its rollup days at midnight in Asia/Shanghai (the
// default zone), and close it when t ends.
func TestStore(t *testing.T, open func(t *testing.T) trustwatch.Store) {
	t.Run("Items", func(t *testing.T) { testItems(t, open) })
	t.Run("ItemFilters", func(t *testing.T) { testItemFilters(t, open) })
	t.Run("EachItem", func(t *testing.T) { testEachItem(t, open) })
	t.Run("Queries", func(t *testing.T) { testQueries(t, open) })
	t.Run("Rollups", func(t *testing.T) { testRollups(t, open) })
	t.Run("Breakdown", func(t *testing.T) { testBreakdown(t, open) })
	t.Run("Quarantine", func(t *testing.T) { testQuarantine(t, open) })
	t.Run("Points", func(t *testing.T) { testPoints(t, open) })
	t.Run("Events", func(t *testing.T) { testEvents(t, open) })
	t.Run("Alerts", func(t *testing.T) { testAlerts(t, open) })
	t.Run("Results", func(t *testing.T) { testResults(t, open) })
	t.Run("Verdicts", func(t *testing.T) { testVerdicts(t, open) })
}

// shanghai returns a wall-clock time in Asia/Shanghai (UTC+8).
func shanghai(month time.Month, day, hour, min int) time.Time {
	return time.Date(2025, month, day, hour, min, 0, 0, trustwatch.DefaultLocation())
}

// fixture returns five items around midnight of 1-2 March 2025 in Shanghai.
// a3 falls on 2 March in Shanghai but on 1 March in UTC, so day rollups
// cut in the wrong zone give different counts.
//
//	id  platform kind    time (Shanghai)  entities      label aspects             engagement
//	a1  weibo    post    03-01 23:10      su7, xiaomi   neg   brake neg           16
//	a2  weibo    comment 03-01 23:40      leijun,xiaomi pos   -                   23 (3 likes)
//	a3  xhs      post    03-02 00:20      xiaomi        neg   brake neg+pos,price 100
//	a4  douyin   review  03-02 09:05      su7           pos   design pos          0
//	a5  weibo    news    03-02 09:30      -             neu   -                   0
func fixture() []trustwatch.Item {
	return []trustwatch.Item{
		{
			ID: "a1", Platform: "weibo", Kind: trustwatch.KindPost, Author: "雷军", AuthorFollowers: 2000000,
			Title: "SU7", Text: "小米SU7刹车失灵了", Time: shanghai(3, 1, 23, 10), URL: "https://weibo.com/a1",
			Likes: 10, Reposts: 5, Replies: 1,
			Tokens: []string{"小米", "SU7", "刹车", "失灵", "了"}, Entities: []string{"su7", "xiaomi"},
			Sentiment: trustwatch.Negative, PPos: 0.125,
			Aspects: []trustwatch.AspectHit{{Aspect: "brake", Label: trustwatch.Negative, Word: "刹车", Clause: "小米SU7刹车失灵了"}},
			Source:  "weibo.jsonl:1",
		},
		{
			ID: "a2", Platform: "weibo", Kind: trustwatch.KindComment, ParentID: "a1", Author: "用户A",
			Text: "雷总 加油", Time: shanghai(3, 1, 23, 40), Likes: 3, Replies: 20,
			Tokens: []string{"雷总", "加油"}, Entities: []string{"leijun", "xiaomi"},
			Sentiment: trustwatch.Positive, PPos: 0.9, Source: "weibo.jsonl:2",
		},
		{
			ID: "a3", Platform: "xhs", Kind: trustwatch.KindPost, Author: "用户B",
			Text: "刹车盘缩小了，雷总怎么说，不过价格便宜", Time: shanghai(3, 2, 0, 20), Likes: 100,
			Tokens: []string{"刹车", "盘", "缩小", "了", "雷总", "怎么", "说", "不过", "价格", "便宜"}, Entities: []string{"xiaomi"},
			Sentiment: trustwatch.Negative, PPos: 0.2,
			Aspects: []trustwatch.AspectHit{
				{Aspect: "brake", Label: trustwatch.Negative, Word: "刹车盘", Clause: "刹车盘缩小了"},
				{Aspect: "brake", Label: trustwatch.Positive, Word: "刹车", Clause: "雷总怎么说"},
				{Aspect: "price", Label: trustwatch.Positive, Word: "价格", Clause: "不过价格便宜"},
			},
			Source: "xhs.csv:2",
		},
		{
			ID: "a4", Platform: "douyin", Kind: trustwatch.KindReview, Author: "用户C",
			Text: "外观好看", Time: shanghai(3, 2, 9, 5),
			Tokens: []string{"外观", "好看"}, Entities: []string{"su7"},
			Sentiment: trustwatch.Positive, PPos: 0.95,
			Aspects: []trustwatch.AspectHit{{Aspect: "design", Label: trustwatch.Positive, Word: "外观", Clause: "外观好看"}},
			Source:  "douyin.jsonl:1",
		},
		{
			ID: "a5", Platform: "weibo", Kind: trustwatch.KindNews, Title: "发布会定档",
			Time: shanghai(3, 2, 9, 30), Tokens: []string{"发布会", "定档"},
			Sentiment: trustwatch.Neutral, PPos: 0.5, Source: "news.jsonl:1",
		},
	}
}

// openWithFixture opens a store holding the fixture.
func openWithFixture(t *testing.T, open func(t *testing.T) trustwatch.Store) trustwatch.Store {
	t.Helper()
	s := open(t)
	if stored, dups, err := s.PutItems(context.Background(), fixture()); err != nil {
		t.Fatal(err)
	} else if stored != 5 || dups != 0 {
		t.Fatalf("PutItems(fixture) = %d stored, %d duplicates; want 5, 0", stored, dups)
	}
	return s
}

// wantCode fails t unless err carries the application error code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := trustwatch.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v); want %q", got, err, code)
	}
}

// ids returns the IDs of items, in order.
func ids(items []trustwatch.Item) []string {
	out := make([]string, len(items))
	for i := range items {
		out[i] = items[i].ID
	}
	return out
}
