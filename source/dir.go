package source

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"trustwatch"
	"trustwatch/ingest"
	"trustwatch/reader"
	"trustwatch/reader/record"
)

// Dir reads dir sources: the appended lines of each file since the last
// round (see the package comment for the transaction boundary).
type Dir struct {
	Store    Store
	Analyzer *ingest.Analyzer
	// Options are the reader's; a source's format and map override them.
	Options reader.Options
	// MaxChunk bounds the bytes read into one transaction (default 8 MiB).
	MaxChunk int64
	// Now stamps quarantine records; time.Now when nil.
	Now func() time.Time
}

// DefaultMaxChunk is Dir.MaxChunk's default.
const DefaultMaxChunk = 8 << 20

// Read reads what is new in every file of src.Path. A file that cannot be
// read is named in the round's Err; the other files are still read. When
// ctx is cancelled it stops after the chunk being committed.
func (d *Dir) Read(ctx context.Context, src trustwatch.Source) Result {
	res := Result{SourceRound: trustwatch.SourceRound{Source: src.ID, Kind: trustwatch.SourceDir}}
	files, err := listFiles(src.Path)
	if err != nil {
		res.Err = err.Error()
		return res
	}
	known, err := d.Store.SourceFiles(ctx, src.ID)
	if err != nil {
		res.Err = err.Error()
		return res
	}
	var errs []string
	for _, f := range files {
		if ctx.Err() != nil {
			break
		}
		prev, ok := known[f]
		if err := d.readFile(ctx, src, f, prev, ok, &res); err != nil {
			errs = append(errs, fmt.Sprintf("%s: %v", f, err))
		}
	}
	res.Err = strings.Join(errs, "; ")
	return res
}

// listFiles expands a source path: a glob, a directory (recursively, the
// files ingest would read) or a file.
func listFiles(p string) ([]string, error) {
	if p == "" {
		return nil, errors.New("no path")
	}
	if strings.ContainsAny(p, "*?[") {
		m, err := filepath.Glob(p)
		if err != nil {
			return nil, err
		}
		sort.Strings(m)
		return m, nil
	}
	st, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return []string{p}, nil
	}
	var files []string
	err = filepath.WalkDir(p, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(e.Name(), ".") && path != p {
			if e.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !e.IsDir() && readable(e.Name()) {
			files = append(files, path)
		}
		return nil
	})
	sort.Strings(files)
	return files, err
}

