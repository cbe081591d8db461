package mediacrawler_test

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/reader/mediacrawler"
	"trustwatch/reader/record"
)

var shanghai = trustwatch.DefaultLocation()

type want struct {
	id, parent      string
	oldAuthor       string
	newAuthor       string
	time            string // Asia/Shanghai
	likes, replies  int64
	reposts         int64
	title, textHead string
}

// expected holds, per platform and file, the two records every fixture of
// that kind holds, checked by hand against the fixture's fields.
var expected = map[string][2]want{
	"weibo_contents": {
		{"5018791034438415", "", "雷军", "c0ffee127163", "2024-03-30 12:22:33", 12000, 3025, 100000, "", "小米SU7发布会"},
		{"5018795000000001", "", "汽车观察", "c0ffee000001", "2024-03-30 13:20:00", 1234, 0, 0, "", "刹车盘缩水了"},
	},
	"weibo_comments": {
		{"5018791212345678", "5018791034438415", "路人甲", "c0ffee000001", "2024-03-30 12:29:00", 137, 2, 0, "", "交付时间"},
		{"5018791212345679", "5018791034438415", "米粉", "c0ffee000002", "2024-03-30 12:30:00", 35000, 0, 0, "", "雷总加油"},
	},
	"xhs_contents": {
		// The title repeats the start of desc, so it is dropped.
		{"6607d1a2000000001203f0c1", "", "小红薯123", "c0ffee000101", "2024-03-30 14:26:40", 35000, 856, 97, "", "SU7 提车一周感受\n刹车有点软"},
		{"6607d1a2000000001203f0c2", "", "车主小李", "c0ffee000101", "2024-03-30 15:26:40", 100000, 11000, 0, "不一样的标题", "漆面有橘皮"},
	},
	"xhs_comments": {
		{"6607e0f3000000000b00a1b2", "6607d1a2000000001203f0c1", "问号", "c0ffee000101", "2024-03-30 14:43:20", 12, 0, 0, "", "刹车软"},
		{"6607e0f3000000000b00a1b3", "6607d1a2000000001203f0c1", "答案", "c0ffee000101", "2024-03-30 14:44:20", 1500, 1, 0, "", "我的也是"},
	},
	"douyin_contents": {
		{"7352000000000000001", "", "车评人老王", "c0ffee000001", "2024-03-30 17:13:20", 21000, 4567, 890, "", "小米SU7 雨天"},
		// No nickname: the user id stands in; "None" counts are 0.
		{"7352000000000000002", "", "100000002", "c0ffee000002", "2024-03-30 18:13:20", 0, 0, 0, "", "SU7 车机黑屏"},
	},
	"douyin_comments": {
		{"7352000000000000101", "7352000000000000001", "200000001", "c0ffee000001", "2024-03-30 17:30:00", 45, 3, 0, "", "这刹车距离"},
		{"7352000000000000102", "7352000000000000001", "川A车主", "c0ffee000002", "2024-03-30 17:31:00", 0, 0, 0, "", "下雨天"},
	},
	"bilibili_contents": {
		{"1052538497", "", "UP主阿强", "c0ffee012345", "2024-03-30 20:00:00", 88000, 6543, 11000, "小米SU7 一个月用车报告", "续航"},
		// Empty desc: the title alone is the body.
		{"1052538498", "", "等车人", "c0ffee012346", "2024-03-30 21:00:00", 999, 88, 12, "SU7 交付等了五个月", ""},
	},
	"bilibili_comments": {
		{"209876543210", "1052538497", "弹幕侠", "c0ffee067890", "2024-03-30 20:16:40", 321, 1, 0, "", "车机黑屏"},
		{"209876543211", "1052538497", "回复者", "c0ffee067891", "2024-03-30 20:17:40", 7, 0, 0, "", "OTA"},
	},
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
						it := r.Item
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
						if got := it.Time.In(shanghai).Format("2006-01-02 15:04:05"); got != w.time {
							t.Errorf("record %d: time %s, want %s", i, got, w.time)
						}
						if it.Likes != w.likes || it.Replies != w.replies || it.Reposts != w.reposts {
							t.Errorf("record %d: likes/replies/reposts %d/%d/%d, want %d/%d/%d", i, it.Likes, it.Replies, it.Reposts, w.likes, w.replies, w.reposts)
						}
						if it.Title != w.title || !strings.HasPrefix(it.Text, w.textHead) {
							t.Errorf("record %d: title %q text %q; want title %q, text starting %q", i, it.Title, it.Text, w.title, w.textHead)
						}
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
		"mediacrawler: line 5: cannot tell the platform from the fields: give one (weibo, xhs, douyin, bilibili)",
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
	for _, name := range []string{"old_weibo_contents.jsonl", "new_xhs_contents.csv", "old_douyin_comments.json", "new_bilibili_comments.csv"} {
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
