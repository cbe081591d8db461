package source_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/source"
)

// xs stands for n bytes of 'x' without a line end, written a MiB at a time.
type xs int

// boundRound is one round of TestDirLongLineBounded: what is appended
// (strings and runs of 'x'), then what the round should do.
type boundRound struct {
	write                   []any
	read, stored, quarantin int
}

// TestDirLongLineBounded reads files with a line far over the record limit
// in rounds and checks that what a round allocates does not depend on the
// line's length, that the line is quarantined once with its line number,
// that the lines after it are stored, and that nothing is read twice.
func TestDirLongLineBounded(t *testing.T) {
	const maxField = 4 << 10 // record limit 4×4 KiB + 64 KiB = 80 KiB
	// A round reads chunks of up to 8 MiB (the default MaxChunk; two in a
	// round here) and bounded buffers: before the bound, a 16 MiB line
	// without its end cost 24 MiB (8+16) and a 64 MiB one 120 MiB, every
	// round until its line end came.
	const allocBound = 20 << 20
	warmUp(t)
	l1, l2 := mcLine(1, "车机黑屏遇到过两次"), mcLine(2, "OTA 之后好了")
	csvMap := map[string]string{"text": "content", "time": "date", "author": "author"}
	cases := []struct {
		name, file, format string
		m                  map[string]string
		rounds             func(n int) []boundRound
		quar               []int    // the quarantined lines
		rawLen             int      // the bytes a quarantine record keeps: the record limit, a field's for CSV
		reason             string   // of the quarantine records
		sources            []string // the stored items' line numbers, as path:line
	}{{
		name: "first line without end grows over rounds", file: "a.jsonl",
		rounds: func(n int) []boundRound {
			return []boundRound{
				{write: []any{xs(n)}, read: 1, quarantin: 1},
				{write: []any{xs(16 << 20)}},                          // still the same line: skipped, not read again
				{write: []any{xs(100), "\n", l1}, read: 1, stored: 1}, // its end, then a good line
				{write: nil}, // nothing new
				{write: []any{l2}, read: 1, stored: 1},
			}
		},
		quar: []int{1}, rawLen: 80 << 10, reason: "line longer than the 80 KiB limit", sources: []string{"2", "3"},
	}, {
		name: "long line between good lines, ended in one round", file: "b.jsonl",
		rounds: func(n int) []boundRound {
			return []boundRound{
				{write: []any{l1, xs(n), "\n", l2}, read: 3, stored: 2, quarantin: 1},
				{write: nil},
			}
		},
		quar: []int{2}, rawLen: 80 << 10, reason: "line longer than the 80 KiB limit", sources: []string{"1", "3"},
	}, {
		name: "CSV row without end keeps the header for the next rows", file: "c.csv", format: "csv", m: csvMap,
		rounds: func(n int) []boundRound {
			return []boundRound{
				{write: []any{"author,content,date\nu1,第一条评论,2024-03-30 10:00\n", xs(n)}, read: 2, stored: 1, quarantin: 1},
				{write: []any{xs(1 << 20), "\nu2,第二条评论,2024-03-30 11:00\n"}, read: 1, stored: 1},
			}
		},
		quar: []int{3}, rawLen: maxField, reason: "line longer than the 80 KiB limit", sources: []string{"2", "4"},
	}, {
		// A .json file is read whole once it ends in ] or }, streamed.
		name: "JSON array with a long value", file: "d.json",
		rounds: func(n int) []boundRound {
			return []boundRound{
				{write: []any{`[{"comment_id": "9", "content": "`, xs(n), `"},` + "\n" + strings.TrimSuffix(l1, "\n") + ","}}, // still being written
				{write: []any{"\n" + l2 + "]\n"}, read: 3, stored: 2, quarantin: 1},
			}
		},
		quar: []int{1}, rawLen: 80 << 10, reason: "value longer than the 80 KiB limit", sources: []string{"2", "3"},
	}}
	for _, c := range cases {
		allocs := map[int][]uint64{}
		for _, size := range []int{16 << 20, 64 << 20} {
			t.Run(fmt.Sprintf("%s/%d MiB", c.name, size>>20), func(t *testing.T) {
				ctx := context.Background()
				db := openDB(t)
				dir := t.TempDir()
				path := filepath.Join(dir, c.file)
				src := trustwatch.Source{ID: "crawl", Kind: "dir", Path: dir, Format: c.format, Map: c.m, MaxFieldBytes: maxField}
				d := &source.Dir{Store: db}
				for i, r := range c.rounds(size) {
					appendTo(t, path, r.write)
					os.Chtimes(path, time.Now(), time.Now().Add(time.Duration(i)*time.Second))
					var before, after runtime.MemStats
					runtime.ReadMemStats(&before)
					res := d.Read(ctx, src)
					runtime.ReadMemStats(&after)
					alloc := after.TotalAlloc - before.TotalAlloc
					allocs[i] = append(allocs[i], alloc)
					if res.Err != "" {
						t.Fatalf("round %d: %s", i, res.Err)
					}
					if res.Read != r.read || res.Stored != r.stored || res.Quarantined != r.quarantin {
						t.Errorf("round %d: read %d, stored %d, quarantined %d; want %d, %d, %d",
							i, res.Read, res.Stored, res.Quarantined, r.read, r.stored, r.quarantin)
					}
					if alloc > allocBound {
						t.Errorf("round %d allocated %d MiB, over %d MiB", i, alloc>>20, allocBound>>20)
					}
				}
				qs, _, err := db.FindQuarantine(ctx, trustwatch.QuarantineFilter{})
				if err != nil {
					t.Fatal(err)
				}
				var lines []int
				for _, q := range qs {
					lines = append(lines, q.Line)
					if q.File != path || !strings.Contains(q.Reason, c.reason) {
						t.Errorf("quarantine %s:%d %q, want %s and %q", q.File, q.Line, q.Reason, path, c.reason)
					}
					if len(q.Raw) != c.rawLen || !bytes.Contains(q.Raw, []byte("xxxx")) {
						t.Errorf("quarantined raw is %d bytes (%.8q), want %d of the line", len(q.Raw), q.Raw, c.rawLen)
					}
				}
				if fmt.Sprint(lines) != fmt.Sprint(c.quar) {
					t.Errorf("quarantined lines %v, want %v", lines, c.quar)
				}
				items, _, err := db.FindItems(ctx, trustwatch.ItemFilter{})
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, it := range items {
					got = append(got, strings.TrimPrefix(it.Source, path+":"))
				}
				slices.Sort(got)
				if strings.Join(got, " ") != strings.Join(c.sources, " ") {
					t.Errorf("items from lines %v, want %v", got, c.sources)
				}
			})
		}
		// The line's length must not show in what a round allocates.
		for i, a := range allocs {
			if len(a) == 2 && absDiff(a[0], a[1]) > 2<<20 {
				t.Errorf("%s: round %d allocated %d KiB for 16 MiB, %d KiB for 64 MiB", c.name, i, a[0]>>10, a[1]>>10)
			}
		}
	}
}

