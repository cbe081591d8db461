package web_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"trustwatch"
	"trustwatch/sqlite"
	"trustwatch/web"
)

func ptr(v float64) *float64 { return &v }

// detectorWatch extends the fixture watch with what the detector pages
// show: claims (one of them hostile), series with rules, and the accounts
// 雷军 posts under.
func detectorWatch() *trustwatch.Watch {
	day := func(m time.Month, d int) trustwatch.Date { return trustwatch.Date{Time: at(m, d, 0)} }
	return &trustwatch.Watch{
		Entities: []trustwatch.Entity{
			{ID: "xiaomi", Kind: trustwatch.EntityBrand, Name: "小米汽车", Aliases: []string{"小米"}, Accounts: []string{"小米汽车服务"}},
			{ID: "leijun", Kind: trustwatch.EntityPerson, Name: "雷军", Parent: "xiaomi", Accounts: []string{"雷军"}},
			{ID: "su7", Kind: trustwatch.EntityProduct, Name: "小米SU7", Parent: "xiaomi"},
		},
		Aspects: watch.Aspects,
		Claims: []trustwatch.Claim{
			{ID: "brake", Entity: "xiaomi", Text: "地表最强刹车，超级安全", Date: day(3, 1), Source: "发布会", Kind: "safety", Subject: []string{"刹车"}},
			{ID: "evil", Entity: "xiaomi", Text: hostile, Date: day(3, 1), Subject: []string{"填充"}},
		},
		Series: []trustwatch.SeriesDef{
			{ID: "px", Entity: "xiaomi", Kind: trustwatch.SeriesPrice, Unit: "HKD", Name: "小米收盘价"},
			{ID: "sos", Entity: "xiaomi", Kind: trustwatch.SeriesResponseSeconds, Unit: "s", Name: "SOS 接通"},
			{ID: "def", Entity: "xiaomi", Kind: trustwatch.SeriesDefects, Name: "批次缺陷"},
		},
		Rules: []trustwatch.Rule{
			{ID: "px-low", Series: "px", Detector: "low", Below: ptr(40), Severity: "high"},
			{ID: "sos", Series: "sos", Detector: "sla", Target: 60, Percentile: 90, Severity: "high"},
			{ID: "body", Series: "def", Detector: "spc", Chart: "p", Severity: "medium"},
		},
	}
}

// fixturePoints: a price falling from 50 to 41 over ten days; SOS response
// times on two days, the first over target at P90, the second not; four
// defect batches, 10, 30, 20 and 20 out of 100.
func fixturePoints() []trustwatch.Point {
	var pts []trustwatch.Point
	for i := range 10 {
		pts = append(pts, trustwatch.Point{Series: "px", Time: at(3, 1+i, 16), Value: float64(50 - i), Entity: "xiaomi", Unit: "HKD"})
	}
	for i, v := range []float64{10, 20, 30, 40, 100} {
		pts = append(pts, trustwatch.Point{Series: "sos", Time: at(3, 20, 8+i), Value: v, Unit: "s"})
	}
	for i := range 5 {
		pts = append(pts, trustwatch.Point{Series: "sos", Time: at(3, 21, 8+i), Value: 10, Unit: "s"})
	}
	for i, c := range []float64{10, 30, 20, 20} {
		pts = append(pts, trustwatch.Point{Series: "def", Time: at(3, 1+7*i, 18), Count: c, Sample: 100, Batch: fmt.Sprintf("B%d", i+1)})
	}
	return pts
}

