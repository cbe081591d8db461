package reader

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"trustwatch/reader/mediacrawler"
	"trustwatch/reader/record"
	"trustwatch/reader/sqlitedb"
	"trustwatch/reader/weibocrawler"
	"trustwatch/reader/xlsx"
)

// MediaCrawler's SQLite tables (database/models.py) that hold items, in
// the order they are read (contents before their comments), with the
// platform each is on: the table says it, whatever the rows hold.
var mediaCrawlerTables = []struct{ table, platform string }{
	{"weibo_note", mediacrawler.Weibo}, {"weibo_note_comment", mediacrawler.Weibo},
	{"xhs_note", mediacrawler.XHS}, {"xhs_note_comment", mediacrawler.XHS},
	{"douyin_aweme", mediacrawler.Douyin}, {"douyin_aweme_comment", mediacrawler.Douyin},
	{"bilibili_video", mediacrawler.Bilibili}, {"bilibili_video_comment", mediacrawler.Bilibili},
	{"kuaishou_video", mediacrawler.Kuaishou}, {"kuaishou_video_comment", mediacrawler.Kuaishou},
	{"tieba_note", mediacrawler.Tieba}, {"tieba_comment", mediacrawler.Tieba},
	{"zhihu_content", mediacrawler.Zhihu}, {"zhihu_comment", mediacrawler.Zhihu},
}

// weibo-crawler's tables that hold items (its user and bins tables do not).
var weiboCrawlerTables = []string{weibocrawler.TableWeibo, weibocrawler.TableComments, weibocrawler.TableReposts}

// skippedSheets are the sheets of MediaCrawler's Excel output that hold no
// items: creator profiles (older versions), Bilibili contacts and dynamics.
var skippedSheets = map[string]bool{"creators": true, "contacts": true, "dynamics": true}

// readXLSX reads every sheet of a workbook whose header a format
// recognises; a sheet nothing recognises comes back as one record error,
// so that it is not skipped silently.
func readXLSX(name string, r io.Reader, opt Options, cfg record.Config, fn func(Record) error) (Info, error) {
	info := Info{Encoding: "utf-8"}
	err := xlsx.Each(r, func(sheet string, rows record.Rows) error {
		if skippedSheets[strings.ToLower(sheet)] {
			return nil
		}
		h := map[string]bool{}
		for _, c := range rows.Head() {
			h[strings.ToLower(c)] = true
		}
		format := strings.ToLower(strings.TrimSpace(opt.Format))
		if format == "" || format == FormatAuto {
			format = detectHeader(h)
		}
		where := func(line int) string { return fmt.Sprintf("%s:%s:%d", name, sheet, line) }
		emit := located(where, "sheet "+sheet, fn)
		switch {
		case format == FormatMediaCrawler:
			info.Format = format
			return mediacrawler.ParseRows(rows, cfg, emit)
		case format == FormatWeiboCrawler && weibocrawler.IsPostHeader(h):
			info.Format = format
			return weibocrawler.ParseTable(weibocrawler.TableWeibo, rows, cfg, emit)
		case format == FormatWeiboCrawler && weibocrawler.IsCommentHeader(h):
			info.Format = format
			return weibocrawler.ParseTable(weibocrawler.TableComments, rows, cfg, emit)
		}
		return fn(Record{Line: 1, Raw: record.RawRow(nil, rows.Head()), Err: record.Errorf("xlsx", 1,
			"sheet %s: columns not recognised as MediaCrawler or weibo-crawler (%s)", sheet, strings.Join(rows.Head(), ", "))})
	})
	if err == nil && info.Format == "" {
		info.Format = FormatMediaCrawler
	}
	return info, err
}

// readSQLite reads the item tables of a MediaCrawler or weibo-crawler
// database. The driver needs a file, so the input is copied to a
// temporary one first.
func readSQLite(name string, r io.Reader, cfg record.Config, fn func(Record) error) (Info, error) {
	info := Info{Encoding: "utf-8"}
	tmp, err := os.CreateTemp("", "trustwatch-read-*.db")
	if err != nil {
		return info, err
	}
	defer os.Remove(tmp.Name())
	_, err = io.Copy(tmp, r)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return info, err
	}
	db, err := sqlitedb.Open(tmp.Name())
	if err != nil {
		return info, err
	}
	defer db.Close()
	tables, err := db.Tables()
	if err != nil {
		return info, err
	}
	have := map[string]bool{}
	for _, t := range tables {
		have[t] = true
	}
	for _, t := range mediaCrawlerTables {
		if !have[t.table] {
			continue
		}
		info.Format = FormatMediaCrawler
		tcfg := cfg
		tcfg.Platform = t.platform
		where := func(line int) string { return fmt.Sprintf("%s:%s:%d", name, t.table, line) }
		if err := db.Each(t.table, func(rows record.Rows) error {
			return mediacrawler.ParseRows(rows, tcfg, located(where, "table "+t.table, fn))
		}); err != nil {
			return info, err
		}
	}
	if info.Format != "" {
		return info, nil
	}
	for _, t := range weiboCrawlerTables {
		if !have[t] {
			continue
		}
		info.Format = FormatWeiboCrawler
		where := func(line int) string { return fmt.Sprintf("%s:%s:%d", name, t, line) }
		if err := db.Each(t, func(rows record.Rows) error {
			return weibocrawler.ParseTable(t, rows, cfg, located(where, "table "+t, fn))
		}); err != nil {
			return info, err
		}
	}
	if info.Format == "" {
		return info, fmt.Errorf("%w: a SQLite database without MediaCrawler's or weibo-crawler's tables (it has %s)", ErrFormatUnknown, strings.Join(tables, ", "))
	}
	return info, nil
}

// located says where in a workbook or database a record is: items get a
// Source naming the sheet or table and row, and errors name them first.
func located(where func(int) string, what string, fn func(Record) error) func(Record) error {
	return func(rec Record) error {
		if rec.Item != nil && rec.Item.Source == "" {
			rec.Item.Source = where(rec.Line)
		}
		var re *record.Error
		if errors.As(rec.Err, &re) {
			re.Reason = fmt.Sprintf("%s row %d: %s", what, rec.Line, re.Reason)
		}
		return fn(rec)
	}
}
