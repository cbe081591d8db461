package record_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"trustwatch/reader/record"
)

type pair struct {
	A record.Str `json:"a"`
	B record.Str `json:"b"`
}

func (p *pair) fields() []*record.Str { return []*record.Str{&p.A, &p.B} }

func TestEachRow(t *testing.T) {
	tab, err := record.NewTable(strings.NewReader("x,b,a\n1,2,3\n4,\"5\n"), ',')
	if err != nil {
		t.Fatal(err)
	}
	cols, err := tab.Columns(nil, []string{"a", "b"})
	if err != nil || cols[0] != 2 || cols[1] != 1 {
		t.Fatalf("Columns = %v, %v", cols, err)
	}
	var got []string
	err = record.EachRow(tab, "test", cols, (*pair).fields, func(line int, raw []byte, v *pair, reason string) error {
		got = append(got, string(v.A)+string(v.B)+"|"+reason)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Row 2 reads a=3, b=2; row 3 has a broken quote: a reason, no fields.
	if len(got) != 2 || got[0] != "32|" || got[1] == "|" || !strings.HasPrefix(got[1], "|") {
		t.Errorf("rows = %q", got)
	}
	stop := errors.New("stop")
	tab, _ = record.NewTable(strings.NewReader("a,b\n1,2\n3,4\n"), ',')
	n := 0
	err = record.EachRow(tab, "test", []int{0, 1}, (*pair).fields, func(int, []byte, *pair, string) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("fn's error does not stop the rows: %v after %d", err, n)
	}
}

func TestEachObject(t *testing.T) {
	var got []string
	err := record.EachObject(strings.NewReader("{\"a\":\"1\",\"b\":2}\n{broken\n"), 1<<20, func(line int, raw []byte, v *pair, reason string) error {
		got = append(got, string(v.A)+string(v.B)+"|"+reason)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != "12|" || !strings.HasPrefix(got[1], "|") || got[1] == "|" {
		t.Errorf("objects = %q", got)
	}
}

func TestEachJSONBounds(t *testing.T) {
	long := `{"a":"` + strings.Repeat("长", 100) + `"}`
	tests := []struct {
		name    string
		in      string
		want    []string // "line: raw" or "line: !reason"
		wantErr string
	}{
		{"JSON lines: NUL refuses, BOM and controls go", "{\"a\":1}\n\ufeff{\"a\":2}\n{\"a\":\"x\x00\"}\n{\"a\":\"\x01y\"}\n", []string{
			`1: {"a":1}`, `2: {"a":2}`, "3: !" + record.ReasonNUL, `4: {"a":"y"}`}, ""},
		{"JSON lines: a line over the limit", "{\"a\":1}\n" + long + "\n{\"a\":3}\n", []string{
			`1: {"a":1}`, "2: !line longer than the 200 B limit; skipped to the next line", `3: {"a":3}`}, ""},
		{"array: elements with their lines", "[\n{\"a\":1},\n  {\"a\":\n2}, \"s\", 7 ]", []string{
			`2: {"a":1}`, "3: {\"a\":\n2}", `4: "s"`, `4: 7`}, ""},
		{"array: an element over the limit is skipped", "[" + long + ",\n{\"a\":2}]", []string{
			"1: !value longer than the 200 B limit; skipped", `2: {"a":2}`}, ""},
		{"array: strings hold brackets and escaped quotes", `[{"a":"]}\"["},{"b":1}]`, []string{
			`1: {"a":"]}\"["}`, `1: {"b":1}`}, ""},
		{"array: a BOM between elements", "[{\"a\":1},\ufeff{\"a\":2}]", []string{`1: {"a":1}`, `1: {"a":2}`}, ""},
		{"array the file ends inside", "[{\"a\":1},\n{\"a\":", []string{
			`1: {"a":1}`, "2: !invalid JSON: unexpected end (the rest of the file could not be read)"},
			"stopped at line 2: the file ends inside the value that starts there"},
		{"array without its ]", "[{\"a\":1}\n", []string{`1: {"a":1}`}, "stopped at line 2: the file ends inside the array (no closing ])"},
		{"pretty-printed objects", "{\n \"a\": 1\n}\n{\n \"a\": 2\n}\n", []string{"1: {\n \"a\": 1\n}", "4: {\n \"a\": 2\n}"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			err := record.EachJSON(strings.NewReader(tt.in), 200, func(line int, raw []byte, reason string) error {
				if reason != "" {
					got = append(got, fmt.Sprintf("%d: !%s", line, reason))
				} else {
					got = append(got, fmt.Sprintf("%d: %s", line, raw))
				}
				return nil
			})
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || err.Error() != tt.wantErr) {
				t.Errorf("err %v; want %q", err, tt.wantErr)
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("values\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}
