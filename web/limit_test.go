package web_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"trustwatch/sqlite"
)

// A form or API body past 1 MiB is refused before it is read (a body sent
// in chunks is cut by http.MaxBytesReader as it passes the limit).
func TestBodyLimit(t *testing.T) {
	db, err := sqlite.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	ts := newServer(t, db)
	big := "name=" + strings.Repeat("x", 2<<20)
	tests := []struct {
		name string
		body io.Reader
	}{
		{"declared length", strings.NewReader(big)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := http.Post(ts.URL+"/login", "application/x-www-form-urlencoded", tt.body)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusRequestEntityTooLarge {
				t.Errorf("status %d for a 2 MiB form, want 413", resp.StatusCode)
			}
		})
	}
}
