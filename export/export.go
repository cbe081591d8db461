package export

import (
	"cmp"
	"context"
	"errors"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"trustwatch"
	"trustwatch/label"
)

// Items produces the items of a list one at a time, calling yield for
// each; an error from yield stops it and is returned. A closure over
// Store.EachItem is one (see FromStore).
type Items func(yield func(*trustwatch.Item) error) error

// Meta says what a list is. It is written to the XLSX "query" sheet.
type Meta struct {
	// List names the list: "搜索", "预警 a1 的证据".
	List string
	// Query is the query as the user typed it; Filter.Query is the query
	// as matched (canonical).
	Query  string
	Filter trustwatch.ItemFilter
	// Location is the watch's zone: times are written in it.
	Location *time.Location
	Exported time.Time
	// Version is the trustwatch version that wrote the file (BuildVersion).
	Version string
	// Total is how many items match; Limit the most rows the file may hold
	// (0: no limit). A file with fewer rows than Total was cut.
	Total int
	Limit int
	// AspectName names an aspect id in the XLSX (the watch file's name,
	// else the lexicon's; label.Aspect when nil; the id when it returns "").
	AspectName func(id string) string
}

// Result is what a writer wrote.
type Result struct {
	Rows int
}

// Columns are the header of both formats.
var Columns = []string{"time", "platform", "kind", "id", "parent_id", "author", "title", "text", "url",
	"likes", "reposts", "replies", "views", "favorites", "keyword", "tags", "label", "p_pos", "entities", "aspects", "source"}

// XLSXHeader is the XLSX's header row: Columns in the analysts' words, in
// the same order.
var XLSXHeader = []string{"时间", "平台", "类型", "编号", "上级条目", "作者", "标题", "正文", "链接",
	"赞", "转发", "评论", "浏览", "收藏", "采集关键词", "标签", "情感", "正面概率", "实体", "方面", "来源（文件:行）"}

// errFull stops an Items source once the file holds Meta.Limit rows.
var errFull = errors.New("export: limit reached")

// each runs items, counting rows and stopping at m.Limit.
func each(m Meta, items Items, fn func(*trustwatch.Item) error) (Result, error) {
	var res Result
	err := items(func(it *trustwatch.Item) error {
		if m.Limit > 0 && res.Rows >= m.Limit {
			return errFull
		}
		if err := fn(it); err != nil {
			return err
		}
		res.Rows++
		return nil
	})
	if errors.Is(err, errFull) {
		err = nil
	}
	return res, err
}

// FromStore is the export of the items matching f, at most limit of them
// (0: all): Items streams them in time order, oldest first, in one read
// (Store.EachItem), and total is how many match. When more than limit
// match, the file keeps the newest limit unless f.Order is "time_asc"
// (then the oldest): that is what the list shows first. Other orders do not
// apply to exports: a spreadsheet sorts.
func FromStore(ctx context.Context, store trustwatch.ItemStore, f trustwatch.ItemFilter, limit int) (items Items, total int, err error) {
	count := f
	count.Offset, count.Limit = 0, 1
	if _, total, err = store.FindItems(ctx, count); err != nil {
		return nil, 0, err
	}
	f.Offset, f.Limit = 0, 0
	if limit > 0 && total > limit {
		f.Limit = limit
		if f.Order != "time_asc" {
			f.Offset = total - limit
		}
	}
	return func(yield func(*trustwatch.Item) error) error {
		return store.EachItem(ctx, f, yield)
	}, total, nil
}

// BuildVersion is the version of the running binary: its module version,
// else its VCS revision (with "-dirty" for a modified tree), else "".
func BuildVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "-dirty"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev == "" {
		return ""
	}
	return rev + dirty
}

