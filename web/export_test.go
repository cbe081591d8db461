package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/xuri/excelize/v2"

	"trustwatch"
	"trustwatch/web"
)

// newExportServer serves the fixture items plus a post trying to be a
// formula, with at most limit rows an export (0: the default) and
// anonymous visitors of role anon.
func newExportServer(t *testing.T, store trustwatch.Store, limit int, anon trustwatch.Role) *httptest.Server {
	t.Helper()
	items := append(fixtureItems(), trustwatch.Item{ID: "fx", Platform: "weibo", Kind: trustwatch.KindPost, Author: "@坏人", Text: "=HYPERLINK(\"http://evil.example\",\"雷总\")",
		Tokens: []string{"雷总"}, Time: at(3, 29, 21), Entities: []string{"leijun"}, Sentiment: trustwatch.Negative, PPos: 0.25})
	if _, _, err := store.PutItems(context.Background(), items); err != nil {
		t.Fatal(err)
	}
	s := &web.Server{Anonymous: anon, Store: store, Watch: watch, Location: shanghai, Logger: slog.New(slog.DiscardHandler), ExportLimit: limit}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(func() { ts.Close(); store.Close() })
	return ts
}

func readCSV(t *testing.T, body []byte) [][]string {
	t.Helper()
	rest, ok := bytes.CutPrefix(body, []byte("\xef\xbb\xbf"))
	if !ok {
		t.Fatalf("no BOM: %q", body[:min(len(body), 20)])
	}
	recs, err := csv.NewReader(bytes.NewReader(rest)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestExportCSV(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			ts := newExportServer(t, st.open(t), 0, trustwatch.RoleViewer)
			resp, body := get(t, ts, "/export.csv?q=%E9%9B%B7%E6%80%BB&entity=leijun&from=2024-03-01&to=2024-03-30&page=2")
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			for h, want := range map[string]string{
				"Content-Type":        "text/csv; charset=utf-8",
				"Content-Disposition": `attachment; filename="trustwatch_search____leijun_2024-03-01_2024-03-30.csv"; filename*=UTF-8''trustwatch_search_%E9%9B%B7%E6%80%BB_leijun_2024-03-01_2024-03-30.csv`,
				"X-Trustwatch-Total":  "2",
			} {
				if got := resp.Header.Get(h); got != want {
					t.Errorf("%s = %q, want %q", h, got, want)
				}
			}
			// 雷总 under leijun in March: p2 (03-29 20:00) and fx (21:00),
			// oldest first; page= does not apply; fx's formula is inert.
			want := [][]string{
				{"2024-03-29T20:00:00+08:00", "xhs", "post", "p2", "", "", "", "雷总加油", "", "50", "0", "0", "0", "0", "", "", "pos", "0.000", "leijun", "", "", "搜索", "雷总", "2024-03-01T00:00:00+08:00", "2024-03-31T00:00:00+08:00"},
				{"2024-03-29T21:00:00+08:00", "weibo", "post", "fx", "", "'@坏人", "", `'=HYPERLINK("http://evil.example","雷总")`, "", "0", "0", "0", "0", "0", "", "", "neg", "0.250", "leijun", "", "", "搜索", "雷总", "2024-03-01T00:00:00+08:00", "2024-03-31T00:00:00+08:00"},
			}
			recs := readCSV(t, body)
			if len(recs) != 3 || strings.Join(recs[0], ",") != "time,platform,kind,id,parent_id,author,title,text,url,likes,reposts,replies,views,favorites,keyword,tags,label,p_pos,entities,aspects,source,list,query,window_from,window_to" {
				t.Fatalf("records = %q", recs)
			}
			for i, w := range want {
				if !slices.Equal(recs[i+1], w) {
					t.Errorf("row %d = %q\nwant %q", i+1, recs[i+1], w)
				}
			}
		})
	}
}

// TestExportLimit: a list longer than the limit keeps its newest rows, in
// time order, and says so in the file name and the query sheet.
func TestExportLimit(t *testing.T) {
	ts := newExportServer(t, stores[1].open(t), 3, trustwatch.RoleViewer)
	resp, body := get(t, ts, "/export.csv?entity=xiaomi")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	var ids []string
	for _, r := range readCSV(t, body)[1:] {
		ids = append(ids, r[3])
	}
	if strings.Join(ids, ",") != "p1,c1,c2" || resp.Header.Get("X-Trustwatch-Total") != "30" ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), `filename="trustwatch_search_xiaomi_newest3.csv"`) {
		t.Errorf("rows %v, total %s, %s; want p1,c1,c2 of 30, named …_newest3", ids, resp.Header.Get("X-Trustwatch-Total"), resp.Header.Get("Content-Disposition"))
	}

	resp, body = get(t, ts, "/export.xlsx?entity=xiaomi&order=time_asc")
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != http.StatusOK || ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Fatalf("status %d, Content-Type %q", resp.StatusCode, ct)
	}
	x, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, _ := x.GetRows("items")
	q, _ := x.GetRows("query")
	meta := map[string]string{}
	for _, r := range q {
		if len(r) > 1 {
			meta[r[0]] = r[1]
		}
	}
	if len(rows) != 4 || rows[1][3] != "p0" || rows[3][3] != "f00" {
		t.Errorf("items sheet = %q, want the oldest three p0, p3, f00", rows)
	}
	if meta["total"] != "30" || meta["rows"] != "3" || !strings.HasPrefix(meta["truncated"], "yes") || meta["entity"] != "xiaomi" || meta["list"] != "搜索" {
		t.Errorf("query sheet = %v", meta)
	}
}

