package export

import (
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"trustwatch"
)

// Sheet names of the workbook.
const (
	ItemsSheet = "items"
	QuerySheet = "query"
)

// WriteXLSX writes the items as a workbook: the "items" sheet (a header
// row, frozen, then one row per item, at most m.Limit) written through
// excelize's StreamWriter, which keeps rows on disk rather than in memory,
// and the "query" sheet with the meta and the number of rows written.
// Times are date cells holding the wall clock in m.Location.
func WriteXLSX(w io.Writer, m Meta, items Items) (Result, error) {
	loc := m.Location
	if loc == nil {
		loc = trustwatch.DefaultLocation()
	}
	x := excelize.NewFile()
	defer x.Close()
	fail := func(err error) (Result, error) { return Result{}, fmt.Errorf("export: xlsx: %w", err) }
	if err := x.SetSheetName("Sheet1", ItemsSheet); err != nil {
		return fail(err)
	}
	bold, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fail(err)
	}
	date, err := x.NewStyle(&excelize.Style{CustomNumFmt: new("yyyy-mm-dd hh:mm:ss")})
	if err != nil {
		return fail(err)
	}
	sw, err := x.NewStreamWriter(ItemsSheet)
	if err != nil {
		return fail(err)
	}
	for _, cw := range []struct {
		from, to int
		width    float64
	}{{1, 1, 20}, {7, 8, 60}} { // time; title and text
		if err := sw.SetColWidth(cw.from, cw.to, cw.width); err != nil {
			return fail(err)
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fail(err)
	}
	header := make([]any, len(XLSXHeader))
	for i, c := range XLSXHeader {
		header[i] = excelize.Cell{StyleID: bold, Value: c}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return fail(err)
	}
	row := make([]any, len(Columns))
	next := 2 // the row the next item goes to
	res, err := each(m, items, func(it *trustwatch.Item) error {
		row[0] = excelize.Cell{StyleID: date, Value: wallClock(it.Time.In(loc))}
		copy(row[1:], namedCells(it, m.AspectName))
		cell, err := excelize.CoordinatesToCellName(1, next)
		if err != nil {
			return err
		}
		next++
		return sw.SetRow(cell, row)
	})
	if err != nil {
		return fail(err)
	}
	if err := sw.Flush(); err != nil {
		return fail(err)
	}

	if _, err := x.NewSheet(QuerySheet); err != nil {
		return fail(err)
	}
	for i, r := range metaRows(m, res.Rows) {
		vals := []any{r[0], text(r[1]), r[2]}
		if err := x.SetSheetRow(QuerySheet, fmt.Sprintf("A%d", i+1), &vals); err != nil {
			return fail(err)
		}
	}
	if err := x.SetColWidth(QuerySheet, "B", "B", 60); err != nil {
		return fail(err)
	}
	if err := x.Write(w); err != nil {
		return fail(err)
	}
	return res, nil
}

// wallClock is t's local date and time as a zoneless time: excelize turns
// a time into Excel's serial date from its UTC instant, and Excel dates
// have no zone.
func wallClock(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
}
