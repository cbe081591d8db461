package mediacrawler_test

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/reader/mediacrawler"
	"trustwatch/reader/record"
)

type want struct {
	id, parent      string
	oldAuthor       string
	newAuthor       string
	time            string // UTC
	likes, replies  int64
	reposts         int64
	title, textHead string
	views, favs     int64
	keyword         string
	tags            []string
}

// expected holds, per platform and file, the two records every fixture of
// that kind holds, checked by hand against the fixture's fields: times
// converted to UTC (naive strings are Beijing time), counts like "1.2万"
// multiplied out, replies nested under the comment they answer.
var expected = map[string][2]want{
	"weibo_contents": {
		{"5018791034438415", "", "雷军", "c0ffee127163", "2024-03-30 04:22:33", 12000, 3025, 100000, "", "小米SU7发布会", 0, 0, "小米SU7", nil},
		{"5018795000000001", "", "汽车观察", "c0ffee000001", "2024-03-30 05:20:00", 1234, 0, 0, "", "刹车盘缩水了", 0, 0, "小米SU7", nil},
	},
	"weibo_comments": {
		{"5018791212345678", "5018791034438415", "路人甲", "c0ffee000001", "2024-03-30 04:29:00", 137, 2, 0, "", "交付时间", 0, 0, "", nil},
		// parent_comment_id names the first comment: the reply nests under it.
		{"5018791212345679", "5018791212345678", "米粉", "c0ffee000002", "2024-03-30 04:30:00", 35000, 0, 0, "", "雷总加油", 0, 0, "", nil},
	},
	"xhs_contents": {
		// The title repeats the start of desc, so it is dropped.
		{"6607d1a2000000001203f0c1", "", "小红薯123", "c0ffee000101", "2024-03-30 06:26:40", 35000, 856, 97, "", "SU7 提车一周感受\n刹车有点软", 0, 1200, "小米SU7", []string{"小米汽车"}},
		{"6607d1a2000000001203f0c2", "", "车主小李", "c0ffee000101", "2024-03-30 07:26:40", 100000, 11000, 0, "不一样的标题", "漆面有橘皮", 0, 0, "小米SU7", nil},
	},
	"xhs_comments": {
		{"6607e0f3000000000b00a1b2", "6607d1a2000000001203f0c1", "问号", "c0ffee000101", "2024-03-30 06:43:20", 12, 0, 0, "", "刹车软", 0, 0, "", nil},
		{"6607e0f3000000000b00a1b3", "6607e0f3000000000b00a1b2", "答案", "c0ffee000101", "2024-03-30 06:44:20", 1500, 1, 0, "", "我的也是", 0, 0, "", nil},
	},
	"douyin_contents": {
		{"7352000000000000001", "", "车评人老王", "c0ffee000001", "2024-03-30 09:13:20", 21000, 4567, 890, "", "小米SU7 雨天", 0, 0, "小米SU7", nil},
		// No nickname: the user id stands in; "None" counts are 0.
		{"7352000000000000002", "", "100000002", "c0ffee000002", "2024-03-30 10:13:20", 0, 0, 0, "", "SU7 车机黑屏", 0, 0, "小米SU7", nil},
	},
	"douyin_comments": {
		{"7352000000000000101", "7352000000000000001", "200000001", "c0ffee000001", "2024-03-30 09:30:00", 45, 3, 0, "", "这刹车距离", 0, 0, "", nil},
		{"7352000000000000102", "7352000000000000101", "川A车主", "c0ffee000002", "2024-03-30 09:31:00", 0, 0, 0, "", "下雨天", 0, 0, "", nil},
	},
	"bilibili_contents": {
		{"1052538497", "", "UP主阿强", "c0ffee012345", "2024-03-30 12:00:00", 88000, 6543, 11000, "小米SU7 一个月用车报告", "续航", 1200000, 30000, "小米SU7", nil},
		// Empty desc: the title alone is the body.
		{"1052538498", "", "等车人", "c0ffee012346", "2024-03-30 13:00:00", 999, 88, 12, "SU7 交付等了五个月", "", 30000, 100, "小米SU7", nil},
	},
	"bilibili_comments": {
		// Bilibili counts comment ids (rpid) apart from video ids (aid): "c" keeps them apart.
		{"c209876543210", "1052538497", "弹幕侠", "c0ffee067890", "2024-03-30 12:16:40", 321, 1, 0, "", "车机黑屏", 0, 0, "", nil},
		{"c209876543211", "c209876543210", "回复者", "c0ffee067891", "2024-03-30 12:17:40", 7, 0, 0, "", "OTA", 0, 0, "", nil},
	},
	"kuaishou_contents": {
		// create_time in ms; "10万+" is 100000; title = desc is dropped.
		{"3xk7rq9sd2ab4c1", "", "快手车评", "c0ffee0a0001", "2024-03-30 08:00:00", 23000, 0, 0, "", "小米SU7 高速 NOA", 100000, 0, "小米SU7", nil},
		{"3xk7rq9sd2ab4c2", "", "路过的", "c0ffee0a0002", "2024-03-30 10:00:00", 0, 0, 0, "", "SU7 车机卡顿", 0, 0, "", nil},
	},
	"kuaishou_comments": {
		// No parent_comment_id in Kuaishou's comments: both hang on the video.
		{"801234567890", "3xk7rq9sd2ab4c1", "看客", "c0ffee0a0003", "2024-03-30 08:10:00", 0, 2, 0, "", "变道确实稳", 0, 0, "", nil},
		{"801234567891", "3xk7rq9sd2ab4c1", "老司机", "c0ffee0a0004", "2024-03-30 08:11:00", 0, 0, 0, "", "高速上别太依赖", 0, 0, "", nil},
	},
	"tieba_contents": {
		// publish_time is a Beijing-time string, with or without seconds.
		{"9012345678", "", "吧友甲", "c0ffee0b0001", "2024-03-05 04:00:00", 0, 56, 0, "小米SU7刹车异响怎么办", "提车两周", 0, 0, "小米SU7刹车", nil},
		{"9012345679", "", "车主乙", "c0ffee0b0002", "2024-03-05 10:30:15", 0, 0, 0, "SU7 车主交流", "", 0, 0, "小米SU7刹车", nil},
	},
	"tieba_comments": {
		{"c150000000001", "9012345678", "修车师傅", "c0ffee0b0003", "2024-03-05 04:30:00", 0, 1, 0, "", "我的也是", 0, 0, "", nil},
		{"c150000000002", "c150000000001", "吧友甲", "c0ffee0b0001", "2024-03-05 04:45:00", 0, 0, 0, "", "换的原厂的吗", 0, 0, "", nil},
	},
	"zhihu_contents": {
		// Answers and articles are counted apart: the type leads the id.
		{"answer:3456789012", "", "知乎答主", "c0ffee0c0001", "2024-03-30 12:00:00", 1520, 88, 0, "如何评价小米SU7？", "开了三个月，说说刹车", 0, 0, "小米SU7", nil},
		// No content_text: desc is the body.
		{"article:98765432", "", "专栏作者", "c0ffee0c0002", "2024-03-30 13:00:00", 0, 0, 0, "SU7 三个月用车报告", "续航打八折", 0, 0, "小米SU7", nil},
	},
	"zhihu_comments": {
		{"c10800000001", "answer:3456789012", "评论者", "c0ffee0c0003", "2024-03-30 12:30:00", 35, 1, 0, "", "刹车确实偏软", 0, 0, "", nil},
		{"c10800000002", "c10800000001", "知乎答主", "c0ffee0c0001", "2024-03-30 12:31:00", 3, 0, 0, "", "OTA 后好多了", 0, 0, "", nil},
	},
}

