package record_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"testing"

	"trustwatch/reader/record"
	"trustwatch/realdata"
)

// hotSearch is the first 100,000 rows of the real hot-search archive (a
// TSV of date, rank, title, url: 18 MB), decompressed once.
func hotSearch(b *testing.B) []byte {
	f, err := os.Open(realdata.Path(b, "weibo_hot_search/weibo_hot_search_daily.tsv.gz"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		b.Fatal(err)
	}
	var out bytes.Buffer
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 1<<20)
	for n := 0; n <= 100_000 && sc.Scan(); n++ {
		out.Write(sc.Bytes())
		out.WriteByte('\n')
	}
	return out.Bytes()
}

// BenchmarkSplitTSV: Table (our splitter, with the raw bytes kept for
// quarantine and the text rule) against encoding/csv with LazyQuotes and
// ReuseRecord, which keeps neither, on the same rows.
func BenchmarkSplitTSV(b *testing.B) {
	data := hotSearch(b)
	b.Run("Table", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			tab, err := record.NewTable(bytes.NewReader(data), '\t')
			if err != nil {
				b.Fatal(err)
			}
			for {
				_, _, _, reason, err := tab.Next()
				if err == io.EOF {
					break
				} else if err != nil || reason != "" {
					b.Fatal(err, reason)
				}
			}
		}
	})
	b.Run("encoding-csv", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			cr := csv.NewReader(bytes.NewReader(data))
			cr.Comma, cr.LazyQuotes, cr.ReuseRecord, cr.FieldsPerRecord = '\t', true, true, -1
			for {
				if _, err := cr.Read(); err == io.EOF {
					break
				} else if err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// BenchmarkEachJSON: JSON lines and a JSON array of the same 50,000
// comment-like objects (MediaCrawler writes both).
func BenchmarkEachJSON(b *testing.B) {
	var lines, array bytes.Buffer
	array.WriteString("[\n")
	for i := range 50_000 {
		obj := fmt.Sprintf(`{"comment_id": "%d", "create_time": 1711781000000, "note_id": "n%d", "content": "刹车软是普遍问题吗？\"引号\"、{括号}和[方括号]", "nickname": "问***", "like_count": "12"}`, i, i%100)
		lines.WriteString(obj + "\n")
		if i > 0 {
			array.WriteString(",\n")
		}
		array.WriteString(obj)
	}
	array.WriteString("\n]\n")
	for _, in := range []struct {
		name string
		data []byte
	}{{"lines", lines.Bytes()}, {"array", array.Bytes()}} {
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(len(in.data)))
			for b.Loop() {
				n := 0
				err := record.EachJSON(bytes.NewReader(in.data), 1<<20, func(int, []byte, string) error { n++; return nil })
				if err != nil || n != 50_000 {
					b.Fatal(n, err)
				}
			}
		})
	}
}
