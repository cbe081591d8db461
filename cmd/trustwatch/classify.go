package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"trustwatch"
	"trustwatch/sentiment"
)

// maxLine bounds one input line, so that memory stays constant however long
// the input is.
const maxLine = 16 << 20

// newClassifyCmd builds `trustwatch classify`: one JSON object out per line in.
func newClassifyCmd(a *app) *cobra.Command {
	var modelPath string
	cmd := &cobra.Command{
		Use:   "classify [FILE|-]",
		Short: "Label each line's sentiment (pos, neg, neu) with p_pos",
		Long: `Read plain text lines, or JSONL objects with a "text" field, and write one JSON
object per input line, in order: {"text":…,"label":"pos|neg|neu","p_pos":0.93}
followed by the input object's other fields, untouched. Lines starting with "{"
are read as JSON; with --json every line must be a JSON object.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := loadModel(modelPath)
			if err != nil {
				return err
			}
			in, name, closeIn, err := openInput(a, args)
			if err != nil {
				return err
			}
			defer closeIn()
			return classifyLines(m, in, a.stdout, name, a.jsonOut)
		},
	}
	cmd.Flags().StringVar(&modelPath, "model", "", "model file (default: the embedded model)")
	return cmd
}

// loadModel returns the embedded model, or the model file at path.
func loadModel(path string) (*sentiment.Model, error) {
	if path == "" {
		return sentiment.Default(), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, trustwatch.Errorf(trustwatch.EINVALID, "model: %v", err)
	}
	defer f.Close()
	m, err := sentiment.Load(f)
	if err != nil {
		return nil, trustwatch.Errorf(trustwatch.EINVALID, "%s: %v", path, err)
	}
	return m, nil
}

// openInput opens the file named by args, or stdin for none or "-".
func openInput(a *app, args []string) (io.Reader, string, func(), error) {
	if len(args) == 0 || args[0] == "-" {
		return a.stdin, "stdin", func() {}, nil
	}
	f, err := os.Open(args[0])
	if err != nil {
		return nil, "", nil, trustwatch.Errorf(trustwatch.EINVALID, "%v", err)
	}
	return f, args[0], func() { f.Close() }, nil
}

// jsonField is one field of an input object, its value kept as raw bytes.
type jsonField struct {
	key   string
	value json.RawMessage
}

// Lines are classified in batches by one worker per CPU and written in input
// order. A batch ends after batchLines lines or batchBytes bytes, so that the
// lines in flight, and memory, stay bounded however long the input is.
const (
	batchLines = 512
	batchBytes = 64 << 10
)

// lineBatch is a run of consecutive input lines and, once a worker is done
// with it, their output.
type lineBatch struct {
	first int    // line number of the first line
	data  []byte // the lines, copied from the scanner
	ends  []int  // end offset of each line in data
	done  chan batchResult
}

type batchResult struct {
	out []byte
	err error
}

// classifyLines streams in to out, one line out per line in, in order.
func classifyLines(m *sentiment.Model, in io.Reader, out io.Writer, name string, jsonOnly bool) error {
	workers := max(1, runtime.GOMAXPROCS(0))
	jobs := make(chan *lineBatch, workers)
	order := make(chan *lineBatch, 2*workers)
	stop := make(chan struct{})
	readErr := make(chan error, 1)

	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var fields []jsonField
			for b := range jobs {
				var r batchResult
				r.out, fields, r.err = classifyBatch(m, b, name, jsonOnly, fields)
				b.done <- r
			}
		}()
	}

	go func() {
		defer close(order)
		defer close(jobs)
		sc := bufio.NewScanner(in)
		sc.Buffer(make([]byte, 0, 64<<10), maxLine)
		line := 0
		b := &lineBatch{first: 1, done: make(chan batchResult, 1)}
		send := func() bool {
			select {
			case order <- b:
			case <-stop:
				return false
			}
			jobs <- b
			b = &lineBatch{first: line + 1, done: make(chan batchResult, 1)}
			return true
		}
		for sc.Scan() {
			line++
			b.data = append(b.data, sc.Bytes()...)
			b.ends = append(b.ends, len(b.data))
			if len(b.ends) == batchLines || len(b.data) >= batchBytes {
				if !send() {
					readErr <- nil
					return
				}
			}
		}
		if len(b.ends) > 0 && !send() {
			readErr <- nil
			return
		}
		readErr <- sc.Err()
	}()

	w := bufio.NewWriterSize(out, 64<<10)
	var err error
	for b := range order {
		r := <-b.done
		if err != nil {
			continue // drain, so that the reader and the workers finish
		}
		if r.err == nil {
			if _, werr := w.Write(r.out); werr != nil {
				r.err = fmt.Errorf("classify: write: %w", werr)
			}
		}
		if r.err != nil {
			err = r.err
			close(stop)
		}
	}
	wg.Wait()
	if rerr := <-readErr; err == nil && rerr != nil {
		if rerr == bufio.ErrTooLong {
			return trustwatch.Errorf(trustwatch.EINVALID, "%s: a line is longer than %d bytes", name, maxLine)
		}
		return fmt.Errorf("classify: %s: %w", name, rerr)
	}
	if err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("classify: write: %w", err)
	}
	return nil
}

// classifyBatch returns the output lines of b, or the error of its first bad
// line. fields is scratch space, returned for reuse.
func classifyBatch(m *sentiment.Model, b *lineBatch, name string, jsonOnly bool, fields []jsonField) ([]byte, []jsonField, error) {
	var buf []byte
	start := 0
	for k, end := range b.ends {
		raw := bytes.TrimRight(b.data[start:end], "\r")
		start = end
		text, isObj := string(raw), false
		fields = fields[:0]
		if t := bytes.TrimLeft(raw, " \t"); len(t) > 0 && t[0] == '{' || jsonOnly {
			var err error
			fields, text, err = parseObject(raw, fields)
			switch {
			case err == nil:
				isObj = true
			case jsonOnly || err != errNotObject:
				return nil, fields, trustwatch.Errorf(trustwatch.EINVALID, "%s: line %d: %v", name, b.first+k, err)
			default:
				text = string(raw)
			}
		}
		label, p := m.Classify(text)
		buf = append(buf, `{"text":`...)
		buf = appendJSONString(buf, text)
		buf = append(buf, `,"label":"`...)
		buf = append(buf, label...)
		buf = append(buf, `","p_pos":`...)
		buf = strconv.AppendFloat(buf, math.Round(p*1e4)/1e4, 'f', -1, 64)
		if isObj {
			for _, f := range fields {
				if f.key == "text" || f.key == "label" || f.key == "p_pos" {
					continue
				}
				buf = append(buf, ',')
				buf = appendJSONString(buf, f.key)
				buf = append(buf, ':')
				buf = append(buf, f.value...)
			}
		}
		buf = append(buf, '}', '\n')
	}
	return buf, fields, nil
}

// errNotObject says that a line starting with "{" is not JSON after all.
var errNotObject = fmt.Errorf("not a JSON object")

// parseObject reads a JSON object keeping its fields in order and their
// values as written, and returns its "text" string.
func parseObject(raw []byte, fields []jsonField) ([]jsonField, string, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return fields, "", errNotObject
	}
	var (
		text    string
		hasText bool
	)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fields, "", errNotObject
		}
		key, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return fields, "", errNotObject
		}
		if key == "text" {
			if err := json.Unmarshal(v, &text); err != nil {
				return fields, "", fmt.Errorf(`"text" is not a string`)
			}
			hasText = true
		}
		fields = append(fields, jsonField{key: key, value: v})
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		return fields, "", errNotObject
	}
	if _, err := dec.Token(); err != io.EOF {
		return fields, "", errNotObject
	}
	if !hasText {
		return fields, "", fmt.Errorf(`object has no "text" field`)
	}
	return fields, text, nil
}

// appendJSONString appends s as a JSON string, leaving non-ASCII text
// readable and replacing invalid UTF-8 with U+FFFD, as encoding/json does.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}