// fixtureAlerts, in the order the store lists them: open ones by severity
// (a1 critical, a2 high, a4 medium), then the resolved a3.
func fixtureAlerts() []trustwatch.Alert {
	resolved := at(3, 12, 0)
	return []trustwatch.Alert{
		{ID: "a1", Rule: "crash", Kind: "volume.spike", Entity: "xiaomi", Severity: "critical", Opened: at(3, 30, 10), Updated: at(3, 30, 10),
			Value: 4.5, Statement: "声量激增 " + hostile, Evidence: []trustwatch.Evidence{{ItemID: "p1", Time: at(3, 30, 10), Note: hostile}, {ItemID: "gone", Time: at(3, 30, 10)}}},
		{ID: "a2", Rule: "px-low", Kind: "metric.low", Entity: "xiaomi", Series: "px", Severity: "high", Opened: at(3, 10, 16), Updated: at(3, 10, 16),
			Value: 41, Statement: "px 收于 41 HKD，创 9 天新低", Evidence: []trustwatch.Evidence{{Series: "px", Time: at(3, 10, 16), Value: 41}}},
		{ID: "a3", Rule: "mood", Kind: "sentiment.spike", Entity: "xiaomi", Severity: "low", Opened: at(3, 10, 9), Updated: at(3, 10, 9),
			Resolved: &resolved, Statement: "负面占比上升"},
		{ID: "a4", Rule: "builtin:claim.default", Kind: "claim.default", Entity: "xiaomi", Subject: "brake", Severity: "medium", Opened: at(3, 25, 0), Updated: at(3, 25, 0),
			Statement: "承诺「地表最强刹车」已违约"},
	}
}

// newDetectorServer serves the fixture items, points and alerts from an
// in-memory SQLite store.
func newDetectorServer(t *testing.T) (*httptest.Server, trustwatch.Store) {
	t.Helper()
	ctx := context.Background()
	db := sqlite.NewDB(":memory:")
	db.Location = shanghai
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	items := fixtureItems()
	// 雷军's own posts and a fatigued reply, for the voice page.
	for i := range 12 {
		items = append(items, trustwatch.Item{ID: fmt.Sprintf("lj%02d", i), Platform: "weibo", Kind: trustwatch.KindPost, Author: "雷军",
			Text: fmt.Sprintf("感谢每一位朋友的支持，第%d批车今天交付", i), Time: at(3, 1+2*i, 12), Entities: []string{"leijun"}, Sentiment: trustwatch.Positive})
	}
	items = append(items, trustwatch.Item{ID: "r1", Platform: "weibo", Kind: trustwatch.KindComment, ParentID: "lj11", Author: "网友",
		Text: "又来了 " + hostile, Time: at(3, 23, 13), Likes: 10, Entities: []string{"leijun"}, Sentiment: trustwatch.Negative})
	// A nickname spreading on 03-22, in varied company so that its
	// neighbours are free, for the terms page.
	for i, text := range []string{"今天又看到雷不群发言了", "雷不群说的话谁信啊", "网友都叫他雷不群了", "所谓雷不群就是这样", "别再吹了雷不群", "雷不群的发布会又来了", "我看雷不群不行", "大家觉得雷不群怎么样"} {
		items = append(items, trustwatch.Item{ID: fmt.Sprintf("nk%d", i), Platform: "weibo", Kind: trustwatch.KindPost, Text: text,
			Time: at(3, 22, 8+i), Entities: []string{"leijun"}, Sentiment: trustwatch.Negative})
	}
	// Everyday chatter the same day: without it a three-character term
	// in a corpus of 80 characters cannot be told from chance.
	chatter := []string{"今天天气不错出去走走", "下午开会讨论新的方案", "周末去公园跑步锻炼身体", "晚饭吃了面条和饺子", "这个城市的交通太堵了", "明天早上要早点起床"}
	for i := range 40 {
		items = append(items, trustwatch.Item{ID: fmt.Sprintf("ch%02d", i), Platform: "xhs", Kind: trustwatch.KindPost,
			Text: fmt.Sprintf("%s%d", chatter[i%len(chatter)], i), Time: at(3, 22, 1+i%20), Sentiment: trustwatch.Neutral})
	}
	// Service complaints on the SOS days, two of three about waiting, and
	// the brand's same reply under two of them: a canned reply.
	service := []trustwatch.AspectHit{{Aspect: "service", Label: trustwatch.Negative}}
	for i, text := range []string{"SOS等了6分钟才接通", "客服电话一直打不通", "客服态度很差"} {
		items = append(items, trustwatch.Item{ID: fmt.Sprintf("sv%d", i), Platform: "weibo", Kind: trustwatch.KindPost, Text: text,
			Time: at(3, 20, 10+i), Entities: []string{"xiaomi"}, Sentiment: trustwatch.Negative, Aspects: service})
	}
	for i := range 2 {
		items = append(items, trustwatch.Item{ID: fmt.Sprintf("of%d", i), Platform: "weibo", Kind: trustwatch.KindComment, ParentID: fmt.Sprintf("sv%d", i),
			Author: "小米汽车服务", Text: "您好，您反馈的问题我们已经记录，稍后会有专员联系您。", Time: at(3, 20, 15+i), Entities: []string{"xiaomi"}})
	}
	if _, _, err := db.PutItems(ctx, items); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.PutPoints(ctx, fixturePoints()); err != nil {
		t.Fatal(err)
	}
	for _, a := range fixtureAlerts() {
		if err := db.PutAlert(ctx, &a); err != nil {
			t.Fatal(err)
		}
	}
	s := &web.Server{Anonymous: trustwatch.RoleAnalyst, Store: db, Watch: detectorWatch(), Location: shanghai, Logger: slog.New(slog.DiscardHandler),
		Now: func() time.Time { return at(4, 1, 9) }}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(func() { ts.Close(); db.Close() })
	return ts, db
}