// checkItem compares one item with its expected values.
func checkItem(t *testing.T, i int, it *trustwatch.Item, platform, schema string, w want) {
	t.Helper()
	author := w.oldAuthor
	if schema == "new" {
		author = w.newAuthor
	}
	wantKind := trustwatch.KindPost
	if w.parent != "" {
		wantKind = trustwatch.KindComment
	}
	if it.ID != w.id || it.ParentID != w.parent || it.Platform != platform || it.Kind != wantKind || it.Author != author {
		t.Errorf("record %d: id=%q parent=%q platform=%q kind=%q author=%q; want %q %q %q %q %q",
			i, it.ID, it.ParentID, it.Platform, it.Kind, it.Author, w.id, w.parent, platform, wantKind, author)
	}
	if got := it.Time.UTC().Format("2006-01-02 15:04:05"); got != w.time {
		t.Errorf("record %d: time %s UTC, want %s", i, got, w.time)
	}
	if it.Likes != w.likes || it.Replies != w.replies || it.Reposts != w.reposts || it.Views != w.views || it.Favorites != w.favs {
		t.Errorf("record %d: likes/replies/reposts/views/favorites %d/%d/%d/%d/%d, want %d/%d/%d/%d/%d",
			i, it.Likes, it.Replies, it.Reposts, it.Views, it.Favorites, w.likes, w.replies, w.reposts, w.views, w.favs)
	}
	if it.Keyword != w.keyword || !slices.Equal(it.Tags, w.tags) {
		t.Errorf("record %d: keyword %q tags %q, want %q %q", i, it.Keyword, it.Tags, w.keyword, w.tags)
	}
	if it.Title != w.title || !strings.HasPrefix(it.Text, w.textHead) {
		t.Errorf("record %d: title %q text %q; want title %q, text starting %q", i, it.Title, it.Text, w.title, w.textHead)
	}
}

