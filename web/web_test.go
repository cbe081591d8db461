package web_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"trustwatch"
	"trustwatch/sqlite"
	"trustwatch/web"
)

// hostile is post text that tries to run script in the dashboard.
const hostile = `<script>alert(1)</script><img src=x onerror=alert(2)>`

var shanghai = trustwatch.DefaultLocation()

func at(m time.Month, d, h int) time.Time { return time.Date(2024, m, d, h, 0, 0, 0, shanghai) }

var watch = &trustwatch.Watch{
	Entities: []trustwatch.Entity{
		{ID: "xiaomi", Kind: trustwatch.EntityBrand, Name: "小米汽车", Aliases: []string{"小米"}},
		{ID: "leijun", Kind: trustwatch.EntityPerson, Name: "雷军", Parent: "xiaomi"},
	},
	Aspects: []trustwatch.AspectDef{{ID: "brakes", Name: "刹车"}, {ID: "range", Name: "续航"}},
}

// fixtureItems: the newest item is on 2024-03-30, so the default window is
// 2024-03-01 … 2024-03-30 (to 2024-03-31 00:00) and its previous period
// 2024-01-31 … 2024-02-29. p0 is the only item before the window.
func fixtureItems() []trustwatch.Item {
	items := []trustwatch.Item{
		{ID: "p0", Platform: "weibo", Kind: trustwatch.KindPost, Text: "刹车很好", Tokens: []string{"刹车", "很好"}, Time: at(2, 20, 10),
			Entities: []string{"xiaomi"}, Sentiment: trustwatch.Positive, Aspects: []trustwatch.AspectHit{{Aspect: "brakes", Label: trustwatch.Positive}}},
		{ID: "p3", Platform: "douyin", Kind: trustwatch.KindPost, Text: "续航不错", Tokens: []string{"续航", "不错"}, Time: at(3, 10, 9),
			Entities: []string{"xiaomi"}, Sentiment: trustwatch.Positive, Aspects: []trustwatch.AspectHit{{Aspect: "range", Label: trustwatch.Positive}}},
		{ID: "p1", Platform: "weibo", Kind: trustwatch.KindPost, Author: "车主A", Text: "刹车盘缩小了，高速制动发软", Tokens: []string{"刹车盘", "缩小", "制动"},
			Time: at(3, 30, 10), URL: "https://weibo.com/1/p1", Likes: 500, Entities: []string{"xiaomi"}, Sentiment: trustwatch.Negative,
			Aspects: []trustwatch.AspectHit{{Aspect: "brakes", Label: trustwatch.Negative, Word: "刹车盘"}}},
		{ID: "c1", Platform: "weibo", Kind: trustwatch.KindComment, ParentID: "p1", Author: hostile, Text: hostile, Tokens: []string{"script", "alert"},
			Time: at(3, 30, 11), URL: "javascript:alert(3)", Likes: 1000, Entities: []string{"xiaomi"}, Sentiment: trustwatch.Negative,
			Aspects: []trustwatch.AspectHit{{Aspect: "brakes", Label: trustwatch.Negative, Clause: hostile}, {Aspect: hostile, Label: trustwatch.Negative}}},
		{ID: "c2", Platform: "xhs", Kind: trustwatch.KindComment, ParentID: "p1", Text: "同意楼上", Tokens: []string{"同意", "楼上"}, Time: at(3, 30, 12),
			Entities: []string{"xiaomi", "leijun"}, Sentiment: trustwatch.Neutral},
		{ID: "p2", Platform: "xhs", Kind: trustwatch.KindPost, Text: "雷总加油", Tokens: []string{"雷总", "加油"}, Time: at(3, 29, 20), Likes: 50,
			Entities: []string{"leijun"}, Sentiment: trustwatch.Positive},
		{ID: "c3", Platform: "weibo", Kind: trustwatch.KindComment, ParentID: "missing", Text: "孤儿评论", Tokens: []string{"孤儿", "评论"}, Time: at(3, 15, 8),
			Sentiment: trustwatch.Neutral},
	}
	for i := range 25 {
		items = append(items, trustwatch.Item{ID: fmt.Sprintf("f%02d", i), Platform: "weibo", Kind: trustwatch.KindPost,
			Text: fmt.Sprintf("填充 %d", i), Tokens: []string{"填充"}, Time: at(3, 20, 0).Add(time.Duration(i) * time.Hour),
			Entities: []string{"xiaomi"}, Sentiment: trustwatch.Neutral})
	}
	return items
}

