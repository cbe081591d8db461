package reader_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"trustwatch"
	"trustwatch/reader"
	"trustwatch/reader/internal/tablefile"
)

func mustCSV(t *testing.T, path, name string) tablefile.Table {
	t.Helper()
	tab, err := tablefile.FromCSV(path, name)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// TestReadXLSX reads a workbook as MediaCrawler's Excel store writes it:
// Contents and Comments sheets, a Creators sheet that holds no items, and
// a sheet nobody's columns fit, which comes back as an error, not nothing.
func TestReadXLSX(t *testing.T) {
	contents := mustCSV(t, "mediacrawler/testdata/new_kuaishou_contents.csv", "Contents")
	comments := mustCSV(t, "mediacrawler/testdata/new_kuaishou_comments.csv", "Comments")
	// A third comment without its time: quarantined with its sheet row.
	bad := slices.Clone(comments.Rows[0])
	bad[0], bad[1] = "801234567899", ""
	comments.Rows = append(comments.Rows, bad)
	creators := tablefile.Table{Name: "Creators", Head: []string{"creator_hash", "fans"}, Rows: [][]string{{"c0ffee", "10"}}}
	notes := tablefile.Table{Name: "备注", Head: []string{"说明"}, Rows: [][]string{{"手工记录"}}}
	path := filepath.Join(t.TempDir(), "ks_search_20240330.xlsx")
	if err := tablefile.WriteXLSX(path, contents, comments, creators, notes); err != nil {
		t.Fatal(err)
	}
	res := read(t, path, reader.Options{})
	if res.info.Format != reader.FormatMediaCrawler {
		t.Errorf("format %q", res.info.Format)
	}
	wantIDs := []string{"3xk7rq9sd2ab4c1", "3xk7rq9sd2ab4c2", "801234567890", "801234567891"}
	if !slices.Equal(res.ids, wantIDs) {
		t.Errorf("ids %q, want %q", res.ids, wantIDs)
	}
	wantErrs := []string{
		"mediacrawler: line 4: sheet Comments row 4: missing time",
		"xlsx: line 1: sheet 备注: columns not recognised as MediaCrawler or weibo-crawler (说明)",
	}
	if !slices.Equal(res.errs, wantErrs) {
		t.Errorf("errors\n%q\nwant\n%q", res.errs, wantErrs)
	}
	for _, r := range res.records {
		if r.Item != nil && (r.Item.Platform != "kuaishou" || !strings.HasPrefix(r.Item.Source, "ks_search_20240330.xlsx:Co")) {
			t.Errorf("item %s: platform %q source %q", r.Item.ID, r.Item.Platform, r.Item.Source)
		}
	}
	if got := res.records[0].Item.Source; got != "ks_search_20240330.xlsx:Contents:2" {
		t.Errorf("source %q", got)
	}
}

// TestReadSQLite reads a MediaCrawler database with two platforms' tables:
// the table decides the platform, contents come before their comments.
func TestReadSQLite(t *testing.T) {
	tables := []tablefile.Table{
		mustCSV(t, "mediacrawler/testdata/new_zhihu_comments.csv", "zhihu_comment"),
		mustCSV(t, "mediacrawler/testdata/new_zhihu_contents.csv", "zhihu_content"),
		mustCSV(t, "mediacrawler/testdata/old_tieba_contents.csv", "tieba_note"),
		// Not an item table: left alone.
		{Name: "bilibili_up_dynamic", Head: []string{"dynamic_id", "text"}, Rows: [][]string{{"1", "x"}}},
	}
	bad := slices.Clone(tables[0].Rows[1])
	bad[0], bad[2] = "10800000003", ""
	tables[0].Rows = append(tables[0].Rows, bad)
	path := filepath.Join(t.TempDir(), "sqlite_tables.db")
	if err := tablefile.WriteSQLite(path, tables...); err != nil {
		t.Fatal(err)
	}
	res := read(t, path, reader.Options{Platform: "weibo"}) // the tables outrank a hint
	wantIDs := []string{"9012345678", "9012345679", "answer:3456789012", "article:98765432", "c10800000001", "c10800000002"}
	if !slices.Equal(res.ids, wantIDs) {
		t.Errorf("ids %q, want %q", res.ids, wantIDs)
	}
	if want := []string{"mediacrawler: line 3: table zhihu_comment row 3: missing text"}; !slices.Equal(res.errs, want) {
		t.Errorf("errors %q, want %q", res.errs, want)
	}
	platforms := map[string]string{}
	for _, r := range res.records {
		if r.Item != nil {
			platforms[r.Item.ID] = r.Item.Platform
		}
	}
	if platforms["9012345678"] != "tieba" || platforms["c10800000002"] != "zhihu" {
		t.Errorf("platforms %v", platforms)
	}
	if res.info.Format != reader.FormatMediaCrawler {
		t.Errorf("format %q", res.info.Format)
	}
}

// TestReadWeiboCrawlerSQLite reads weibo-crawler's weibo.db: weibos (one a
// repost through retweet_id), comments (a reply nested by root_id) and
// reposts (kind repost under the weibo they share).
func TestReadWeiboCrawlerSQLite(t *testing.T) {
	weibo := tablefile.Table{Name: "weibo",
		Head: []string{"id", "bid", "user_id", "screen_name", "text", "article_url", "topics", "at_users", "pics", "video_url", "location", "created_at", "source", "attitudes_count", "comments_count", "reposts_count", "retweet_id"},
		Rows: [][]string{
			{"5018790000000001", "O7aaaaAAa", "7654321", "小米汽车", "交付安排公告", "", "小米SU7", "", "", "", "", "2024-03-30 10:00:00", "", "100", "20", "5", ""},
			{"5018800000000002", "O7bcdeFGh", "1749127163", "雷军", "大家关注一下//@小米汽车:交付安排公告", "", "", "小米汽车", "", "", "", "2024-03-31 09:05:00", "", "5000", "812", "301", "5018790000000001"},
		}}
	comments := tablefile.Table{Name: "comments",
		Head: []string{"id", "bid", "weibo_id", "root_id", "user_id", "created_at", "user_screen_name", "user_avatar_url", "text", "pic_url", "like_count"},
		Rows: [][]string{
			{"5018791212345678", "O7cmtAAAA", "5018790000000001", "5018791212345678", "3000000001", "Sat Mar 30 12:29:00 +0800 2024", "路人甲", "", "什么时候交付", "", "137"},
			{"5018791212345679", "O7cmtBBBB", "5018790000000001", "5018791212345678", "3000000002", "Sat Mar 30 12:30:00 +0800 2024", "米粉", "", "回复@路人甲:下个月", "", "3"},
		}}
	reposts := tablefile.Table{Name: "reposts",
		Head: []string{"id", "bid", "weibo_id", "user_id", "created_at", "user_screen_name", "user_avatar_url", "text", "like_count"},
		Rows: [][]string{
			{"5018792000000001", "O7rpAAAAA", "5018790000000001", "3000000003", "2024-03-30 13:00:00", "车友", "", "转发微博", "0"},
		}}
	user := tablefile.Table{Name: "user", Head: []string{"id", "nick_name"}, Rows: [][]string{{"7654321", "小米汽车"}}}
	path := filepath.Join(t.TempDir(), "weibodata.db")
	if err := tablefile.WriteSQLite(path, user, weibo, comments, reposts); err != nil {
		t.Fatal(err)
	}
	res := read(t, path, reader.Options{})
	if res.info.Format != reader.FormatWeiboCrawler || len(res.errs) != 0 {
		t.Fatalf("format %q errors %q", res.info.Format, res.errs)
	}
	type got struct {
		id, parent string
		kind       trustwatch.Kind
		via        string
		time       string // UTC
	}
	want := []got{
		{"5018790000000001", "", trustwatch.KindPost, "", "2024-03-30 02:00"},
		{"5018800000000002", "5018790000000001", trustwatch.KindRepost, "小米汽车", "2024-03-31 01:05"},
		{"5018791212345678", "5018790000000001", trustwatch.KindComment, "", "2024-03-30 04:29"},
		{"5018791212345679", "5018791212345678", trustwatch.KindComment, "", "2024-03-30 04:30"},
		{"5018792000000001", "5018790000000001", trustwatch.KindRepost, "", "2024-03-30 05:00"},
	}
	var have []got
	for _, r := range res.records {
		it := r.Item
		have = append(have, got{it.ID, it.ParentID, it.Kind, strings.Join(it.Via, ","), it.Time.UTC().Format("2006-01-02 15:04")})
	}
	if !slices.Equal(have, want) {
		t.Errorf("items\n%v\nwant\n%v", have, want)
	}
}

// TestReadSQLiteOther refuses a database that holds no crawler's tables.
func TestReadSQLiteOther(t *testing.T) {
	path := filepath.Join(t.TempDir(), "other.db")
	if err := tablefile.WriteSQLite(path, tablefile.Table{Name: "notes", Head: []string{"a"}, Rows: [][]string{{"1"}}}); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, err = reader.Read("other.db", f, reader.Options{}, func(reader.Record) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "without MediaCrawler's or weibo-crawler's tables (it has notes)") {
		t.Errorf("err = %v", err)
	}
}
