package metrics

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"trustwatch"
	"trustwatch/reader/cndate"
	"trustwatch/reader/record"
)

// Format is the name of the format, used in errors.
const Format = "metrics"

// rawPoint mirrors one JSON object or CSV row.
type rawPoint struct {
	Series record.Str `json:"series"`
	Time   record.Str `json:"time"`
	Value  record.Str `json:"value"`
	Entity record.Str `json:"entity"`
	Unit   record.Str `json:"unit"`
	Count  record.Str `json:"count"`
	Sample record.Str `json:"sample"`
	Batch  record.Str `json:"batch"`
}

// fieldNames are the canonical fields, in rawPoint's order.
var fieldNames = []string{"series", "time", "value", "entity", "unit", "count", "sample", "batch"}

func (p *rawPoint) fields() []*record.Str {
	return []*record.Str{&p.Series, &p.Time, &p.Value, &p.Entity, &p.Unit, &p.Count, &p.Sample, &p.Batch}
}

// Parse calls fn for every point of r (CSV or JSON lines), in order.
func Parse(r io.Reader, cfg record.Config, fn func(record.Record) error) error {
	cfg = cfg.WithDefaults()
	br, shape, err := record.Sniff(r)
	if err != nil {
		return fmt.Errorf("%s: %w", Format, err)
	}
	emit := func(line int, raw []byte, v *rawPoint, reason string) error {
		rec := record.Record{Line: line, Raw: raw}
		if reason == "" {
			rec.Point, reason = adapt(v, &cfg)
		}
		if reason != "" {
			rec.Point, rec.Err = nil, record.Errorf(Format, line, reason)
		}
		return fn(rec)
	}
	if shape == record.ShapeJSON {
		return record.EachObject(br, record.LineLimit(cfg.MaxField), emit)
	}
	t, err := record.NewTableLimit(br, cfg.Comma, cfg.MaxField)
	if err != nil {
		return fmt.Errorf("%s: %w", Format, err)
	}
	cols, err := t.Columns(cfg.Map, fieldNames)
	if err != nil {
		return fmt.Errorf("%s: %w", Format, err)
	}
	if cols[0] < 0 || cols[1] < 0 || (cols[2] < 0 && cols[5] < 0) {
		return fmt.Errorf("%s: the header needs series, time and value (or count and sample): %s", Format, strings.Join(t.Header, ", "))
	}
	return record.EachRow(t, Format, cols, (*rawPoint).fields, emit)
}

func adapt(p *rawPoint, cfg *record.Config) (*trustwatch.Point, string) {
	pt := &trustwatch.Point{
		Series: p.Series.Trim(),
		Entity: p.Entity.Trim(),
		Unit:   p.Unit.Trim(),
		Batch:  p.Batch.Trim(),
	}
	for i, s := range []*string{&pt.Series, &pt.Entity, &pt.Unit, &pt.Batch} {
		if r := record.CleanField([]string{"series", "entity", "unit", "batch"}[i], s, cfg.MaxField); r != "" {
			return nil, r
		}
	}
	if pt.Series == "" {
		return nil, "missing series"
	}
	var reason string
	if pt.Time, reason = record.Time(string(p.Time), cfg); reason != "" {
		return nil, reason
	} else if pt.Time.IsZero() {
		return nil, "missing time"
	}
	if p.Count.Trim() != "" || p.Sample.Trim() != "" {
		if pt.Count, reason = number("count", p.Count.Trim()); reason != "" {
			return nil, reason
		}
		if pt.Sample, reason = number("sample", p.Sample.Trim()); reason != "" {
			return nil, reason
		}
		if pt.Sample <= 0 {
			return nil, "sample must be positive"
		}
		if pt.Count < 0 {
			return nil, "count must not be negative"
		}
		pt.Value = pt.Count / pt.Sample
		return pt, ""
	}
	if pt.Value, reason = number("value", p.Value.Trim()); reason != "" {
		return nil, reason
	}
	return pt, ""
}

// number reads a decimal value; "1.2万" forms are accepted too.
func number(name, s string) (float64, string) {
	if s == "" {
		return 0, "missing " + name
	}
	if f, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64); err == nil {
		if f != f || f > 1e300 || f < -1e300 {
			return 0, fmt.Sprintf("unparseable %s %q", name, s)
		}
		return f, ""
	}
	if n, err := cndate.ParseCount(s); err == nil {
		return float64(n), ""
	}
	return 0, fmt.Sprintf("unparseable %s %q", name, s)
}