var quarantined = []trustwatch.Quarantined{
	{File: "in.jsonl", Line: 3, Reason: "bad json: " + hostile, Raw: []byte(hostile + "\xff"), Time: at(3, 30, 13)},
	{File: "in.jsonl", Line: 9, Reason: "missing time", Raw: []byte(`{"text":"x"}`), Time: at(3, 30, 13)},
	{File: "other.csv", Line: 2, Reason: "missing text", Raw: []byte("a,b"), Time: at(3, 30, 13)},
}

// stores are the stores the server is tested against: the in-test fake and
// the real SQLite store.
var stores = []struct {
	name string
	open func(t *testing.T) trustwatch.Store
}{
	{"fake", func(t *testing.T) trustwatch.Store { return newFakeStore(shanghai) }},
	{"sqlite", func(t *testing.T) trustwatch.Store {
		db := sqlite.NewDB(":memory:")
		db.Location = shanghai
		if err := db.Open(); err != nil {
			t.Fatal(err)
		}
		return db
	}},
}

// newServer serves the fixture data from store with a real HTTP server.
func newServer(t *testing.T, store trustwatch.Store) *httptest.Server {
	t.Helper()
	ctx := context.Background()
	if _, _, err := store.PutItems(ctx, fixtureItems()); err != nil {
		t.Fatal(err)
	}
	if _, _, err := store.PutQuarantine(ctx, quarantined); err != nil {
		t.Fatal(err)
	}
	s := &web.Server{Anonymous: trustwatch.RoleAnalyst, Store: store, Watch: watch, Location: shanghai, Logger: slog.New(slog.DiscardHandler)}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(func() { ts.Close(); store.Close() })
	return ts
}

// eachStore runs fn against a server over each store.
func eachStore(t *testing.T, fn func(t *testing.T, ts *httptest.Server)) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) { fn(t, newServer(t, st.open(t))) })
	}
}

