package web_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/PuerkitoBio/goquery"

	"trustwatch"
	"trustwatch/web"
)

// storyItems, by hand: three known accounts (they posted in February)
// complain about the brakes on 2024-03-20 in their own words (o1–o3); six
// new accounts with generated names paste one text within 200 seconds
// (w1–w6); two posts (u1, u2) are about other things. The 30-day window
// ending that day holds six near-duplicate groups; the wave, o1, o2 and
// o3 are one story of 9 items (their TF-IDF cosines with the wave are
// 0.42, 0.35 and 0.99), u1 (0.26) and u2 are single posts and not listed.
// Coordination: 6 copies, all by new accounts, all in a burst, all masked
// names: 6/9 = 66.7% suspected.
func storyItems() []trustwatch.Item {
	post := func(id, author, text string, t time.Time, likes int64) trustwatch.Item {
		return trustwatch.Item{ID: id, Platform: "weibo", Kind: trustwatch.KindPost, Author: author, Text: text, Time: t,
			Likes: likes, Entities: []string{"xiaomi"}, Sentiment: trustwatch.Negative}
	}
	items := []trustwatch.Item{
		post("b1", "老王", "小米 SU7 订车 了", at(2, 5, 10), 0),
		post("b2", "小李", "试驾 小米 SU7", at(2, 6, 10), 0),
		post("b3", "阿杰", "小米 门店 人 多", at(2, 7, 10), 0),
		post("o1", "老王", "小米 SU7 高速 刹车 失灵 制动 距离 太长 吓人", at(3, 20, 10), 200),
		post("o2", "小李", "SU7 刹车 失灵 又 一例 车主 群 都 在 说", at(3, 20, 11), 30),
		post("o3", "阿杰", "刹车 失灵 这么 大 的 事 小米 官方 回应 呢", at(3, 20, 12), 5),
		post("u1", "路人", "小米 SU7 提车 一周 交付 很快 服务 好", at(3, 20, 13), 0),
		post("u2", "路人乙", "SU7 续航 实测 不错 冬天 掉电 少", at(3, 20, 14), 0),
	}
	for k := range 6 {
		items = append(items, post(fmt.Sprintf("w%d", k+1), fmt.Sprintf("用户100000000%d", k+1),
			"小米 SU7 刹车 失灵 ，千万 别买！官方 至今 不 回应 [怒]", at(3, 20, 20).Add(time.Duration(k)*40*time.Second), 0))
	}
	return items
}

var storyAlert = trustwatch.Alert{ID: "spike1", Rule: "spike", Kind: "volume.spike", Entity: "xiaomi", Severity: trustwatch.SeverityHigh,
	Opened: at(3, 20, 0), Updated: at(3, 20, 0), Statement: "「小米」声量激增"}

func newStoryServer(t *testing.T, store trustwatch.Store) *httptest.Server {
	t.Helper()
	ctx := context.Background()
	if _, _, err := store.PutItems(ctx, storyItems()); err != nil {
		t.Fatal(err)
	}
	if err := store.PutAlert(ctx, &storyAlert); err != nil {
		t.Fatal(err)
	}
	cut := func(s string) []string {
		return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	}
	s := &web.Server{Anonymous: trustwatch.RoleViewer, Store: store, Watch: watch, Location: shanghai, Cut: cut,
		Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return at(3, 21, 9) }}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(func() { ts.Close(); store.Close() })
	return ts
}

func TestStoriesPages(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			ts := newStoryServer(t, st.open(t))
			doc := getPage(t, ts, "/stories", http.StatusOK)
			rows := doc.Find("table.stories tbody tr")
			if rows.Length() != 1 {
				t.Fatalf("%d stories listed, want 1 (the single posts are not stories)", rows.Length())
			}
			cells := cellTexts(rows.Find("td"))
			want := []string{"9", "235", "微博 9", "03-20 10:00 – 20:03", "正 0 · 中 0 · 负 9", "66.7%（6 条）"}
			if strings.Join(cells, " | ") != strings.Join(want, " | ") {
				t.Errorf("row = %q, want %q", cells, want)
			}
			if label := strings.Fields(rows.Find("th a").Text()); strings.Join(label, " ") != "回应 · 官方 · 刹车" {
				t.Errorf("label %q", label)
			}
			var nav []string
			doc.Find("nav a").Each(func(_ int, a *goquery.Selection) { nav = append(nav, a.Text()) })
			if i := strings.Index(strings.Join(nav, ","), "预警,事件"); i < 0 {
				t.Errorf("nav %v: 事件 should follow 预警", nav)
			}

			href, _ := rows.Find("th a").Attr("href")
			page := getPage(t, ts, href, http.StatusOK)
			if page.Find("figure.chart svg.chart").Length() != 1 {
				t.Error("no timeline chart")
			}
			signals := page.Find("section.coordination table.signals tbody tr")
			var counts []string
			signals.Each(func(_ int, tr *goquery.Selection) { counts = append(counts, tr.Find("td").First().Text()) })
			if strings.Join(counts, ",") != "6,6,6,6" {
				t.Errorf("signal counts %v, want copies, new accounts, bursts and masked names 6 each", counts)
			}
			if !strings.Contains(page.Find("section.coordination p.note").Text(), "不能证明") {
				t.Error("the coordination section does not say it is no proof")
			}
			if a := page.Find("table.amplifiers tbody tr th").First().Text(); a != "老王" {
				t.Errorf("top amplifier %q, want 老王 (200 likes)", a)
			}
			if n := page.Find("div.items article.item").Length(); n != 9 {
				t.Errorf("%d items, want 9", n)
			}
			if href, _ := page.Find("div.items article.item a.when").First().Attr("href"); href != "/items/o1" {
				t.Errorf("first item links %q, want the most engaged, /items/o1", href)
			}
			getPage(t, ts, "/stories/s000000000000", http.StatusNotFound)
			getPage(t, ts, "/stories?from=2023-01-01&to=2024-03-20", http.StatusBadRequest)
		})
	}
}

// TestSpikeAlertCoordination checks that a volume spike's page shows the
// coordination of the items of its entity in the day from its start, and
// that other alerts' pages do not.
func TestSpikeAlertCoordination(t *testing.T) {
	store := stores[1].open(t) // the fake store keeps no alerts
	claim := trustwatch.Alert{ID: "claim1", Rule: "claims", Kind: "claim.default", Entity: "xiaomi", Severity: trustwatch.SeverityHigh,
		Opened: at(3, 20, 0), Updated: at(3, 20, 0), Statement: "宣传与证据不符"}
	if err := store.PutAlert(context.Background(), &claim); err != nil {
		t.Fatal(err)
	}
	ts := newStoryServer(t, store)
	if n := getPage(t, ts, "/alerts/claim1", http.StatusOK).Find("section.coordination").Length(); n != 0 {
		t.Errorf("a claim alert shows %d coordination sections", n)
	}
	doc := getPage(t, ts, "/alerts/spike1", http.StatusOK)
	sec := doc.Find("section.coordination")
	if sec.Length() != 1 {
		t.Fatal("no coordination section on a spike alert")
	}
	// 11 items of xiaomi on 2024-03-20: 6 copies by new, masked accounts.
	if got := strings.Join(strings.Fields(sec.Find("p.summary").Text()), " "); !strings.Contains(got, "6 条") || !strings.Contains(got, "11 条的 54.5%") {
		t.Errorf("summary %q, want 6 of 11 (54.5%%)", got)
	}
}
