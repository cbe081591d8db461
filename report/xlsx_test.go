package report_test

import (
	"bytes"
	"slices"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestXLSX(t *testing.T) {
	r := build(t, "")
	var buf bytes.Buffer
	if err := r.XLSX(&buf); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("excelize cannot open the workbook: %v", err)
	}
	defer x.Close()
	if got, want := x.GetSheetList(), []string{"Worse", "Held", "Alerts", "Aspects", "Sentiment by entity", "Evidence"}; !slices.Equal(got, want) {
		t.Errorf("sheets %q, want %q", got, want)
	}
	// Numbers must be stored as numbers: a cell of type number (or unset,
	// which is how Excel stores numbers) whose raw value parses as a float.
	number := func(sheet, cell string, want float64) {
		t.Helper()
		typ, err := x.GetCellType(sheet, cell)
		if err != nil {
			t.Fatal(err)
		}
		if typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Errorf("%s!%s: cell type %v, want a number", sheet, cell, typ)
		}
		raw, err := x.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		v, err := strconv.ParseFloat(raw, 64)
		if err != nil || v < want-0.01 || v > want+0.01 {
			t.Errorf("%s!%s = %q, want the number %v", sheet, cell, raw, want)
		}
	}
	text := func(sheet, cell, want string) {
		t.Helper()
		if got, _ := x.GetCellValue(sheet, cell); got != want {
			t.Errorf("%s!%s = %q, want %q", sheet, cell, got, want)
		}
	}
	// Worse: Finding, Section, Sentence, Number, Unit, Change, n, Little data, ...
	text("Worse", "D1", "Number")
	number("Worse", "D2", 4)     // open alerts
	number("Worse", "F2", 2)     // change since the start
	number("Worse", "D5", 41.67) // tyres: 5/12
	number("Worse", "F5", 21.67)
	number("Worse", "G5", 12)
	text("Worse", "H5", "TRUE")
	// Aspects: Aspect, n, Negative, Negative %, Before n, Before negative %, Change.
	text("Aspects", "A2", "刹车")
	number("Aspects", "B2", 40)
	number("Aspects", "D2", 50)
	number("Aspects", "G2", 30)
	number("Alerts", "F2", 36.1)
	rows, err := x.GetRows("Evidence")
	if err != nil || len(rows) < 20 {
		t.Errorf("Evidence sheet: %d rows (%v), want every finding's evidence", len(rows), err)
	}
}