func get(t *testing.T, ts *httptest.Server, path string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

func getPage(t *testing.T, ts *httptest.Server, path string, wantStatus int) *goquery.Document {
	t.Helper()
	resp, body := get(t, ts, path)
	if resp.StatusCode != wantStatus {
		t.Fatalf("GET %s: status %d, want %d\n%s", path, resp.StatusCode, wantStatus, body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Fatalf("GET %s: Content-Type %q, want text/html", path, ct)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func getJSON(t *testing.T, ts *httptest.Server, path string, wantStatus int, v any) {
	t.Helper()
	resp, body := get(t, ts, path)
	if resp.StatusCode != wantStatus {
		t.Fatalf("GET %s: status %d, want %d\n%s", path, resp.StatusCode, wantStatus, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Fatalf("GET %s: Content-Type %q", path, ct)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v\n%s", path, err, body)
	}
}

// TestHostileTextIsInert checks every page that shows post text (or other
// text from input: authors, aspects, quarantined bytes): no script element
// and no event-handler attribute made it into the DOM, and the hostile text
// is visible as literal text.
func TestHostileTextIsInert(t *testing.T) {
	pages := []struct {
		name, path string
	}{
		{"overview", "/"},
		{"entity", "/entities/xiaomi"},
		{"search", "/search?q=alert"},
		{"item", "/items/c1"},
		{"item with hostile reply", "/items/p1"},
		{"aspects", "/aspects"},
		{"aspects drill-down", "/search?aspect=brakes&label=neg&order=engagement"},
		{"quarantine raw bytes", "/quarantine"},
		{"storybook", "/storybook"},
	}
	eachStore(t, func(t *testing.T, ts *httptest.Server) {
		for _, p := range pages {
			t.Run(p.name, func(t *testing.T) {
				doc := getPage(t, ts, p.path, http.StatusOK)
				if n := doc.Find("script").Length(); n != 0 {
					t.Errorf("%d <script> elements in the DOM", n)
				}
				if n := doc.Find("img").Length(); n != 0 {
					t.Errorf("%d <img> elements in the DOM", n)
				}
				doc.Find("*").Each(func(_ int, sel *goquery.Selection) {
					for _, a := range sel.Nodes[0].Attr {
						if strings.HasPrefix(strings.ToLower(a.Key), "on") {
							t.Errorf("<%s> has event attribute %s=%q", goquery.NodeName(sel), a.Key, a.Val)
						}
					}
				})
				if !strings.Contains(doc.Find("main").Text(), hostile) {
					t.Errorf("hostile text not visible as literal text on %s", p.path)
				}
			})
		}
	})
}

func TestSecurityHeaders(t *testing.T) {
	ts := newServer(t, newFakeStore(shanghai))
	for _, path := range []string{"/", "/api/v1/items", "/static/style.css", "/nope"} {
		resp, _ := get(t, ts, path)
		csp := resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: Content-Security-Policy %q", path, csp)
		}
		if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options %q", path, got)
		}
	}
	resp, _ := get(t, ts, "/static/style.css")
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
		t.Errorf("style.css Content-Type %q", ct)
	}
}

func TestHealthz(t *testing.T) {
	ts := newServer(t, newFakeStore(shanghai))
	resp, body := get(t, ts, "/healthz")
	if resp.StatusCode != 200 || string(body) != "ok" {
		t.Errorf("healthz: %d %q", resp.StatusCode, body)
	}
}

func TestOverview(t *testing.T) {
	eachStore(t, func(t *testing.T, ts *httptest.Server) {
		doc := getPage(t, ts, "/", http.StatusOK)
		summary := doc.Find("p.summary").Text()
		// 32 items stored; 31 in the default window (p0 is before it).
		for _, want := range []string{"共存 32 条", "所选 30 天", "2024-03-01 至 2024-03-30", "内 31 条"} {
			if !strings.Contains(summary, want) {
				t.Errorf("summary %q lacks %q", summary, want)
			}
		}
		// Entity × platform: 小米汽车 has weibo 27 (p1, c1, 25 fillers), xhs 1 (c2), douyin 1 (p3).
		row := doc.Find("table.matrix tbody tr").First().Find("th, td").Map(func(_ int, s *goquery.Selection) string { return s.Text() })
		if got := strings.Join(row, " "); got != "小米汽车 27 1 1 29" {
			t.Errorf("matrix row = %q", got)
		}
		if got := doc.Find(".cards .card").Length(); got != 2 {
			t.Errorf("sentiment cards = %d, want 2", got)
		}
		if got := doc.Find("svg.chart").Length(); got != 4 {
			t.Errorf("charts = %d, want 4 (entities, platforms, 2 sentiment)", got)
		}
		// Most engaged in the window: c1 (1000 likes), then p1 (500).
		eng := doc.Find("section.two:not(.attention) > div").Eq(1).Find("article .when")
		if href, _ := eng.First().Attr("href"); href != "/items/c1" {
			t.Errorf("most engaged first = %q, want /items/c1", href)
		}
		latest := doc.Find("section.two:not(.attention) > div").Eq(0).Find("article")
		if latest.Length() != 10 {
			t.Errorf("latest items = %d, want 10", latest.Length())
		}
		if href, _ := doc.Find(`nav a[aria-current="page"]`).Attr("href"); href != "/" {
			t.Errorf("active nav = %q, want /", href)
		}
	})
}

func TestEntityPage(t *testing.T) {
	eachStore(t, func(t *testing.T, ts *httptest.Server) {
		doc := getPage(t, ts, "/entities/xiaomi", http.StatusOK)
		if got := doc.Find("h1").First().Text(); !strings.Contains(got, "小米汽车") {
			t.Errorf("h1 = %q", got)
		}
		if got := doc.Find("p.summary").Text(); !strings.Contains(got, "29 条") {
			t.Errorf("summary = %q, want 29 items", got)
		}
		if doc.Find("figure.chart svg.chart").Length() != 1 {
			t.Error("no sentiment chart")
		}
		neg := doc.Find("section.two > div").First().Find("article .when")
		var ids []string
		neg.Each(func(_ int, s *goquery.Selection) { h, _ := s.Attr("href"); ids = append(ids, h) })
		if strings.Join(ids, " ") != "/items/c1 /items/p1" {
			t.Errorf("negative items = %q, want c1 then p1", ids)
		}
		getPage(t, ts, "/entities/nope", http.StatusNotFound)
	})
}

func TestItemThread(t *testing.T) {
	eachStore(t, func(t *testing.T, ts *httptest.Server) {
		doc := getPage(t, ts, "/items/p1", http.StatusOK)
		var replies []string
		doc.Find("section.thread article .when").Each(func(_ int, s *goquery.Selection) {
			h, _ := s.Attr("href")
			replies = append(replies, h)
		})
		if strings.Join(replies, " ") != "/items/c1 /items/c2" {
			t.Errorf("replies = %q, want c1, c2 in time order", replies)
		}
		if href, _ := doc.Find("dl.facts a").Attr("href"); href != "https://weibo.com/1/p1" {
			t.Errorf("source link = %q", href)
		}

		doc = getPage(t, ts, "/items/c1", http.StatusOK)
		if href, _ := doc.Find("section.thread article .when").First().Attr("href"); href != "/items/p1" {
			t.Errorf("parent link = %q, want /items/p1", href)
		}
		// A javascript: URL is shown as text, never as a link.
		doc.Find("a").Each(func(_ int, s *goquery.Selection) {
			if h, _ := s.Attr("href"); strings.HasPrefix(strings.ToLower(h), "javascript") {
				t.Errorf("link to %q", h)
			}
		})
		if got := doc.Find(".unsafe-url").Text(); got != "javascript:alert(3)" {
			t.Errorf("unsafe URL text = %q", got)
		}

		doc = getPage(t, ts, "/items/c3", http.StatusOK)
		if got := doc.Find("section.thread .empty").First().Text(); !strings.Contains(got, "missing") {
			t.Errorf("missing parent note = %q", got)
		}
		doc = getPage(t, ts, "/items/nope", http.StatusNotFound)
		if got := doc.Find("h1").Text(); !strings.Contains(got, "页面不存在") {
			t.Errorf("404 title = %q, want 页面不存在", got)
		}
		if got := doc.Find(".error-message").Text(); !strings.Contains(got, "没有找到") {
			t.Errorf("404 message = %q, want it in Chinese", got)
		}
		if got := doc.Find(".error-detail").Text(); !strings.Contains(got, "nope") {
			t.Errorf("404 detail = %q, want the item id", got)
		}
	})
}

func TestSearch(t *testing.T) {
	tests := []struct {
		name  string
		query string
		total int
		first string // href of the first result
		n     int    // results on the page
	}{
		{"entity, page 1", "entity=xiaomi", 30, "", 20},
		{"entity, page 2", "entity=xiaomi&page=2", 30, "", 10},
		{"platform", "platform=xhs", 2, "/items/c2", 2},
		{"kind", "kind=comment", 3, "/items/c2", 3},
		{"time range, days inclusive", "from=2024-03-30&to=2024-03-30", 3, "/items/c2", 3},
		{"aspect drill-down", "aspect=brakes&label=neg&order=engagement", 2, "/items/c1", 2},
		{"words", "q=填充", 25, "", 20},
		{"oldest first", "order=time_asc", 32, "/items/p0", 20},
		{"nothing", "entity=xiaomi&platform=bilibili", 0, "", 0},
	}
	eachStore(t, func(t *testing.T, ts *httptest.Server) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				doc := getPage(t, ts, "/search?"+tt.query, http.StatusOK)
				if got := doc.Find("p.summary").Text(); got != strconv.Itoa(tt.total)+" 条结果。" {
					t.Errorf("summary = %q, want %d results", got, tt.total)
				}
				items := doc.Find("article.item")
				if items.Length() != tt.n {
					t.Errorf("results on page = %d, want %d", items.Length(), tt.n)
				}
				if tt.first != "" {
					if h, _ := items.First().Find(".when").Attr("href"); h != tt.first {
						t.Errorf("first result = %q, want %q", h, tt.first)
					}
				}
			})
		}
		doc := getPage(t, ts, "/search?entity=xiaomi", http.StatusOK)
		next, _ := doc.Find(`.pager a[rel="next"]`).Attr("href")
		u, err := url.Parse(next)
		if err != nil || u.Path != "/search" || u.Query().Get("page") != "2" || u.Query().Get("entity") != "xiaomi" {
			t.Errorf("next page link = %q", next)
		}
		if v, _ := doc.Find(`select[name="entity"] option[selected]`).Attr("value"); v != "xiaomi" {
			t.Errorf("selected entity = %q, want the form refilled", v)
		}
		getPage(t, ts, "/search?from=yesterday", http.StatusBadRequest)
		getPage(t, ts, "/search?label=bad", http.StatusBadRequest)
	})
}

