package storetest

import (
	"bytes"
	"context"
	"testing"

	"trustwatch"
)

// testResults checks the ResultStore: a result comes back as saved, under
// its own key, until a newer version replaces it. A store that does not
// keep results is skipped: pages then compute every result on first look.
func testResults(t *testing.T, open func(t *testing.T) trustwatch.Store) {
	ctx := context.Background()
	rs, ok := open(t).(trustwatch.ResultStore)
	if !ok {
		t.Skip("the store does not implement trustwatch.ResultStore")
	}
	// Bytes a text column would mangle: NUL, invalid UTF-8, a quote.
	binary := []byte{0x00, 0xff, 0xfe, '\'', 0x00, 0x80}
	big := bytes.Repeat([]byte("证据"), 300_000) // 1.8 MB, as large as a claim's evidence gets

	_, _, err := rs.Result(ctx, "ledger")
	wantCode(t, err, trustwatch.ENOTFOUND)

	steps := []struct {
		name    string
		key     string
		version string
		data    []byte
	}{
		{"first save", "ledger", "v1", []byte("rows")},
		{"binary data", "evidence|y9-brake", "v1", binary},
		{"empty result", "voice|chenglang", "v1", []byte{}},
		{"large result", "report", "v1", big},
		{"new version replaces", "ledger", "v2", []byte("newer rows")},
	}
	want := map[string]struct {
		version string
		data    []byte
	}{}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if err := rs.SaveResult(ctx, st.key, st.version, st.data); err != nil {
				t.Fatal(err)
			}
			want[st.key] = struct {
				version string
				data    []byte
			}{st.version, st.data}
			// Every key saved so far reads back as last saved: a save
			// touches its own key only.
			for key, w := range want {
				v, data, err := rs.Result(ctx, key)
				if err != nil {
					t.Fatalf("Result(%q): %v", key, err)
				}
				if v != w.version || !bytes.Equal(data, w.data) {
					t.Errorf("Result(%q) = %q, %d bytes; want %q, %d bytes", key, v, len(data), w.version, len(w.data))
				}
			}
		})
	}
	_, _, err = rs.Result(ctx, "ledger|") // keys are compared whole, not as prefixes
	wantCode(t, err, trustwatch.ENOTFOUND)
}
