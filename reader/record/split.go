package record

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
)

// The CSV/TSV splitter. It reads RFC 4180 (a field that starts with a
// quote is quoted; "" inside it is a quote; quoted fields may hold the
// delimiter and line ends; CRLF or LF ends a record) and is lenient where
// real exports are not RFC 4180, with bounds that keep memory at one
// record whatever the input:
//
//   - A quote that is not at the start of a field is a literal character.
//   - A quoted field is quoted only if its closing quote is followed by
//     the delimiter or the end of the line: on the line where it opens,
//     "专家"称… is the unquoted text "专家"称…; on a later line a bare
//     quote is literal.
//   - A physical line longer than the record limit (LineLimit) is one
//     refused record, skipped to its end without being held.
//   - A quoted field that does not close on its own line is a stray
//     (unterminated) quote, not a quoted line end, when: the file ends
//     inside it; it grows past the field limit; the record grows past the
//     record limit; one of its lines is too long; three of the lines it
//     swallows are complete records by themselves (as many fields as the
//     header, or as the last good row); or the row it makes, once closed,
//     does not have as many fields as the header (or the last good row).
//     Then the row's first line is refused with the line range and the
//     reason, and reading resumes at the first following line that is a
//     complete record by itself; lines between that are not are refused
//     in the same record. A stray quote on line 3 of a TSV loses line 3
//     only. The lines a stray quote swallowed are held (at most the field
//     limit plus a line) to be read again.

// resyncLines is how many complete-record lines a quoted field may swallow
// before its opening quote is taken as stray: legitimate quoted text does
// not have the header's number of delimiters on three of its lines.
const resyncLines = 3

// physLine is one line of the input, without its line end.
type physLine struct {
	n    int    // 1-based line number
	b    []byte // the bytes, cut to the record limit; valid until the next read unless owned
	long bool   // the line was longer than the record limit: b is cut, the rest skipped
}

// splitter cuts a delimited stream into records.
type splitter struct {
	br        *bufio.Reader
	comma     byte
	maxField  int
	maxRecord int
	width     int // fields of the header; 0 while reading it
	lastWidth int // fields of the last good multi-field row
	line      int // the last line read from br
	replay    []physLine
	long      []byte
	f         fieldBuf
	out       []string
}

// row is a record cut by the splitter.
type row struct {
	line   int      // first line
	fields []string // nil when refused; reused by the next call
	n      int      // fields counted (also those beyond the header, not kept)
	raw    []byte   // the record's bytes, a copy; cut to the field limit when refused as a range
	reason string   // why the record is refused, "" when it is not
	long   bool     // refused as a line over the record limit
}

func newSplitter(br *bufio.Reader, comma byte, maxField int) *splitter {
	return &splitter{br: br, comma: comma, maxField: maxField, maxRecord: LineLimit(maxField)}
}

// readLine returns the next physical line: from replay, else from br. A
// line longer than the record limit is cut to it, its rest skipped.
func (s *splitter) readLine() (physLine, error) {
	if len(s.replay) > 0 {
		l := s.replay[0]
		s.replay = s.replay[1:]
		return l, nil
	}
	s.long = s.long[:0]
	spilled := false
	keep := func(chunk []byte) {
		if cap(s.long) < s.maxRecord+2 {
			// Once, at the limit: growing by appends would allocate
			// several times the limit on the way.
			s.long = make([]byte, 0, s.maxRecord+2)
		}
		if room := s.maxRecord + 2 - len(s.long); room > 0 { // + 2: room for CRLF
			s.long = append(s.long, chunk[:min(room, len(chunk))]...)
		}
	}
	for {
		chunk, err := s.br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			spilled = true
			keep(chunk)
			continue
		}
		if err != nil && err != io.EOF {
			return physLine{}, err
		}
		if len(chunk) == 0 && !spilled {
			return physLine{}, io.EOF
		}
		s.line++
		b := chunk
		if spilled {
			keep(chunk)
			b = s.long
		}
		b = bytes.TrimSuffix(b, []byte("\n"))
		b = bytes.TrimSuffix(b, []byte("\r"))
		long := false
		if len(b) > s.maxRecord {
			long, b = true, b[:s.maxRecord]
		}
		return physLine{n: s.line, b: b, long: long}, nil
	}
}

// own returns l with bytes of its own, to keep past the next read.
func own(l physLine) physLine {
	l.b = Clone(l.b)
	return l
}

