package reader_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"trustwatch/realdata"

	"trustwatch"
	"trustwatch/reader"
)

var shanghai = trustwatch.DefaultLocation()

type result struct {
	info    reader.Info
	items   int
	errs    []string
	ids     []string
	records []reader.Record
}

func read(t testing.TB, path string, opt reader.Options) result {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var res result
	res.info, err = reader.Read(filepath.Base(path), f, opt, func(r reader.Record) error {
		res.records = append(res.records, r)
		switch {
		case r.Err != nil:
			res.errs = append(res.errs, r.Err.Error())
		case r.Item != nil:
			res.items++
			res.ids = append(res.ids, r.Item.ID)
		case r.Point != nil:
			res.items++
			res.ids = append(res.ids, r.Point.Series)
		case r.Event != nil:
			res.items++
			res.ids = append(res.ids, r.Event.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Read(%s): %v", path, err)
	}
	return res
}

// TestDetect reads every fixture of every reader with format auto and
// checks the format and encoding chosen and how many records came out.
func TestDetect(t *testing.T) {
	tests := []struct {
		path     string
		format   string
		encoding string
		items    int
		errs     int
	}{
		{"items/testdata/items.jsonl", "items", "utf-8", 3, 0},
		{"items/testdata/items.json", "items", "utf-8", 2, 0},
		{"items/testdata/broken.jsonl", "items", "utf-8", 2, 8},
		{"mediacrawler/testdata/old_weibo_contents.jsonl", "mediacrawler", "utf-8", 2, 0},
		{"mediacrawler/testdata/new_xhs_comments.json", "mediacrawler", "utf-8", 2, 0},
		{"mediacrawler/testdata/old_douyin_contents.csv", "mediacrawler", "utf-8-bom", 2, 0},
		{"mediacrawler/testdata/new_bilibili_comments.csv", "mediacrawler", "utf-8-bom", 2, 0},
		{"weibocrawler/testdata/1749127163.csv", "weibo-crawler", "utf-8-bom", 3, 0},
		{"weibocrawler/testdata/1749127163.json", "weibo-crawler", "utf-8", 2, 0},
		{"weibocrawler/testdata/search_小米SU7.csv", "weibo-crawler", "utf-8-bom", 3, 0},
		{"weibocrawler/testdata/comments_5018791034438415.csv", "weibo-crawler", "utf-8", 2, 1},
		{"csvfile/testdata/items.tsv", "csv", "utf-8", 2, 0},
		{"csvfile/testdata/semicolon.csv", "csv", "utf-8", 1, 0},
		{"metrics/testdata/price.csv", "metrics", "utf-8", 2, 3},
		{"metrics/testdata/defects.jsonl", "metrics", "utf-8", 3, 1},
		{"events/testdata/events.jsonl", "events", "utf-8", 2, 2},
		{"events/testdata/events.csv", "events", "utf-8", 1, 1},
		{"testdata/utf16_export.tsv", "csv", "utf-16le", 2, 0},
		{"testdata/utf16be_items.jsonl", "items", "utf-16be", 1, 0},
		{"testdata/items.jsonl.gz", "items", "utf-8", 2, 0},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			res := read(t, tt.path, reader.Options{})
			if res.info.Format != tt.format || res.info.Encoding != tt.encoding {
				t.Errorf("info %+v, want %s %s", res.info, tt.format, tt.encoding)
			}
			if res.items != tt.items || len(res.errs) != tt.errs {
				t.Errorf("%d items and %d errors, want %d and %d: %v", res.items, len(res.errs), tt.items, tt.errs, res.errs)
			}
		})
	}
}

func TestGBK(t *testing.T) {
	res := read(t, "testdata/gbk_comments.csv", reader.Options{Platform: "weibo"})
	if res.info != (reader.Info{Format: "csv", Encoding: "gb18030"}) {
		t.Errorf("info %+v", res.info)
	}
	if res.items != 3 || len(res.errs) != 1 {
		t.Fatalf("%d items, errors %v; want 3 items and 1 error", res.items, res.errs)
	}
	if want := "csv: line 4: invalid UTF-8 / undecodable bytes in field text"; res.errs[0] != want {
		t.Errorf("error %q, want %q", res.errs[0], want)
	}
	first := res.records[0]
	it := first.Item
	if first.Line != 2 || it.Author != "小王" || it.Text != "刹车盘缩水了，太让人失望" || it.Likes != 12000 || it.Platform != "weibo" {
		t.Errorf("first record line %d item %+v", first.Line, it)
	}
	if got := it.Time.In(shanghai).Format(time.DateTime); got != "2024-03-30 12:22:00" {
		t.Errorf("time %s", got)
	}
	if last := res.records[3]; last.Line != 5 || last.Item == nil || last.Item.Text != "最后一条" {
		t.Errorf("last record %+v", last)
	}
}

func TestUTF16(t *testing.T) {
	res := read(t, "testdata/utf16_export.tsv", reader.Options{})
	it := res.records[1].Item
	if it == nil || it.Text != "续航打折😡" || it.Author != "车主B" || res.records[1].Line != 3 {
		t.Errorf("second record %+v", res.records[1])
	}
}

func TestFormatErrors(t *testing.T) {
	tests := []struct {
		name, in string
		opt      reader.Options
		want     string
	}{
		{"unknown json", `{"a":1}`, reader.Options{}, `reader: x.json: format not recognised (first line: "{\"a\":1}"); give a format or a column map`},
		{"empty", "  \n", reader.Options{}, "reader: x.json: empty input: format not recognised"},
		{"bad format name", `{"text":"a"}`, reader.Options{Format: "xml"}, `reader: x.json: format not recognised: "xml" (want auto or one of items, mediacrawler, weibo-crawler, csv, metrics, events)`},
		{"csv without text", "a,b\n1,2\n", reader.Options{}, "reader: x.json: csv: no text column in the header (a, b): map one, e.g. text=content"},
	}
	for _, tt := range tests {
		_, err := reader.Read("x.json", strings.NewReader(tt.in), tt.opt, func(reader.Record) error { return nil })
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: err %v, want %s", tt.name, err, tt.want)
		}
		if tt.name != "csv without text" && !errors.Is(err, reader.ErrFormatUnknown) {
			t.Errorf("%s: err %v is not ErrFormatUnknown", tt.name, err)
		}
	}
}

