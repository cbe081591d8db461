package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"trustwatch"
)

// TestEntityPageListsAllOpenAlerts: a brand's page lists every open alert
// about the brand, its products and its people, however long ago it
// opened and whether or not it is snoozed; not the resolved ones outside
// the window, nor alerts about others.
func TestEntityPageListsAllOpenAlerts(t *testing.T) {
	ts, store := newDetectorServer(t)
	ctx := context.Background()
	until := at(4, 3, 0) // after the server's now (04-01 09:00)
	extra := []trustwatch.Alert{
		// Opened in January, long before the window (03-02 … 04-01).
		{ID: "old-su7", Rule: "r", Kind: "volume.spike", Entity: "su7", Severity: "high", Opened: time.Date(2024, 1, 5, 8, 0, 0, 0, shanghai), Statement: "SU7 声量激增"},
		{ID: "nap", Rule: "r", Kind: "term.new", Entity: "leijun", Severity: "low", Opened: at(3, 22, 9), Statement: "雷军 新词「雷不群」"},
		{ID: "other", Rule: "r", Kind: "volume.spike", Entity: "nio", Severity: "critical", Opened: at(3, 29, 0), Statement: "别家的事"},
	}
	for i := range extra {
		extra[i].Updated = extra[i].Opened
		if err := store.PutAlert(ctx, &extra[i]); err != nil {
			t.Fatal(err)
		}
	}
	// A snooze is set by UpdateAlert only, as an analyst sets it.
	if _, err := store.UpdateAlert(ctx, "nap", trustwatch.AlertUpdate{At: at(4, 1, 8), By: "analyst", Snooze: &until}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, entity string
		wantOpen     []string // alert links, in the store's order: severity, then newest
		wantSnoozed  int
	}{
		{"brand: its own, its product's and its person's", "xiaomi", []string{"/alerts/a1", "/alerts/a2", "/alerts/old-su7", "/alerts/a4", "/alerts/nap"}, 1},
		{"product: only its own", "su7", []string{"/alerts/old-su7"}, 0},
		{"person: its own, snoozed", "leijun", []string{"/alerts/nap"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := getPage(t, ts, "/entities/"+tt.entity, http.StatusOK)
			var got []string
			doc.Find("ul.open-alerts > li").Each(func(_ int, li *goquery.Selection) {
				h, _ := li.Find(`a[href^="/alerts/"]`).First().Attr("href")
				got = append(got, h)
			})
			if strings.Join(got, " ") != strings.Join(tt.wantOpen, " ") {
				t.Errorf("open alerts = %q, want %q", got, tt.wantOpen)
			}
			if n := doc.Find("ul.open-alerts .tag").FilterFunction(func(_ int, s *goquery.Selection) bool { return s.Text() == "暂停中" }).Length(); n != tt.wantSnoozed {
				t.Errorf("%d marked 暂停中, want %d", n, tt.wantSnoozed)
			}
			if h := doc.Find(".entity-alerts h2 small").Text(); h != fmt.Sprintf("%d 条", len(tt.wantOpen)) {
				t.Errorf("heading count %q", h)
			}
		})
	}
	// The resolved a3 opened inside the window: listed apart, as resolved.
	doc := getPage(t, ts, "/entities/xiaomi", http.StatusOK)
	if got := strings.Join(hrefs(doc.Find("ul.resolved-alerts a")), " "); got != "/alerts/a3" {
		t.Errorf("resolved in window = %q, want /alerts/a3", got)
	}
	// A child's alert names the child on the parent's page.
	li := doc.Find(`ul.open-alerts > li:has(a[href="/alerts/old-su7"])`)
	if !strings.Contains(li.Text(), "小米SU7") {
		t.Errorf("the product's alert does not name the product: %q", li.Text())
	}
}

// TestStorybookOffTheMenu: the component page answers but no user sees it
// in the navigation.
func TestStorybookOffTheMenu(t *testing.T) {
	ts, _ := newDetectorServer(t)
	doc := getPage(t, ts, "/", http.StatusOK)
	if n := doc.Find(`nav a[href="/storybook"]`).Length(); n != 0 {
		t.Errorf("the navigation links the storybook %d times", n)
	}
	if strings.Contains(doc.Find("nav").Text(), "组件") {
		t.Error("the navigation shows 组件")
	}
	getPage(t, ts, "/storybook", http.StatusOK)
}

