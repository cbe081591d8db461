package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"trustwatch"
	"trustwatch/web"
)

// TestWindowPresets: the window partial links 今天, 近 7 天 and 近 30 天 as
// whole days in the server's zone ending with today, keeps the page's other
// parameters (and drops page), and says which one is shown.
func TestWindowPresets(t *testing.T) {
	store := newFakeStore(shanghai)
	if _, _, err := store.PutItems(context.Background(), fixtureItems()); err != nil {
		t.Fatal(err)
	}
	// 17:00 UTC on 1 April is 01:00 on 2 April in Shanghai: today is the 2nd.
	s := &web.Server{Anonymous: trustwatch.RoleAnalyst, Store: store, Watch: watch, Location: shanghai, Logger: slog.New(slog.DiscardHandler),
		Now: func() time.Time { return time.Date(2024, 4, 1, 17, 0, 0, 0, time.UTC) }}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()

	const (
		today = "?by=day&from=2024-04-02&to=2024-04-02"
		week  = "?by=day&from=2024-03-27&to=2024-04-02"
		month = "?by=day&from=2024-03-04&to=2024-04-02"
	)
	tests := []struct {
		name, path string
		active     string // the preset marked current; "" for 自定义
		from, to   string // the date inputs
	}{
		// The default window is the 30 days up to the newest item (30 March).
		{"default window is custom", "/entities/xiaomi?by=day&page=2", "", "2024-03-01", "2024-03-30"},
		{"今天", "/entities/xiaomi" + today, "今天", "2024-04-02", "2024-04-02"},
		{"近 7 天", "/entities/xiaomi" + week, "近 7 天", "2024-03-27", "2024-04-02"},
		{"近 30 天", "/entities/xiaomi" + month, "近 30 天", "2024-03-04", "2024-04-02"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := getPage(t, ts, tt.path, http.StatusOK)
			form := doc.Find("form.window").First()
			var labels, hrefs, current []string
			form.Find("nav.presets a").Each(func(_ int, a *goquery.Selection) {
				labels = append(labels, a.Text())
				href, _ := a.Attr("href")
				hrefs = append(hrefs, href)
				if v, ok := a.Attr("aria-current"); ok && v == "true" {
					current = append(current, a.Text())
				}
			})
			if got := strings.Join(labels, "|"); got != "今天|近 7 天|近 30 天" {
				t.Errorf("presets = %q", got)
			}
			if got := strings.Join(hrefs, " "); got != today+" "+week+" "+month {
				t.Errorf("preset links = %q, want %q", got, today+" "+week+" "+month)
			}
			if got := strings.Join(current, ""); got != tt.active {
				t.Errorf("current preset = %q, want %q", got, tt.active)
			}
			if custom := form.Find("fieldset.custom").HasClass("active"); custom != (tt.active == "") {
				t.Errorf("自定义 active = %v, want %v", custom, tt.active == "")
			}
			if got := form.Find("fieldset.custom legend").Text(); got != "自定义" {
				t.Errorf("custom legend = %q", got)
			}
			if v, _ := form.Find(`input[name="from"]`).Attr("value"); v != tt.from {
				t.Errorf("from input = %q, want %q", v, tt.from)
			}
			if v, _ := form.Find(`input[name="to"]`).Attr("value"); v != tt.to {
				t.Errorf("to input = %q, want %q", v, tt.to)
			}
			// The form carries the other parameters on, but not page.
			var hidden []string
			form.Find(`input[type="hidden"]`).Each(func(_ int, in *goquery.Selection) {
				n, _ := in.Attr("name")
				v, _ := in.Attr("value")
				hidden = append(hidden, n+"="+v)
			})
			if got := strings.Join(hidden, "&"); got != "by=day" {
				t.Errorf("hidden fields = %q, want by=day", got)
			}
		})
	}
}

// TestChartsMarkPartialLastDay: the newest item is at 12:00 on 30 March, so
// in the default window (to the end of the 30th) the last day is partial,
// and in a window ending on the 29th no day is.
func TestChartsMarkPartialLastDay(t *testing.T) {
	eachStore(t, func(t *testing.T, ts *httptest.Server) {
		for _, tt := range []struct {
			path    string
			partial bool
		}{
			{"/", true},
			{"/entities/xiaomi", true},
			{"/?from=2024-03-01&to=2024-03-29", false},
			{"/entities/xiaomi?from=2024-03-01&to=2024-03-29", false},
		} {
			doc := getPage(t, ts, tt.path, http.StatusOK)
			charts := doc.Find("svg.chart")
			if charts.Length() == 0 {
				t.Fatalf("%s: no charts", tt.path)
			}
			charts.Each(func(_ int, c *goquery.Selection) {
				title := c.Find("title").First().Text()
				legend := c.Find("g.legend text").Text()
				if got := strings.Contains(legend, "未完整"); got != tt.partial {
					t.Errorf("%s: chart %q legend %q has 未完整 = %v, want %v", tt.path, title, legend, got, tt.partial)
				}
				if got := c.Find("rect.partial").Length() > 0; got != tt.partial {
					t.Errorf("%s: chart %q shades a partial period = %v, want %v", tt.path, title, got, tt.partial)
				}
			})
		}
	})
}