func readable(name string) bool {
	name = strings.TrimSuffix(strings.ToLower(name), ".gz")
	for _, ext := range []string{".jsonl", ".json", ".ndjson", ".csv", ".tsv", ".txt"} {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}

// wholeFile reports whether a file is read whole whenever it changes:
// a JSON document, a gzip stream or UTF-16 text cannot be read from an
// offset line by line.
func wholeFile(name string, head []byte) bool {
	lower := strings.ToLower(name)
	if strings.HasSuffix(lower, ".json") || strings.HasSuffix(lower, ".gz") {
		return true
	}
	return bytes.HasPrefix(head, []byte{0xff, 0xfe}) || bytes.HasPrefix(head, []byte{0xfe, 0xff})
}

func (d *Dir) readFile(ctx context.Context, src trustwatch.Source, path string, prev trustwatch.SourceFile, known bool, res *Result) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	size, mtime := st.Size(), st.ModTime().UTC()
	if known && size == prev.Size && mtime.Equal(prev.ModTime) {
		return nil // nothing was written since it was last looked at
	}
	var magic [2]byte
	n, _ := f.ReadAt(magic[:], 0)
	if wholeFile(path, magic[:n]) {
		return d.readWhole(ctx, src, f, path, size, mtime, res)
	}

	// Verify the prefix read so far, and keep its hash to continue it.
	h := sha256.New()
	offset, lines := int64(0), 0
	if known && prev.Offset <= size {
		if _, err := io.CopyN(h, io.NewSectionReader(f, 0, prev.Offset), prev.Offset); err != nil {
			return err
		}
		if hex.EncodeToString(h.Sum(nil)) == prev.Sum {
			offset, lines = prev.Offset, prev.Lines
		} else {
			h.Reset() // rewritten: read it again from the start
		}
	}
	lineLimit := int64(record.LineLimit(d.maxField(src)))
	// An offset that is not at a line start is inside a line over the
	// limit, quarantined when it was met: the rest of it is skipped.
	inLong, err := insideLine(f, offset)
	if err != nil {
		return err
	}
	var head []byte
	headRead := false
	if offset > 0 {
		if head, err = firstLine(f, offset, lineLimit); err != nil {
			return err
		}
		headRead = true
	}
	csvLike := isCSV(path)
	maxChunk := d.MaxChunk
	if maxChunk <= 0 {
		maxChunk = DefaultMaxChunk
	}
	var last *trustwatch.SourceFile // the position committed last
	for offset < size && ctx.Err() == nil {
		var sc trustwatch.SourceCommit
		var n int64
		newLines := 0
		if inLong {
			skipped, ended, err := skipLine(f, offset, size, h)
			if err != nil {
				return err
			}
			n, inLong = skipped, !ended
			if ended {
				newLines = 1
			}
		} else {
			chunk, long, err := readChunk(f, offset, size, maxChunk, lineLimit, csvLike)
			if err != nil {
				return err
			}
			switch {
			case long != nil:
				// Quarantined now, once, even if its end is not written yet:
				// the committed offset inside it says the rest is skipped.
				h.Write(long)
				skipped, ended, err := skipLine(f, offset+int64(len(long)), size, h)
				if err != nil {
					return err
				}
				n, inLong = int64(len(long))+skipped, !ended
				if ended {
					newLines = 1
				}
				raw := long
				if csvLike {
					raw = long[:min(len(long), d.maxField(src))] // as record's CSV splitter keeps it
				}
				res.Read++
				sc.Quarantine = []trustwatch.Quarantined{{
					File: path, Line: lines + 1, Raw: raw, Time: clock(d.Now).UTC(),
					Reason: record.Errorf("reader", lines+1, record.LongLine(int(lineLimit))).Error(),
				}}
			case len(chunk) == 0:
				// The rest has no line end yet: next round.
			default:
				h.Write(chunk)
				n, newLines = int64(len(chunk)), bytes.Count(chunk, []byte{'\n'})
				if sc, err = d.parse(src, path, head, bytes.NewReader(chunk), lines, res, 0, nil); err != nil {
					return err
				}
			}
		}
		if n == 0 {
			break
		}
		next := trustwatch.SourceFile{
			Source: src.ID, Path: path, Offset: offset + n,
			Lines: lines + newLines, Sum: hex.EncodeToString(h.Sum(nil)),
			ModTime: mtime, Size: size,
		}
		if next.Offset < size {
			// Not looked at to the end: the next round must not skip it for
			// an unchanged size and mtime.
			next.Size = next.Offset
		}
		sc.File = &next
		if err := commit(ctx, d.Store, d.Analyzer, res, sc); err != nil {
			return err
		}
		offset, lines, last = next.Offset, next.Lines, &next
		if !headRead {
			if head, err = firstLine(f, offset, lineLimit); err != nil {
				return err
			}
			headRead = true
		}
	}
	if ctx.Err() != nil || (last != nil && last.Size == size) {
		return nil
	}
	// Looked at to its end (a partial last line, or only the mtime
	// changed): remember it, so that an unchanged file is not hashed again.
	return commit(ctx, d.Store, nil, res, trustwatch.SourceCommit{File: &trustwatch.SourceFile{
		Source: src.ID, Path: path, Offset: offset, Lines: lines, Sum: hex.EncodeToString(h.Sum(nil)),
		ModTime: mtime, Size: size,
	}})
}

// readWhole reads a file from its start, once it looks complete. It is
// streamed to the reader, never held: its records are committed in
// batches of about a chunk's bytes, and its position with the last batch,
// so that a file cut off by a kill is read again whole (what was stored is
// then a duplicate).
func (d *Dir) readWhole(ctx context.Context, src trustwatch.Source, f *os.File, path string, size int64, mtime time.Time, res *Result) error {
	if strings.HasSuffix(strings.ToLower(path), ".json") {
		last, err := lastNonSpace(f, size)
		if err != nil {
			return err
		}
		if last != ']' && last != '}' {
			return nil // still being written
		}
	}
	batch := d.MaxChunk
	if batch <= 0 {
		batch = DefaultMaxChunk
	}
	h, lines := sha256.New(), &lineCount{}
	body := io.TeeReader(io.NewSectionReader(f, 0, size), io.MultiWriter(h, lines))
	sc, err := d.parse(src, path, nil, body, 0, res, batch, func(sc trustwatch.SourceCommit) error {
		if err := commit(ctx, d.Store, d.Analyzer, res, sc); err != nil {
			return err
		}
		return ctx.Err() // stopping: the file is read again from the start
	})
	if err != nil {
		return err
	}
	if _, err := io.Copy(io.Discard, body); err != nil { // what the reader left, for the hash
		return err
	}
	sc.File = &trustwatch.SourceFile{Source: src.ID, Path: path, Offset: size, Size: size,
		ModTime: mtime, Lines: lines.n, Sum: hex.EncodeToString(h.Sum(nil))}
	return commit(ctx, d.Store, d.Analyzer, res, sc)
}