func TestExportErrorsAndAccess(t *testing.T) {
	ts := newExportServer(t, stores[0].open(t), 0, trustwatch.RoleViewer)
	for _, tt := range []struct {
		path   string
		status int
	}{
		{"/export.csv?kind=bogus", http.StatusBadRequest},
		{"/export.xlsx?from=yesterday", http.StatusBadRequest},
		{"/export.csv?alert=nope", http.StatusNotFound},
		{"/export.csv?claim=nope", http.StatusNotFound},
		{"/export.csv?alert=a&claim=b", http.StatusBadRequest},
		{"/api/v1/export.csv?entity=leijun", http.StatusOK},
	} {
		resp, body := get(t, ts, tt.path)
		if resp.StatusCode != tt.status {
			t.Errorf("GET %s: status %d, want %d: %s", tt.path, resp.StatusCode, tt.status, body)
		}
		if tt.status != http.StatusOK && resp.Header.Get("Content-Disposition") != "" {
			t.Errorf("GET %s: an error page served as a download", tt.path)
		}
	}
	closed := newExportServer(t, stores[0].open(t), 0, "")
	if resp, _ := get(t, closed, "/export.csv"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("anonymous export on a closed server: status %d, want 401", resp.StatusCode)
	}
}

// TestExportLinks: the list pages link exports of the same list.
func TestExportLinks(t *testing.T) {
	ts := newServer(t, stores[0].open(t))
	for _, tt := range []struct{ page, csv, xlsx string }{
		{"/search?q=%E9%9B%B7%E6%80%BB&entity=leijun&page=1", "/export.csv?entity=leijun&q=%E9%9B%B7%E6%80%BB", "/export.xlsx?entity=leijun&q=%E9%9B%B7%E6%80%BB"},
		{"/entities/xiaomi?from=2024-03-01&to=2024-03-30", "/export.csv?entity=xiaomi&from=2024-03-01&to=2024-03-30", "/export.xlsx?entity=xiaomi&from=2024-03-01&to=2024-03-30"},
		{"/items/p1", "/export.csv?parent=p1", "/export.xlsx?parent=p1"},
	} {
		doc := getPage(t, ts, tt.page, http.StatusOK)
		got := hrefs(doc.Find(".export a"))
		if !slices.Equal(got, []string{tt.csv, tt.xlsx}) {
			t.Errorf("%s: export links %q, want %s and %s", tt.page, got, tt.csv, tt.xlsx)
		}
	}
	if got := hrefs(getPage(t, ts, "/search?q=nothing-matches", http.StatusOK).Find(".export a")); len(got) != 0 {
		t.Errorf("an empty search links exports %v", got)
	}
}

// TestExportEvidence: an alert's export holds its stored evidence items;
// a claim's export holds the items its page lists.
func TestExportEvidence(t *testing.T) {
	ts, _ := newDetectorServer(t)
	doc := getPage(t, ts, "/alerts/a1", http.StatusOK)
	if got := hrefs(doc.Find(".export a")); !slices.Equal(got, []string{"/export.csv?alert=a1", "/export.xlsx?alert=a1"}) {
		t.Errorf("alert page export links = %q", got)
	}
	resp, body := get(t, ts, "/export.csv?alert=a1")
	recs := readCSV(t, body)
	if resp.StatusCode != http.StatusOK || len(recs) != 2 || recs[1][3] != "p1" || !strings.Contains(resp.Header.Get("Content-Disposition"), "trustwatch_alert_a1.csv") {
		t.Errorf("alert a1 export: status %d, %q, %s; want p1 alone (gone is not stored)", resp.StatusCode, recs, resp.Header.Get("Content-Disposition"))
	}
	// a2's evidence is a series point: no items, an empty list.
	if _, body := get(t, ts, "/export.csv?alert=a2"); len(readCSV(t, body)) != 1 {
		t.Errorf("alert a2 export = %q, want the header only", body)
	}

	doc = getPage(t, ts, "/claims/brake", http.StatusOK)
	var listed []string
	doc.Find(".evidence-list a.when").Each(func(_ int, s *goquery.Selection) {
		h, _ := s.Attr("href")
		listed = append(listed, strings.TrimPrefix(h, "/items/"))
	})
	links := hrefs(doc.Find(".export a"))
	if len(listed) == 0 || len(links) != 2 {
		t.Fatalf("claim page: evidence %v, export links %v", listed, links)
	}
	_, body = get(t, ts, links[0])
	var exported []string
	for _, r := range readCSV(t, body)[1:] {
		exported = append(exported, r[3])
	}
	slices.Sort(listed)
	slices.Sort(exported)
	if !slices.Equal(listed, exported) {
		t.Errorf("claim export %v, the page lists %v", exported, listed)
	}
}
