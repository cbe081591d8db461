package record_test

import (
	"strings"
	"testing"

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