func TestAspectsPage(t *testing.T) {
	eachStore(t, func(t *testing.T, ts *httptest.Server) {
		doc := getPage(t, ts, "/aspects", http.StatusOK)
		rows := doc.Find("table.aspects tbody tr")
		if rows.Length() != 3 {
			t.Fatalf("aspect rows = %d, want 3", rows.Length())
		}
		// brakes: 2 items, both negative; 1 (positive) in the previous period.
		cells := rows.First().Find("th, td").Map(func(_ int, s *goquery.Selection) string { return strings.TrimSpace(s.Text()) })
		want := []string{"刹车", "2", "2", "100.0%", "+100%", "+100.0 个百分点"}
		for i, w := range want {
			if cells[i] != w {
				t.Errorf("brakes cell %d = %q, want %q", i, cells[i], w)
			}
		}
		if rows.First().Find("td.spark svg").Length() != 1 {
			t.Error("no sparkline")
		}
		// The figure names explain themselves on hover and in the legend.
		if title, _ := doc.Find(`table.aspects thead abbr.figure`).First().Attr("title"); !strings.Contains(title, "负面条目占全部条目的比例") {
			t.Errorf("负面占比 hover = %q, want its explanation", title)
		}
		if got := doc.Find("details.legend dt").Map(func(_ int, s *goquery.Selection) string { return s.Text() }); strings.Join(got, ",") != "负面占比,环比,负面占比变化" {
			t.Errorf("legend = %q, want 负面占比, 环比, 负面占比变化", got)
		}
		href, _ := rows.First().Find("a").Attr("href")
		u, _ := url.Parse(href)
		q := u.Query()
		if u.Path != "/search" || q.Get("aspect") != "brakes" || q.Get("label") != "neg" || q.Get("order") != "engagement" || q.Get("from") != "2024-03-01" || q.Get("to") != "2024-03-30" {
			t.Errorf("drill-down link = %q", href)
		}
		// range: no previous period: "新".
		if got := strings.TrimSpace(rows.Last().Find("td").Eq(3).Text()); got != "新" {
			t.Errorf("range change = %q, want 新", got)
		}
	})
}

