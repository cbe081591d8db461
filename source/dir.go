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
	var head []byte
	if offset > 0 {
		if head, err = firstLine(f, offset); err != nil {
			return err
		}
	}
	csvLike := isCSV(path)
	maxChunk := d.MaxChunk
	if maxChunk <= 0 {
		maxChunk = DefaultMaxChunk
	}
	var last *trustwatch.SourceFile // the position committed last
	for offset < size && ctx.Err() == nil {
		chunk, err := readChunk(f, offset, size, maxChunk, csvLike)
		if err != nil {
			return err
		}
		if len(chunk) == 0 {
			break // the rest has no line end yet: next round
		}
		h.Write(chunk)
		next := trustwatch.SourceFile{
			Source: src.ID, Path: path, Offset: offset + int64(len(chunk)),
			Lines: lines + bytes.Count(chunk, []byte{'\n'}), Sum: hex.EncodeToString(h.Sum(nil)),
			ModTime: mtime, Size: size,
		}
		if next.Offset < size {
			// Not looked at to the end: the next round must not skip it for
			// an unchanged size and mtime.
			next.Size = next.Offset
		}
		sc, err := d.parse(src, path, head, chunk, lines, res)
		if err != nil {
			return err
		}
		sc.File = &next
		if err := commit(ctx, d.Store, d.Analyzer, res, sc); err != nil {
			return err
		}
		offset, lines, last = next.Offset, next.Lines, &next
		if head == nil {
			if head, err = firstLine(f, offset); err != nil {
				return err
			}
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

// readWhole reads a file from its start, once it looks complete.
func (d *Dir) readWhole(ctx context.Context, src trustwatch.Source, f *os.File, path string, size int64, mtime time.Time, res *Result) error {
	buf := make([]byte, size)
	if _, err := io.ReadFull(io.NewSectionReader(f, 0, size), buf); err != nil {
		return err
	}
	if strings.HasSuffix(strings.ToLower(path), ".json") {
		t := bytes.TrimRight(buf, " \t\r\n")
		if len(t) == 0 || (t[len(t)-1] != ']' && t[len(t)-1] != '}') {
			return nil // still being written
		}
	}
	sc, err := d.parse(src, path, nil, buf, 0, res)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(buf)
	sc.File = &trustwatch.SourceFile{Source: src.ID, Path: path, Offset: size, Size: size,
		ModTime: mtime, Lines: bytes.Count(buf, []byte{'\n'}), Sum: hex.EncodeToString(sum[:])}
	return commit(ctx, d.Store, d.Analyzer, res, sc)
}

// firstLine returns the file's first line with its line end, if the bytes
// before limit hold one (they always do once a chunk was read).
func firstLine(f *os.File, limit int64) ([]byte, error) {
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

// readChunk returns the bytes from offset up to the last record end within
// maxChunk bytes; if there is none there, up to the first one after (a
// single line longer than maxChunk); empty when the rest has no line end.
func readChunk(f *os.File, offset, size, maxChunk int64, csvLike bool) ([]byte, error) {
	n := min(size-offset, maxChunk)
	for {
		buf := make([]byte, n)
		if _, err := io.ReadFull(io.NewSectionReader(f, offset, n), buf); err != nil {
			return nil, err
		}
		if cut := recordEnd(buf, csvLike); cut > 0 {
			return buf[:cut], nil
		}
		if n == size-offset {
			return nil, nil
		}
		n = min(2*n, size-offset)
	}
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

func isCSV(name string) bool {
	lower := strings.ToLower(name)
	return strings.HasSuffix(lower, ".csv") || strings.HasSuffix(lower, ".tsv") || strings.HasSuffix(lower, ".txt")
}

// parse reads a chunk into a commit. head (the file's first line) is read
// before it for the format, encoding and header, and its own record is
// skipped; lines is the number of line ends before the chunk.
func (d *Dir) parse(src trustwatch.Source, path string, head, chunk []byte, lines int, res *Result) (trustwatch.SourceCommit, error) {
	var sc trustwatch.SourceCommit
	opts := d.Options
	if src.Format != "" {
		opts.Format = src.Format
	}
	if len(src.Map) > 0 {
		opts.Map = src.Map
	}
	if src.MaxFieldBytes > 0 {
		opts.MaxField = src.MaxFieldBytes
	}
	headLines := bytes.Count(head, []byte{'\n'})
	name := strings.TrimSuffix(path, ".gz")
	now := clock(d.Now)
	_, err := reader.Read(name, io.MultiReader(bytes.NewReader(head), bytes.NewReader(chunk)), opts, func(rec reader.Record) error {
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
		return nil
	})
	return sc, err
}
