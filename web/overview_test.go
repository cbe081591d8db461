package web_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"trustwatch"
	"trustwatch/sqlite"
	"trustwatch/web"
)

// newChangesServer serves a store whose newest item is 03-20 09:30:
// 小米汽车 has 2 neutral items at 08:00 on each of 03-13 … 03-19 and 12
// on 03-20 (6 of them negative); 雷军 2 a day throughout; 小米SU7 2 a day,
// then 7 on 03-20. Its alerts: an old open one, a new spike, a new
// nickname and a new resolved one.
func newChangesServer(t *testing.T) *httptest.Server {
	t.Helper()
	ctx := context.Background()
	db := sqlite.NewDB(":memory:")
	db.Location = shanghai
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	var items []trustwatch.Item
	add := func(entity string, day, n, neg int) {
		for i := range n {
			l := trustwatch.Neutral
			if i < neg {
				l = trustwatch.Negative
			}
			items = append(items, trustwatch.Item{ID: fmt.Sprintf("%s-%d-%d", entity, day, i), Platform: "weibo", Kind: trustwatch.KindPost,
				Text: fmt.Sprintf("%s 第%d天 第%d条", entity, day, i), Time: at(3, day, 8).Add(time.Duration(i) * 7 * time.Minute), Entities: []string{entity}, Sentiment: l})
		}
	}
	for day := 13; day <= 19; day++ {
		add("xiaomi", day, 2, 0)
		add("leijun", day, 2, 0)
		add("su7", day, 2, 0)
	}
	add("xiaomi", 20, 12, 6)
	add("leijun", 20, 2, 0)
	add("su7", 20, 7, 0)
	// The newest item, at 09:30.
	items = append(items, trustwatch.Item{ID: "newest", Platform: "xhs", Kind: trustwatch.KindPost, Text: "最新的一条", Time: at(3, 20, 9).Add(30 * time.Minute), Sentiment: trustwatch.Neutral})
	if _, _, err := db.PutItems(ctx, items); err != nil {
		t.Fatal(err)
	}
	resolved := at(3, 19, 20)
	ev := func(n int) []trustwatch.Evidence {
		var out []trustwatch.Evidence
		for i := range n {
			out = append(out, trustwatch.Evidence{ItemID: fmt.Sprintf("xiaomi-20-%d", i), Time: at(3, 20, 8)})
		}
		return out
	}
	for _, a := range []trustwatch.Alert{
		{ID: "old", Rule: "r", Kind: "metric.low", Entity: "xiaomi", Severity: "high", Opened: at(3, 10, 16), Statement: "股价创新低", Evidence: ev(2)},
		{ID: "spike", Rule: "r", Kind: "volume.spike", Entity: "xiaomi", Severity: "critical", Opened: at(3, 20, 8), Statement: "小米汽车声量激增", Evidence: ev(3)},
		{ID: "nick", Rule: "r", Kind: "term.nickname", Entity: "leijun", Subject: "雷不群", Severity: "high", Opened: at(3, 20, 9), Statement: "雷军 外号「雷不群」"},
		{ID: "done", Rule: "r", Kind: "sentiment.spike", Entity: "su7", Severity: "low", Opened: at(3, 19, 12), Resolved: &resolved, Statement: "负面占比上升"},
	} {
		a.Updated = a.Opened
		if err := db.PutAlert(ctx, &a); err != nil {
			t.Fatal(err)
		}
	}
	s := &web.Server{Anonymous: trustwatch.RoleViewer, Store: db, Watch: detectorWatch(), Location: shanghai, Logger: slog.New(slog.DiscardHandler),
		Now: func() time.Time { return at(3, 21, 12) }}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(func() { ts.Close(); db.Close() })
	return ts
}

// pageWithCookie is GET / with the Cookie header given.
func pageWithCookie(t *testing.T, ts *httptest.Server, cookie string) *goquery.Document {
	t.Helper()
	resp, body := get(t, ts, "/", "Cookie", cookie)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET / with %s: status %d", cookie, resp.StatusCode)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func texts(sel *goquery.Selection) []string {
	return sel.Map(func(_ int, s *goquery.Selection) string { return strings.Join(strings.Fields(s.Text()), " ") })
}