func TestCallbackErrorStops(t *testing.T) {
	stop := errors.New("stop")
	n := 0
	_, err := reader.Read("a.jsonl", strings.NewReader("{\"text\":\"a\",\"time\":\"2024-01-01\"}\n{\"text\":\"b\",\"time\":\"2024-01-01\"}\n"), reader.Options{}, func(reader.Record) error {
		n++
		return stop
	})
	if err != stop || n != 1 {
		t.Errorf("err %v after %d records; want the callback's error after 1", err, n)
	}
}

func TestReadErrorStops(t *testing.T) {
	boom := errors.New("disk on fire")
	r := io.MultiReader(strings.NewReader("text,time\na,2024-01-01\n"), errReader{boom})
	_, err := reader.Read("a.csv", r, reader.Options{}, func(reader.Record) error { return nil })
	if !errors.Is(err, boom) {
		t.Errorf("err %v, want the I/O error", err)
	}
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// TestRealWeiboComments reads the SU7 launch comments: 4,573 rows, of
// which 465 have an empty content.
func TestRealWeiboComments(t *testing.T) {
	path := realdata.Path(t, "su7_launch_comments/weibo_comments.csv")
	res := read(t, path, reader.Options{
		Map:      map[string]string{"text": "content", "time": "date", "author": "author_hash", "likes": "likecount"},
		Platform: "weibo",
	})
	if res.info != (reader.Info{Format: "csv", Encoding: "utf-8"}) {
		t.Errorf("info %+v", res.info)
	}
	if res.items != 4108 || len(res.errs) != 465 {
		t.Errorf("%d items and %d errors, want 4108 and 465", res.items, len(res.errs))
	}
	for _, e := range res.errs {
		if !strings.HasSuffix(e, ": missing text") || !strings.HasPrefix(e, "csv: line ") {
			t.Fatalf("unexpected error %q", e)
		}
	}
	first := res.records[0].Item
	if first.Author != "9b042ebf86ea" || first.Likes != 3025 || first.Time.In(shanghai).Format(time.DateTime) != "2024-03-30 12:22:00" {
		t.Errorf("first item %+v", first)
	}
	// The first empty content, checked by hand in the file.
	lines := map[int]bool{}
	for _, r := range res.records {
		if r.Err != nil {
			lines[r.Line] = true
		}
	}
	b, _ := os.ReadFile(path)
	for i, l := range strings.Split(string(b), "\n") {
		f := strings.Split(l, ",")
		if i > 0 && len(f) == 4 && strings.TrimSpace(f[1]) == "" && !lines[i+1] {
			t.Fatalf("line %d has an empty content but no error", i+1)
		}
	}
}

func FuzzRead(f *testing.F) {
	for _, p := range []string{"items/testdata/broken.jsonl", "mediacrawler/testdata/old_xhs_contents.csv", "weibocrawler/testdata/1749127163.json", "testdata/gbk_comments.csv", "testdata/utf16_export.tsv", "metrics/testdata/defects.jsonl", "events/testdata/events.csv"} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = reader.Read("fuzz", bytes.NewReader(b), reader.Options{Now: time.Unix(1711800000, 0)}, func(r reader.Record) error {
			set := 0
			for _, ok := range []bool{r.Item != nil, r.Point != nil, r.Event != nil} {
				if ok {
					set++
				}
			}
			if (r.Err == nil && set != 1) || (r.Err != nil && set != 0) {
				t.Fatalf("record at line %d: %d values and error %v", r.Line, set, r.Err)
			}
			return nil
		})
	})
}

// BenchmarkReadCSV reads hot-search-like rows (the real daily hot search
// file when present, else generated rows) and reports records/s.
func BenchmarkReadCSV(b *testing.B) {
	var data []byte
	opt := reader.Options{Map: map[string]string{"text": "title", "time": "date"}, Platform: "weibo"}
	path := filepath.Join(realdata.Dir(), "weibo_hot_search", "weibo_hot_search_daily.tsv.gz")
	if f, err := os.Open(path); err == nil {
		// Decompressed up front: the benchmark measures reading, not gunzip.
		zr, err := gzip.NewReader(f)
		if err != nil {
			b.Fatal(err)
		}
		if data, err = io.ReadAll(zr); err != nil {
			b.Fatal(err)
		}
		f.Close()
	} else {
		var buf bytes.Buffer
		buf.WriteString("date\trank_in_file\ttitle\turl\n")
		for i := range 200_000 {
			fmt.Fprintf(&buf, "2024-%02d-%02d\t%d\t小米SU7交付慢第%d条热搜\t/weibo?q=%%23SU7%d%%23\n", i%12+1, i%28+1, i%50, i, i)
		}
		data = buf.Bytes()
	}
	var n int
	for b.Loop() {
		n = 0
		_, err := reader.Read("hot.tsv", bytes.NewReader(data), opt, func(r reader.Record) error {
			n++
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