// TestFalseAlarm: an analyst marks an alert a false alarm with a note
// (the alert is resolved with it) and withdraws it; a viewer cannot, nor
// can a form without its CSRF token; each step is in the audit trail and
// /alerts counts the verdicts.
func TestFalseAlarm(t *testing.T) {
	f := newAuthServer(t, authOptions{})
	viewer := newBrowser(t, f.ts)
	viewer.login("alice")
	if n := viewer.page("/alerts/a2", http.StatusOK).Find(`form[action$="/false-alarm"]`).Length(); n != 0 {
		t.Error("a viewer is shown the false-alarm form")
	}
	if resp := viewer.post("/alerts/a2/false-alarm", nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("viewer marks: %d, want 403", resp.StatusCode)
	}

	b := newBrowser(t, f.ts)
	b.login("bob")
	if resp := b.post("/alerts/a2/false-alarm", url.Values{"csrf": {""}, "note": {"x"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("no CSRF token: %d, want 403", resp.StatusCode)
	}
	if resp := b.post("/alerts/nope/false-alarm", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a missing alert: %d, want 404", resp.StatusCode)
	}
	doc := b.page("/alerts/a2", http.StatusOK)
	if doc.Find(`form[action="/alerts/a2/false-alarm"] button`).Text() != "标记为误报" {
		t.Fatal("no 标记为误报 form on an open alert")
	}
	if resp := b.post("/alerts/a2/false-alarm", url.Values{"note": {" 除权日价格调整，不是下跌 "}, "back": {"/alerts/a2"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("mark: %d", resp.StatusCode)
	}
	doc = b.page("/alerts/a2", http.StatusOK)
	if got := doc.Find("dd.verdict").Text(); got != "bob 于 2024-04-01 09:00 标记为误报：除权日价格调整，不是下跌" {
		t.Errorf("verdict = %q", got)
	}
	if got := doc.Find("h1 .state").Text(); got != "已解决" {
		t.Errorf("state after marking = %q, want 已解决", got)
	}
	audit := func(doc *goquery.Document) []string {
		return doc.Find("table.audit tbody tr").Map(func(_ int, tr *goquery.Selection) string {
			return strings.Join(tr.Find("td").Slice(1, 4).Map(func(_ int, td *goquery.Selection) string { return td.Text() }), "|")
		})
	}
	if got, want := audit(doc), []string{"bob|标记为误报|除权日价格调整，不是下跌", "bob|解决|"}; strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("audit = %q, want %q", got, want)
	}
	list := b.page("/alerts", http.StatusOK)
	if s := list.Find("p.summary").First().Text(); !strings.Contains(s, "标记为误报 1。") {
		t.Errorf("/alerts summary %q does not count the false alarm", s)
	}
	if tr := list.Find(`table.alerts tbody tr:has(a[href="/alerts/a2"])`); tr.Find(".tag.false-alarm").Text() != "误报" {
		t.Error("a2's row is not tagged 误报")
	}

	if resp := b.post("/alerts/a2/false-alarm/withdraw", url.Values{"back": {"/alerts/a2"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("withdraw: %d", resp.StatusCode)
	}
	doc = b.page("/alerts/a2", http.StatusOK)
	if doc.Find("dd.verdict").Length() != 0 || doc.Find(`form[action="/alerts/a2/false-alarm"]`).Length() != 1 {
		t.Error("after withdrawing, the verdict is still shown or the form is gone")
	}
	if got := audit(doc); len(got) != 3 || got[2] != "bob|撤销误报|" {
		t.Errorf("audit after withdrawing = %q", got)
	}
	if resp := b.post("/alerts/a2/false-alarm/withdraw", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("withdrawing again: %d, want 404", resp.StatusCode)
	}
	if s := b.page("/alerts", http.StatusOK).Find("p.summary").First().Text(); !strings.Contains(s, "标记为误报 0。") {
		t.Errorf("/alerts summary after withdrawing: %q", s)
	}
}