func TestQuarantinePage(t *testing.T) {
	eachStore(t, func(t *testing.T, ts *httptest.Server) {
		doc := getPage(t, ts, "/quarantine", http.StatusOK)
		if got := doc.Find("table.quarantine tbody tr").Length(); got != 3 {
			t.Errorf("records = %d, want 3", got)
		}
		if got := doc.Find("pre.raw").First().Text(); got != hostile+"\uFFFD" {
			t.Errorf("raw = %q, want the bytes as text with U+FFFD for invalid UTF-8", got)
		}
		doc = getPage(t, ts, "/quarantine?file=other.csv", http.StatusOK)
		if got := doc.Find("table.quarantine tbody tr").Length(); got != 1 {
			t.Errorf("records of other.csv = %d, want 1", got)
		}
	})
}

func TestAPIItems(t *testing.T) {
	type page struct {
		Items []struct {
			ID    string `json:"id"`
			Text  string `json:"text"`
			Label string `json:"label"`
		} `json:"items"`
		Total  int    `json:"total"`
		Offset int    `json:"offset"`
		Limit  int    `json:"limit"`
		Next   string `json:"next"`
	}
	eachStore(t, func(t *testing.T, ts *httptest.Server) {
		var p page
		getJSON(t, ts, "/api/v1/items?limit=10", 200, &p)
		if p.Total != 32 || len(p.Items) != 10 || p.Offset != 0 || p.Limit != 10 || p.Items[0].ID != "c2" {
			t.Errorf("page 1: total %d, %d items, offset %d, limit %d, first %q", p.Total, len(p.Items), p.Offset, p.Limit, p.Items[0].ID)
		}
		u, _ := url.Parse(p.Next)
		if u.Path != "/api/v1/items" || u.Query().Get("offset") != "10" || u.Query().Get("limit") != "10" {
			t.Errorf("next = %q", p.Next)
		}
		var last page
		getJSON(t, ts, "/api/v1/items?limit=10&offset=30", 200, &last)
		if len(last.Items) != 2 || last.Next != "" {
			t.Errorf("last page: %d items, next %q; want 2 and none", len(last.Items), last.Next)
		}
		var hostilePage page
		// Markup is not indexed (the text is normalised without tags), so
		// the hostile item is found by its likes.
		getJSON(t, ts, "/api/v1/items?q=likes:%3E=1000", 200, &hostilePage)
		if hostilePage.Total != 1 || hostilePage.Items[0].Text != hostile || hostilePage.Items[0].Label != "neg" {
			t.Errorf("q=likes:>=1000: %+v", hostilePage)
		}
		var empty map[string]any
		getJSON(t, ts, "/api/v1/items?platform=none", 200, &empty)
		if items, ok := empty["items"].([]any); !ok || len(items) != 0 {
			t.Errorf("no matches: items = %#v, want []", empty["items"])
		}
		for _, bad := range []string{"limit=0", "limit=501", "offset=-1", "order=random", "from=2024-13-01"} {
			var e struct{ Code, Error string }
			getJSON(t, ts, "/api/v1/items?"+bad, 400, &e)
			if e.Code != trustwatch.EINVALID || e.Error == "" {
				t.Errorf("%s: error %+v", bad, e)
			}
		}
		var it trustwatch.Item
		getJSON(t, ts, "/api/v1/items/p1", 200, &it)
		if it.ID != "p1" || it.Likes != 500 || len(it.Aspects) != 1 {
			t.Errorf("item p1 = %+v", it)
		}
		var e struct{ Code string }
		getJSON(t, ts, "/api/v1/items/nope", 404, &e)
		if e.Code != trustwatch.ENOTFOUND {
			t.Errorf("missing item code = %q", e.Code)
		}
	})
}

