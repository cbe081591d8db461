package ingest

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"trustwatch"
	"trustwatch/reader"
)

// Store is what ingest writes to: the four writes of trustwatch.Store and
// nothing else, so that something other than a store (the bus publisher in
// package bus) can take the records an Ingester reads.
type Store interface {
	PutItems(ctx context.Context, items []trustwatch.Item) (stored, duplicates int, err error)
	PutQuarantine(ctx context.Context, q []trustwatch.Quarantined) (stored, duplicates int, err error)
	PutPoints(ctx context.Context, pts []trustwatch.Point) (stored, duplicates int, err error)
	PutEvents(ctx context.Context, evs []trustwatch.Event) (stored, duplicates int, err error)
}

// Ingester reads inputs into a store.
type Ingester struct {
	Store    Store
	Analyzer *Analyzer
	Options  reader.Options

	// BatchSize items are analysed and written together (default 10000:
	// fewer, larger transactions write each index page fewer times).
	BatchSize int
	// Workers analyse items in parallel (default 2).
	Workers int
	// Progress, if set, is called now and then with the bytes read of the
	// current file and its size (0 when unknown, as for stdin).
	Progress func(file string, done, size int64)
	// Now stamps quarantine records; defaults to time.Now.
	Now func() time.Time
}

// Counts are what happened to the records of one file or of a run. Read =
// Stored + Duplicates + Quarantined + Failed, always.
type Counts struct {
	Read        int `json:"read"`
	Stored      int `json:"stored"`
	Duplicates  int `json:"duplicates"`
	Quarantined int `json:"quarantined"`
	// QuarantineNew of the Quarantined records were new to the store's
	// quarantine; QuarantineKept were in it already (a re-run).
	QuarantineNew  int `json:"quarantine_new"`
	QuarantineKept int `json:"quarantine_kept"`
	// Failed counts records read but not written because the store failed
	// or the run was cancelled, so that the counts always add up.
	Failed int `json:"failed,omitempty"`
}

func (c *Counts) add(o Counts) {
	c.Read += o.Read
	c.Stored += o.Stored
	c.Duplicates += o.Duplicates
	c.Quarantined += o.Quarantined
	c.QuarantineNew += o.QuarantineNew
	c.QuarantineKept += o.QuarantineKept
	c.Failed += o.Failed
}

// FileSummary counts what happened to one input file.
type FileSummary struct {
	Path     string `json:"path"`
	Format   string `json:"format"`
	Encoding string `json:"encoding"`
	Counts
	Error string `json:"error,omitempty"`
}

// Summary counts what happened to all inputs.
type Summary struct {
	Counts
	Files []FileSummary `json:"files"`
}

// Merge adds another run's counts and files to s.
func (s *Summary) Merge(o Summary) {
	for _, f := range o.Files {
		s.add(f)
	}
}

func (s *Summary) add(f FileSummary) {
	s.Counts.add(f.Counts)
	s.Files = append(s.Files, f)
}

// Ingest reads every path: a file, a directory (recursively), a .gz file,
// or "-" for stdin. A file that cannot be read at all is reported in its
// summary and in the returned error; the other files are still ingested.
func (in *Ingester) Ingest(ctx context.Context, paths []string, stdin io.Reader) (Summary, error) {
	var sum Summary
	var failed []string
	storeFailed := false
	for _, p := range paths {
		files, err := expand(p)
		if err != nil {
			sum.add(FileSummary{Path: p, Error: err.Error()})
			failed = append(failed, err.Error())
			continue
		}
		for _, f := range files {
			if err := ctx.Err(); err != nil {
				return sum, err
			}
			fs, err := in.ingestFile(ctx, f, stdin)
			if err != nil {
				var se storeError
				storeFailed = storeFailed || errors.As(err, &se)
				fs.Error = err.Error()
				failed = append(failed, fmt.Sprintf("%s: %v", f, err))
				if ctx.Err() != nil {
					sum.add(fs)
					return sum, ctx.Err()
				}
			}
			sum.add(fs)
		}
	}
	if storeFailed {
		// Not the input's fault: an internal error, reported in full.
		return sum, errors.New(strings.Join(failed, "; "))
	}
	if len(failed) > 0 {
		return sum, trustwatch.Errorf(trustwatch.EINVALID, "%s", strings.Join(failed, "; "))
	}
	return sum, nil
}

