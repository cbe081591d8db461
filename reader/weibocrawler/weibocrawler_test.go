package weibocrawler_test

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/reader/record"
	"trustwatch/reader/weibocrawler"
)

var shanghai = trustwatch.DefaultLocation()

type want struct {
	line                    int
	id, parent, author, url string
	time                    string
	likes, replies, reposts int64
	followers               int64
	err                     string
	kind                    trustwatch.Kind // post, or comment when parent is set, unless given
	via, tags               []string
}

func parse(t *testing.T, path string) []record.Record {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var recs []record.Record
	if err := weibocrawler.Parse(bytes.NewReader(b), record.Config{}, func(r record.Record) error {
		recs = append(recs, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestParse(t *testing.T) {
	tests := []struct {
		file string
		want []want
	}{
		{"1749127163.csv", []want{
			// The id column ends with a TAB; the author is not in the file.
			{line: 2, id: "5018791034438415", url: "https://m.weibo.cn/status/O7abcdEFg", time: "2024-03-30 12:22:33", likes: 120000, replies: 30250, reposts: 9800, tags: []string{"小米SU7"}},
			// 是否原创 False: a repost of 源微博id, come through @小米汽车.
			{line: 3, id: "5018800000000002", parent: "5018790000000001", kind: trustwatch.KindRepost, via: []string{"小米汽车"},
				url: "https://m.weibo.cn/status/O7bcdeFGh", time: "2024-03-31 09:05:00", likes: 5000, replies: 812, reposts: 301},
			// 正文 spans two lines inside quotes.
			{line: 4, id: "5018900000000003", url: "https://m.weibo.cn/status/O7cdefGHi", time: "2024-04-01 20:00:00"},
		}},
		{"search_小米SU7.csv", []want{
			{line: 2, id: "5018791034438415", author: "雷军", url: "https://weibo.com/1749127163/O7abcdEFg", time: "2024-03-30 12:22:00", likes: 120000, replies: 30250, reposts: 9800, tags: []string{"小米SU7"}},
			{line: 3, id: "5018791034438499", author: "车主", url: "https://weibo.com/2000000001/O7zzzzZZz", time: "2024-03-30 18:00:00", likes: 2, replies: 1},
			// retweet_id: a repost; the chain, nearest first, with a full-width colon at its end.
			{line: 4, id: "5018791034438500", parent: "5018791034438499", kind: trustwatch.KindRepost, via: []string{"车主", "雷军"}, tags: []string{"小米SU7", "雷军"},
				author: "转发的人", url: "https://weibo.com/2000000002/O7rpstAAA", time: "2024-03-30 19:30:00", likes: 5},
		}},
		{"1749127163.json", []want{
			{line: 26, id: "5018791034438415", author: "雷军", url: "https://weibo.com/1749127163/O7abcdEFg", time: "2024-03-30 12:22:33", likes: 120000, replies: 30250, reposts: 9800, followers: 24000000, tags: []string{"小米SU7"}},
			// "retweet" holds the reposted weibo; its text has no //@ chain.
			{line: 45, id: "5018800000000002", parent: "5018790000000001", kind: trustwatch.KindRepost, author: "雷军", url: "https://weibo.com/ttarticle/p/show?id=123", time: "2024-03-31 09:05:00", likes: 5000, replies: 812, reposts: 301, followers: 24000000},
		}},
		{"comments_5018791034438415.csv", []want{
			{line: 2, id: "5018791212345678", parent: "5018791034438415", author: "路人甲", time: "2024-03-30 12:29:00", likes: 137},
			// No screen name: the user id stands in.
			// root_id names the first comment: the reply nests under it.
			{line: 3, id: "5018791212345679", parent: "5018791212345678", author: "3000000002", time: "2024-03-30 12:30:00", likes: 12000},
			{line: 4, err: "weibo-crawler: line 4: missing text"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			recs := parse(t, "testdata/"+tt.file)
			if len(recs) != len(tt.want) {
				t.Fatalf("got %d records, want %d", len(recs), len(tt.want))
			}
			for i, w := range tt.want {
				r := recs[i]
				if r.Line != w.line {
					t.Errorf("record %d: line %d, want %d", i, r.Line, w.line)
				}
				if w.err != "" {
					if r.Err == nil || r.Err.Error() != w.err {
						t.Errorf("record %d: err %v, want %s", i, r.Err, w.err)
					}
					continue
				}
				if r.Err != nil {
					t.Fatalf("record %d: %v", i, r.Err)
				}
				it := r.Item
				kind := trustwatch.KindPost
				switch {
				case w.kind != "":
					kind = w.kind
				case w.parent != "":
					kind = trustwatch.KindComment
				}
				if !slices.Equal(it.Via, w.via) || !slices.Equal(it.Tags, w.tags) {
					t.Errorf("record %d: via %q tags %q, want %q %q", i, it.Via, it.Tags, w.via, w.tags)
				}
				if it.ID != w.id || it.ParentID != w.parent || it.Author != w.author || it.URL != w.url || it.Platform != "weibo" || it.Kind != kind {
					t.Errorf("record %d: %q %q %q %q %q %q; want %q %q %q %q weibo %q", i, it.ID, it.ParentID, it.Author, it.URL, it.Platform, it.Kind, w.id, w.parent, w.author, w.url, kind)
				}
				if got := it.Time.In(shanghai).Format("2006-01-02 15:04:05"); got != w.time {
					t.Errorf("record %d: time %s, want %s", i, got, w.time)
				}
				if it.Likes != w.likes || it.Replies != w.replies || it.Reposts != w.reposts || it.AuthorFollowers != w.followers {
					t.Errorf("record %d: counts %d/%d/%d/%d, want %d/%d/%d/%d", i, it.Likes, it.Replies, it.Reposts, it.AuthorFollowers, w.likes, w.replies, w.reposts, w.followers)
				}
			}
		})
	}
}

func TestMultiLineText(t *testing.T) {
	recs := parse(t, "testdata/1749127163.csv")
	if got := recs[2].Item.Text; got != "车机黑屏的问题\n下个 OTA 修复" {
		t.Errorf("text %q", got)
	}
}

func TestUnknownHeader(t *testing.T) {
	err := weibocrawler.Parse(strings.NewReader("a,b\n1,2\n"), record.Config{}, func(record.Record) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "neither a weibo nor a comment file") {
		t.Errorf("err = %v", err)
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"1749127163.csv", "1749127163.json", "comments_5018791034438415.csv", "search_小米SU7.csv"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = weibocrawler.Parse(bytes.NewReader(b), record.Config{Now: time.Unix(1711800000, 0)}, func(r record.Record) error {
			if (r.Err == nil) == (r.Item == nil) {
				t.Fatalf("record at line %d: item %v and error %v", r.Line, r.Item, r.Err)
			}
			return nil
		})
	})
}