// TestOverviewOpenAlerts: the overview opens on the open alerts, most
// severe first, each with its statement, its evidence count and a link.
func TestOverviewOpenAlerts(t *testing.T) {
	ts := newChangesServer(t)
	doc := getPage(t, ts, "/", http.StatusOK)
	if first := doc.Find("main section").First(); !first.HasClass("attention") {
		t.Errorf("the first section is %q, not the open alerts", first.Find("h2").First().Text())
	}
	groups := texts(doc.Find(".open-alerts h3.severity-group"))
	if got := strings.Join(groups, " | "); got != "严重 1 条 | 高 2 条" {
		t.Errorf("severity groups = %q", got)
	}
	rows := doc.Find(".open-alerts ul.alert-list li")
	want := []struct{ href, statement, evidence string }{
		{"/alerts/spike", "小米汽车声量激增", "证据 3 条"},
		{"/alerts/nick", "雷军 外号「雷不群」", "证据 0 条"},
		{"/alerts/old", "股价创新低", "证据 2 条"},
	}
	if rows.Length() != len(want) {
		t.Fatalf("%d open alerts listed, want %d: %q", rows.Length(), len(want), texts(rows))
	}
	rows.Each(func(i int, li *goquery.Selection) {
		if h, _ := li.Find("a").First().Attr("href"); h != want[i].href {
			t.Errorf("row %d links %q, want %q", i, h, want[i].href)
		}
		if !strings.Contains(li.Text(), want[i].statement) || li.Find(".evidence-count").Text() != want[i].evidence {
			t.Errorf("row %d = %q, want %q and %q", i, li.Text(), want[i].statement, want[i].evidence)
		}
	})
}

// TestOverviewChanges: without tw_seen, the last 24 hours (03-19 10:00 to
// the newest item); with it, only what came after; the cookie is set to
// the newest item each visit.
func TestOverviewChanges(t *testing.T) {
	ts := newChangesServer(t)
	newest := at(3, 20, 9).Add(30 * time.Minute)

	resp, body := get(t, ts, "/")
	var seen string
	for _, c := range resp.Cookies() {
		if c.Name == "tw_seen" {
			seen = c.Value
		}
	}
	if seen != strconv.FormatInt(newest.Unix(), 10) {
		t.Errorf("tw_seen = %q, want the newest item's %d", seen, newest.Unix())
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	ch := doc.Find("section.changes")
	if s := ch.Find("p.summary").First().Text(); !strings.Contains(s, "最近 24 小时（2024-03-19 10:00 起）至 2024-03-20 09:30") {
		t.Errorf("span = %q", s)
	}
	// The spike and the resolved one opened in the span; the nickname is
	// listed as a new term; the old alert is not new.
	if got := strings.Join(hrefs(ch.Find("ul.new-alerts li > a[href^='/alerts/']")), " "); got != "/alerts/spike /alerts/done" {
		t.Errorf("new alerts = %q", got)
	}
	if got := strings.Join(hrefs(ch.Find("ul.new-terms li > a[href^='/alerts/']")), " "); got != "/alerts/nick" {
		t.Errorf("new terms = %q", got)
	}
	// 小米汽车: 12 items against 14 in 7 days (expected 15/7), p = 2.7e-6;
	// 6 of 12 negative against 0 of 14 (expected 12 × 1/16), p = 1.3e-4;
	// 小米SU7: 7 against 14, p = 0.0065; 雷军: 2 against 14, p = 0.63, not shown.
	got := ch.Find("table.moves tbody tr").Map(func(_ int, tr *goquery.Selection) string {
		return strings.Join(texts(tr.Find("th, td")), " | ")
	})
	want := []string{
		"小米汽车 | 声量上升 | 12 条 | 共 14 条，每时段 2 条 | p < 0.001",
		"小米汽车 | 负面占比上升 | 负面 6 / 12 条（50.0%） | 负面 0 / 14 条（0.0%） | p < 0.001",
		"小米SU7 | 声量上升 | 7 条 | 共 14 条，每时段 2 条 | p = 0.007",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("moves =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// Back after 09:00 of the same data: only the nickname is new.
	doc = pageWithCookie(t, ts, "tw_seen="+strconv.FormatInt(at(3, 20, 9).Unix(), 10))
	ch = doc.Find("section.changes")
	if s := ch.Find("p.summary").First().Text(); !strings.Contains(s, "自上次访问（数据至 2024-03-20 09:00）") {
		t.Errorf("span = %q", s)
	}
	if n := ch.Find("ul.new-alerts li").Length(); n != 0 {
		t.Errorf("%d new alerts since 09:00, want 0", n)
	}
	if got := strings.Join(hrefs(ch.Find("ul.new-terms li > a[href^='/alerts/']")), " "); got != "/alerts/nick" {
		t.Errorf("new terms since 09:00 = %q", got)
	}
	// Back with nothing newer than the last visit.
	doc = pageWithCookie(t, ts, "tw_seen="+seen)
	if s := doc.Find("section.changes p.empty").Text(); s != "上次访问以来没有新数据。" {
		t.Errorf("no new data: %q", s)
	}
}
