package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
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

// classifyLines streams in to out, one line at a time.
func classifyLines(m *sentiment.Model, in io.Reader, out io.Writer, name string, jsonOnly bool) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	w := bufio.NewWriterSize(out, 64<<10)
	var (
		buf    []byte
		fields []jsonField
	)
	for line := 1; sc.Scan(); line++ {
		raw := bytes.TrimRight(sc.Bytes(), "\r")
		text, isObj := string(raw), false
		fields = fields[:0]
		if t := bytes.TrimLeft(raw, " \t"); len(t) > 0 && t[0] == '{' || jsonOnly {
			var err error
			fields, text, err = parseObject(raw, fields)
			switch {
			case err == nil:
				isObj = true
			case jsonOnly || err != errNotObject:
				return trustwatch.Errorf(trustwatch.EINVALID, "%s: line %d: %v", name, line, err)
			default:
				text = string(raw)
			}
		}
		label, p := m.Classify(text)
		buf = append(buf[:0], `{"text":`...)
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
		if _, err := w.Write(buf); err != nil {
			return fmt.Errorf("classify: write: %w", err)
		}
	}
	if err := sc.Err(); err != nil {
		if err == bufio.ErrTooLong {
			return trustwatch.Errorf(trustwatch.EINVALID, "%s: a line is longer than %d bytes", name, maxLine)
		}
		return fmt.Errorf("classify: %s: %w", name, err)
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("classify: write: %w", err)
	}
	return nil
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