func TestAPIVolumeAndSentiment(t *testing.T) {
	type point struct {
		Period               time.Time
		Count, Pos, Neg, Neu int64
		Net                  float64
	}
	type series struct {
		By     string
		Points []point
	}
	eachStore(t, func(t *testing.T, ts *httptest.Server) {
		var v series
		getJSON(t, ts, "/api/v1/volume?entity=leijun&from=2024-03-28&to=2024-03-30&by=day", 200, &v)
		var counts []int64
		for _, p := range v.Points {
			counts = append(counts, p.Count)
		}
		if v.By != "day" || fmt.Sprint(counts) != "[0 1 1]" || !v.Points[0].Period.Equal(at(3, 28, 0)) {
			t.Errorf("leijun daily = %s %v from %v, want day [0 1 1] from 2024-03-28", v.By, counts, v.Points[0].Period)
		}
		getJSON(t, ts, "/api/v1/volume?from=2024-03-30&to=2024-03-30&by=hour", 200, &v)
		if len(v.Points) != 24 {
			t.Fatalf("hourly points = %d, want 24", len(v.Points))
		}
		if v.Points[10].Count != 1 || v.Points[11].Count != 1 || v.Points[12].Count != 1 || v.Points[9].Count != 0 {
			t.Errorf("hours 9-12 = %+v", v.Points[9:13])
		}
		var s series
		getJSON(t, ts, "/api/v1/sentiment?entity=xiaomi&from=2024-03-30&to=2024-03-30", 200, &s)
		if len(s.Points) != 1 {
			t.Fatalf("sentiment points = %d, want 1", len(s.Points))
		}
		p := s.Points[0]
		if p.Count != 3 || p.Pos != 0 || p.Neg != 2 || p.Neu != 1 || math.Abs(p.Net-(-2.0/3)) > 1e-9 {
			t.Errorf("xiaomi on 03-30 = %+v, want 3 items, 2 neg, 1 neu, net -2/3", p)
		}
		var e struct{ Code string }
		getJSON(t, ts, "/api/v1/sentiment?by=week", 400, &e)
		getJSON(t, ts, "/api/v1/volume?by=hour&from=2020-01-01&to=2024-01-01", 400, &e)
	})
}

