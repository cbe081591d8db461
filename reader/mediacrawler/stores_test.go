package mediacrawler_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"trustwatch/reader/internal/tablefile"
	"trustwatch/reader/mediacrawler"
	"trustwatch/reader/record"
	"trustwatch/reader/sqlitedb"
	"trustwatch/reader/xlsx"
)

// sqliteTable names MediaCrawler's table (database/models.py) for each
// platform and kind of fixture.
var sqliteTable = map[string]string{
	"weibo_contents": "weibo_note", "weibo_comments": "weibo_note_comment",
	"xhs_contents": "xhs_note", "xhs_comments": "xhs_note_comment",
	"douyin_contents": "douyin_aweme", "douyin_comments": "douyin_aweme_comment",
	"bilibili_contents": "bilibili_video", "bilibili_comments": "bilibili_video_comment",
	"kuaishou_contents": "kuaishou_video", "kuaishou_comments": "kuaishou_video_comment",
	"tieba_contents": "tieba_note", "tieba_comments": "tieba_comment",
	"zhihu_contents": "zhihu_content", "zhihu_comments": "zhihu_comment",
}

// TestParseStores reads every fixture again as MediaCrawler's Excel store
// writes it (a Contents or Comments sheet, ints as numeric cells) and as
// its SQLite store does (the platform's table, an id key first), built at
// test time from the CSV fixture, and expects the same items.
func TestParseStores(t *testing.T) {
	dir := t.TempDir()
	for _, schema := range []string{"old", "new"} {
		for kind, wants := range expected {
			platform, what, _ := strings.Cut(kind, "_")
			name := fmt.Sprintf("%s_%s", schema, kind)
			sheet := map[string]string{"contents": "Contents", "comments": "Comments"}[what]
			tab, err := tablefile.FromCSV("testdata/"+name+".csv", sheet)
			if err != nil {
				t.Fatal(err)
			}
			check := func(t *testing.T, recs []record.Record, wantLines [2]int) {
				if len(recs) != 2 {
					t.Fatalf("got %d records, want 2", len(recs))
				}
				for i, w := range wants {
					if recs[i].Err != nil {
						t.Fatalf("record %d: %v", i, recs[i].Err)
					}
					if recs[i].Line != wantLines[i] || !strings.HasPrefix(string(recs[i].Raw), "{") {
						t.Errorf("record %d: line %d raw %.40q; want line %d and a JSON row", i, recs[i].Line, recs[i].Raw, wantLines[i])
					}
					checkItem(t, i, recs[i].Item, platform, schema, w)
				}
			}
			t.Run(name+".xlsx", func(t *testing.T) {
				path := filepath.Join(dir, name+".xlsx")
				if err := tablefile.WriteXLSX(path, tab); err != nil {
					t.Fatal(err)
				}
				f, err := os.Open(path)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				var recs []record.Record
				err = xlsx.Each(f, func(sheet string, rows record.Rows) error {
					return mediacrawler.ParseRows(rows, record.Config{}, func(r record.Record) error {
						recs = append(recs, r)
						return nil
					})
				})
				if err != nil {
					t.Fatal(err)
				}
				check(t, recs, [2]int{2, 3}) // sheet rows, under the header
			})
			t.Run(name+".db", func(t *testing.T) {
				path := filepath.Join(dir, name+".db")
				tab.Name = sqliteTable[kind]
				if err := tablefile.WriteSQLite(path, tab); err != nil {
					t.Fatal(err)
				}
				db, err := sqlitedb.Open(path)
				if err != nil {
					t.Fatal(err)
				}
				defer db.Close()
				var recs []record.Record
				err = db.Each(tab.Name, func(rows record.Rows) error {
					return mediacrawler.ParseRows(rows, record.Config{Platform: platform}, func(r record.Record) error {
						recs = append(recs, r)
						return nil
					})
				})
				if err != nil {
					t.Fatal(err)
				}
				check(t, recs, [2]int{1, 2}) // the table's rows
			})
		}
	}
}
