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

// WriteCSV writes the items as CSV: a BOM, the header (Columns) and one
// row per item, at most m.Limit rows. The CSV holds no meta (see the
// package doc); m gives the zone and the limit.
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
	if err := cw.Write(Columns); err != nil {
		return Result{}, err
	}
	rec := make([]string, len(Columns))
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