func TestAPIAspects(t *testing.T) {
	eachStore(t, func(t *testing.T, ts *httptest.Server) {
		var r struct {
			From, To, PreviousFrom time.Time `json:"-"`
			Aspects                []struct {
				Aspect         string   `json:"aspect"`
				Name           string   `json:"name"`
				Count          int64    `json:"count"`
				Neg            int64    `json:"neg"`
				NegShare       float64  `json:"neg_share"`
				PreviousCount  int64    `json:"previous_count"`
				Change         *float64 `json:"change"`
				NegShareChange float64  `json:"neg_share_change"`
				ItemsURL       string   `json:"items_url"`
			} `json:"aspects"`
			PrevFrom time.Time `json:"previous_from"`
		}
		getJSON(t, ts, "/api/v1/aspects", 200, &r)
		if len(r.Aspects) != 3 {
			t.Fatalf("aspects = %+v, want 3", r.Aspects)
		}
		b := r.Aspects[0]
		if b.Aspect != "brakes" || b.Name != "刹车" || b.Count != 2 || b.Neg != 2 || b.NegShare != 1 || b.PreviousCount != 1 || b.Change == nil || *b.Change != 1 || b.NegShareChange != 1 {
			t.Errorf("brakes = %+v", b)
		}
		if !r.PrevFrom.Equal(at(1, 31, 0)) {
			t.Errorf("previous_from = %v, want 2024-01-31", r.PrevFrom)
		}
		if got := r.Aspects[2]; got.Aspect != "range" || got.Change != nil {
			t.Errorf("range = %+v, want no change (null)", got)
		}
		getJSON(t, ts, "/api/v1/aspects?entity=leijun", 200, &r)
		if len(r.Aspects) != 0 {
			t.Errorf("leijun aspects = %+v, want none", r.Aspects)
		}
	})
}

func TestAPIEntitiesAndQuarantine(t *testing.T) {
	eachStore(t, func(t *testing.T, ts *httptest.Server) {
		var e struct {
			Entities []struct {
				ID    string
				Name  string
				Count int64
			}
		}
		getJSON(t, ts, "/api/v1/entities", 200, &e)
		if got := fmt.Sprint(e.Entities); got != "[{xiaomi 小米汽车 30} {leijun 雷军 2}]" {
			t.Errorf("entities = %s", got)
		}
		var q struct {
			Quarantine []struct {
				File, Reason, Raw string
				Line              int
				RawBase64         string `json:"raw_base64"`
			}
			Total int
			Next  string
		}
		getJSON(t, ts, "/api/v1/quarantine?limit=2", 200, &q)
		if q.Total != 3 || len(q.Quarantine) != 2 || q.Next == "" {
			t.Fatalf("quarantine page = %+v", q)
		}
		raw, _ := base64.StdEncoding.DecodeString(q.Quarantine[0].RawBase64)
		if string(raw) != hostile+"\xff" || q.Quarantine[0].Raw != hostile+"\uFFFD" || q.Quarantine[0].Line != 3 {
			t.Errorf("record = %+v", q.Quarantine[0])
		}
	})
}

func TestJSONEscapesHTML(t *testing.T) {
	ts := newServer(t, newFakeStore(shanghai))
	_, body := get(t, ts, "/api/v1/items/c1")
	if bytes.Contains(body, []byte("<script>")) {
		t.Errorf("JSON carries raw <script>: %s", body)
	}
}