// next returns the next record; err is io.EOF after the last one.
func (s *splitter) next() (row, error) {
	var l physLine
	var err error
	for {
		if l, err = s.readLine(); err != nil {
			return row{}, err
		}
		if l.long {
			return row{line: l.n, raw: Clone(l.b[:min(len(l.b), s.maxField)]), long: true,
				reason: LongLine(s.maxRecord)}, nil
		}
		if len(l.b) > 0 {
			break
		}
	}
	if bytes.IndexByte(l.b, '"') < 0 && !needsClean(l.b) {
		return s.plain(l), nil // most rows: no quotes, nothing to clean
	}
	s.f.reset(s.width)
	if !s.f.scan(l.b, s.comma, true) {
		return s.finish(l.n, Clone(l.b)), nil
	}
	// A quoted field goes on past this line: hold the lines until it ends.
	pending := []physLine{own(l)}
	size, looking := len(l.b), 0
	for {
		m, err := s.readLine()
		if err != nil && err != io.EOF {
			return row{}, err
		}
		switch {
		case err == io.EOF:
			return s.stray(pending, "the file ends inside it")
		case m.long:
			s.replay = append([]physLine{own(m)}, s.replay...)
			return s.stray(pending, fmt.Sprintf("line %d inside it is longer than the %s limit", m.n, Size(s.maxRecord)))
		}
		m = own(m)
		pending = append(pending, m)
		if size += len(m.b) + 1; size > s.maxRecord {
			return s.stray(pending, fmt.Sprintf("the record is over the %s limit", Size(s.maxRecord)))
		}
		s.f.addByte('\n')
		open := s.f.scan(m.b, s.comma, false)
		switch {
		case s.f.cur > s.maxField:
			return s.stray(pending, fmt.Sprintf("the field is over the %s limit", Size(s.maxField)))
		case open && s.fits(countFields(m.b, s.comma)):
			if looking++; looking >= resyncLines {
				return s.stray(pending, fmt.Sprintf("%d of the lines it swallows are rows by themselves", looking))
			}
			continue
		case open:
			continue
		}
		if s.width > 0 && !s.fits(s.f.n) {
			return s.stray(pending, fmt.Sprintf("the row it makes has %d fields, the header %d", s.f.n, s.width))
		}
		raw := pending[0].b
		for _, p := range pending[1:] {
			raw = append(append(raw, '\n'), p.b...)
		}
		return s.finish(pending[0].n, raw), nil
	}
}

// plain splits a line without quotes or anything the text rule changes:
// its fields are cut out of one string of it, the same rows scan makes.
func (s *splitter) plain(l physLine) row {
	r := row{line: l.n, n: bytes.Count(l.b, []byte{s.comma}) + 1, raw: Clone(l.b)}
	if s.width > 0 && r.n > s.width {
		r.reason = fmt.Sprintf("row has %d fields, the header %d", r.n, s.width)
		return r
	}
	str := string(l.b)
	s.out = s.out[:0]
	for i := 0; ; i++ {
		j := strings.IndexByte(str, s.comma)
		f := str
		if j >= 0 {
			f, str = str[:j], str[j+1:]
		}
		if len(f) > s.maxField {
			r.reason = fmt.Sprintf("field %d is %s, over the %s limit", i+1, Size(len(f)), Size(s.maxField))
			return r
		}
		s.out = append(s.out, f)
		if j < 0 {
			break
		}
	}
	if r.n > 1 {
		s.lastWidth = r.n
	}
	r.fields = s.out
	return r
}

// fits reports whether a row of n fields is a complete record: as many as
// the header, or as the last good row (exports that drop empty trailing
// columns).
func (s *splitter) fits(n int) bool {
	return s.width > 1 && (n == s.width || n == s.lastWidth && n > 1)
}

// finish turns the fields read into a row.
func (s *splitter) finish(line int, raw []byte) row {
	r := row{line: line, n: s.f.n, raw: raw}
	switch {
	case s.f.nul:
		r.reason = ReasonNUL
		return r
	case s.width > 0 && s.f.n > s.width:
		r.reason = fmt.Sprintf("row has %d fields, the header %d", s.f.n, s.width)
		return r
	}
	str := string(s.f.buf)
	s.out = s.out[:0]
	start := 0
	for i, end := range s.f.ends {
		if end-start > s.maxField {
			r.reason = fmt.Sprintf("field %d is %s, over the %s limit", i+1, Size(end-start), Size(s.maxField))
			return r
		}
		s.out = append(s.out, str[start:end])
		start = end
	}
	if s.f.n > 1 {
		s.lastWidth = s.f.n
	}
	r.fields = s.out
	return r
}

// stray refuses the first of pending as a row with an unterminated quote
// and resynchronises: the other lines are read again, and those up to the
// first that is a complete record by itself join the refused range.
func (s *splitter) stray(pending []physLine, why string) (row, error) {
	first := pending[0]
	if s.width == 0 {
		return row{}, fmt.Errorf("line %d: invalid header: unterminated quote (%s)", first.n, why)
	}
	s.replay = append(append([]physLine(nil), pending[1:]...), s.replay...)
	raw := Clone(first.b[:min(len(first.b), s.maxField)])
	last := first.n
	for {
		l, err := s.readLine()
		if err == io.EOF {
			break
		} else if err != nil {
			return row{}, err
		}
		if !l.long && len(l.b) > 0 && s.fits(countFields(l.b, s.comma)) {
			s.replay = append([]physLine{own(l)}, s.replay...)
			break
		}
		last = l.n
		if room := s.maxField - len(raw) - 1; room > 0 {
			raw = append(append(raw, '\n'), l.b[:min(len(l.b), room)]...)
		}
	}
	lines := "" // the record's Error names its first line
	if last > first.n {
		lines = fmt.Sprintf("lines %d–%d: ", first.n, last)
	}
	return row{line: first.n, raw: raw, reason: fmt.Sprintf("%sunterminated quote in field %d (%s); read again from line %d",
		lines, s.f.quotedField+1, why, last+1)}, nil
}

