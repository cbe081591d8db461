package reader

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"time"

	"trustwatch/reader/csvfile"
	"trustwatch/reader/encoding"
	"trustwatch/reader/events"
	"trustwatch/reader/items"
	"trustwatch/reader/mediacrawler"
	"trustwatch/reader/metrics"
	"trustwatch/reader/record"
	"trustwatch/reader/sqlitedb"
	"trustwatch/reader/weibocrawler"
	"trustwatch/reader/xlsx"
)

// Format names.
const (
	FormatAuto         = "auto"
	FormatItems        = "items"
	FormatMediaCrawler = "mediacrawler"
	FormatWeiboCrawler = "weibo-crawler"
	FormatCSV          = "csv"
	FormatMetrics      = "metrics"
	FormatEvents       = "events"
)

// Formats lists the formats Read knows, besides auto.
var Formats = []string{FormatItems, FormatMediaCrawler, FormatWeiboCrawler, FormatCSV, FormatMetrics, FormatEvents}

// ErrFormatUnknown is returned when the format cannot be detected, or is
// not one of Formats.
var ErrFormatUnknown = errors.New("format not recognised")

// SniffSize is how much of the input detection looks at.
const SniffSize = 64 << 10

// Options says how to read an input. The zero value detects everything.
type Options struct {
	Format   string            // "auto" (default) | "items" | "mediacrawler" | "weibo-crawler" | "csv" | "metrics" | "events"
	Location *time.Location    // naive times are read in this zone (default Asia/Shanghai)
	Map      map[string]string // for "csv": canonical field -> column name, e.g. text=content,time=date
	Platform string            // the platform of a MediaCrawler file (weibo, xhs, douyin, bilibili, kuaishou, tieba, zhihu): it wins over the fields; a SQLite table names its own
	MaxField int               // bytes; default 1 MiB: a longer field refuses the record
	Now      time.Time         // the reference for relative times ("3分钟前"); default time.Now()
}

// Record is one record of an input: exactly one of Item, Point, Event is
// set when Err is nil. Err is a *RecordError.
type Record = record.Record

// RecordError is why a record could not be read. Its Reason is in plain
// words; it unwraps to a trustwatch EINVALID error.
type RecordError = record.Error

// CutError is a reader's error when it stopped before the end of its
// input (a JSON array or value the file ends inside, a file read whole
// that is over its bound): it names the line.
type CutError = record.CutError

// Info says how an input was read.
type Info struct {
	Format   string // one of Formats
	Encoding string // "utf-8", "utf-8-bom", "utf-16le", "utf-16be", "gb18030"
}

// Read detects encoding and format from a bounded prefix (name is used in
// messages and for its extension: .jsonl .json .csv .tsv .txt; a ".gz"
// name, or gzip magic bytes, is gunzipped; an Excel workbook or a SQLite
// database is told by its first bytes), then calls fn for every record,
// in order. A record error never stops the run; only I/O errors, an
// undetectable format, a CSV header that lacks what the format needs, or
// fn's error do (fn's error is returned as is).
func Read(name string, r io.Reader, opt Options, fn func(Record) error) (Info, error) {
	var info Info
	base := name
	br := bufio.NewReaderSize(r, SniffSize)
	if magic, _ := br.Peek(2); strings.HasSuffix(strings.ToLower(name), ".gz") || (len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return info, fmt.Errorf("reader: %s: gzip: %w", name, err)
		}
		defer gz.Close()
		base = strings.TrimSuffix(strings.TrimSuffix(name, ".gz"), ".GZ")
		br = bufio.NewReaderSize(gz, SniffSize)
	}
	raw, err := peek(br)
	if err != nil {
		return info, fmt.Errorf("reader: %s: %w", name, err)
	}
	cfg := record.Config{Location: opt.Location, Now: opt.Now, Map: opt.Map, Platform: opt.Platform, MaxField: opt.MaxField}
	if xlsx.Magic(raw) || sqlitedb.Magic(raw) {
		var fnErr error
		keep := func(rec Record) error {
			if err := fn(rec); err != nil {
				fnErr = err
				return err
			}
			return nil
		}
		if sqlitedb.Magic(raw) {
			info, err = readSQLite(base, br, cfg, keep)
		} else {
			info, err = readXLSX(base, br, opt, cfg, keep)
		}
		switch {
		case err == nil:
			return info, nil
		case fnErr != nil && errors.Is(err, fnErr):
			return info, fnErr
		}
		return info, fmt.Errorf("reader: %s: %w", name, err)
	}
	info.Encoding = encoding.Detect(raw)
	text := bufio.NewReaderSize(encoding.NewReader(br, info.Encoding), SniffSize)
	prefix, err := peek(text)
	if err != nil {
		return info, fmt.Errorf("reader: %s: %w", name, err)
	}

	format := strings.ToLower(strings.TrimSpace(opt.Format))
	if format == "" || format == FormatAuto {
		format = Detect(base, prefix, opt)
	}
	if format == "" {
		if len(strings.TrimSpace(string(prefix))) == 0 {
			return info, fmt.Errorf("reader: %s: empty input: %w", name, ErrFormatUnknown)
		}
		return info, fmt.Errorf("reader: %s: %w (first line: %q); give a format or a column map", name, ErrFormatUnknown, firstLine(prefix))
	}
	parse, ok := parsers[format]
	if !ok {
		return info, fmt.Errorf("reader: %s: %w: %q (want auto or one of %s)", name, ErrFormatUnknown, opt.Format, strings.Join(Formats, ", "))
	}
	info.Format = format

	if strings.EqualFold(path.Ext(base), ".tsv") {
		cfg.Comma = '\t'
	}
	var fnErr error
	err = parse(text, cfg, func(rec Record) error {
		if err := fn(rec); err != nil {
			fnErr = err
			return err
		}
		return nil
	})
	switch {
	case err == nil:
		return info, nil
	case fnErr != nil && errors.Is(err, fnErr):
		return info, fnErr
	}
	return info, fmt.Errorf("reader: %s: %w", name, err)
}

var parsers = map[string]func(io.Reader, record.Config, func(record.Record) error) error{
	FormatItems:        items.Parse,
	FormatMediaCrawler: mediacrawler.Parse,
	FormatWeiboCrawler: weibocrawler.Parse,
	FormatCSV:          csvfile.Parse,
	FormatMetrics:      metrics.Parse,
	FormatEvents:       events.Parse,
}

// peek returns up to SniffSize bytes without consuming them.
func peek(br *bufio.Reader) ([]byte, error) {
	p, err := br.Peek(SniffSize)
	if err == io.EOF || err == bufio.ErrBufferFull {
		err = nil
	}
	return p, err
}

func firstLine(p []byte) string {
	s := strings.TrimSpace(string(p))
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return strings.TrimSpace(s)
}
