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

// compareWatch: our brand and its car, a competitor and its car, and a
// topic (ours: a topic is a saved query, not somebody else's brand).
var compareWatch = &trustwatch.Watch{
	Entities: []trustwatch.Entity{
		{ID: "ours", Kind: trustwatch.EntityBrand, Name: "我方汽车"},
		{ID: "ours-x", Kind: trustwatch.EntityProduct, Name: "我方X", Parent: "ours"},
		{ID: "rival", Kind: trustwatch.EntityCompetitor, Name: "对手汽车"},
		{ID: "rival-r", Kind: trustwatch.EntityProduct, Name: "对手R", Parent: "rival"},
		{ID: "brakes-topic", Kind: trustwatch.EntityTopic, Name: "刹车话题", Query: "刹车 OR 刹停"},
	},
	Aspects: []trustwatch.AspectDef{{ID: "brakes", Name: "刹车"}, {ID: "range", Name: "续航"}, {ID: "service", Name: "服务"}},
}

// compareItems, by hand, in the window 2024-03-01 … 2024-03-30 (x0 is
// before it and must not count):
//
//	ours:  a1 pos, a2 neg, a3 neg, a4 neg, b4 pos  → 5 items, net (2−3)/5 = −0.20
//	       complaints: 刹车 2 (a2, a3), 续航 1 (a3)
//	rival: b1 neg, b2 neg, b3 pos, b4 pos, b5 neu, b6 pos → 6 items, net (3−2)/6 = +0.17
//	       complaints: 服务 2 (b1, b2)
//	shares of 11 mentions: 5/11 = 45.5%, 6/11 = 54.5%
func compareItems() []trustwatch.Item {
	neg := func(aspects ...string) []trustwatch.AspectHit {
		var hs []trustwatch.AspectHit
		for _, a := range aspects {
			hs = append(hs, trustwatch.AspectHit{Aspect: a, Label: trustwatch.Negative})
		}
		return hs
	}
	item := func(id string, day int, l trustwatch.Label, ents []string, aspects []trustwatch.AspectHit) trustwatch.Item {
		return trustwatch.Item{ID: id, Platform: "weibo", Kind: trustwatch.KindPost, Text: "文本 " + id, Tokens: []string{"文本"},
			Time: at(3, day, 10), Entities: ents, Sentiment: l, Aspects: aspects}
	}
	return []trustwatch.Item{
		item("x0", 0, trustwatch.Negative, []string{"ours"}, neg("brakes")), // 2024-02-29
		item("a1", 2, trustwatch.Positive, []string{"ours"}, nil),
		item("a2", 5, trustwatch.Negative, []string{"ours", "brakes-topic"}, neg("brakes")),
		item("a3", 8, trustwatch.Negative, []string{"ours-x", "ours", "brakes-topic"}, neg("brakes", "range")),
		item("a4", 9, trustwatch.Negative, []string{"ours"}, nil),
		item("b1", 10, trustwatch.Negative, []string{"rival"}, neg("service")),
		item("b2", 12, trustwatch.Negative, []string{"rival-r", "rival"}, neg("service")),
		item("b3", 15, trustwatch.Positive, []string{"rival"}, nil),
		item("b4", 20, trustwatch.Positive, []string{"ours", "rival"}, nil),
		item("b5", 25, trustwatch.Neutral, []string{"rival"}, nil),
		item("b6", 30, trustwatch.Positive, []string{"rival"}, nil),
	}
}

func compareAlerts() []trustwatch.Alert {
	resolved := at(3, 29, 0)
	return []trustwatch.Alert{
		{ID: "own1", Rule: "crash", Kind: "volume.spike", Entity: "ours", Severity: "high", Opened: at(3, 9, 10), Updated: at(3, 9, 10), Statement: "我方声量激增"},
		{ID: "own2", Rule: "t", Kind: "volume.spike", Entity: "brakes-topic", Severity: "medium", Opened: at(3, 8, 10), Updated: at(3, 8, 10), Statement: "刹车话题激增"},
		{ID: "rv1", Rule: "crash", Kind: "volume.spike", Entity: "rival-r", Severity: "critical", Opened: at(3, 12, 10), Updated: at(3, 12, 10), Statement: "对手R 声量激增"},
		{ID: "rv2", Rule: "mood", Kind: "sentiment.spike", Entity: "rival", Severity: "low", Opened: at(3, 10, 10), Updated: at(3, 10, 10), Resolved: &resolved, Statement: "已过去"},
	}
}

func newCompareServer(t *testing.T, store trustwatch.Store) *httptest.Server {
	t.Helper()
	ctx := context.Background()
	if _, _, err := store.PutItems(ctx, compareItems()); err != nil {
		t.Fatal(err)
	}
	for _, a := range compareAlerts() {
		if err := store.PutAlert(ctx, &a); err != nil {
			t.Fatal(err)
		}
	}
	s := &web.Server{Anonymous: trustwatch.RoleAnalyst, Store: store, Watch: compareWatch, Location: shanghai,
		Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return at(4, 1, 9) }}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(func() { ts.Close(); store.Close() })
	return ts
}

func cellTexts(sel *goquery.Selection) []string {
	return sel.Map(func(_ int, s *goquery.Selection) string { return strings.Join(strings.Fields(s.Text()), " ") })
}

