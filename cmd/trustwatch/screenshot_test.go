package main

import (
	"bytes"
	"context"
	"flag"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/chromedp"

	"trustwatch"
	"trustwatch/aspect"
	"trustwatch/sqlite"
	"trustwatch/watchfile"
	"trustwatch/web"
)

var updateDocs = flag.Bool("update-docs", false, "write the dashboard screenshots to docs/screenshots/")

// screenPages are the pages the screenshot test renders; {alert} is the
// first alert of the demo store, {story} the largest story of /stories. Each is shot as docs/screenshots/NAME.png
// (desktop) and NAME-390.png (phone).
var screenPages = []struct {
	name, path string
}{
	{"overview", "/"},
	{"entity", "/entities/yaochuan"},
	{"alerts", "/alerts"},
	{"alert", "/alerts/{alert}"},
	{"ledger", "/ledger"},
	{"stories", "/stories"},
	{"story", "{story}"},
}

// screenWidths are the viewports: a desktop and a phone (390 CSS px, an
// iPhone 12–15). The height only bounds the screenshot.
var screenWidths = []struct {
	suffix        string
	width, height int64
}{
	{"", 1280, 1400},
	{"-390", 390, 1400},
}

// chromium returns the path of Debian's chromium. Without it the test is
// skipped, except on CI (CI=true), where its absence is a failure.
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
	t.Skip("chromium is not on PATH: skipping the dashboard screenshot test (apt-get install -y chromium fonts-noto-cjk)")
	return ""
}