// warmUp stores one item, so that what the first item of a process loads
// once (the segmenter's dictionaries) is not counted in a round.
func warmUp(t *testing.T) {
	dir := t.TempDir()
	appendTo(t, filepath.Join(dir, "w.jsonl"), []any{mcLine(0, "预热")})
	if res := (&source.Dir{Store: openDB(t)}).Read(context.Background(), trustwatch.Source{ID: "w", Path: dir}); res.Stored != 1 {
		t.Fatalf("warm-up stored %d: %s", res.Stored, res.Err)
	}
}

func appendTo(t *testing.T, path string, parts []any) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	mib := bytes.Repeat([]byte("x"), 1<<20)
	for _, p := range parts {
		switch p := p.(type) {
		case string:
			_, err = f.WriteString(p)
		case xs:
			for n := int(p); n > 0 && err == nil; n -= len(mib) {
				_, err = f.Write(mib[:min(n, len(mib))])
			}
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

func absDiff(a, b uint64) uint64 {
	if a > b {
		return a - b
	}
	return b - a
}

// TestDirWholeFileBatches: a file read whole is committed in batches of
// about MaxChunk bytes, and its position with the last one: every record is
// stored once, and an unchanged file is not read again.
func TestDirWholeFileBatches(t *testing.T) {
	tests := []struct {
		name     string
		maxChunk int64
	}{
		{"one batch", 0},
		{"a batch per record", 1},
		{"a batch per two records", int64(len(mcLine(1, "第一条")) + 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			var lines []string
			for i := range 5 {
				lines = append(lines, strings.TrimSuffix(mcLine(i, fmt.Sprintf("第%d条", i)), "\n"))
			}
			appendTo(t, filepath.Join(dir, "a.json"), []any{"[" + strings.Join(lines, ",\n") + "]\n"})
			d := &source.Dir{Store: openDB(t), MaxChunk: tt.maxChunk}
			src := trustwatch.Source{ID: "crawl", Path: dir}
			if res := d.Read(ctx, src); res.Err != "" || res.Read != 5 || res.Stored != 5 || res.Duplicates != 0 {
				t.Errorf("first round: read %d, stored %d, duplicates %d (%s); want 5, 5, 0", res.Read, res.Stored, res.Duplicates, res.Err)
			}
			if res := d.Read(ctx, src); res.Err != "" || res.Read != 0 {
				t.Errorf("unchanged: read %d (%s), want 0", res.Read, res.Err)
			}
		})
	}
}

// TestDirRewrittenInsideLongLine: a position inside a skipped line is
// dropped when the file is rewritten; the new content is read from its
// start and its own long line quarantined again.
func TestDirRewrittenInsideLongLine(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "a.jsonl")
	d := &source.Dir{Store: openDB(t)}
	src := trustwatch.Source{ID: "crawl", Path: dir, MaxFieldBytes: 4 << 10} // record limit 80 KiB
	steps := []struct {
		name              string
		write             []any
		stored, quarantin int
	}{
		{"a line over the limit without its end", []any{xs(200 << 10)}, 0, 1},
		{"truncated below the position", []any{mcLine(1, "重写后第一条")}, 1, 0},
		{"rewritten longer, another long line first", []any{xs(300 << 10), "\n", mcLine(2, "重写后第二条")}, 1, 1},
	}
	for i, s := range steps {
		if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		appendTo(t, path, s.write)
		os.Chtimes(path, time.Now(), time.Now().Add(time.Duration(i)*time.Second))
		res := d.Read(ctx, src)
		if res.Err != "" || res.Stored != s.stored || res.Quarantined != s.quarantin {
			t.Errorf("%s: stored %d, quarantined %d (%s); want %d, %d", s.name, res.Stored, res.Quarantined, res.Err, s.stored, s.quarantin)
		}
	}
}

// TestDirLineAtTheLimit: a line just under the record limit is read, with
// LF or CRLF; one byte over it is quarantined. The line is a file's first,
// so it is the dir source that decides over the limit. (At exactly the
// limit the reader decides, and record.EachLine counts the line end of a
// line longer than its buffer: it refuses it.)
func TestDirLineAtTheLimit(t *testing.T) {
	const limit = 80 << 10 // of max_field_bytes 4 KiB
	line := strings.TrimSuffix(mcLine(1, "边界"), "\n")
	tests := []struct {
		name              string
		length            int // of the first line without its line end
		end               string
		stored, quarantin int
	}{
		{"under the limit with its line end, LF", limit - 1, "\n", 2, 0},
		{"under the limit with its line end, CRLF", limit - 2, "\r\n", 2, 0},
		{"one byte over, LF", limit + 1, "\n", 1, 1},
		{"one byte over, CRLF", limit + 1, "\r\n", 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			first := line + strings.Repeat(" ", tt.length-len(line)) // JSON allows the spaces
			appendTo(t, filepath.Join(dir, "a.jsonl"), []any{first + tt.end + mcLine(2, "下一条")})
			res := (&source.Dir{Store: openDB(t)}).Read(context.Background(), trustwatch.Source{ID: "crawl", Path: dir, MaxFieldBytes: 4 << 10})
			if res.Err != "" || res.Stored != tt.stored || res.Quarantined != tt.quarantin {
				t.Errorf("stored %d, quarantined %d (%s); want %d, %d", res.Stored, res.Quarantined, res.Err, tt.stored, tt.quarantin)
			}
		})
	}
}
