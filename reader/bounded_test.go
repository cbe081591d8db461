package reader_test

import (
	"io"
	"runtime"
	"strings"
	"testing"

	"trustwatch/reader"
)

// repeat yields n copies of one byte without holding them: a file far
// larger than memory, never written to disk.
type repeat struct {
	b byte
	n int64
}

func (r *repeat) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > r.n {
		p = p[:r.n]
	}
	for i := range p {
		p[i] = r.b
	}
	r.n -= int64(len(p))
	return len(p), nil
}

// allocated is how many bytes fn allocates in all, whatever it frees: an
// upper bound on the memory it can ever have held.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// The drill: 2 GB without a newline under --format auto grew to
// 19.7 GB. Every reader now holds one record's bytes at most: what a read
// allocates in all is the same for 200 MB as for 2 GB, and under 16 MiB.
func TestNoNewlineFileUsesBoundedMemory(t *testing.T) {
	tests := []struct {
		name, file, format string
		b                  byte
		wantErr            string // "" when the file reads as one refused record
	}{
		{"x without newline, auto", "big.jsonl", "auto", 'x', "invalid header: longer than the 4.1 MiB limit"},
		{"x without newline, items", "big.jsonl", "items", 'x', ""},
		{"x without newline, csv", "big.csv", "csv", 'x', "invalid header: longer than the 4.1 MiB limit"},
		{"sparse file (NULs), auto", "sparse.jsonl", "auto", 0, "invalid header: longer than the 4.1 MiB limit"},
	}
	const limit = 16 << 20
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sizes []uint64
			for _, n := range []int64{200 << 20, 2 << 30} {
				var recs []reader.Record
				var err error
				sizes = append(sizes, allocated(func() {
					_, err = reader.Read(tt.file, &repeat{b: tt.b, n: n}, reader.Options{Format: tt.format}, func(r reader.Record) error {
						r.Raw = nil // what ingest keeps is bounded too; this test is about the reader
						recs = append(recs, r)
						return nil
					})
				}))
				switch {
				case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
					t.Errorf("%d bytes: err %v; want %q", n, err, tt.wantErr)
				case tt.wantErr == "" && (err != nil || len(recs) != 1 || recs[0].Err == nil):
					t.Errorf("%d bytes: %d records, err %v; want one refused record", n, len(recs), err)
				}
			}
			t.Logf("allocated %d B reading 200 MB, %d B reading 2 GB", sizes[0], sizes[1])
			if sizes[0] > limit || sizes[1] > limit {
				t.Errorf("allocated %d B for 200 MB and %d B for 2 GB; want both under %d", sizes[0], sizes[1], limit)
			}
		})
	}
}

// The text rule is the same in every reader: a NUL quarantines the
// record, a BOM anywhere and other control characters are removed.
func TestTextRuleInEveryReader(t *testing.T) {
	mc := func(id, content string) string {
		return `{"comment_id": "` + id + `", "create_time": 1711781000000, "note_id": "n1", "content": "` + content + `", "creator_hash": "c1", "nickname": "问***", "like_count": "12"}` + "\n"
	}
	tests := []struct {
		name, file, format, data string
		text                     func(reader.Record) string
	}{
		{"csv", "a.csv", "csv", "text,time\n\ufeff好\x01评,2025-03-01 10:00\n坏\x00,2025-03-01 10:01\n", itemText},
		{"items", "a.jsonl", "items", "\ufeff{\"text\":\"好\\u0001评\",\"time\":\"2025-03-01 10:00\"}\n{\"text\":\"坏\\u0000\",\"time\":\"2025-03-01 10:01\"}\n", itemText},
		{"items, a JSON array", "a.json", "items", "[{\"text\":\"好\\ufeff评\",\"time\":\"2025-03-01 10:00\"},\n{\"text\":\"坏\x00\",\"time\":\"2025-03-01 10:01\"}]", itemText},
		{"mediacrawler", "a.jsonl", "mediacrawler", mc("1", `好\u0007评`) + mc("2", `坏\u0000`), itemText},
		{"mediacrawler csv", "a.csv", "mediacrawler", "comment_id,create_time,note_id,content,creator_hash,ip_location\n1,1711781000000,n1,\ufeff好\x1b评,c1,浙江\n2,1711781000000,n1,坏\x00,c1,浙江\n", itemText},
		{"events", "a.csv", "events", "time,entity,kind,title,text,url\n2025-01-15,xiaomi,recall,好\x01评,,\n2025-01-16,xiaomi,recall,坏\x00,,\n",
			func(r reader.Record) string { return r.Event.Title }},
		{"metrics", "a.csv", "metrics", "series,time,value,entity\n好\x01评,2024-03-28,1,\ufeffxiaomi\n坏\x00,2024-03-29,2,xiaomi\n",
			func(r reader.Record) string { return r.Point.Series }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var recs []reader.Record
			_, err := reader.Read(tt.file, strings.NewReader(tt.data), reader.Options{Format: tt.format, Platform: "xhs"}, func(r reader.Record) error {
				recs = append(recs, r)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != 2 || recs[0].Err != nil || recs[1].Err == nil {
				t.Fatalf("records %+v; want one read, one refused", recs)
			}
			if got := tt.text(recs[0]); got != "好评" {
				t.Errorf("text %q; want 好评", got)
			}
			if !strings.Contains(recs[1].Err.Error(), "NUL byte") {
				t.Errorf("refused for %q; want a NUL byte", recs[1].Err)
			}
		})
	}
}

func itemText(r reader.Record) string { return r.Item.Text }