// Neutralise makes a text cell safe to open in a spreadsheet: a cell that
// begins with = + - @, tab, CR, LF or an apostrophe gets a leading
// apostrophe, so it is never read as a formula.
func Neutralise(s string) string {
	if s != "" && strings.IndexByte("=+-@\t\r\n'", s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// Unneutralise undoes Neutralise.
func Unneutralise(s string) string {
	return strings.TrimPrefix(s, "'")
}

// text is a text cell: valid UTF-8, LF line ends, neutralised.
func text(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	return Neutralise(s)
}

// join is a list cell.
func join(xs []string) string { return text(strings.Join(xs, "; ")) }

// aspects is the aspects cell: aspect:label pairs, in codes (CSV) or, with
// named, in names (XLSX: 刹车:负面).
func aspects(hs []trustwatch.AspectHit, named func(string) string) string {
	parts := make([]string, len(hs))
	for i, h := range hs {
		if named != nil {
			parts[i] = cmp.Or(named(h.Aspect), h.Aspect) + ":" + label.Sentiment(h.Label)
		} else {
			parts[i] = h.Aspect + ":" + string(h.Label)
		}
	}
	return join(parts)
}

// pPos is the positive probability when the item was classified, else nil.
func pPos(it *trustwatch.Item) any {
	if it.Sentiment == "" {
		return nil
	}
	return it.PPos
}

// cells are an item's cells after time (column 2 on), in Columns order:
// the counts as int64, p_pos as float64 (nil when unclassified) and the
// rest as text cells; platform, kind, label and aspects as codes.
func cells(it *trustwatch.Item) []any {
	return []any{text(it.Platform), text(string(it.Kind)), text(it.ID), text(it.ParentID), text(it.Author), text(it.Title), text(it.Text), text(it.URL),
		it.Likes, it.Reposts, it.Replies, it.Views, it.Favorites,
		text(it.Keyword), join(it.Tags), text(string(it.Sentiment)), pPos(it), join(it.Entities), aspects(it.Aspects, nil), text(it.Source)}
}

// namedCells are cells with platform, kind, label and aspects in the
// presentation vocabulary (label), for people reading the XLSX.
func namedCells(it *trustwatch.Item, aspectName func(string) string) []any {
	c := cells(it)
	c[0] = text(label.Platform(it.Platform))
	c[1] = text(label.ItemKind(it.Kind))
	if it.Sentiment != "" {
		c[15] = text(label.Sentiment(it.Sentiment))
	}
	if aspectName == nil {
		aspectName = label.Aspect
	}
	c[18] = aspects(it.Aspects, aspectName)
	return c
}

// metaRows are the query sheet's rows: key, value, 说明.
func metaRows(m Meta, rows int) [][3]string {
	loc := m.Location
	if loc == nil {
		loc = trustwatch.DefaultLocation()
	}
	f := m.Filter
	when := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(loc).Format(time.RFC3339)
	}
	out := [][3]string{
		{"list", m.List, "列表"},
		{"query", m.Query, "查询（原文）"},
		{"query_canonical", f.Query, "查询（实际匹配）"},
		{"entity", f.Entity, "实体"},
		{"platform", f.Platform, "平台"},
		{"kind", string(f.Kind), "类型"},
		{"author", f.Author, "作者"},
		{"parent_id", f.ParentID, "上级条目"},
		{"label", string(f.Label), "情感"},
		{"aspect", f.Aspect, "方面"},
	}
	if len(f.IDs) > 0 {
		out = append(out, [3]string{"ids", strconv.Itoa(len(f.IDs)), "列出的条目数（证据）"})
	}
	out = append(out, [][3]string{
		{"from", when(f.From), "起（含）"},
		{"to", when(f.To), "止（不含）"},
		{"time_zone", loc.String(), "时区"},
		{"order", "time_asc", "文件按时间从早到晚排列"},
		{"exported", when(m.Exported), "导出时间"},
		{"version", m.Version, "trustwatch 版本"},
		{"total", strconv.Itoa(m.Total), "匹配条数"},
		{"rows", strconv.Itoa(rows), "文件中的条数"},
	}...)
	cut := "no"
	if rows < m.Total {
		cut = "yes: the file holds " + strconv.Itoa(rows) + " of " + strconv.Itoa(m.Total) + " items; narrow the query or the window for the rest"
		if m.Limit > 0 {
			cut += " (limit " + strconv.Itoa(m.Limit) + ")"
		}
	}
	return append(out, [3]string{"truncated", cut, "是否截断"})
}
