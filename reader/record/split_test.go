package record_test

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"trustwatch/reader/record"
)

// rows reads every row of a table as "line: f1|f2|…" or "line: !reason".
func rows(t *testing.T, in string, comma rune, maxField int) []string {
	t.Helper()
	tab, err := record.NewTableLimit(strings.NewReader(in), comma, maxField)
	if err != nil {
		t.Fatalf("header: %v", err)
	}
	var out []string
	for {
		line, fields, _, reason, err := tab.Next()
		if err == io.EOF {
			return out
		} else if err != nil {
			t.Fatal(err)
		}
		if reason != "" {
			out = append(out, fmt.Sprintf("%d: !%s", line, reason))
			continue
		}
		out = append(out, fmt.Sprintf("%d: %s", line, strings.Join(fields, "|")))
	}
}

func TestTableSplitting(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		comma rune
		want  []string
	}{
		{"doubled quotes", "a,b\n\"x \"\"y\"\" z\",2\n", ',', []string{`2: x "y" z|2`}},
		{"quoted newline keeps the line numbers", "a,b\n\"one\ntwo\",1\n3,4\n", ',', []string{"2: one\ntwo|1", "4: 3|4"}},
		{"CRLF, also inside a quoted field", "a,b\r\n\"x\r\ny\",1\r\n2,3\r\n", ',', []string{"2: x\ny|1", "4: 2|3"}},
		{"blank lines are skipped", "a,b\n\n1,2\n\n\n3,4", ',', []string{"3: 1|2", "6: 3|4"}},
		{"a quote mid-field is literal", "a\tb\nsaid \"hi\tthere\n", '\t', []string{`2: said "hi|there`}},
		{"a quoted field closed before text is plain text", "a,b\n\"专家\"称,1\n", ',', []string{`2: "专家"称|1`}},
		{"empty fields", "a,b,c\n,,\n\"\",x,\n", ',', []string{"2: ||", "3: |x|"}},
		{"more fields than the header", "a,b\n1,2,3\n4,5\n", ',', []string{"2: !row has 3 fields, the header 2", "3: 4|5"}},
		{"10,000 extra columns", "a,b\n" + strings.Repeat("x,", 10001) + "x\n4,5\n", ',', []string{"2: !row has 10002 fields, the header 2", "3: 4|5"}},
		{"fewer fields are left to the format", "a,b,c\n1,2\n", ',', []string{"2: 1|2"}},
		{"NUL refuses the row", "a,b\n1,x\x00y\n2,3\n", ',', []string{"2: !" + record.ReasonNUL, "3: 2|3"}},
		{"C0 controls are removed, TAB and newlines kept", "a,b\n1,x\x01\x07y\x1b\n2,\"p\tq\"\n", ',', []string{"2: 1|xy", "3: 2|p\tq"}},
		{"a BOM mid-file is removed", "a,b\n\ufeff1,2\n3,x\ufeffy\n", ',', []string{"2: 1|2", "3: 3|xy"}},
		{
			"a stray quote at the start of a TSV field loses its line only",
			"a\tb\tc\n1\t2\t3\n4\t\"5\t6\n7\t8\t9\n10\t11\t12\n13\t14\t15\n16\t17\t18\n", '\t',
			[]string{"2: 1|2|3", "3: !unterminated quote in field 2 (3 of the lines it swallows are rows by themselves); read again from line 4",
				"4: 7|8|9", "5: 10|11|12", "6: 13|14|15", "7: 16|17|18"},
		},
		{
			"a stray quote that a later quote closes",
			"a,b,c\n1,\"2\n4,5,6\n7,8\",9,10\n11,12,13\n", ',',
			[]string{"2: !unterminated quote in field 2 (the row it makes has 4 fields, the header 3); read again from line 3",
				"3: 4|5|6", "4: !row has 4 fields, the header 3", "5: 11|12|13"},
		},
		{
			"a quoted field may hold a line that looks like a row",
			"a,b,c\n1,\"2,3\n4,5,6\n7,8\",9\n10,11,12\n", ',',
			[]string{"2: 1|2,3\n4,5,6\n7,8|9", "5: 10|11|12"},
		},
		{
			"the file ends inside a quoted field",
			"a,b\n1,2\n3,\"4\nfive\nsix\n", ',',
			[]string{"2: 1|2", "3: !lines 3–5: unterminated quote in field 2 (the file ends inside it); read again from line 6"},
		},
		{
			"lines that are not rows join the refused range",
			"a,b\n1,\"2\nnot a row\n\"also not\n3,4\n", ',',
			[]string{"2: !lines 2–4: unterminated quote in field 2 (the file ends inside it); read again from line 5", "5: 3|4"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := rows(t, tt.in, tt.comma, 0)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("rows\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestTableLimits(t *testing.T) {
	big := strings.Repeat("长", 400) // 1,200 bytes
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"a field over the limit", "a,b\n1," + big + "\n2,3\n", []string{"2: !field 2 is 1.2 KiB, over the 1000 B limit", "3: 2|3"}},
		{"a quoted field over the limit", "a,b\n1,\"" + big + "\"\n2,3\n", []string{"2: !field 2 is 1.2 KiB, over the 1000 B limit", "3: 2|3"}},
		{"a field at the limit", "a,b\n1," + big[:999] + "\n", []string{"2: 1|" + big[:999]}},
		{"a line over the record limit", "a,b\n1," + strings.Repeat("x", record.LineLimit(1000)+10) + "\n2,3\n",
			[]string{"2: !line longer than the 67.9 KiB limit; skipped to the next line", "3: 2|3"}},
		{"a quoted field over the limit across lines", "a,b\n1,\"" + strings.Repeat("x\n", 600) + "\"\n2,3\n",
			[]string{"2: !lines 2–602: unterminated quote in field 2 (the field is over the 1000 B limit); read again from line 603", "603: 2|3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := rows(t, tt.in, ',', 1000)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("rows\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// strayTSV is n rows of a hot-search-like TSV with the drill's stray quote
// (awk 'NR==3{sub(/\t[^\t]*\t/, "&\"")}') on line 3: a quote opening the
// third field, never closed.
func strayTSV(n int) []byte {
	var b bytes.Buffer
	b.WriteString("date\tkeyword\ttitle\trank\n")
	for i := 2; i <= n+1; i++ {
		q := ""
		if i == 3 {
			q = `"`
		}
		fmt.Fprintf(&b, "2021-01-%02d\t关键词%d\t%s标题 第%d条，热度%d\t%d\n", i%28+1, i%97, q, i, i*7, i%50+1)
	}
	return b.Bytes()
}

func TestStrayQuoteLosesOneRow(t *testing.T) {
	const n = 400_000
	tab, err := record.NewTable(bytes.NewReader(strayTSV(n)), 0)
	if err != nil {
		t.Fatal(err)
	}
	good, bad := 0, 0
	var reason string
	for {
		line, _, raw, why, err := tab.Next()
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		if why != "" {
			bad++
			reason = fmt.Sprintf("%d: %s (%d raw bytes)", line, why, len(raw))
			continue
		}
		good++
	}
	if good != n-1 || bad != 1 {
		t.Errorf("%d rows and %d refused (%s); want %d and 1", good, bad, reason, n-1)
	}
	if want := "3: unterminated quote in field 3 (3 of the lines it swallows are rows by themselves); read again from line 4 (50 raw bytes)"; reason != want {
		t.Errorf("refused %s\nwant    %s", reason, want)
	}
}
