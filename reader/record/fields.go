package record

import (
	"bufio"
	"io"
	"strings"
	"time"

	"trustwatch/reader/cndate"
)

// Shape is how an input is laid out.
type Shape int

// Shapes.
const (
	ShapeDelimited Shape = iota // CSV/TSV with a header
	ShapeJSON                   // JSON lines, a JSON array or a JSON object
)

// Sniff tells JSON from delimited text by the first non-space byte. The
// returned reader must be used instead of r.
func Sniff(r io.Reader) (*bufio.Reader, Shape, error) {
	br := bufio.NewReaderSize(r, bufSize)
	c, err := firstNonSpace(br)
	if err != nil {
		return br, ShapeDelimited, err
	}
	if c == '{' || c == '[' {
		return br, ShapeJSON, nil
	}
	return br, ShapeDelimited, nil
}

// Time reads a time field. A blank field is the zero time with no reason,
// so that the item's validation says "missing time".
func Time(s string, cfg *Config) (time.Time, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, ""
	}
	t, err := cndate.ParseTime(s, cfg.Location, cfg.Now)
	if err != nil {
		return time.Time{}, err.Error()
	}
	return t, ""
}

// TimeCache remembers the last time parsed: rows of a file often share
// their time string (a day, a minute), and parsing dominates a CSV row.
type TimeCache struct {
	s string
	t time.Time
}

// Parse is Time with the cache.
func (c *TimeCache) Parse(s string, cfg *Config) (time.Time, string) {
	if s == c.s && s != "" {
		return c.t, ""
	}
	t, reason := Time(s, cfg)
	if reason == "" {
		c.s, c.t = s, t
	}
	return t, reason
}

// LineLimit is the longest line a JSON-lines reader accepts: room for a few
// fields at the limit, so that an oversized field is reported by name.
func LineLimit(maxField int) int { return 4*maxField + 64<<10 }

// Clone copies b (scanners reuse their buffers).
func Clone(b []byte) []byte {
	out := make([]byte, len(b))
	copy(out, b)
	return out
}