// demoServer builds the demo store at a fifth of its volume and serves the
// dashboard over it, as trustwatch demo does, with the clock at 09:00 the
// morning after the newest item. It returns the server and the first alert.
func demoServer(t *testing.T) (*httptest.Server, string) {
	t.Helper()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "demo.db")
	if code, _, stderr := runCmd(t, "demo", "--scale", "0.2", "--no-serve", "--dir", dir, "--db", dbPath); code != exitOK {
		t.Fatalf("demo: exit %d: %s", code, stderr)
	}
	w, err := watchfile.Load(filepath.Join(dir, "trustwatch.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	loc := trustwatch.DefaultLocation()
	db := sqlite.NewDB(dbPath)
	db.Location = loc
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	_, last, _, err := db.Span(ctx)
	if err != nil {
		t.Fatal(err)
	}
	l := last.In(loc)
	now := time.Date(l.Year(), l.Month(), l.Day()+1, 9, 0, 0, 0, loc)
	_, seg, err := newAnalyzer(w)
	if err != nil {
		t.Fatal(err)
	}
	srv := &web.Server{Store: db, Watch: w, Location: loc, Logger: slog.New(slog.DiscardHandler), Cut: seg.Words, Known: seg.Known,
		Access: db, Anonymous: trustwatch.RoleAnalyst, Now: func() time.Time { return now }}
	if lex, err := aspect.Default().With(w.Aspects); err == nil {
		srv.AspectName = lex.Name
	}
	as, _, err := db.FindAlerts(ctx, trustwatch.AlertFilter{Limit: 1})
	if err != nil || len(as) == 0 {
		t.Fatalf("the demo store has no alert (%v)", err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts, as[0].ID
}

// largestStory is the path of the first story /stories lists: the
// largest of the default window.
func largestStory(t *testing.T, base string) string {
	t.Helper()
	resp, err := http.Get(base + "/stories")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	href, ok := doc.Find("table.stories tbody tr th a").First().Attr("href")
	if !ok {
		t.Fatal("the demo store has no story")
	}
	return href
}

// layoutReport is what the page script measures.
type layoutReport struct {
	InnerWidth, ScrollWidth float64
	Texts                   int      // visible SVG texts
	Small                   []string // visible SVG texts under 10 px: "size px: text"
	Overlaps                []string // pairs of marker labels whose boxes intersect
	Twins                   []string // charts showing both or neither of their wide and narrow drawings
	Statements              int      // alert statement cells (td.statement)
	StatementsOut           []string // those not inside the viewport
}

// measure runs in the page. A text's rendered size is its font size times
// the scale of its SVG (getScreenCTM: viewBox to CSS pixels); texts of a
// hidden drawing have no box and are skipped.
const measure = `(() => {
  const r = {InnerWidth: window.innerWidth, ScrollWidth: document.documentElement.scrollWidth, Texts: 0, Small: [], Overlaps: [], Statements: 0, StatementsOut: []};
  const visible = (e) => { const b = e.getBoundingClientRect(); return b.width > 0 && b.height > 0; };
  for (const t of document.querySelectorAll('svg text')) {
    if (!visible(t)) continue;
    r.Texts++;
    const m = t.getScreenCTM();
    const px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
    if (px < 10) r.Small.push(px.toFixed(1) + ' px: ' + t.textContent);
  }
  for (const svg of document.querySelectorAll('svg')) {
    const boxes = [...svg.querySelectorAll('text.marker-label')].filter(visible).map(t => [t.textContent, t.getBoundingClientRect()]);
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const [a, p] = boxes[i], [b, q] = boxes[j];
      if (p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom) r.Overlaps.push(a + ' / ' + b);
    }
  }
  for (const wide of document.querySelectorAll('svg.has-narrow')) {
    const narrow = wide.nextElementSibling;
    if (!narrow || !narrow.matches('svg.chart-narrow') || visible(wide) === visible(narrow)) r.Twins.push(wide.getAttribute('aria-label') || '?');
  }
  for (const td of document.querySelectorAll('td.statement')) {
    if (!visible(td)) continue;
    r.Statements++;
    const b = td.getBoundingClientRect();
    if (b.left < 0 || b.right > window.innerWidth + 0.5) r.StatementsOut.push(b.left.toFixed(0) + '…' + b.right.toFixed(0) + ': ' + td.textContent.slice(0, 20));
  }
  return r;
})()`

// TestDashboardLayout renders the dashboard over the demo store in headless
// Chromium at a desktop width and at 390 px and checks what a reader on a
// phone would notice: the page does not scroll sideways, chart text is at
// least 10 px high, marker labels do not overlap, and the alerts table
// shows its statements inside the screen. With -update-docs it writes the
// screenshots to docs/screenshots/.
func TestDashboardLayout(t *testing.T) {
	bin := chromium(t)
	ts, alert := demoServer(t)

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("hide-scrollbars", true),
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	bctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	bctx, cancel = context.WithTimeout(bctx, 2*time.Minute)
	defer cancel()
	if err := chromedp.Do(bctx); err != nil { // starts the browser
		t.Fatalf("start chromium: %v", err)
	}

	expand := strings.NewReplacer("{alert}", alert, "{story}", largestStory(t, ts.URL))
	for _, pg := range screenPages {
		for _, sw := range screenWidths {
			name := pg.name + sw.suffix
			t.Run(name, func(t *testing.T) {
				err := chromedp.Do(bctx,
					chromedp.EmulateViewport(sw.width, sw.height),
					chromedp.Navigate(ts.URL+expand.Replace(pg.path)),
					chromedp.WaitReady("footer.bottom"),
				)
				if err != nil {
					t.Fatal(err)
				}
				rep, err := chromedp.Run(bctx, chromedp.Evaluate[layoutReport](measure))
				if err != nil {
					t.Fatal(err)
				}
				png, err := chromedp.Run(bctx, chromedp.CaptureScreenshot())
				if err != nil {
					t.Fatal(err)
				}
				if rep.ScrollWidth > rep.InnerWidth {
					t.Errorf("the page scrolls sideways: scrollWidth %v > innerWidth %v", rep.ScrollWidth, rep.InnerWidth)
				}
				if rep.Texts == 0 && pg.name != "alerts" {
					t.Error("no visible chart text")
				}
				if sw.width == 390 && len(rep.Small) > 0 {
					t.Errorf("%d of %d chart texts render under 10 px, e.g. %q", len(rep.Small), rep.Texts, rep.Small[:min(5, len(rep.Small))])
				}
				if len(rep.Twins) > 0 {
					t.Errorf("charts shown in both drawings or in none: %q", rep.Twins)
				}
				if len(rep.Overlaps) > 0 {
					t.Errorf("marker labels overlap: %q", rep.Overlaps)
				}
				if pg.name == "alerts" {
					if rep.Statements == 0 {
						t.Error("no alert statements shown")
					}
					if len(rep.StatementsOut) > 0 {
						t.Errorf("%d of %d statements are outside the viewport: %q", len(rep.StatementsOut), rep.Statements, rep.StatementsOut)
					}
				}
				if !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) || len(png) < 10_000 {
					t.Fatalf("screenshot is not a PNG of a rendered page (%d bytes)", len(png))
				}
				if *updateDocs {
					out := filepath.Join("..", "..", "docs", "screenshots", name+".png")
					if err := os.WriteFile(out, png, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				t.Logf("%s: %d chart texts, page %v/%v px wide", pg.path, rep.Texts, rep.ScrollWidth, rep.InnerWidth)
			})
		}
	}
}
