package record

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"trustwatch/reader/cndate"
)

// Str is a JSON value read as text: crawlers write the same field as a
// string in one file and a number in the next (ids, counts, times).
type Str string

// UnmarshalJSON accepts a string, a number, a boolean or null.
func (s *Str) UnmarshalJSON(b []byte) error {
	switch {
	case len(b) == 0 || string(b) == "null":
		*s = ""
	case b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = Str(v)
	case b[0] == '{' || b[0] == '[':
		return errors.New("want a string or a number, got " + map[byte]string{'{': "an object", '[': "an array"}[b[0]])
	default:
		*s = Str(b)
	}
	return nil
}

// Trim is the text without surrounding space (weibo-crawler ends ids with a TAB).
func (s Str) Trim() string { return strings.TrimSpace(string(s)) }

// Count reads a count field; name is used in the reason.
func Count(name string, s string) (int64, string) {
	n, err := cndate.ParseCount(s)
	if err != nil {
		return 0, fmt.Sprintf("unparseable %s %q", name, s)
	}
	return n, ""
}

// JSONReason turns a json error into plain words.
func JSONReason(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "invalid JSON: unexpected end"
	case errors.As(err, &syn):
		msg := strings.TrimPrefix(syn.Error(), "json: ")
		if strings.HasPrefix(msg, "unexpected end of JSON input") {
			return "invalid JSON: unexpected end"
		}
		return "invalid JSON: " + msg
	case errors.As(err, &typ):
		return fmt.Sprintf("invalid JSON: field %s should be %s, not %s", typ.Field, typ.Type, typ.Value)
	}
	return "invalid JSON: " + strings.TrimPrefix(err.Error(), "json: ")
}

// Unmarshal decodes a JSON record into v, or returns the reason it cannot.
func Unmarshal(raw []byte, v any) string {
	if !utf8.Valid(raw) {
		return ReasonInvalidBytes
	}
	if err := json.Unmarshal(raw, v); err != nil {
		if len(bytes.TrimSpace(raw)) > 0 && bytes.TrimSpace(raw)[0] != '{' {
			return "invalid JSON: not an object"
		}
		return JSONReason(err)
	}
	return ""
}

// EachJSON calls fn for every JSON value of r: one per line (JSON lines),
// the elements of a top-level array, or a stream of pretty-printed objects.
// Blank lines are skipped. A line (or array element, or object) longer
// than maxLine bytes is passed to fn with a reason and raw cut to maxLine;
// its rest is skipped without being held. Every value's bytes go through
// the text rule (clean.go) first. A value the file ends inside is passed
// once with a reason, and EachJSON then returns a *CutError: the rest of
// the file could not be read.
func EachJSON(r io.Reader, maxLine int, fn func(line int, raw []byte, reason string) error) error {
	br := bufio.NewReaderSize(r, bufSize)
	first, err := firstNonSpace(br)
	if err != nil {
		return err
	}
	switch {
	case first == '[':
		return eachValue(br, true, maxLine, fn)
	case first == '{' && firstLineIsOpenBrace(br):
		return eachValue(br, false, maxLine, fn)
	}
	return eachLine(br, maxLine, fn)
}

// CutError says that a reader stopped before the end of its input: the
// records before Line were read, the rest could not be.
type CutError struct {
	Line   int
	Reason string
}

func (e *CutError) Error() string { return fmt.Sprintf("stopped at line %d: %s", e.Line, e.Reason) }

// cleanJSON applies the text rule to a record's bytes: raw for fn, and the
// reason when a NUL refuses it.
func cleanJSON(raw []byte) ([]byte, string) {
	if out, nul := CleanBytes(raw); !nul {
		return out, ""
	}
	return raw, ReasonNUL
}

// eachLine reads JSON lines.
func eachLine(br *bufio.Reader, maxLine int, fn func(int, []byte, string) error) error {
	return EachLine(br, maxLine, func(line int, raw []byte, tooLong bool) error {
		if tooLong {
			return fn(line, raw, LongLine(maxLine))
		}
		if len(bytes.TrimSpace(raw)) == 0 {
			return nil
		}
		raw, reason := cleanJSON(raw)
		if len(bytes.TrimSpace(raw)) == 0 && reason == "" {
			return nil
		}
		return fn(line, raw, reason)
	})
}

