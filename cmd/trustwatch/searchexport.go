package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/term"

	"trustwatch"
	"trustwatch/aspect"
	"trustwatch/export"
)

// searchFormat picks search's output format: --format, else --json, else
// --out's extension (.csv, .xlsx, .json), else text.
func searchFormat(a *app, format, out string) (string, error) {
	if format == "" {
		switch {
		case a.jsonOut:
			format = "json"
		case strings.EqualFold(filepath.Ext(out), ".csv"), strings.EqualFold(filepath.Ext(out), ".xlsx"), strings.EqualFold(filepath.Ext(out), ".json"):
			format = strings.ToLower(strings.TrimPrefix(filepath.Ext(out), "."))
		default:
			format = "text"
		}
	}
	switch format = strings.ToLower(format); format {
	case "text", "json", "csv", "xlsx":
		return format, nil
	}
	return "", usageError{fmt.Errorf("unknown --format %q (want text, json, csv or xlsx)", format)}
}

// exportSearch writes the items of f as CSV or XLSX to out (stdout for ""
// or "-"), streaming, at most f.Limit of them (0: all): the newest, in time
// order. It refuses XLSX to a terminal. The XLSX names aspects as the
// watch file w does.
func exportSearch(ctx context.Context, a *app, db trustwatch.ItemStore, format, out, query string, f trustwatch.ItemFilter, loc *time.Location, w *trustwatch.Watch) error {
	if f.Order == "engagement" {
		return usageError{fmt.Errorf("--format %s writes items in time order: sort the file, or use --order engagement with --format text or json", format)}
	}
	toStdout := out == "" || out == "-"
	if format == "xlsx" && toStdout {
		if fd, ok := a.stdout.(*os.File); ok && term.IsTerminal(int(fd.Fd())) {
			return usageError{fmt.Errorf("refusing to write an XLSX workbook to a terminal: give --out FILE.xlsx or redirect the output")}
		}
	}
	items, total, err := export.FromStore(ctx, db, f, f.Limit)
	if err != nil {
		return err
	}
	m := export.Meta{List: "搜索", Query: query, Filter: f, Location: loc, Exported: time.Now(), Version: export.BuildVersion(), Total: total, Limit: f.Limit}
	if lex, err := aspect.Default().With(w.Aspects); err == nil {
		m.AspectName = lex.Name
	}
	var dst io.Writer = a.stdout
	var file *os.File
	if !toStdout {
		if file, err = os.Create(out); err != nil {
			return fmt.Errorf("search: %w", err)
		}
		dst = file
	}
	write := export.WriteCSV
	if format == "xlsx" {
		write = export.WriteXLSX
	}
	res, err := write(dst, m, items)
	if file != nil {
		if cerr := file.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("search: %w", cerr)
		}
	}
	if err != nil {
		return err
	}
	where := "stdout"
	if !toStdout {
		where = out
	}
	msg := fmt.Sprintf("wrote %d of %d items matching %q to %s", res.Rows, total, f.Query, where)
	if res.Rows < total {
		edge := "newest"
		if f.Order == "time_asc" {
			edge = "oldest"
		}
		msg += fmt.Sprintf(" (the %s %d; --limit 0 for all)", edge, res.Rows)
	}
	fmt.Fprintln(a.stderr, msg)
	return nil
}
