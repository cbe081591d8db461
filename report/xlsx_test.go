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
	if got, want := x.GetSheetList(), []string{"变坏的", "持平或变好的", "预警", "各方面", "各实体的情感", "证据"}; !slices.Equal(got, want) {
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
	// 变坏的: 发现, 栏目, 陈述, 数值, 单位, 变化, n, 数据少, 严重, 未关闭, 证据.
	text("变坏的", "D1", "数值")
	text("变坏的", "H1", "数据少")
	text("变坏的", "B2", "未解决的预警")
	text("变坏的", "C2", "期末仍有 4 条预警未关闭（严重 1，高 2，中 1；比期初多 2 条，期初 2 条）")
	text("变坏的", "I2", "严重")
	number("变坏的", "D2", 4)     // open alerts
	number("变坏的", "F2", 2)     // change since the start
	number("变坏的", "D5", 41.67) // tyres: 5/12
	number("变坏的", "F5", 21.67)
	number("变坏的", "G5", 12)
	text("变坏的", "H5", "TRUE")
	text("持平或变好的", "C2", "本期解决了 1 条更早开启的预警（中 1）")
	// 各方面: 方面, n, 负面, 负面占比, 上期 n, 上期负面占比, 变化（个百分点）.
	text("各方面", "A1", "方面")
	text("各方面", "G1", "变化（个百分点）")
	text("各方面", "A2", "刹车")
	number("各方面", "B2", 40)
	number("各方面", "D2", 50)
	number("各方面", "G2", 30)
	// 预警: 严重, 类型, 实体, 开启, 解决, 数值, 说明.
	text("预警", "A2", "严重")
	text("预警", "B2", "创新低")
	number("预警", "F2", 36.1)
	text("证据", "B2", "预警")
	rows, err := x.GetRows("证据")
	if err != nil || len(rows) < 20 {
		t.Errorf("证据 sheet: %d rows (%v), want every finding's evidence", len(rows), err)
	}
}