// EachLine calls fn for every line of r, without its line end. A line
// longer than maxLine is cut to maxLine and reported with tooLong; the
// rest of it is skipped. raw is only valid during fn.
func EachLine(r io.Reader, maxLine int, fn func(line int, raw []byte, tooLong bool) error) error {
	br := bufio.NewReaderSize(r, bufSize)
	var long, longBuf []byte // longBuf: one buffer at the limit, reused
	var longLen int          // bytes of the line before its last chunk, held or not
	var prevCR bool          // the byte before the last chunk is a CR
	line := 0
	for {
		chunk, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			if long == nil {
				if longBuf == nil {
					longBuf = make([]byte, 0, maxLine+bufSize)
				}
				long = longBuf[:0]
			}
			if len(long) < maxLine {
				long = append(long, chunk...)
			}
			longLen += len(chunk)
			prevCR = chunk[len(chunk)-1] == '\r'
			continue
		}
		if err != nil && err != io.EOF {
			return err
		}
		if len(chunk) == 0 && len(long) == 0 && err == io.EOF {
			return nil
		}
		line++
		data := chunk
		tooLong := false
		if long != nil {
			// A line is measured without its line end, as a short one is.
			n := longLen + len(chunk)
			if bytes.HasSuffix(chunk, []byte("\n")) {
				n--
				if len(chunk) >= 2 && chunk[len(chunk)-2] == '\r' || len(chunk) == 1 && prevCR {
					n--
				}
			}
			tooLong = n > maxLine
			if len(long) < maxLine {
				long = append(long, chunk...)
			}
			data, long, longLen = long, nil, 0
		}
		data = bytes.TrimSuffix(data, []byte("\n"))
		data = bytes.TrimSuffix(data, []byte("\r"))
		if len(data) > maxLine {
			tooLong = true
			data = data[:maxLine]
		}
		if ferr := fn(line, data, tooLong); ferr != nil {
			return ferr
		}
		if err == io.EOF {
			return nil
		}
	}
}

// eachValue walks the elements of a top-level array (array) or a stream
// of top-level values, reading one value at a time: its bytes are held up
// to maxLen, the rest of a longer one is skipped. It knows only enough of
// JSON to find where a value ends (strings, escapes, nesting); whether the
// value is valid is for json.Unmarshal to say.
func eachValue(br *bufio.Reader, array bool, maxLen int, fn func(int, []byte, string) error) error {
	sc := valueScanner{br: br, line: 1, max: maxLen}
	if array {
		if _, err := sc.skipSpace(); err != nil {
			return err
		}
		sc.br.ReadByte() // [
	}
	for {
		c, err := sc.skipSpace()
		if err == io.EOF {
			if array {
				return &CutError{Line: sc.line, Reason: "the file ends inside the array (no closing ])"}
			}
			return nil
		} else if err != nil {
			return err
		}
		if array && c == ']' {
			return nil
		}
		line := sc.line
		long, err := sc.value()
		if err != nil && err != io.EOF {
			return err
		}
		switch {
		case long:
			if ferr := fn(line, sc.buf, fmt.Sprintf("value longer than the %s limit; skipped", Size(maxLen))); ferr != nil {
				return ferr
			}
		case err == io.EOF && sc.depth > 0:
			if ferr := fn(line, sc.buf, "invalid JSON: unexpected end (the rest of the file could not be read)"); ferr != nil {
				return ferr
			}
			return &CutError{Line: line, Reason: "the file ends inside the value that starts there"}
		default:
			raw, reason := cleanJSON(sc.buf)
			if ferr := fn(line, raw, reason); ferr != nil {
				return ferr
			}
		}
		if err == io.EOF {
			if array {
				return &CutError{Line: sc.line, Reason: "the file ends inside the array (no closing ])"}
			}
			return nil
		}
	}
}

// valueScanner cuts JSON values out of a stream.
type valueScanner struct {
	br    *bufio.Reader
	line  int
	max   int
	buf   []byte
	depth int // nesting left open when the input ended
}

// skipSpace skips white space, commas between values and byte order
// marks, and returns the next byte without consuming it.
func (sc *valueScanner) skipSpace() (byte, error) {
	for {
		c, err := sc.br.ReadByte()
		if err != nil {
			return 0, err
		}
		switch c {
		case '\n':
			sc.line++
		case ' ', '\t', '\r', ',':
		case bom[0]:
			if p, _ := sc.br.Peek(2); string(p) == bom[1:] {
				sc.br.Discard(2)
				continue
			}
			return c, sc.br.UnreadByte()
		default:
			return c, sc.br.UnreadByte()
		}
	}
}

// value reads one value into buf, up to max bytes; long says it was cut.
func (sc *valueScanner) value() (long bool, err error) {
	sc.buf, sc.depth = sc.buf[:0], 0
	keep := func(c byte) {
		if len(sc.buf) < sc.max {
			sc.buf = append(sc.buf, c)
		} else {
			long = true
		}
	}
	inString, escaped := false, false
	for n := 0; ; n++ {
		c, err := sc.br.ReadByte()
		if err != nil {
			return long, err
		}
		if c == '\n' {
			sc.line++
		}
		switch {
		case inString:
			keep(c)
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
				if sc.depth == 0 {
					return long, nil
				}
			}
			continue
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			sc.depth++
		case c == '}' || c == ']':
			if sc.depth == 0 && n > 0 { // the end of the enclosing array
				return long, sc.br.UnreadByte()
			}
			if sc.depth > 0 {
				sc.depth--
			}
		case sc.depth == 0 && n > 0 && (c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\n'):
			if c == '\n' {
				sc.line--
			}
			return long, sc.br.UnreadByte()
		}
		keep(c)
		if sc.depth == 0 && (c == '}' || c == ']') {
			return long, nil
		}
	}
}

