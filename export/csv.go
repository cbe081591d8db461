package export

import (
	"encoding/csv"
	"io"
	"strconv"
	"time"

	"trustwatch"
)

// bom makes Excel read the file as UTF-8.
const bom = "\uFEFF"

// CSVColumns are the CSV's header: Columns, then what the file is (the
// same on every row; see the package doc).
var CSVColumns = append(append([]string{}, Columns...), "list", "query", "window_from", "window_to")

// WriteCSV writes the items as CSV: a BOM, the header (CSVColumns) and one
// row per item, at most m.Limit rows, each ending with the list, the query
// and the window of m.
func WriteCSV(w io.Writer, m Meta, items Items) (Result, error) {
	loc := m.Location
	if loc == nil {
		loc = trustwatch.DefaultLocation()
	}
	if _, err := io.WriteString(w, bom); err != nil {
		return Result{}, err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(CSVColumns); err != nil {
		return Result{}, err
	}
	rec := make([]string, len(CSVColumns))
	window := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(loc).Format(time.RFC3339)
	}
	copy(rec[len(Columns):], []string{Neutralise(m.List), Neutralise(m.Query), window(m.Filter.From), window(m.Filter.To)})
	res, err := each(m, items, func(it *trustwatch.Item) error {
		rec[0] = it.Time.In(loc).Format(time.RFC3339)
		for i, c := range cells(it) {
			switch v := c.(type) {
			case string:
				rec[i+1] = v
			case int64:
				rec[i+1] = strconv.FormatInt(v, 10)
			case float64:
				rec[i+1] = strconv.FormatFloat(v, 'f', 3, 64)
			case nil:
				rec[i+1] = ""
			}
		}
		return cw.Write(rec)
	})
	cw.Flush()
	if err == nil {
		err = cw.Error()
	}
	return res, err
}
