package report

import (
	"fmt"
	"io"
	"strings"
	"trustwatch/label"

	"github.com/xuri/excelize/v2"
)

// XLSX writes the report as a workbook with one sheet per section — the
// findings that got worse, those that held, each full table, and the
// evidence — with numbers stored as numbers.
func (r *Report) XLSX(w io.Writer) error {
	x := excelize.NewFile()
	defer x.Close()
	bold, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("report: xlsx: %w", err)
	}
	sheets := []struct {
		name string
		rows [][]any
	}{
		{"变坏的", r.findingRows(r.Worse)},
		{"持平或变好的", r.findingRows(r.Held)},
	}
	for _, t := range r.Tables {
		rows := [][]any{nil}
		for _, c := range t.Columns {
			rows[0] = append(rows[0], c.Title)
		}
		for _, row := range t.Rows {
			var out []any
			for _, c := range row {
				switch {
				case c.Numeric && c.Empty:
					out = append(out, nil)
				case c.Numeric:
					out = append(out, c.Value)
				default:
					out = append(out, c.Text)
				}
			}
			rows = append(rows, out)
		}
		sheets = append(sheets, struct {
			name string
			rows [][]any
		}{sheetName(t.Title), rows})
	}
	sheets = append(sheets, struct {
		name string
		rows [][]any
	}{"证据", r.evidenceRows()})

	for i, s := range sheets {
		if i == 0 {
			if err := x.SetSheetName("Sheet1", s.name); err != nil {
				return fmt.Errorf("report: xlsx: %w", err)
			}
		} else if _, err := x.NewSheet(s.name); err != nil {
			return fmt.Errorf("report: xlsx: %w", err)
		}
		for ri, row := range s.rows {
			cell, err := excelize.CoordinatesToCellName(1, ri+1)
			if err != nil {
				return fmt.Errorf("report: xlsx: %w", err)
			}
			if err := x.SetSheetRow(s.name, cell, &row); err != nil {
				return fmt.Errorf("report: xlsx: sheet %s row %d: %w", s.name, ri+1, err)
			}
		}
		if len(s.rows) > 0 {
			end, _ := excelize.CoordinatesToCellName(max(len(s.rows[0]), 1), 1)
			if err := x.SetCellStyle(s.name, "A1", end, bold); err != nil {
				return fmt.Errorf("report: xlsx: %w", err)
			}
			if err := x.SetPanes(s.name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
				return fmt.Errorf("report: xlsx: %w", err)
			}
		}
	}
	if err := x.Write(w); err != nil {
		return fmt.Errorf("report: xlsx: %w", err)
	}
	return nil
}

// findingRows lays out findings with their numbers in their own columns.
func (r *Report) findingRows(fs []Finding) [][]any {
	rows := [][]any{{"发现", "栏目", "陈述", "数值", "单位", "变化", "n", "数据少", "严重", "未关闭", "证据"}}
	for _, f := range fs {
		var change any
		if f.Change != nil {
			change = *f.Change
		}
		var ev []string
		for _, l := range f.Evidence {
			ev = append(ev, r.mdURL(l))
		}
		rows = append(rows, []any{f.ID, SectionTitle(f.Section), f.Sentence, f.Number, f.Unit, change, f.N, f.LittleData, label.Severity(f.Severity), f.Open, strings.Join(ev, " ")})
	}
	return rows
}

// evidenceRows lists every piece of evidence of every finding with its text.
func (r *Report) evidenceRows() [][]any {
	rows := [][]any{{"发现", "类型", "ID", "时间", "数值", "文本", "链接"}}
	for _, f := range r.Findings() {
		for _, l := range f.Evidence {
			var text string
			var t any
			if !l.Time.IsZero() {
				t = l.Time.In(r.loc)
			}
			switch l.Kind {
			case LinkItem:
				if it := r.Items[l.ID]; it != nil {
					text = it.FullText()
					t = it.Time.In(r.loc)
				}
			case LinkAlert:
				if a := r.Alerts[l.ID]; a != nil {
					text = a.Statement
				}
			default:
				text = l.Note
			}
			rows = append(rows, []any{f.ID, linkKindName(l.Kind), l.ID, t, l.Value, text, r.mdURL(l)})
		}
	}
	return rows
}

// sheetName fits a title into Excel's 31 characters without []:*?/\.
func sheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return ' '
		}
		return r
	}, s)
	if rs := []rune(s); len(rs) > 31 {
		s = string(rs[:31])
	}
	return s
}