// fieldBuf accumulates the fields of one record.
type fieldBuf struct {
	buf         []byte
	ends        []int // end of each kept field in buf
	n           int   // fields seen, also those beyond keep
	keep        int   // fields beyond this many are counted, not kept (0: all)
	start       int   // where the current field starts in buf
	cur         int   // bytes of the current field, also when not kept
	quoted      bool  // the current field is quoted and still open
	quotedField int   // index of the last quoted field opened
	nul         bool
	dirty       bool // a line of the record may need the text rule: fields are cleaned
}

func (f *fieldBuf) reset(keep int) {
	f.buf, f.ends = f.buf[:0], f.ends[:0]
	f.n, f.keep, f.start, f.cur, f.quoted, f.nul, f.dirty = 0, keep, 0, 0, false, false, false
}

func (f *fieldBuf) kept() bool { return f.keep == 0 || f.n < f.keep }

func (f *fieldBuf) add(b []byte) {
	f.cur += len(b)
	if f.kept() {
		f.buf = append(f.buf, b...)
	}
}

func (f *fieldBuf) addByte(c byte) {
	f.cur++
	if f.kept() {
		f.buf = append(f.buf, c)
	}
}

// end closes the current field, applying the text rule to it.
func (f *fieldBuf) end() {
	if f.kept() {
		if f.dirty {
			out, nul := CleanBytes(f.buf[f.start:])
			f.nul = f.nul || nul
			f.buf = f.buf[:f.start+len(out)]
		}
		f.ends = append(f.ends, len(f.buf))
	}
	f.n++
	f.start, f.cur, f.quoted = len(f.buf), 0, false
}

// scan reads one line (without its line end) into f. first says whether
// the line starts the record; a line that does not continues the open
// quoted field. It reports whether a quoted field is still open at the end.
func (f *fieldBuf) scan(line []byte, comma byte, first bool) (open bool) {
	f.dirty = f.dirty || needsClean(line) // once per line: fields are cleaned only when it is
	i := 0
	inQuote := !first && f.quoted
	openedAt := -1 // where in line the open quoted field opened; -1: on an earlier line
	for {
		if !inQuote {
			if i < len(line) && line[i] == '"' {
				f.quoted, f.quotedField, openedAt, inQuote = true, f.n, i, true
				i++
				continue
			}
			var last bool
			if i, last = f.plainField(line, i, comma); last {
				return false
			}
			continue
		}
		j := bytes.IndexByte(line[i:], '"')
		if j < 0 {
			f.add(line[i:])
			return true
		}
		f.add(line[i : i+j])
		i += j + 1
		switch {
		case i < len(line) && line[i] == '"':
			f.addByte('"')
			i++
		case i == len(line):
			f.end()
			return false
		case line[i] == comma:
			f.end()
			i++
			inQuote, openedAt = false, -1
		case openedAt >= 0:
			// Not a quoted field after all: its text runs from the quote
			// to the delimiter.
			if f.kept() {
				f.buf = f.buf[:f.start]
			}
			f.cur, f.quoted = 0, false
			start := openedAt
			inQuote, openedAt = false, -1
			var last bool
			if i, last = f.plainField(line, start, comma); last {
				return false
			}
		default:
			f.addByte('"') // a bare quote in a field quoted since an earlier line
		}
	}
}

// plainField adds the unquoted field of line that starts at i, up to the
// next delimiter or the end of the line; last says it was the line's last
// field, else next is where the field after it starts.
func (f *fieldBuf) plainField(line []byte, i int, comma byte) (next int, last bool) {
	if j := bytes.IndexByte(line[i:], comma); j >= 0 {
		f.add(line[i : i+j])
		f.end()
		return i + j + 1, false
	}
	f.add(line[i:])
	f.end()
	return len(line), true
}

// countFields is how many fields line has by itself, or -1 when a quoted
// field is open at its end.
func countFields(line []byte, comma byte) int {
	var f fieldBuf
	f.reset(1) // count, keep at most one
	if f.scan(line, comma, true) {
		return -1
	}
	return f.n
}

// SplitLine splits one line (a header, for format detection) into its
// fields by the splitter's rules; a quoted field left open takes the rest
// of the line.
func SplitLine(line []byte, comma rune) []string {
	var f fieldBuf
	f.reset(0)
	if f.scan(line, byte(comma), true) {
		f.end()
	}
	str := string(f.buf)
	out := make([]string, 0, len(f.ends))
	start := 0
	for _, end := range f.ends {
		out = append(out, str[start:end])
		start = end
	}
	return out
}