func TestErrorStatus(t *testing.T) {
	tests := []struct {
		err  error
		want int
	}{
		{trustwatch.Errorf(trustwatch.ENOTFOUND, "x"), 404},
		{trustwatch.Errorf(trustwatch.EINVALID, "x"), 400},
		{trustwatch.Errorf(trustwatch.ECONFLICT, "x"), 409},
		{trustwatch.Errorf(trustwatch.EINTERNAL, "x"), 500},
		{fmt.Errorf("sqlite: find: %w", trustwatch.Errorf(trustwatch.ENOTFOUND, "x")), 404},
		{errors.New("disk on fire"), 500},
		{trustwatch.Errorf("weird", "x"), 500},
	}
	for _, tt := range tests {
		if got := web.ErrorStatus(tt.err); got != tt.want {
			t.Errorf("ErrorStatus(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
}

// TestInternalErrors checks that a store failure is a 500 whose detail is
// logged and not shown, as HTML or JSON depending on the request.
func TestInternalErrors(t *testing.T) {
	store := newFakeStore(shanghai)
	store.Err = errors.New("sqlite: disk I/O error at /var/secret.db")
	var logs bytes.Buffer
	s := &web.Server{Anonymous: trustwatch.RoleAnalyst, Store: store, Watch: watch, Logger: slog.New(slog.NewTextHandler(&logs, nil))}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()

	resp, body := get(t, ts, "/search")
	if resp.StatusCode != 500 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !bytes.Contains(body, []byte("服务器出错")) || bytes.Contains(body, []byte("secret")) {
		t.Errorf("HTML 500: %d %s\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	resp, body = get(t, ts, "/search", "Accept", "application/json")
	if resp.StatusCode != 500 || string(body) != `{"code":"internal","error":"Internal error."}`+"\n" {
		t.Errorf("JSON 500 by Accept: %d %s", resp.StatusCode, body)
	}
	resp, body = get(t, ts, "/api/v1/items")
	if resp.StatusCode != 500 || !bytes.Contains(body, []byte(`"code":"internal"`)) {
		t.Errorf("API 500: %d %s", resp.StatusCode, body)
	}
	if !strings.Contains(logs.String(), "disk I/O error") {
		t.Errorf("internal error not logged: %s", logs.String())
	}
}

func TestNotFound(t *testing.T) {
	ts := newServer(t, newFakeStore(shanghai))
	getPage(t, ts, "/no/such/page", http.StatusNotFound)
	var e struct{ Code string }
	getJSON(t, ts, "/api/v1/nope", 404, &e)
	if e.Code != trustwatch.ENOTFOUND {
		t.Errorf("code = %q", e.Code)
	}
	resp, _ := get(t, ts, "/entities/nope", "Accept", "application/json")
	if resp.StatusCode != 404 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Errorf("404 by Accept: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

// TestEmptyStore: every page renders with no data at all, and says so.
func TestEmptyStore(t *testing.T) {
	s := &web.Server{Anonymous: trustwatch.RoleAnalyst, Store: newFakeStore(shanghai), Logger: slog.New(slog.DiscardHandler),
		Now: func() time.Time { return at(5, 1, 12) }}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	for _, path := range []string{"/", "/search", "/aspects", "/quarantine", "/api/v1/entities", "/api/v1/aspects", "/api/v1/sentiment",
		"/alerts", "/series", "/ledger", "/terms", "/report", "/api/v1/alerts", "/api/v1/ledger", "/api/v1/terms"} {
		resp, body := get(t, ts, path)
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d\n%s", path, resp.StatusCode, body)
		}
	}
	doc := getPage(t, ts, "/", http.StatusOK)
	if !strings.Contains(doc.Find("svg.chart").Text(), "暂无数据") {
		t.Error("empty overview chart does not say 暂无数据")
	}
}

func BenchmarkOverview(b *testing.B) {
	store := newFakeStore(shanghai)
	store.PutItems(context.Background(), fixtureItems())
	s := &web.Server{Anonymous: trustwatch.RoleAnalyst, Store: store, Watch: watch, Logger: slog.New(slog.DiscardHandler)}
	h := s.Handler()
	req := httptest.NewRequest("GET", "/", nil)
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatal(w.Code)
		}
	}
}
