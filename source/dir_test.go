package source_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"trustwatch"
	"trustwatch/source"
	"trustwatch/sqlite"
)

func openDB(tb testing.TB) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(filepath.Join(tb.TempDir(), "t.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// mcLine is one MediaCrawler comment as its JSONL store writes it.
func mcLine(i int, text string) string {
	return fmt.Sprintf(`{"comment_id": "%d", "parent_comment_id": "0", "create_time": %d, "video_id": "1052538497", "content": %q, "creator_hash": "c0ffee%06d", "nickname": "弹***", "like_count": 3, "last_modify_ts": 1711800000000}`+"\n",
		1000+i, 1711801000+60*i, text, i)
}

func gbk(t *testing.T, s string) string {
	b, err := simplifiedchinese.GBK.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// step writes to the file (append, or replace when replace is set), runs
// a round, and says how many items it should store.
type step struct {
	write       string
	replace     bool
	stored      int
	duplicates  int
	quarantined int
}

func TestDirTail(t *testing.T) {
	l1, l2, l3 := mcLine(1, "车机黑屏遇到过两次"), mcLine(2, "OTA 之后好了"), mcLine(3, "刹车有点软")
	huge := `{"comment_id": "9", "create_time": 1711801000, "video_id": "1", "content": "` + strings.Repeat("长", 2<<20) + `"}` + "\n"
	csvMap := map[string]string{"text": "content", "time": "date", "author": "author"}
	cases := []struct {
		name   string
		file   string
		format string
		m      map[string]string
		steps  []step
		items  int      // stored in the end
		texts  []string // some of their texts
		quar   []string // "line:reason prefix" of quarantine records
	}{{
		name: "append in writes, one cut mid-line",
		file: "search_comments_2024-03-30.jsonl",
		steps: []step{
			{write: l1 + l2[:20], stored: 1}, // the half line waits
			{write: l2[20:40]},               // still no line end: nothing read
			{write: l2[40:] + l3, stored: 2}, // completed: read once
			{write: ""},                      // nothing new
		},
		items: 3, texts: []string{"OTA 之后好了", "刹车有点软"},
	}, {
		name: "rewritten file is read again",
		file: "a.jsonl",
		steps: []step{
			{write: l1 + l2, stored: 2},
			{write: l3 + l1 + l2, replace: true, stored: 1, duplicates: 2},
		},
		items: 3,
	}, {
		name: "truncated file is read again",
		file: "b.jsonl",
		steps: []step{
			{write: l1 + l2 + l3, stored: 3},
			{write: mcLine(4, "重新开始"), replace: true, stored: 1},
			{write: l1, stored: 0, duplicates: 1},
		},
		items: 4, texts: []string{"重新开始"},
	}, {
		name: "CSV header kept for appended rows", file: "c.csv", format: "csv", m: csvMap,
		steps: []step{
			{write: "author,content,date\nu1,第一条评论,2024-03-30 10:00\n", stored: 1},
			{write: "u2,\"第二条，带逗号\n和换行\",2024-03-30 11:00\n", stored: 1},
			{write: "u3,,2024-03-30 12:00\n", quarantined: 1},
		},
		items: 2, texts: []string{"第二条，带逗号\n和换行"}, quar: []string{"5:"},
	}, {
		name: "GBK file appended", file: "g.csv", format: "csv", m: csvMap,
		steps: []step{
			{write: gbk(t, "author,content,date\nu1,小米汽车的车机很好用，导航准确，语音识别也不错,2024-03-30 10:00\n"), stored: 1},
			{write: gbk(t, "u2,售后服务态度差，等了三天没人回复,2024-03-30 11:00\n"), stored: 1},
		},
		items: 2, texts: []string{"售后服务态度差，等了三天没人回复"},
	}, {
		name: "huge line goes to quarantine with its line",
		file: "h.jsonl",
		steps: []step{
			{write: l1 + huge + l2, stored: 2, quarantined: 1},
		},
		items: 2, quar: []string{"2:"},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			db := openDB(t)
			dir := t.TempDir()
			path := filepath.Join(dir, c.file)
			src := trustwatch.Source{ID: "crawl", Kind: "dir", Path: dir, Format: c.format, Map: c.m}
			d := &source.Dir{Store: db}
			for i, s := range c.steps {
				flag := os.O_CREATE | os.O_WRONLY | os.O_APPEND
				if s.replace {
					flag = os.O_CREATE | os.O_WRONLY | os.O_TRUNC
				}
				f, err := os.OpenFile(path, flag, 0o644)
				if err != nil {
					t.Fatal(err)
				}
				f.WriteString(s.write)
				f.Close()
				// A rewrite within the same mtime tick must still be seen.
				os.Chtimes(path, time.Now(), time.Now().Add(time.Duration(i)*time.Second))
				res := d.Read(ctx, src)
				if res.Err != "" {
					t.Fatalf("step %d: %s", i, res.Err)
				}
				if res.Stored != s.stored || res.Duplicates != s.duplicates || res.Quarantined != s.quarantined {
					t.Errorf("step %d: stored %d, duplicates %d, quarantined %d; want %d, %d, %d",
						i, res.Stored, res.Duplicates, res.Quarantined, s.stored, s.duplicates, s.quarantined)
				}
			}
			_, _, n, err := db.Span(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if int(n) != c.items {
				t.Errorf("%d items stored, want %d", n, c.items)
			}
			items, _, err := db.FindItems(ctx, trustwatch.ItemFilter{})
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range c.texts {
				found := false
				for _, it := range items {
					found = found || it.Text == want
				}
				if !found {
					t.Errorf("no item with text %q", want)
				}
			}
			qs, _, _ := db.FindQuarantine(ctx, trustwatch.QuarantineFilter{})
			if len(qs) != len(c.quar) {
				t.Fatalf("%d quarantined, want %d: %+v", len(qs), len(c.quar), qs)
			}
			for i, q := range qs {
				if q.File != path || !strings.HasPrefix(fmt.Sprintf("%d:%s", q.Line, q.Reason), c.quar[i]) {
					t.Errorf("quarantine %d = %s:%d %s, want %s:%s", i, q.File, q.Line, q.Reason, path, c.quar[i])
				}
			}
		})
	}
}
