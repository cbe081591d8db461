package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"trustwatch"
	"trustwatch/sqlite"
	"trustwatch/web"
)

func TestReportFile(t *testing.T) {
	db, err := sqlite.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	file := filepath.Join(t.TempDir(), "report.html")
	os.WriteFile(file, []byte("<!doctype html><style>p{color:red}</style><p>写好的报告</p>"), 0o644)
	for _, tt := range []struct {
		name, file string
		status     int
	}{{"written at start-up", file, http.StatusOK}, {"none", "", http.StatusNotFound}} {
		t.Run(tt.name, func(t *testing.T) {
			s := &web.Server{Anonymous: trustwatch.RoleAnalyst, Store: db, Logger: slog.New(slog.DiscardHandler), ReportFile: tt.file}
			ts := httptest.NewServer(s.Handler())
			defer ts.Close()
			resp, err := http.Get(ts.URL + "/report/file")
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if tt.status == http.StatusOK {
				csp := resp.Header.Get("Content-Security-Policy")
				if !strings.Contains(string(body), "写好的报告") || !strings.Contains(csp, "'sha256-") || strings.Contains(csp, "unsafe-inline") {
					t.Errorf("body %q, CSP %q", body, csp)
				}
			}
		})
	}
}