func TestComparePage(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			ts := newCompareServer(t, st.open(t))
			doc := getPage(t, ts, "/compare", http.StatusOK)
			rows := doc.Find("table.compare tbody tr")
			if rows.Length() != 2 {
				t.Fatalf("%d rows, want our brand and the competitor (not products, not topics)", rows.Length())
			}
			want := [][]string{
				// brand, count, share, pos, neu, neg, net, complaints
				{"我方汽车 我方", "5", "45.5%", "2", "0", "3", "-0.20", "刹车 2、续航 1"},
				{"对手汽车 竞品", "6", "54.5%", "3", "1", "2", "+0.17", "服务 2"},
			}
			rows.Each(func(i int, row *goquery.Selection) {
				got := append(cellTexts(row.Find("th")), cellTexts(row.Find("td"))...)
				if strings.Join(got[:8], " | ") != strings.Join(want[i], " | ") {
					t.Errorf("row %d = %q, want %q", i, got[:8], want[i])
				}
			})
			if doc.Find("figure.chart svg.chart").Length() != 1 {
				t.Error("no volume chart")
			}
			if href, _ := doc.Find(`nav a[aria-current="page"]`).Attr("href"); href != "/compare" {
				t.Errorf("active nav = %q", href)
			}
			// The complaint links search the competitor's negative items on that aspect in the window.
			href, _ := rows.Eq(1).Find("td.complaints a").Attr("href")
			if !strings.Contains(href, "aspect=service") || !strings.Contains(href, "entity=rival") || !strings.Contains(href, "label=neg") || !strings.Contains(href, "from=2024-03-01") {
				t.Errorf("complaint link = %q", href)
			}
		})
	}
}

func TestCompareIncidents(t *testing.T) {
	ts := newCompareServer(t, stores[1].open(t)) // the fake store keeps no alerts
	doc := getPage(t, ts, "/compare", http.StatusOK)
	// Open alerts per row: ours has own1 (the topic is no brand row);
	// rival has rv1 through its product; rv2 is resolved.
	if got := cellTexts(doc.Find("table.compare tbody tr td:last-child")); strings.Join(got, " ") != "1 1" {
		t.Errorf("open alerts per row = %q, want 1 1", got)
	}
	if got := hrefs(doc.Find("ul.incidents li > a[href^='/alerts/']")); strings.Join(got, " ") != "/alerts/rv1" {
		t.Errorf("competitor incidents = %q, want rv1 only", got)
	}
	if got := doc.Find("ul.incidents li .tag.competitor").Text(); got != "竞品" {
		t.Errorf("incident tag = %q", got)
	}
	if got := doc.Find("section p.summary").Last().Text(); !strings.Contains(got, "竞品的未解决预警 1 条；我方未解决预警 2 条") {
		t.Errorf("summary = %q", got)
	}

	// The alerts page lists ours and the competitors' apart.
	doc = getPage(t, ts, "/alerts?open=1", http.StatusOK)
	tables := doc.Find("table.alerts")
	if tables.Length() != 2 {
		t.Fatalf("%d alert tables, want ours and 竞品事件", tables.Length())
	}
	if got := strings.Join(hrefs(tables.Eq(0).Find("tbody tr td:nth-child(3) a")), " "); got != "/alerts/own1 /alerts/own2" {
		t.Errorf("our alerts = %q", got)
	}
	if got := strings.Join(hrefs(tables.Eq(1).Find("tbody tr td:nth-child(3) a")), " "); got != "/alerts/rv1" {
		t.Errorf("competitor alerts = %q", got)
	}
	if tables.Eq(1).Find(".tag.competitor").Length() != 1 || tables.Eq(0).Find(".tag.competitor").Length() != 0 {
		t.Error("competitor rows must be tagged 竞品, ours not")
	}
	if got := doc.Find("p.summary").First().Text(); !strings.Contains(got, "未处理 3（其中竞品 1）") {
		t.Errorf("summary = %q", got)
	}

	// The overview keeps them apart too.
	doc = getPage(t, ts, "/", http.StatusOK)
	if got := strings.Join(hrefs(doc.Find(".incidents li > a[href^='/alerts/']")), " "); got != "/alerts/rv1" {
		t.Errorf("overview incidents = %q", got)
	}
	if got := doc.Find(".incidents h2").Text(); !strings.Contains(got, "竞品事件") || !strings.Contains(got, "1 条") {
		t.Errorf("overview incidents heading = %q", got)
	}
	// Topics and competitors are tagged in the entity lists.
	if got := cellTexts(doc.Find("table.matrix tbody th")); strings.Join(got, "|") != "我方汽车|我方X|对手汽车 竞品|对手R 竞品|刹车话题 话题" {
		t.Errorf("matrix entities = %q", got)
	}
}

func TestTopicPage(t *testing.T) {
	ts := newCompareServer(t, stores[1].open(t))
	doc := getPage(t, ts, "/entities/brakes-topic", http.StatusOK)
	if got := doc.Find("h1 small.kind").Text(); got != "话题" {
		t.Errorf("kind = %q, want 话题", got)
	}
	if got := doc.Find("p.topic-query code").Text(); got != "刹车 OR 刹停" {
		t.Errorf("query = %q", got)
	}
	if href, _ := doc.Find("p.topic-query a").Attr("href"); href != "/search?q=%E5%88%B9%E8%BD%A6+OR+%E5%88%B9%E5%81%9C" {
		t.Errorf("search link = %q", href)
	}
	if got := doc.Find("p.summary").First().Text(); !strings.Contains(got, "所选 30 天内 2 条") {
		t.Errorf("summary = %q, want the topic's 2 items (a2, a3)", got)
	}
	if got := hrefs(doc.Find("ul.alert-list a")); strings.Join(got, " ") != "/alerts/own2" {
		t.Errorf("topic alerts = %q", got)
	}
}