func parseFile(t *testing.T, path string, cfg record.Config) []record.Record {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var recs []record.Record
	if err := mediacrawler.Parse(f, cfg, func(r record.Record) error {
		recs = append(recs, r)
		return nil
	}); err != nil {
		t.Fatalf("Parse(%s): %v", path, err)
	}
	return recs
}

func TestParseFixtures(t *testing.T) {
	for _, schema := range []string{"old", "new"} {
		for kind, wants := range expected {
			platform, _, _ := strings.Cut(kind, "_")
			for _, ext := range []string{"jsonl", "json", "csv"} {
				name := fmt.Sprintf("%s_%s.%s", schema, kind, ext)
				t.Run(name, func(t *testing.T) {
					recs := parseFile(t, "testdata/"+name, record.Config{})
					if len(recs) != 2 {
						t.Fatalf("got %d records, want 2", len(recs))
					}
					for i, w := range wants {
						r := recs[i]
						if r.Err != nil {
							t.Fatalf("record %d: %v", i, r.Err)
						}
						checkItem(t, i, r.Item, platform, schema, w)
						if len(r.Raw) == 0 {
							t.Errorf("record %d: no raw bytes", i)
						}
					}
				})
			}
		}
	}
}

func TestLineNumbers(t *testing.T) {
	tests := []struct {
		file  string
		lines [2]int
	}{
		{"old_weibo_contents.jsonl", [2]int{1, 2}},
		{"old_weibo_contents.csv", [2]int{2, 3}},
		// The first note's desc spans two lines inside quotes.
		{"old_xhs_contents.csv", [2]int{2, 4}},
		// indent=4: "[" then the first object of 16 keys on lines 2-19.
		{"old_weibo_contents.json", [2]int{2, 20}},
	}
	for _, tt := range tests {
		recs := parseFile(t, "testdata/"+tt.file, record.Config{})
		if len(recs) != 2 || recs[0].Line != tt.lines[0] || recs[1].Line != tt.lines[1] {
			var got []int
			for _, r := range recs {
				got = append(got, r.Line)
			}
			t.Errorf("%s: lines %v, want %v", tt.file, got, tt.lines)
		}
	}
}

