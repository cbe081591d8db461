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