// lineCount counts the line ends written to it.
type lineCount struct{ n int }

func (c *lineCount) Write(b []byte) (int, error) {
	c.n += bytes.Count(b, []byte{'\n'})
	return len(b), nil
}

// lastNonSpace is the file's last byte that is not a space, tab or line
// end (0 when there is none), read from the end a block at a time.
func lastNonSpace(f *os.File, size int64) (byte, error) {
	buf := make([]byte, 4<<10)
	for end := size; end > 0; {
		start := max(0, end-int64(len(buf)))
		n, err := f.ReadAt(buf[:end-start], start)
		if err != nil && err != io.EOF {
			return 0, err
		}
		if t := bytes.TrimRight(buf[:n], " \t\r\n"); len(t) > 0 {
			return t[len(t)-1], nil
		}
		end = start
	}
	return 0, nil
}

// firstLine returns the file's first line with its line end, if the
// bytes before limit hold one (they always do once a chunk was read) and
// it is not over lineLimit; nil otherwise: a file whose first line was
// quarantined for its length is read without a head.
func firstLine(f *os.File, limit, lineLimit int64) ([]byte, error) {
	limit = min(limit, lineLimit+1)
	var out []byte
	buf := make([]byte, 64<<10)
	for pos := int64(0); pos < limit; {
		n, err := f.ReadAt(buf[:min(int64(len(buf)), limit-pos)], pos)
		if i := bytes.IndexByte(buf[:n], '\n'); i >= 0 {
			return append(out, buf[:i+1]...), nil
		}
		out = append(out, buf[:n]...)
		pos += int64(n)
		if err != nil && err != io.EOF {
			return nil, err
		}
		if n == 0 {
			break
		}
	}
	return nil, nil
}

// insideLine reports whether offset is inside a line: the byte before it
// is not a line end. Chunks end at line ends, so a committed offset is
// inside one only when it was put there past the start of a line over the
// limit.
func insideLine(f *os.File, offset int64) (bool, error) {
	if offset == 0 {
		return false, nil
	}
	var b [1]byte
	if _, err := f.ReadAt(b[:], offset-1); err != nil {
		return false, err
	}
	return b[0] != '\n', nil
}

// readChunk returns the bytes from offset up to the last record end within
// maxChunk bytes; if there is none there, up to the last one within the
// record limit (a single line longer than maxChunk); empty when the rest
// has no line end yet. When the line at offset is over the limit, ended or
// not, long is its first lineLimit bytes, the raw bytes a reader keeps of
// a line it refuses: the reader never sees it, so it cannot be taken for
// the format's first line either.
func readChunk(f *os.File, offset, size, maxChunk, lineLimit int64, csvLike bool) (chunk, long []byte, err error) {
	rest := size - offset
	n := min(rest, maxChunk)
	buf := make([]byte, n)
	if _, err := io.ReadFull(io.NewSectionReader(f, offset, n), buf); err != nil {
		return nil, nil, err
	}
	if overLimit(buf, lineLimit) {
		return nil, buf[:lineLimit], nil
	}
	if cut := recordEnd(buf, csvLike); cut > 0 {
		return buf[:cut], nil, nil
	}
	if more := min(rest, lineLimit+2); more > n {
		buf = append(buf, make([]byte, more-n)...)
		if _, err := io.ReadFull(io.NewSectionReader(f, offset+n, more-n), buf[n:]); err != nil {
			return nil, nil, err
		}
		if overLimit(buf, lineLimit) {
			return nil, buf[:lineLimit], nil
		}
		if cut := recordEnd(buf, csvLike); cut > 0 {
			return buf[:cut], nil, nil
		}
	}
	return nil, nil, nil
}

// overLimit reports whether buf's first line, without its line end (LF or
// CRLF, as record counts it), is known to be longer than limit.
func overLimit(buf []byte, limit int64) bool {
	head := buf[:min(int64(len(buf)), limit+2)]
	i := bytes.IndexByte(head, '\n')
	if i < 0 {
		return int64(len(head)) == limit+2
	}
	if i > 0 && head[i-1] == '\r' {
		i--
	}
	return int64(i) > limit
}