// WalkObject walks a top-level JSON object, calling fn with each key and
// the line and bytes of its value; for keys in arrays, fn is called once
// per element of the value (which must be an array) instead.
func WalkObject(data []byte, arrays map[string]bool, fn func(key string, line int, raw []byte, reason string) error) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	lines := lineCounter{data: data}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return fn("", 1, data, "invalid JSON: not an object")
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fn("", lines.at(int(dec.InputOffset())), nil, JSONReason(err))
		}
		key, _ := tok.(string)
		if arrays[key] {
			if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
				return fn(key, lines.at(int(dec.InputOffset())), nil, "invalid JSON: "+key+" is not an array")
			}
			for dec.More() {
				start := skipSeparators(data, int(dec.InputOffset()))
				var raw json.RawMessage
				if err := dec.Decode(&raw); err != nil {
					return fn(key, lines.at(start), data[start:], JSONReason(err)+" (the rest of the file could not be read)")
				}
				if err := fn(key, lines.at(start), raw, ""); err != nil {
					return err
				}
			}
			if _, err := dec.Token(); err != nil {
				return fn(key, lines.at(int(dec.InputOffset())), nil, JSONReason(err))
			}
			continue
		}
		start := skipSeparators(data, int(dec.InputOffset()))
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fn(key, lines.at(start), data[start:], JSONReason(err))
		}
		if err := fn(key, lines.at(start), raw, ""); err != nil {
			return err
		}
	}
	return nil
}

func skipSeparators(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\r', '\n', ',', ':':
			i++
		default:
			return i
		}
	}
	return i
}

// lineCounter turns increasing byte offsets into 1-based line numbers.
type lineCounter struct {
	data []byte
	off  int
	line int
}

func (c *lineCounter) at(off int) int {
	if off > len(c.data) {
		off = len(c.data)
	}
	if off < c.off {
		c.off, c.line = 0, 0
	}
	c.line += bytes.Count(c.data[c.off:off], []byte{'\n'})
	c.off = off
	return c.line + 1
}

// JSONKeys returns the keys of the first JSON object in a prefix, for
// format detection. It reads only the outermost object's own keys.
func JSONKeys(prefix []byte) map[string]bool {
	keys := map[string]bool{}
	depth, level := 0, objectLevel(prefix)
	for i := 0; i < len(prefix); i++ {
		switch c := prefix[i]; c {
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth < level && len(keys) > 0 {
				return keys
			}
		case '"':
			j := i + 1
			for j < len(prefix) && prefix[j] != '"' {
				if prefix[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(prefix) {
				return keys
			}
			k := j + 1
			for k < len(prefix) && (prefix[k] == ' ' || prefix[k] == '\t' || prefix[k] == '\r' || prefix[k] == '\n') {
				k++
			}
			if k < len(prefix) && prefix[k] == ':' && depth == level {
				if key, err := strconv.Unquote(string(prefix[i : j+1])); err == nil {
					keys[key] = true
				}
			}
			i = j
		}
	}
	return keys
}

// objectLevel is the depth of the first object's keys: 1 for JSON lines
// and objects, 2 for an array of objects.
func objectLevel(prefix []byte) int {
	for _, c := range prefix {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case '[':
			return 2
		}
		return 1
	}
	return 1
}

// bufSize is the read buffer, also the prefix format detection looks at.
const bufSize = 64 << 10

// firstNonSpace returns the first byte that is not white space, 0 at EOF.
func firstNonSpace(br *bufio.Reader) (byte, error) {
	for n := 512; ; n *= 2 {
		if n > bufSize {
			n = bufSize
		}
		p, err := br.Peek(n)
		for _, c := range p {
			if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
				return c, nil
			}
		}
		if err != nil || n == bufSize {
			if err == io.EOF || err == bufio.ErrBufferFull || err == nil {
				return 0, nil
			}
			return 0, err
		}
	}
}

// firstLineIsOpenBrace reports whether the first non-blank line is "{":
// pretty-printed objects, not JSON lines.
func firstLineIsOpenBrace(br *bufio.Reader) bool {
	p, _ := br.Peek(bufSize)
	for len(p) > 0 {
		line, rest, _ := bytes.Cut(p, []byte{'\n'})
		if t := bytes.TrimSpace(line); len(t) > 0 {
			return string(t) == "{"
		}
		p = rest
	}
	return false
}