func hrefs(sel *goquery.Selection) []string {
	var out []string
	sel.Each(func(_ int, s *goquery.Selection) {
		h, _ := s.Attr("href")
		out = append(out, h)
	})
	return out
}

func TestAlertsPage(t *testing.T) {
	ts, _ := newDetectorServer(t)
	tests := []struct {
		name, query string
		want        string // alert links, in order
		summary     string
	}{
		{"all: open by severity, then resolved", "", "/alerts/a1 /alerts/a2 /alerts/a4 /alerts/a3", "4 条符合条件：未处理 3，已确认 0，已解决 1"},
		{"open only", "?open=1", "/alerts/a1 /alerts/a2 /alerts/a4", "3 条符合条件"},
		{"kind", "?kind=metric.low", "/alerts/a2", "1 条符合条件：未处理 1，已确认 0，已解决 0"},
		{"since a day", "?since=2024-03-25", "/alerts/a1 /alerts/a4", "2 条符合条件"},
		{"since a span back from now", "?since=5d", "/alerts/a1", "1 条符合条件"},
		{"entity", "?entity=leijun", "", "0 条符合条件"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := getPage(t, ts, "/alerts"+tt.query, http.StatusOK)
			if got := strings.Join(hrefs(doc.Find("table.alerts tbody tr td:nth-child(3) a")), " "); got != tt.want {
				t.Errorf("alerts = %q, want %q", got, tt.want)
			}
			if got := doc.Find("p.summary").Text(); !strings.Contains(got, tt.summary) {
				t.Errorf("summary = %q, want %q", got, tt.summary)
			}
		})
	}
	doc := getPage(t, ts, "/alerts", http.StatusOK)
	row := doc.Find("table.alerts tbody tr").First()
	cells := row.Find("td").Map(func(_ int, s *goquery.Selection) string { return strings.TrimSpace(s.Text()) })
	if cells[0] != "严重" || cells[1] != "未处理" || cells[2] != "声量激增" || cells[3] != "小米汽车" || cells[4] != "2024-03-30 10:00" || cells[6] != "4.5" || cells[7] != "2 条" {
		t.Errorf("first row = %q", cells)
	}
	// An open alert has both forms, a resolved one none.
	if n := row.Find("form").Length(); n != 2 {
		t.Errorf("open alert has %d forms, want ack and resolve", n)
	}
	if n := doc.Find("table.alerts tbody tr").Last().Find("form").Length(); n != 0 {
		t.Errorf("resolved alert has %d forms", n)
	}
	if href, _ := doc.Find(`nav a[aria-current="page"]`).Attr("href"); href != "/alerts" {
		t.Errorf("active nav = %q", href)
	}
	// The kind filter offers the registry's kinds, by their labels.
	opts := doc.Find(`select[name="kind"] option`)
	if v, _ := opts.Eq(1).Attr("value"); v != "metric.low" || opts.Eq(1).Text() != "创新低" || opts.Length() < 17 {
		t.Errorf("kind options: first %q %q of %d", v, opts.Eq(1).Text(), opts.Length())
	}
	getPage(t, ts, "/alerts?since=last+tuesday", http.StatusBadRequest)
	getPage(t, ts, "/alerts?open=maybe", http.StatusBadRequest)
}

