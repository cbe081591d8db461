package report_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

var updateDocs = flag.Bool("update-docs", false, "write the screenshot of the HTML report to docs/report.png")

// chromium returns the path of Debian's chromium. Without it the test is
// skipped, except on CI (CI=true), where .ci/run installs it and its
// absence is a failure.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not on PATH and CI=true: .ci/run should have installed it (apt-get install -y chromium fonts-noto-cjk)")
	}
	t.Skip("chromium is not on PATH: skipping the headless rendering test (apt-get install -y chromium fonts-noto-cjk)")
	return ""
}

func runChromium(t *testing.T, bin string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir=" + t.TempDir()}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return out
}

// TestHTMLInChromium renders the report in headless Chromium and checks
// that the rendered page shows the first-page findings in order, then
// takes a screenshot (kept in docs/ with -update-docs).
func TestHTMLInChromium(t *testing.T) {
	bin := chromium(t)
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	var buf bytes.Buffer
	if err := build(t, "").HTML(&buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(page, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	dom := runChromium(t, bin, "--dump-dom", "file://"+page)
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(dom))
	if err != nil {
		t.Fatal(err)
	}
	worse := doc.Find("#worse").Text()
	last := -1
	for i, w := range firstPage {
		at := strings.Index(worse, w.sentence)
		if at < 0 {
			t.Errorf("rendered first page lacks [%d] %q", i, w.sentence)
			continue
		}
		if at < last {
			t.Errorf("rendered first page shows [%d] %q out of order", i, w.sentence)
		}
		last = at
	}

	shot := filepath.Join(dir, "report.png")
	runChromium(t, bin, "--hide-scrollbars", "--window-size=1100,1500", "--screenshot="+shot, "file://"+page)
	png, err := os.ReadFile(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	if !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) || len(png) < 10_000 {
		t.Fatalf("screenshot is not a PNG of a rendered page (%d bytes)", len(png))
	}
	if *updateDocs {
		if err := os.WriteFile(filepath.Join("..", "docs", "report.png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
