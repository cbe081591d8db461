// Package xlsx reads the sheets of an Excel workbook (.xlsx) as tables of
// text, one row at a time through excelize's streaming row reader, so that
// a large sheet is not held in memory as cells. Cells are read raw (no
// number format), so an id or a unix time comes back as the digits
// written. It knows nothing of what the columns mean.
package xlsx
