package web_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/query"
	"trustwatch/segment"
	"trustwatch/web"
)

// TestSearchQueryCut checks that the dashboard and the API cut a query's
// words like the stored text, as the CLI does: 东方甄选 is two words, and
// before it was cut the dashboard found nothing.
func TestSearchQueryCut(t *testing.T) {
	ctx := context.Background()
	seg, err := segment.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	db := openSQLite(t)
	texts := map[string]string{"d1": "东方甄选直播间今晚上新", "d2": "昨天在东方甄选买了大米", "d3": "东方明珠的夜景"}
	var items []trustwatch.Item
	for id, text := range texts {
		it := trustwatch.Item{ID: id, Platform: "weibo", Text: text, Time: time.Date(2024, 3, 30, 12, 0, 0, 0, shanghai), Tokens: seg.Words(text)}
		items = append(items, it)
	}
	if _, _, err := db.PutItems(ctx, items); err != nil {
		t.Fatal(err)
	}
	// What the CLI searches for.
	canonical, err := query.Canonical("东方甄选", seg.Words)
	if err != nil {
		t.Fatal(err)
	}
	_, cliTotal, err := db.FindItems(ctx, trustwatch.ItemFilter{Query: canonical})
	if err != nil || cliTotal != 2 {
		t.Fatalf("FindItems(%q) = %d, %v; want d1 and d2", canonical, cliTotal, err)
	}

	s := &web.Server{Store: db, Watch: watch, Location: shanghai, Logger: slog.New(slog.DiscardHandler), Anonymous: trustwatch.RoleViewer, Cut: seg.Words}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()

	doc := getPage(t, ts, "/search?q="+url.QueryEscape("东方甄选")+"&from=2024-03-01&to=2024-03-31", http.StatusOK)
	if got := strings.TrimSpace(doc.Find("p.summary").Text()); got != "2 条结果。" {
		t.Errorf("/search?q=东方甄选 summary = %q, want 2 results as the CLI finds", got)
	}
	// The dashboard speaks the whole language: -word excludes.
	doc = getPage(t, ts, "/search?q="+url.QueryEscape("东方 -甄选")+"&from=2024-03-01&to=2024-03-31", http.StatusOK)
	if got := strings.TrimSpace(doc.Find("p.summary").Text()); got != "1 条结果。" {
		t.Errorf("/search?q=东方 -甄选 summary = %q, want d3 alone", got)
	}
	resp, body := get(t, ts, "/api/v1/items?q="+url.QueryEscape("东方甄选"))
	var res struct{ Total int }
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &res) != nil || res.Total != cliTotal {
		t.Errorf("/api/v1/items?q=东方甄选 = %s %s, want total %d", resp.Status, body, cliTotal)
	}
}

// TestSearchQuerySyntaxError checks that a query that does not parse shows
// the search form with the message and a caret under the column, with
// status 400, and that the API answers a 400 with the message.
func TestSearchQuerySyntaxError(t *testing.T) {
	s := &web.Server{Store: openSQLite(t), Watch: watch, Location: shanghai, Logger: slog.New(slog.DiscardHandler), Anonymous: trustwatch.RoleViewer}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()

	doc := getPage(t, ts, "/search?q="+url.QueryEscape("刹车 NEAR/x 异响"), http.StatusBadRequest)
	if got := doc.Find(".query-error .error-message").Text(); !strings.Contains(got, `column 4: NEAR/n needs a whole number n from 0 to 100, not "x"`) {
		t.Errorf("error message = %q", got)
	}
	if got, want := doc.Find("pre.query-caret").Text(), "刹车 NEAR/x 异响\n     ^"; got != want {
		t.Errorf("caret = %q, want %q", got, want)
	}
	if v, _ := doc.Find(`form.search input[name="q"]`).Attr("value"); v != "刹车 NEAR/x 异响" {
		t.Errorf("the form is refilled with %q", v)
	}
	if doc.Find("p.summary").Length() != 0 {
		t.Errorf("a result count is shown for a query that does not parse")
	}

	resp, body := get(t, ts, "/api/v1/items?q="+url.QueryEscape("(刹车"))
	var e struct{ Code, Error string }
	if resp.StatusCode != http.StatusBadRequest || json.Unmarshal(body, &e) != nil || e.Code != "invalid" || e.Error != "Invalid query: column 1: unclosed (." {
		t.Errorf("/api/v1/items?q=(刹车 = %s %s", resp.Status, body)
	}
}
