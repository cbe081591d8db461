package record

import (
	"fmt"
	"time"
	"unicode/utf8"

	"trustwatch"
)

// Record is one record of an input.
type Record struct {
	Line  int // 1-based line where the record starts
	Item  *trustwatch.Item
	Point *trustwatch.Point
	Event *trustwatch.Event
	Err   error  // why the record could not be read; nil when one of Item, Point, Event is set
	Raw   []byte // the record's bytes, decoded to UTF-8 (undecodable bytes kept as they were)
}

// DefaultMaxField is the default limit on one field, in bytes.
const DefaultMaxField = 1 << 20

// Config is what a format reader needs to know besides the input.
type Config struct {
	Location *time.Location    // naive times are read in this zone
	Now      time.Time         // the reference for relative times ("3分钟前")
	Map      map[string]string // canonical field -> column name
	Platform string            // the platform, when the user names one: it wins over what the fields say
	MaxField int               // bytes; a longer field refuses the record
	Comma    rune              // CSV delimiter; 0 detects it from the header line
}

// WithDefaults fills unset fields.
func (c Config) WithDefaults() Config {
	if c.Location == nil {
		c.Location = trustwatch.DefaultLocation()
	}
	if c.Now.IsZero() {
		c.Now = time.Now()
	}
	if c.MaxField <= 0 {
		c.MaxField = DefaultMaxField
	}
	return c
}

// Error is a refused record: a reason in plain words, with where it is.
// It unwraps to a trustwatch EINVALID error carrying the reason alone.
type Error struct {
	Format string // the reader: "mediacrawler", "csv" ...
	Line   int
	Reason string // "missing text", "invalid JSON: unexpected end of input" ...
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s: line %d: %s", e.Format, e.Line, e.Reason)
}

// Unwrap lets trustwatch.ErrorCode and ErrorMessage see an EINVALID error.
func (e *Error) Unwrap() error { return trustwatch.Errorf(trustwatch.EINVALID, "%s", e.Reason) }

// Errorf returns an *Error for the record at line.
func Errorf(format string, line int, reason string, args ...any) *Error {
	if len(args) > 0 {
		reason = fmt.Sprintf(reason, args...)
	}
	return &Error{Format: format, Line: line, Reason: reason}
}

// Reason is the plain-words message of err: the reason of a record Error or
// of a trustwatch error, else err's text.
func Reason(err error) string {
	switch e := err.(type) {
	case *Error:
		return e.Reason
	case *trustwatch.Error:
		return e.Message
	}
	return err.Error()
}

// ReasonInvalidBytes is the reason for a record with undecodable bytes.
const ReasonInvalidBytes = "invalid UTF-8 / undecodable bytes"

// LongLine is the reason a line over the record limit max is refused
// for: every reader that skips one says the same.
func LongLine(max int) string {
	return fmt.Sprintf("line longer than the %s limit; skipped to the next line", Size(max))
}

// CheckField refuses a field longer than max bytes or with invalid UTF-8.
func CheckField(name, value string, max int) string {
	if len(value) > max {
		return fmt.Sprintf("field %s is %s, over the %s limit", name, Size(len(value)), Size(max))
	}
	if !utf8.ValidString(value) {
		return ReasonInvalidBytes + " in field " + name
	}
	return ""
}

// Size writes a byte count for people: 512 B, 3.2 KiB, 1.3 MiB.
func Size(n int) string {
	switch {
	case n >= 1<<20:
		return trimZero(fmt.Sprintf("%.1f", float64(n)/(1<<20))) + " MiB"
	case n >= 1<<10:
		return trimZero(fmt.Sprintf("%.1f", float64(n)/(1<<10))) + " KiB"
	}
	return fmt.Sprintf("%d B", n)
}

func trimZero(s string) string {
	if len(s) > 2 && s[len(s)-2:] == ".0" {
		return s[:len(s)-2]
	}
	return s
}

// ValidateItem checks an item read from a record: the text rule of
// clean.go (applied to its text fields in place), field sizes and UTF-8,
// then trustwatch's required fields (it fills Kind and ID). It returns the
// reason the item is refused, or "".
func ValidateItem(it *trustwatch.Item, max int) string {
	for _, f := range [...]struct {
		name  string
		value *string
	}{
		{"text", &it.Text}, {"title", &it.Title}, {"author", &it.Author},
		{"id", &it.ID}, {"parent_id", &it.ParentID}, {"url", &it.URL}, {"platform", &it.Platform},
		{"keyword", &it.Keyword},
	} {
		if r := CleanField(f.name, f.value, max); r != "" {
			return r
		}
	}
	for _, list := range [...]struct {
		name   string
		values []string
	}{{"tags", it.Tags}, {"via", it.Via}} {
		for i := range list.values {
			if r := CleanField(list.name, &list.values[i], max); r != "" {
				return r
			}
		}
	}
	if err := it.Validate(); err != nil {
		return Reason(err)
	}
	return ""
}