// postForm posts a form without following the redirect.
func postForm(t *testing.T, ts *httptest.Server, path string, form url.Values, header ...string) *http.Response {
	t.Helper()
	req, err := http.NewRequest("POST", ts.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	c := *ts.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func TestAlertAckResolve(t *testing.T) {
	ts, store := newDetectorServer(t)
	ctx := context.Background()
	state := func(id string) (acked, resolved bool) {
		as, _, err := store.FindAlerts(ctx, trustwatch.AlertFilter{ID: id})
		if err != nil || len(as) != 1 {
			t.Fatalf("find %s: %v %d", id, err, len(as))
		}
		return as[0].Acked != nil, as[0].Resolved != nil
	}

	// The form on /alerts acknowledges and comes back to the list.
	b := newBrowser(t, ts)
	doc := b.page("/alerts?open=1", http.StatusOK)
	form := doc.Find("table.alerts tbody tr").First().Find("form").First()
	action, _ := form.Attr("action")
	back, _ := form.Find(`input[name="back"]`).Attr("value")
	if action != "/alerts/a1/ack" || back != "/alerts?open=1" {
		t.Fatalf("ack form: action %q, back %q", action, back)
	}
	resp := b.post(action, url.Values{"back": {back}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/alerts?open=1" {
		t.Errorf("ack: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if acked, resolved := state("a1"); !acked || resolved {
		t.Errorf("after ack: acked %v resolved %v", acked, resolved)
	}
	doc = b.page("/alerts/a1", http.StatusOK)
	if got := doc.Find("h1 .state").Text(); got != "已确认" {
		t.Errorf("state after ack = %q", got)
	}
	if n := doc.Find(`form[action="/alerts/a1/ack"]`).Length(); n != 0 {
		t.Error("an acknowledged alert still offers ack")
	}

	// Resolve; a back address elsewhere is not followed.
	resp = b.post("/alerts/a1/resolve", url.Values{"back": {"//evil.example/x"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/alerts/a1" {
		t.Errorf("resolve: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, resolved := state("a1"); !resolved {
		t.Error("a1 not resolved")
	}
	if resp := b.post("/alerts/nope/ack", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("ack of a missing alert: %d", resp.StatusCode)
	}
	// Another site cannot submit the form, even with the token; nor can a
	// form without the token.
	if resp := b.post("/alerts/a2/ack", nil, "Sec-Fetch-Site", "cross-site"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site ack: %d, want 403", resp.StatusCode)
	}
	if resp := postForm(t, ts, "/alerts/a2/ack", nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("ack without the CSRF token: %d, want 403", resp.StatusCode)
	}
	if acked, _ := state("a2"); acked {
		t.Error("cross-site ack changed the alert")
	}
	if resp, _ := get(t, ts, "/alerts/a2/ack"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET ack: %d, want 404 (only POST changes an alert)", resp.StatusCode)
	}
	if acked, _ := state("a2"); acked {
		t.Error("GET ack changed the alert")
	}
}

func TestAlertPage(t *testing.T) {
	ts, _ := newDetectorServer(t)
	doc := getPage(t, ts, "/alerts/a1", http.StatusOK)
	if got := doc.Find(".statement-big").Text(); got != "声量激增 "+hostile {
		t.Errorf("statement = %q", got)
	}
	if got := strings.Join(hrefs(doc.Find("article.item .when")), " "); got != "/items/p1" {
		t.Errorf("evidence items = %q", got)
	}
	if !strings.Contains(doc.Find("p.empty").Text(), "gone") {
		t.Error("the missing evidence item is not named")
	}
	if doc.Find("figure.chart svg.chart").Length() != 1 {
		t.Error("no chart around the alert")
	}

	doc = getPage(t, ts, "/alerts/a2", http.StatusOK)
	if got := strings.Join(hrefs(doc.Find("table.points a")), " "); got != "/series/px" {
		t.Errorf("series evidence = %q", got)
	}
	getPage(t, ts, "/alerts/nope", http.StatusNotFound)
}

func TestAPIAlerts(t *testing.T) {
	ts, _ := newDetectorServer(t)
	var r struct {
		Alerts []trustwatch.Alert `json:"alerts"`
		Total  int                `json:"total"`
		Next   string             `json:"next"`
	}
	getJSON(t, ts, "/api/v1/alerts?limit=2", 200, &r)
	if r.Total != 4 || len(r.Alerts) != 2 || r.Alerts[0].ID != "a1" || r.Next == "" {
		t.Errorf("page 1: total %d, %d alerts, next %q", r.Total, len(r.Alerts), r.Next)
	}
	if len(r.Alerts[0].Evidence) != 2 || r.Alerts[0].Evidence[0].ItemID != "p1" || !r.Alerts[0].Opened.Equal(at(3, 30, 10)) {
		t.Errorf("a1 = %+v", r.Alerts[0])
	}
	getJSON(t, ts, "/api/v1/alerts?open=true&entity=xiaomi&kind=claim.default", 200, &r)
	if r.Total != 1 || r.Alerts[0].ID != "a4" || r.Alerts[0].Subject != "brake" {
		t.Errorf("claim alerts = %+v", r)
	}
	var empty map[string]any
	getJSON(t, ts, "/api/v1/alerts?entity=nobody", 200, &empty)
	if a, ok := empty["alerts"].([]any); !ok || len(a) != 0 {
		t.Errorf("no alerts: %#v, want []", empty["alerts"])
	}
	var e struct{ Code string }
	getJSON(t, ts, "/api/v1/alerts?since=soon", 400, &e)
}

// TestEntityMarkers: the entity's sentiment chart marks its volume,
// sentiment and claim alerts, not its metric ones.
func TestEntityMarkers(t *testing.T) {
	ts, _ := newDetectorServer(t)
	doc := getPage(t, ts, "/entities/xiaomi", http.StatusOK)
	var titles []string
	doc.Find("figure.chart svg.chart title").Each(func(_ int, s *goquery.Selection) { titles = append(titles, s.Text()) })
	all := strings.Join(titles, "|")
	for _, want := range []string{"声量激增 " + hostile, "负面占比上升", "承诺「地表最强刹车」已违约"} {
		if !strings.Contains(all, want) {
			t.Errorf("no marker titled %q among %q", want, titles)
		}
	}
	if strings.Contains(all, "创 9 天新低") {
		t.Error("a metric alert is marked on the sentiment chart")
	}
	if n := doc.Find(`a[href="/voice/leijun"]`).Length(); n != 0 {
		t.Error("the brand (no accounts) links a voice page")
	}
	doc = getPage(t, ts, "/entities/leijun", http.StatusOK)
	if n := doc.Find(`a[href="/voice/leijun"]`).Length(); n != 1 {
		t.Error("the person's page does not link its voice page")
	}
}

func TestSeriesPages(t *testing.T) {
	ts, _ := newDetectorServer(t)
	doc := getPage(t, ts, "/series", http.StatusOK)
	rows := doc.Find("table.series tbody tr")
	if rows.Length() != 3 {
		t.Fatalf("series rows = %d, want 3", rows.Length())
	}
	px := rows.First().Find("th, td").Map(func(_ int, s *goquery.Selection) string { return strings.TrimSpace(s.Text()) })
	if !strings.HasPrefix(px[0], "小米收盘价") || px[1] != "股价" || px[3] != "10" || px[5] != "41 HKD" || px[7] != "1" {
		t.Errorf("px row = %q", px)
	}
	if got := strings.TrimSpace(rows.Eq(2).Find("td.num").Eq(1).Text()); got != "20.0%" {
		t.Errorf("def last rate = %q, want 20.0%%", got)
	}

	// A price with a low rule: the threshold and the alert on the chart.
	doc = getPage(t, ts, "/series/px", http.StatusOK)
	chart := doc.Find("figure.chart svg.chart").First()
	if !strings.Contains(chart.Text(), "低于 40 HKD") {
		t.Errorf("no threshold line label in %q", chart.Text())
	}
	if !strings.Contains(chart.Find("title").Text(), "创 9 天新低") {
		t.Error("the alert is not marked on the series chart")
	}
	if got := strings.Join(hrefs(doc.Find("table.alerts td a")), " "); got != "/alerts/a2" {
		t.Errorf("alerts of px = %q", got)
	}

	// Response times: the SLA view, day 1 in breach (P90 of 10…100 is 100).
	doc = getPage(t, ts, "/series/sos", http.StatusOK)
	if got := doc.Find("section.sla p.summary").Text(); !strings.Contains(got, "P90 ≤ 60 s") || !strings.Contains(got, "2 个时段中 1 个超标") {
		t.Errorf("SLA summary = %q", got)
	}
	signals := doc.Find("section.sla ul.summary li").Map(func(_ int, s *goquery.Selection) string { return s.Text() })
	if len(signals) != 2 || !strings.Contains(signals[0], "n=3（数据少），其中 2 条（66.7%）抱怨等待") ||
		!strings.Contains(signals[1], "n=2（数据少），其中 2 条（100.0%）是在不同帖子下重复的模板回复") {
		t.Errorf("service signals = %q", signals)
	}
	first := doc.Find("table.sla-periods tbody tr").Last() // oldest last
	cells := first.Find("th, td").Map(func(_ int, s *goquery.Selection) string { return strings.TrimSpace(s.Text()) })
	if strings.Join(cells, " ") != "2024-03-20 5 30 100 100 100 1 20.0% 超标" {
		t.Errorf("2024-03-20 = %q", cells)
	}

	// Defects: p̄ = 80/400 = 0.2, limits 0.2 ± 3·√(0.16/100) = 8%…32%;
	// χ² = (10−20)²/16 + (30−20)²/16 = 12.5 on 3 df, φ = 4.17.
	doc = getPage(t, ts, "/series/def", http.StatusOK)
	if got := doc.Find("section.spc .callout strong").Text(); got != "盲盒指数 φ = 4.17" {
		t.Errorf("dispersion = %q", got)
	}
	cells = doc.Find("table.spc-points tbody tr").Eq(1).Find("th, td").Map(func(_ int, s *goquery.Selection) string { return strings.TrimSpace(s.Text()) })
	if strings.Join(cells, " ") != "B2 2024-03-08 30 100 30.0% 8.0% 32.0% 2.5 受控" {
		t.Errorf("batch B2 = %q", cells)
	}
	if n := doc.Find("section.spc svg.chart").Length(); n != 3 {
		t.Errorf("SPC charts = %d, want p, EWMA and CUSUM", n)
	}
	getPage(t, ts, "/series/nope", http.StatusNotFound)
}

func TestAPISeries(t *testing.T) {
	ts, _ := newDetectorServer(t)
	var r struct {
		Series trustwatch.SeriesDef `json:"series"`
		Points []trustwatch.Point   `json:"points"`
	}
	getJSON(t, ts, "/api/v1/series/px", 200, &r)
	if r.Series.Name != "小米收盘价" || len(r.Points) != 10 || r.Points[9].Value != 41 {
		t.Errorf("px = %+v", r)
	}
	getJSON(t, ts, "/api/v1/series/px?from=2024-03-05&to=2024-03-06", 200, &r)
	if len(r.Points) != 2 || r.Points[0].Value != 46 {
		t.Errorf("px 03-05…03-06 = %+v, want 46 and 45", r.Points)
	}
	var e struct{ Code string }
	getJSON(t, ts, "/api/v1/series/nope", 404, &e)
}

func TestLedgerPages(t *testing.T) {
	ts, _ := newDetectorServer(t)
	doc := getPage(t, ts, "/ledger", http.StatusOK)
	rows := doc.Find("table.ledger tbody tr")
	if rows.Length() != 2 {
		t.Fatalf("ledger rows = %d, want 2", rows.Length())
	}
	var links []string
	rows.Each(func(_ int, s *goquery.Selection) { h, _ := s.Find("th a").Attr("href"); links = append(links, h) })
	if !strings.Contains(strings.Join(links, " "), "/claims/brake") {
		t.Errorf("claim links = %q", links)
	}
	rows.Each(func(_ int, s *goquery.Selection) {
		if s.Find("td.interval svg").Length() != 1 || s.Find("td.spark svg").Length() != 1 {
			t.Errorf("row %q lacks its E interval or Rep sparkline", s.Find("th a").Text())
		}
	})
	if doc.Find("section figure.chart svg.chart").Length() != 1 {
		t.Error("no brand balance chart")
	}

	doc = getPage(t, ts, "/claims/brake", http.StatusOK)
	var marked []string
	doc.Find("blockquote.claim mark.hype").Each(func(_ int, s *goquery.Selection) { marked = append(marked, s.Text()) })
	if got := strings.Join(marked, " "); got != "地表最强 超级安全" {
		t.Errorf("marked hype = %q", got)
	}
	if got := doc.Find("blockquote.claim").Text(); got != "地表最强刹车，超级安全" {
		t.Errorf("claim text = %q", got)
	}
	// Only p1 mentions 刹车 after the claim's date (p0 is before it).
	if got := strings.Join(hrefs(doc.Find("ol.evidence-list a.when")), " "); got != "/items/p1" {
		t.Errorf("evidence = %q", got)
	}
	if got := doc.Find("ol.evidence-list .stance").Text(); got != "反驳" {
		t.Errorf("stance of p1 = %q", got)
	}
	if got := strings.Join(hrefs(doc.Find("ul.alert-list a")), " "); got != "/alerts/a4" {
		t.Errorf("claim alerts = %q", got)
	}
	getPage(t, ts, "/claims/nope", http.StatusNotFound)

	var api struct {
		At     time.Time `json:"at"`
		Claims []struct {
			Claim         string  `json:"claim"`
			E             float64 `json:"E"`
			EvidenceCount int     `json:"evidence_count"`
			Contradicting int     `json:"contradicting"`
		} `json:"claims"`
		Balance []struct {
			Day     time.Time `json:"day"`
			Balance float64   `json:"balance"`
		} `json:"balance"`
	}
	getJSON(t, ts, "/api/v1/ledger?entity=xiaomi", 200, &api)
	if !api.At.Equal(at(3, 31, 0)) || len(api.Claims) != 2 || len(api.Balance) == 0 {
		t.Fatalf("ledger = %+v", api)
	}
	for _, c := range api.Claims {
		if c.Claim == "brake" && (c.EvidenceCount != 1 || c.Contradicting != 1 || c.E >= 0.5) {
			t.Errorf("brake = %+v, want one contradiction and E < 0.5", c)
		}
	}
	var e struct{ Code string }
	getJSON(t, ts, "/api/v1/ledger?entity=nobody", 404, &e)
}

func TestTermsPage(t *testing.T) {
	ts, _ := newDetectorServer(t)
	doc := getPage(t, ts, "/terms", http.StatusOK)
	if got := doc.Find("p.summary").Text(); !strings.Contains(got, "从 2024-03-24 至 2024-03-30") {
		t.Errorf("default window = %q, want the week up to the newest item", got)
	}
	if doc.Find("figure.chart svg.chart").Length() != 1 {
		t.Error("no volume chart")
	}
	if !strings.Contains(doc.Find("figure.chart svg.chart title").Text(), "声量激增") {
		t.Error("the volume spike is not marked")
	}
	// Eight posts on 03-22 against none before: 雷不群 is found.
	doc = getPage(t, ts, "/terms?from=2024-03-22&to=2024-03-22", http.StatusOK)
	var found []string
	doc.Find("table.terms tbody tr th a").Each(func(_ int, s *goquery.Selection) { found = append(found, s.Text()) })
	if !strings.Contains(strings.Join(found, " "), "雷不群") {
		t.Errorf("terms = %q, want 雷不群", found)
	}
	if n := doc.Find("table.terms ul.examples a").Length(); n == 0 {
		t.Error("no example items")
	}
	getPage(t, ts, "/terms?from=2023-01-01", http.StatusBadRequest)

	var api struct {
		Terms []struct {
			Term  string `json:"term"`
			Count int    `json:"count"`
		} `json:"terms"`
	}
	getJSON(t, ts, "/api/v1/terms?from=2024-03-22&to=2024-03-22", 200, &api)
	if len(api.Terms) == 0 {
		t.Error("API found no terms")
	}
}

func TestVoicePage(t *testing.T) {
	ts, _ := newDetectorServer(t)
	doc := getPage(t, ts, "/voice/leijun", http.StatusOK)
	if got := doc.Find("p.summary").First().Text(); !strings.Contains(got, "读取 12 条自己的发文") {
		t.Errorf("summary = %q", got)
	}
	if got := strings.Join(hrefs(doc.Find("ol.evidence-list a.when")), " "); got != "/items/r1" {
		t.Errorf("fatigue replies = %q, want r1", got)
	}
	doc = getPage(t, ts, "/voice/su7", http.StatusOK)
	if !strings.Contains(doc.Find("p.empty").Text(), "没有在监控文件中声明自己的账号") {
		t.Error("an entity without accounts does not say why there is no voice")
	}
	getPage(t, ts, "/voice/nobody", http.StatusNotFound)
}

func TestReportPages(t *testing.T) {
	ts, _ := newDetectorServer(t)
	doc := getPage(t, ts, "/report", http.StatusOK)
	if got := doc.Find("h1 small").Text(); got != "2024-03-01 至 2024-03-30" {
		t.Errorf("report period = %q", got)
	}
	if doc.Find("li.finding").Length() == 0 {
		t.Error("no findings")
	}
	href, _ := doc.Find(`a[href^="/report/print"]`).Attr("href")
	if href != "/report/print?from=2024-03-01&to=2024-03-30" {
		t.Errorf("print link = %q", href)
	}

	resp, body := get(t, ts, href)
	if resp.StatusCode != 200 {
		t.Fatalf("print: %d", resp.StatusCode)
	}
	csp := resp.Header.Get("Content-Security-Policy")
	m := regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindSubmatch(body)
	if m == nil {
		t.Fatal("the standalone report has no style sheet")
	}
	sum := sha256.Sum256(m[1])
	if !strings.Contains(csp, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("print CSP = %q", csp)
	}
}

// TestDetectorPagesHostileTextIsInert: hostile text in alert statements
// and evidence notes, claims, item text shown as examples and replies stays
// text on the detector pages.
func TestDetectorPagesHostileTextIsInert(t *testing.T) {
	ts, _ := newDetectorServer(t)
	pages := []struct {
		path    string
		visible bool // the hostile text is on the page as literal text
	}{
		{"/alerts", true},
		{"/alerts/a1", true},
		{"/entities/xiaomi", true},
		{"/ledger", true},
		{"/claims/evil", true},
		{"/voice/leijun", true},
		{"/terms?from=2024-03-30&to=2024-03-30", false},
		{"/series", false},
		{"/series/px", false},
		{"/report", false},
	}
	for _, p := range pages {
		t.Run(p.path, func(t *testing.T) {
			doc := getPage(t, ts, p.path, http.StatusOK)
			assertInert(t, doc)
			if p.visible && !strings.Contains(doc.Find("main").Text(), hostile) {
				t.Errorf("hostile text not visible as literal text on %s", p.path)
			}
		})
	}
}

func assertInert(t *testing.T, doc *goquery.Document) {
	t.Helper()
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
}

func TestAPIDetectors(t *testing.T) {
	eachStore(t, func(t *testing.T, ts *httptest.Server) {
		var got struct {
			Detectors []struct {
				Name  string
				Kinds []struct{ Kind, Label, Severity, Rule string }
			}
		}
		getJSON(t, ts, "/api/v1/detectors", 200, &got)
		var spikes []string
		for _, d := range got.Detectors {
			if d.Name == "spikes" {
				for _, k := range d.Kinds {
					spikes = append(spikes, k.Kind+" "+k.Label+" "+k.Severity)
				}
			}
		}
		if fmt.Sprint(spikes) != "[volume.spike 声量激增 medium sentiment.spike 负面激增 medium]" || len(got.Detectors) != 8 { // health joined the registry
			t.Errorf("detectors %+v", got.Detectors)
		}
	})
}
