package csvfile_test

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/reader/csvfile"
	"trustwatch/reader/record"
)

var shanghai = trustwatch.DefaultLocation()

func parse(t *testing.T, in []byte, cfg record.Config) ([]record.Record, error) {
	t.Helper()
	var recs []record.Record
	err := csvfile.Parse(bytes.NewReader(in), cfg, func(r record.Record) error {
		recs = append(recs, r)
		return nil
	})
	return recs, err
}

func summary(recs []record.Record) string {
	var out []string
	for _, r := range recs {
		if r.Err != nil {
			out = append(out, r.Err.Error())
			continue
		}
		it := r.Item
		out = append(out, fmt.Sprintf("line %d: %s|%s|%s|%q|%s|%d", r.Line, it.ID, it.Platform, it.Author, it.Text, it.Time.In(shanghai).Format(time.DateTime), it.Likes))
	}
	return strings.Join(out, "\n")
}

func TestMappedColumns(t *testing.T) {
	in, err := os.ReadFile("testdata/comments.csv")
	if err != nil {
		t.Fatal(err)
	}
	recs, err := parse(t, in, record.Config{
		Map:      map[string]string{"text": "content", "time": "date", "author": "author_hash", "likes": "likecount"},
		Platform: "weibo",
	})
	if err != nil {
		t.Fatal(err)
	}
	hash := func(author, text, when string) string {
		tm, _ := time.ParseInLocation("2006/1/2 15:04", when, shanghai)
		return trustwatch.HashID("weibo", author, tm, text)
	}
	want := strings.Join([]string{
		"line 2: " + hash("9b042ebf86ea", "小米su7强势破圈太火爆了", "2024/3/30 12:22") + `|weibo|9b042ebf86ea|"小米su7强势破圈太火爆了"|2024-03-30 12:22:00|3025`,
		"line 3: " + hash("877334921938", "多行\n评论, 带逗号", "2024/3/30 12:23") + `|weibo|877334921938|"多行\n评论, 带逗号"|2024-03-30 12:23:00|12000`,
		"csv: line 5: missing text",
		`csv: line 6: row has 2 fields, column "date" is missing`,
		`csv: line 7: unparseable time "not a date"`,
		// A quote inside a field is a character of it, as lenient readers have it.
		"line 8: " + hash("cc", `引号 " 在中间`, "2024/3/30 12:25") + `|weibo|cc|"引号 \" 在中间"|2024-03-30 12:25:00|1`,
		// A row with more fields than the header is refused, naming both counts.
		"csv: line 9: row has 5 fields, the header 4",
	}, "\n")
	if got := summary(recs); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if got := string(recs[1].Raw); got != "877334921938,\"多行\n评论, 带逗号\",1.2万,2024/3/30 12:23" {
		t.Errorf("raw of the multi-line row: %q", got)
	}
}

func TestSynonymsAndDelimiters(t *testing.T) {
	tests := []struct {
		file string
		want string
	}{
		{"items.tsv", "line 2: t1|weibo||\"第一条\"|2024-03-30 12:00:00|100000\n" +
			"line 3: t2|||\"第二条\"|2024-03-30 12:01:00|0"},
		{"semicolon.csv", "line 2: " + trustwatch.HashID("", "", time.Date(2024, 3, 30, 12, 22, 0, 0, shanghai), "标题一\n内容一") + "|||\"内容一\"|2024-03-30 12:22:00|1234"},
	}
	for _, tt := range tests {
		in, err := os.ReadFile("testdata/" + tt.file)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := parse(t, in, record.Config{})
		if err != nil {
			t.Fatal(err)
		}
		if got := summary(recs); got != tt.want {
			t.Errorf("%s: got\n%s\nwant\n%s", tt.file, got, tt.want)
		}
	}
}

func TestHeaderErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		m    map[string]string
		want string
	}{
		{"no text", "a,b\n1,2\n", nil, "csv: no text column in the header (a, b): map one, e.g. text=content"},
		{"no time", "content,b\n1,2\n", nil, "csv: no time column in the header (content, b): map one, e.g. time=date"},
		{"mapped column absent", "content,date\n1,2\n", map[string]string{"text": "body"}, `csv: column "body" (mapped to text) is not in the header (content, date)`},
		{"unknown field", "content,date\n1,2\n", map[string]string{"txt": "content"}, `csv: map: unknown field "txt"`},
		{"empty", "", nil, "csv: empty file: no header"},
	}
	for _, tt := range tests {
		_, err := parse(t, []byte(tt.in), record.Config{Map: tt.m})
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: err %v, want %s", tt.name, err, tt.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"comments.csv", "items.tsv", "semicolon.csv"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = csvfile.Parse(bytes.NewReader(b), record.Config{Now: time.Unix(1711800000, 0)}, func(r record.Record) error {
			if (r.Err == nil) == (r.Item == nil) {
				t.Fatalf("record at line %d: item %v and error %v", r.Line, r.Item, r.Err)
			}
			return nil
		})
	})
}