// skipLine reads from offset to just past the next line end, or to size
// when there is none yet, a buffer at a time: the bytes go into the
// file's hash and are not kept.
func skipLine(f *os.File, offset, size int64, h io.Writer) (n int64, ended bool, err error) {
	buf := make([]byte, 64<<10)
	for offset+n < size {
		m, err := f.ReadAt(buf[:min(int64(len(buf)), size-offset-n)], offset+n)
		if i := bytes.IndexByte(buf[:m], '\n'); i >= 0 {
			h.Write(buf[:i+1])
			return n + int64(i+1), true, nil
		}
		h.Write(buf[:m])
		n += int64(m)
		if err != nil && err != io.EOF {
			return n, false, err
		}
		if m == 0 {
			break
		}
	}
	return n, false, nil
}

// recordEnd is the index just past the last line end of buf; for CSV, the
// last one outside double quotes, if there is one.
func recordEnd(buf []byte, csvLike bool) int {
	last := bytes.LastIndexByte(buf, '\n') + 1
	if !csvLike || last == 0 {
		return last
	}
	quoted, end := false, 0
	for i, c := range buf[:last] {
		switch c {
		case '"':
			quoted = !quoted
		case '\n':
			if !quoted {
				end = i + 1
			}
		}
	}
	if end == 0 {
		return last // an odd quote somewhere: fall back to the line end
	}
	return end
}

// maxField is the field limit of src's records: its max_field_bytes, else
// the reader options', else the reader's default.
func (d *Dir) maxField(src trustwatch.Source) int {
	switch {
	case src.MaxFieldBytes > 0:
		return src.MaxFieldBytes
	case d.Options.MaxField > 0:
		return d.Options.MaxField
	}
	return record.DefaultMaxField
}

func isCSV(name string) bool {
	lower := strings.ToLower(name)
	return strings.HasSuffix(lower, ".csv") || strings.HasSuffix(lower, ".tsv") || strings.HasSuffix(lower, ".txt")
}

// parse reads a chunk into a commit. head (the file's first line) is read
// before it for the format, encoding and header, and its own record is
// skipped; lines is the number of line ends before the chunk. With flush,
// the records read so far are handed to it whenever their raw bytes reach
// batch, and the commit returned holds the rest.
func (d *Dir) parse(src trustwatch.Source, path string, head []byte, chunk io.Reader, lines int, res *Result, batch int64, flush func(trustwatch.SourceCommit) error) (trustwatch.SourceCommit, error) {
	var sc trustwatch.SourceCommit
	var held int64             // raw bytes of the records in sc
	const batchRecords = 10000 // and at most this many records, whatever their size
	opts := d.Options
	if src.Format != "" {
		opts.Format = src.Format
	}
	if len(src.Map) > 0 {
		opts.Map = src.Map
	}
	opts.MaxField = d.maxField(src)
	headLines := bytes.Count(head, []byte{'\n'})
	name := strings.TrimSuffix(path, ".gz")
	now := clock(d.Now)
	_, err := reader.Read(name, io.MultiReader(bytes.NewReader(head), chunk), opts, func(rec reader.Record) error {
		if rec.Line > 0 && rec.Line <= headLines {
			return nil // the head's own record, read in an earlier chunk
		}
		line := rec.Line - headLines + lines
		res.Read++
		switch {
		case rec.Err != nil:
			sc.Quarantine = append(sc.Quarantine, trustwatch.Quarantined{
				File: path, Line: line, Reason: rec.Err.Error(), Raw: rec.Raw, Time: now.UTC(),
			})
		case rec.Item != nil:
			it := *rec.Item
			it.Source = fmt.Sprintf("%s:%d", path, line)
			sc.Items = append(sc.Items, it)
		case rec.Point != nil:
			sc.Points = append(sc.Points, *rec.Point)
		case rec.Event != nil:
			sc.Events = append(sc.Events, *rec.Event)
		default:
			res.Read--
		}
		n := len(sc.Items) + len(sc.Points) + len(sc.Events) + len(sc.Quarantine)
		if held += int64(len(rec.Raw)); flush != nil && (held >= batch || n >= batchRecords) {
			err := flush(sc)
			sc, held = trustwatch.SourceCommit{}, 0
			return err
		}
		return nil
	})
	return sc, err
}