// storeError marks a failure of the store, as opposed to one of the input.
type storeError struct{ error }

func (e storeError) Unwrap() error { return e.error }

// expand lists the files under a path, in a stable order.
func expand(p string) ([]string, error) {
	if p == "-" {
		return []string{"-"}, nil
	}
	st, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return []string{p}, nil
	}
	var files []string
	err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if strings.HasPrefix(name, ".") && path != p {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.IsDir() && ingestible(name) {
			files = append(files, path)
		}
		return nil
	})
	sort.Strings(files)
	return files, err
}

// ingestible reports whether a file found in a directory is input.
// Workbooks are; SQLite databases are read only when named, since a
// directory being ingested often holds the store itself.
func ingestible(name string) bool {
	name = strings.ToLower(strings.TrimSuffix(strings.ToLower(name), ".gz"))
	for _, ext := range []string{".jsonl", ".json", ".ndjson", ".csv", ".tsv", ".txt", ".xlsx"} {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func (in *Ingester) ingestFile(ctx context.Context, path string, stdin io.Reader) (FileSummary, error) {
	fsum := FileSummary{Path: path}
	var src io.Reader
	var size int64
	name := path
	if path == "-" {
		src, name = stdin, "stdin"
		fsum.Path = "stdin"
	} else {
		f, err := os.Open(path)
		if err != nil {
			return fsum, err
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil {
			size = st.Size()
		}
		src = f
	}
	counter := &countingReader{r: src}
	var r io.Reader = counter
	if strings.HasSuffix(strings.ToLower(name), ".gz") {
		zr, err := gzip.NewReader(counter)
		if err != nil {
			return fsum, fmt.Errorf("gzip: %w", err)
		}
		defer zr.Close()
		r = zr
		name = name[:len(name)-len(".gz")]
	}

	p := in.newPipeline(ctx, path, &fsum)
	lastProgress := time.Now()
	info, err := reader.Read(name, r, in.Options, func(rec reader.Record) error {
		if in.Progress != nil && time.Since(lastProgress) > 200*time.Millisecond {
			lastProgress = time.Now()
			in.Progress(fsum.Path, counter.n, size)
		}
		return p.add(rec)
	})
	fsum.Format, fsum.Encoding = info.Format, info.Encoding
	// The writer's error explains any cancellation the reader saw; any
	// other is the reader's, and the file was cut short.
	if perr := p.close(); perr != nil {
		err = perr
	} else if err != nil {
		err = p.cutShort(err)
	}
	// Counts of written records change only when a write succeeds; what was
	// read but never written is the difference.
	fsum.Failed = fsum.Read - fsum.Stored - fsum.Duplicates - fsum.Quarantined
	if in.Progress != nil {
		in.Progress(fsum.Path, counter.n, size)
	}
	return fsum, err
}

// cutShort says how far the reader got before err stopped it: the counts
// and the line, so that the user knows what was kept and where to look.
func (p *pipeline) cutShort(err error) error {
	if p.lastLine == 0 {
		return err // nothing was read: the error says it all
	}
	var ce *reader.CutError
	if errors.As(err, &ce) {
		return fmt.Errorf("cut short: read %d records, quarantined %d, %w", p.read, p.quarantined, ce)
	}
	return fmt.Errorf("cut short: read %d records, quarantined %d, stopped after line %d: %w", p.read, p.quarantined, p.lastLine, err)
}

// pipeline overlaps reading, analysis and writing: the reader fills
// batches, a stage analyses each batch on Workers goroutines, and one
// writer stores them in order.
type pipeline struct {
	in       *Ingester
	ctx      context.Context
	cancel   context.CancelFunc
	file     string
	sum      *FileSummary
	cur      *batch
	toAnalyz chan *batch
	toWrite  chan *batch
	done     chan struct{}
	errOnce  sync.Once
	err      error

	// What the reader gave, for cutShort: the writer's counts in sum
	// lag behind.
	read, quarantined, lastLine int
}

type batch struct {
	items  []trustwatch.Item
	points []trustwatch.Point
	events []trustwatch.Event
	quar   []trustwatch.Quarantined
}

func (in *Ingester) newPipeline(ctx context.Context, file string, sum *FileSummary) *pipeline {
	ctx, cancel := context.WithCancel(ctx)
	p := &pipeline{
		in: in, ctx: ctx, cancel: cancel, file: file, sum: sum,
		toAnalyz: make(chan *batch, 1),
		toWrite:  make(chan *batch, 1),
		done:     make(chan struct{}),
	}
	go p.analyzeLoop()
	go p.writeLoop()
	return p
}

func (p *pipeline) fail(err error) {
	p.errOnce.Do(func() {
		p.err = err
		p.cancel()
	})
}

func (p *pipeline) batchSize() int {
	if p.in.BatchSize > 0 {
		return p.in.BatchSize
	}
	return 10000
}

func (p *pipeline) add(rec reader.Record) error {
	if err := p.ctx.Err(); err != nil {
		return err // close reports the writer's error
	}
	if p.cur == nil {
		p.cur = &batch{}
	}
	b := p.cur
	p.sum.Read++
	p.read++
	p.lastLine = max(p.lastLine, rec.Line)
	switch {
	case rec.Err != nil:
		p.quarantined++
		now := time.Now
		if p.in.Now != nil {
			now = p.in.Now
		}
		b.quar = append(b.quar, trustwatch.Quarantined{
			File: p.sum.Path, Line: rec.Line, Reason: rec.Err.Error(), Raw: rec.Raw, Time: now().UTC(),
		})
	case rec.Item != nil:
		it := *rec.Item
		if it.Source == "" {
			it.Source = fmt.Sprintf("%s:%d", p.sum.Path, rec.Line)
		}
		b.items = append(b.items, it)
	case rec.Point != nil:
		b.points = append(b.points, *rec.Point)
	case rec.Event != nil:
		b.events = append(b.events, *rec.Event)
	default:
		p.sum.Read--
		p.read--
	}
	if len(b.items)+len(b.points)+len(b.events)+len(b.quar) >= p.batchSize() {
		return p.flush()
	}
	return nil
}

func (p *pipeline) flush() error {
	if p.cur == nil {
		return nil
	}
	select {
	case p.toAnalyz <- p.cur:
		p.cur = nil
		return nil
	case <-p.ctx.Done():
		return p.ctx.Err()
	}
}

// close flushes the last batch and waits for the writer. The writer's
// error, if any, wins: it is the cause of any context error the reader saw.
func (p *pipeline) close() error {
	err := p.flush()
	close(p.toAnalyz)
	<-p.done
	p.cancel()
	if p.err != nil {
		return p.err
	}
	return err
}

func (p *pipeline) analyzeLoop() {
	defer close(p.toWrite)
	workers := p.in.Workers
	if workers <= 0 {
		workers = 2
	}
	for b := range p.toAnalyz {
		if p.in.Analyzer != nil {
			p.in.Analyzer.analyzeAll(b.items, workers)
		}
		select {
		case p.toWrite <- b:
		case <-p.ctx.Done():
			return
		}
	}
}

func (p *pipeline) writeLoop() {
	defer close(p.done)
	for b := range p.toWrite {
		if p.ctx.Err() != nil {
			continue
		}
		if err := p.write(b); err != nil {
			p.fail(err)
		}
	}
}

func (p *pipeline) write(b *batch) error {
	st := p.in.Store
	if len(b.quar) > 0 {
		kept, known, err := st.PutQuarantine(p.ctx, b.quar)
		if err != nil {
			return storeError{fmt.Errorf("store quarantine: %w", err)}
		}
		p.sum.Quarantined += len(b.quar)
		p.sum.QuarantineNew += kept
		p.sum.QuarantineKept += known
	}
	if len(b.items) > 0 {
		stored, dup, err := st.PutItems(p.ctx, b.items)
		if err != nil {
			return storeError{fmt.Errorf("store items: %w", err)}
		}
		p.sum.Stored += stored
		p.sum.Duplicates += dup
	}
	if len(b.points) > 0 {
		stored, dup, err := st.PutPoints(p.ctx, b.points)
		if err != nil {
			return storeError{fmt.Errorf("store points: %w", err)}
		}
		p.sum.Stored += stored
		p.sum.Duplicates += dup
	}
	if len(b.events) > 0 {
		stored, dup, err := st.PutEvents(p.ctx, b.events)
		if err != nil {
			return storeError{fmt.Errorf("store events: %w", err)}
		}
		p.sum.Stored += stored
		p.sum.Duplicates += dup
	}
	return nil
}