func TestRecordErrors(t *testing.T) {
	in := strings.Join([]string{
		`{"note_id":"1","content":"ok","create_time":1711772553,"note_url":"https://m.weibo.cn/detail/1"}`,
		`{"note_id":"2","content":"","create_time":1711772553,"note_url":"https://m.weibo.cn/detail/2"}`,
		`{"note_id":"3","content":"no time","create_time":"","note_url":"https://m.weibo.cn/detail/3"}`,
		`{"note_id":"4","content":"bad count","liked_count":"很多","create_time":1711772553,"note_url":"https://m.weibo.cn/detail/4"}`,
		`{"note_id":"5","content":"who","create_time":1711772553}`,
		`{"note_id":"6","content":"cut`,
	}, "\n")
	var got []string
	err := mediacrawler.Parse(strings.NewReader(in), record.Config{}, func(r record.Record) error {
		if r.Err != nil {
			got = append(got, r.Err.Error())
		} else {
			got = append(got, "ok "+r.Item.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"ok 1",
		"mediacrawler: line 2: missing text",
		"mediacrawler: line 3: missing time",
		`mediacrawler: line 4: unparseable liked_count "很多"`,
		"mediacrawler: line 5: cannot tell the platform from the fields: give one (weibo, xhs, douyin, bilibili, kuaishou, tieba, zhihu)",
		"mediacrawler: line 6: invalid JSON: unexpected end",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestPlatformHint(t *testing.T) {
	in := `{"note_id":"n1","content":"只有 note_id","create_time":1711772553}`
	var it *trustwatch.Item
	err := mediacrawler.Parse(strings.NewReader(in), record.Config{Platform: "wb"}, func(r record.Record) error {
		it = r.Item
		return r.Err
	})
	if err != nil || it == nil || it.Platform != "weibo" {
		t.Fatalf("item %+v, err %v; want platform weibo from the hint", it, err)
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"old_weibo_contents.jsonl", "new_xhs_contents.csv", "old_douyin_comments.json", "new_bilibili_comments.csv",
		"new_kuaishou_contents.jsonl", "old_tieba_comments.csv", "new_zhihu_comments.json"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = mediacrawler.Parse(bytes.NewReader(b), record.Config{Now: time.Unix(1711800000, 0)}, func(r record.Record) error {
			if (r.Err == nil) == (r.Item == nil) {
				t.Fatalf("record at line %d: item %v and error %v", r.Line, r.Item, r.Err)
			}
			return nil
		})
	})
}

func TestPlatformDetection(t *testing.T) {
	tests := []struct {
		name, hint, rec, want string
	}{
		{"kuaishou video", "", `{"video_id":"3x1","desc":"a","create_time":1711772553000,"viewd_count":"1"}`, "kuaishou"},
		{"kuaishou by url", "", `{"video_id":"3x1","desc":"a","create_time":1711772553,"video_url":"https://www.kuaishou.com/short-video/3x1"}`, "kuaishou"},
		{"kuaishou comment", "", `{"comment_id":"1","video_id":"3x1","content":"a","create_time":1711772553000,"sub_comment_count":"0"}`, "kuaishou"},
		{"bilibili video", "", `{"video_id":"1","desc":"a","create_time":1711772553,"video_play_count":"1"}`, "bilibili"},
		{"bilibili comment", "", `{"comment_id":"1","video_id":"2","parent_comment_id":"0","content":"a","create_time":1711772553,"like_count":"0"}`, "bilibili"},
		{"tieba post", "", `{"note_id":"1","title":"a","publish_time":"2024-03-05 12:00","tieba_name":"x"}`, "tieba"},
		{"tieba comment", "", `{"comment_id":"1","note_id":"2","content":"a","publish_time":"2024-03-05 12:00","tieba_id":"3"}`, "tieba"},
		{"zhihu content", "", `{"content_id":"1","content_type":"answer","content_text":"a","created_time":1711772553}`, "zhihu"},
		{"zhihu comment", "", `{"comment_id":"1","content_id":"2","content":"a","publish_time":1711772553}`, "zhihu"},
		{"hint wins over keys", "ks", `{"video_id":"1","desc":"a","create_time":1711772553,"video_play_count":"1"}`, "kuaishou"},
		{"hint names the platform", "bili", `{"video_id":"1","desc":"a","create_time":1711772553}`, "bilibili"},
		{"unknown hint falls back on keys", "myspace", `{"aweme_id":"1","desc":"a","create_time":1711772553}`, "douyin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var it *trustwatch.Item
			err := mediacrawler.Parse(strings.NewReader(tt.rec), record.Config{Platform: tt.hint}, func(r record.Record) error {
				it = r.Item
				return r.Err
			})
			if err != nil || it == nil || it.Platform != tt.want {
				t.Fatalf("item %+v, err %v; want platform %s", it, err, tt.want)
			}
		})
	}
}
