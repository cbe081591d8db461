package record

import (
	"bytes"
	"encoding/csv"
	"io"
	"strings"
	"testing"
)

// FuzzTable reads any bytes as a table with a small field limit: it must
// end, hold its bounds and count lines forward; and any string written as
// a field by encoding/csv must read back as itself (after the text rule).
func FuzzTable(f *testing.F) {
	for _, s := range []string{
		"a,b\n1,2\n", "a\tb\n\"x\ty\n1\t2\n", "a,b\r\n\"1\r\n2\",3\r\n", "a,b\n\"\"\"\",x\n",
		"a,b\n1,\"2\n3,4\n5,6\n7,8\n", "\ufeffa,b\n\ufeff1,\x002\n", "a,b\n\"专家\"称,1\n", "a\n" + strings.Repeat("x", 300) + "\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		const maxField = 64
		tab, err := NewTableLimit(bytes.NewReader(data), 0, maxField)
		if err != nil {
			return
		}
		width, last := len(tab.Header), 0
		for {
			line, fields, raw, reason, err := tab.Next()
			if err == io.EOF {
				break
			} else if err != nil {
				t.Fatal(err)
			}
			if line <= last {
				t.Fatalf("line %d after line %d", line, last)
			}
			last = line
			if len(raw) > LineLimit(maxField)*2 {
				t.Fatalf("line %d: %d raw bytes held", line, len(raw))
			}
			if reason != "" {
				continue
			}
			if len(fields) > width {
				t.Fatalf("line %d: %d fields, header %d, and no reason", line, len(fields), width)
			}
			for _, fl := range fields {
				if len(fl) > maxField || strings.IndexByte(fl, 0) >= 0 || strings.Contains(fl, "\ufeff") {
					t.Fatalf("line %d: field %q passed the limit or the text rule", line, fl)
				}
			}
		}

		// Round trip through encoding/csv's writer, as a wide row (a quoted
		// field with three lines of eight fields each is, by design, a stray
		// quote: such inputs are skipped).
		s := string(data)
		if strings.IndexByte(s, 0) >= 0 || len(s) > DefaultMaxField {
			return
		}
		looking := 0
		for _, l := range strings.Split(s, "\n") {
			if n := countFields([]byte(strings.TrimSuffix(l, "\r")), ','); n == 8 {
				looking++
			}
		}
		if looking >= resyncLines {
			return
		}
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		w.Write([]string{"a", "b", "c", "d", "e", "f", "g", "h"})
		w.Write([]string{s, "1", "2", "3", "4", "5", "6", s})
		w.Write([]string{"x", "1", "2", "3", "4", "5", "6", "y"})
		w.Flush()
		tab, err = NewTableLimit(&b, ',', DefaultMaxField)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := CleanString(strings.ReplaceAll(s, "\r\n", "\n"))
		_, fields, _, reason, err := tab.Next()
		if err != nil || reason != "" || len(fields) != 8 || fields[0] != want || fields[7] != want {
			t.Fatalf("row of %q read as %q (%s, %v); want %q", s, fields, reason, err, want)
		}
		if _, fields, _, reason, err = tab.Next(); err != nil || reason != "" || len(fields) != 8 || fields[7] != "y" {
			t.Fatalf("the row after %q read as %q (%s, %v)", s, fields, reason, err)
		}
	})
}

// FuzzEachLine: the bounded line scanner cuts any input into its lines,
// none over the limit, and loses nothing of a line under it.
func FuzzEachLine(f *testing.F) {
	for _, s := range []string{"a\nb\n", "a\r\nb", "\n\n", strings.Repeat("x", 100) + "\ny", ""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		const maxLine = 16
		var lines [][]byte
		err := EachLine(bytes.NewReader(data), maxLine, func(line int, raw []byte, tooLong bool) error {
			if line != len(lines)+1 {
				t.Fatalf("line %d after %d lines", line, len(lines))
			}
			if len(raw) > maxLine {
				t.Fatalf("line %d: %d bytes over the %d limit", line, len(raw), maxLine)
			}
			if tooLong {
				lines = append(lines, nil) // cut: not compared
				return nil
			}
			lines = append(lines, Clone(raw))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		want := bytes.Split(data, []byte("\n"))
		if len(want) > 0 && len(want[len(want)-1]) == 0 {
			want = want[:len(want)-1]
		}
		if len(lines) != len(want) {
			t.Fatalf("%d lines; want %d", len(lines), len(want))
		}
		for i, l := range lines {
			if w := bytes.TrimSuffix(want[i], []byte("\r")); l != nil && !bytes.Equal(l, w) {
				t.Fatalf("line %d = %q; want %q", i+1, l, w)
			}
		}
	})
}

// FuzzEachJSON: any input ends, with values under the limit.
func FuzzEachJSON(f *testing.F) {
	for _, s := range []string{"[{\"a\":1},2]", "{\"a\":1}\n{\"b\":2}\n", "{\n\"a\":\"]\"\n}\n", "[\"\\\"\", {]", "[", "{\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		const maxLine = 32
		last := 0
		EachJSON(bytes.NewReader(data), maxLine, func(line int, raw []byte, reason string) error {
			if line < last {
				t.Fatalf("line %d after line %d", line, last)
			}
			last = line
			if len(raw) > maxLine {
				t.Fatalf("line %d: %d bytes over the %d limit", line, len(raw), maxLine)
			}
			return nil
		})
	})
}
