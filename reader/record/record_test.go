package record_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/reader/record"
)

func TestSize(t *testing.T) {
	for n, want := range map[int]string{512: "512 B", 1 << 20: "1 MiB", 1363148: "1.3 MiB", 3277: "3.2 KiB"} {
		if got := record.Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestDetectComma(t *testing.T) {
	for line, want := range map[string]rune{
		"a,b,c":          ',',
		"a\tb\tc":        '\t',
		"a;b;c":          ';',
		"a|b|c":          '|',
		`"x,y";b;c`:      ';',
		"only_one_field": ',',
	} {
		if got := record.DetectComma([]byte(line)); got != want {
			t.Errorf("DetectComma(%q) = %q, want %q", line, got, want)
		}
	}
}

func TestJSONKeys(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"note_id":"1","user":{"id":2},"content":"x"}` + "\n" + `{"other":1}`, "content,note_id,user"},
		{`[{"a":1,"b":{"c":2}},{"d":3}]`, "a,b"},
		{`{"user":{"id":1,"screen_name":"x"},"weibo":[{"id":1}]}`, "user,weibo"},
	}
	for _, tt := range tests {
		keys := record.JSONKeys([]byte(tt.in))
		var got []string
		for _, k := range strings.Split(tt.want, ",") {
			if keys[k] {
				got = append(got, k)
			}
		}
		if strings.Join(got, ",") != tt.want || len(keys) != len(got) {
			t.Errorf("JSONKeys(%s) = %v, want %s", tt.in, keys, tt.want)
		}
	}
}

func TestEachLine(t *testing.T) {
	in := "a\r\n\nbbbbbbbbbbbb\nc"
	var got []string
	err := record.EachLine(strings.NewReader(in), 5, func(line int, raw []byte, tooLong bool) error {
		got = append(got, strings.Join([]string{string(rune('0' + line)), string(raw), map[bool]string{true: "long", false: ""}[tooLong]}, "|"))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := "1|a|,2||,3|bbbbb|long,4|c|"; strings.Join(got, ",") != want {
		t.Errorf("got %s, want %s", strings.Join(got, ","), want)
	}
}

func TestValidateItemAppliesTheTextRule(t *testing.T) {
	tests := []struct {
		name       string
		it         trustwatch.Item
		wantText   string
		wantTags   string
		wantReason string
	}{
		{"BOM and controls go, TAB and newline stay", trustwatch.Item{ID: "\ufeff1", Text: "a\x01b\tc\nd\ufeff", Tags: []string{"x\x1b"}}, "ab\tc\nd", "x", ""},
		{"NUL refuses", trustwatch.Item{ID: "1", Text: "a\x00b"}, "", "", record.ReasonNUL + " in field text"},
		{"NUL in a tag refuses", trustwatch.Item{ID: "1", Text: "a", Tags: []string{"\x00"}}, "", "", record.ReasonNUL + " in field tags"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it := tt.it
			it.Time = time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
			reason := record.ValidateItem(&it, 100)
			if reason != tt.wantReason {
				t.Fatalf("reason %q; want %q", reason, tt.wantReason)
			}
			if reason == "" && (it.ID != "1" || it.Text != tt.wantText || strings.Join(it.Tags, ",") != tt.wantTags) {
				t.Errorf("id %q, text %q, tags %q; want 1, %q, %q", it.ID, it.Text, it.Tags, tt.wantText, tt.wantTags)
			}
		})
	}
}

func TestCleanBytes(t *testing.T) {
	tests := []struct {
		in, want string
		nul      bool
	}{
		{"plain 文本，全角标点。", "plain 文本，全角标点。", false},
		{"tab\tnewline\ncr\r", "tab\tnewline\ncr\r", false},
		{"\ufeffid", "id", false},
		{"long line without anything to clean, then a BOM at the end\ufeff", "long line without anything to clean, then a BOM at the end", false},
		{"a\x01b\x1fc\x7fd", "abc\x7fd", false}, // DEL is not C0
		{"12345678\x00", "12345678", true},
		{"\xef\xbb", "\xef\xbb", false}, // a cut BOM is not one
	}
	for _, tt := range tests {
		got, nul := record.CleanBytes([]byte(tt.in))
		if string(got) != tt.want || nul != tt.nul {
			t.Errorf("CleanBytes(%q) = %q, %v; want %q, %v", tt.in, got, nul, tt.want, tt.nul)
		}
		if s, nul := record.CleanString(tt.in); s != tt.want || nul != tt.nul {
			t.Errorf("CleanString(%q) = %q, %v; want %q, %v", tt.in, s, nul, tt.want, tt.nul)
		}
	}
}

// TestEachLineAtTheLimit: a line is measured without its line end, however
// it reaches the reader (inside one buffer or across several), so a line
// of exactly the limit is whole with LF and with CRLF, and one byte more is
// too long.
func TestEachLineAtTheLimit(t *testing.T) {
	for _, limit := range []int{10, 3*64<<10 + 7} { // within one buffer; across four
		for _, tt := range []struct {
			name     string
			n        int
			end      string
			wantLong bool
		}{
			{"limit, LF", limit, "\n", false},
			{"limit, CRLF", limit, "\r\n", false},
			{"limit+1, LF", limit + 1, "\n", true},
			{"limit+1, CRLF", limit + 1, "\r\n", true},
			{"limit-1, CRLF", limit - 1, "\r\n", false},
		} {
			t.Run(fmt.Sprintf("%d/%s", limit, tt.name), func(t *testing.T) {
				in := strings.Repeat("x", tt.n) + tt.end + "next\n"
				var lens []int
				var longs []bool
				err := record.EachLine(strings.NewReader(in), limit, func(_ int, raw []byte, tooLong bool) error {
					lens, longs = append(lens, len(raw)), append(longs, tooLong)
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				wantLen := min(tt.n, limit)
				if len(lens) != 2 || lens[0] != wantLen || longs[0] != tt.wantLong || lens[1] != 4 || longs[1] {
					t.Errorf("lines %v long %v; want %d (long %v) then 4", lens, longs, wantLen, tt.wantLong)
				}
			})
		}
	}
}
