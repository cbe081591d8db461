package report_test

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"trustwatch/report"
)

var nameWithDigits = regexp.MustCompile(`[A-Za-z_]+\d+`)

var notFigures = regexp.MustCompile(`\d{4}-\d{2}-\d{2}|「[^」]*」`)

func TestLinkNumbers(t *testing.T) {
	tests := []struct{ in, want string }{
		// A figure is linked whole, with its sign, unit and name.
		{"「轮胎」负面占比由 20% 升至 42%（+22 个百分点；n=12，上期 n=10）",
			`「轮胎」负面占比由 <a class="num" href="#e">20%</a> 升至 <a class="num" href="#e">42%</a>（<a class="num" href="#e">+22 个百分点</a>；<a class="num" href="#e">n=12</a>，上期 <a class="num" href="#e">n=10</a>）`},
		{"粉丝 30 天变化 -12%（p=6e-08，z = 4.1）",
			`粉丝 <a class="num" href="#e">30</a> 天变化 <a class="num" href="#e">-12%</a>（<a class="num" href="#e">p=6e-08</a>，<a class="num" href="#e">z = 4.1</a>）`},
		{"期末仍有 4 条预警未关闭（较期初 −3 条，期初 7 条）",
			`期末仍有 <a class="num" href="#e">4</a> 条预警未关闭（较期初 <a class="num" href="#e">−3</a> 条，期初 <a class="num" href="#e">7</a> 条）`},
		// Dates, times and quoted claims are not figures.
		{"SU7 于 2025-03-01 交付 1,234,567 台，第3天", `SU7 于 2025-03-01 交付 <a class="num" href="#e">1,234,567</a> 台，第<a class="num" href="#e">3</a>天`},
		{"承诺「续航 700 公里」违约中：10 条证据中 7 条与之相反（3月5日 08:00）",
			`承诺「续航 700 公里」违约中：<a class="num" href="#e">10</a> 条证据中 <a class="num" href="#e">7</a> 条与之相反（3月5日 08:00）`},
		{"SOS 响应 P90 为 3.5 s，批次 B7 与 p99 <b>", `SOS 响应 P90 为 <a class="num" href="#e">3.5</a> s，批次 B7 与 p99 &lt;b&gt;`},
		{"没有数字", "没有数字"},
	}
	for _, tt := range tests {
		if got := string(report.LinkNumbers(tt.in, "#e")); got != tt.want {
			t.Errorf("LinkNumbers(%q)\n got %s\nwant %s", tt.in, got, tt.want)
		}
	}
}

func TestLinkFiguresToTheirOwnEvidence(t *testing.T) {
	// The same text twice: each listed figure is found after the one
	// before it, so the second 20% is the current period's.
	figs := []report.Figure{{Text: "20%", Previous: true}, {Text: "20%"}, {Text: "n=268"}, {Text: "n=250", Previous: true}}
	got := string(report.LinkFigures("负面占比持平：由 20% 到 20%（n=268，上期 n=250）", figs, func(f report.Figure) string {
		if f.Previous {
			return "#prev"
		}
		return "#cur"
	}))
	want := `负面占比持平：由 <a class="num" href="#prev">20%</a> 到 <a class="num" href="#cur">20%</a>（<a class="num" href="#cur">n=268</a>，上期 <a class="num" href="#prev">n=250</a>）`
	if got != want {
		t.Errorf("LinkFigures\n got %s\nwant %s", got, want)
	}
}

func renderHTML(t *testing.T) (*goquery.Document, string) {
	t.Helper()
	var buf bytes.Buffer
	if err := build(t, "").HTML(&buf); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	return doc, buf.String()
}

// TestHTMLEvidenceLinks checks that the page links only inside itself, that
// every link target exists, and that every figure of the first page, the
// held findings and the tables is a link.
func TestHTMLEvidenceLinks(t *testing.T) {
	doc, page := renderHTML(t)
	for _, s := range []string{"<script", "http://", "https://", "@import", "url("} {
		if s == "http://" && strings.Count(page, s) == strings.Count(page, "http://www.w3.org/2000/svg") {
			continue
		}
		if strings.Contains(page, s) {
			t.Errorf("page contains %q: it must be self-contained", s)
		}
	}
	links := 0
	doc.Find("a").Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		if !strings.HasPrefix(href, "#") || len(href) < 2 {
			t.Errorf("link %q (%q) does not point inside the page", href, a.Text())
			return
		}
		links++
		if doc.Find("[id='"+href[1:]+"']").Length() != 1 {
			t.Errorf("link %q (%q): no element with that id", href, a.Text())
		}
	})
	if links < 50 {
		t.Errorf("%d links, want every figure linked", links)
	}
	// Every text with a digit in a finding or a table body sits in a link.
	doc.Find("#worse li, #held li, #tables tbody td.n").Each(func(_ int, s *goquery.Selection) {
		for _, n := range s.Nodes {
			eachText(n, func(text string, linked bool) {
				// Digits glued to letters are names ("B7", "p90"), not figures.
				text = nameWithDigits.ReplaceAllString(text, "")
				// Dates and quoted claims are not figures and stay plain.
				text = notFigures.ReplaceAllString(text, "")
				if !linked && strings.IndexFunc(text, unicode.IsDigit) >= 0 {
					t.Errorf("figure %q in %q is not linked to evidence", text, s.Text())
				}
			})
		}
	})
	// The first page lists the findings in order, and the appendix holds the items' texts.
	var got []string
	doc.Find("#worse li").Each(func(_ int, s *goquery.Selection) {
		got = append(got, s.Text())
	})
	if len(got) != len(firstPage) {
		t.Fatalf("%d findings on the first page, want %d", len(got), len(firstPage))
	}
	for i, w := range firstPage {
		if !strings.Contains(got[i], w.sentence) {
			t.Errorf("first page [%d] = %q, want it to say %q", i, got[i], w.sentence)
		}
	}
	if txt := doc.Find("#evidence").Text(); !strings.Contains(txt, "刹车盘缩水了，刹车发软（1）") || !strings.Contains(txt, "36.1") {
		t.Errorf("appendix lacks the evidence texts and the series point")
	}
	// A series reads by the watch file's name, in the appendix and in the
	// findings' evidence links; its id stays in anchors.
	if txt := doc.Find("#evidence strong").Text(); !strings.Contains(txt, "小米集团股价") {
		t.Errorf("appendix series headings %q lack 小米集团股价", txt)
	}
	doc.Find("a").Each(func(_ int, a *goquery.Selection) {
		// (The fixture's alert statement names it by id itself.)
		if strings.Contains(a.Text(), "xiaomi.price") && !strings.Contains(a.Text(), "预警：") {
			t.Errorf("link %q names the series by its id", a.Text())
		}
	})
	var headings []string
	doc.Find("h2").Each(func(_ int, s *goquery.Selection) { headings = append(headings, s.Text()) })
	if want := []string{"变坏的", "持平或变好的", "全部数据", "证据附录"}; !slices.Equal(headings, want) {
		t.Errorf("headings %q, want %q", headings, want)
	}
	if got, want := doc.Find("p.meta").Text(), "本期 2025-03-01 至 2025-03-07，对比上期 2025-02-22 至 2025-02-28。生成于 2025-03-08 09:00。误差范围（95% Wilson 区间）超过 ±10 个百分点的占比都注明“数据少”。"; got != want {
		t.Errorf("meta = %q, want %q", got, want)
	}
	var heldGot []string
	doc.Find("#held li").Each(func(_ int, s *goquery.Selection) { heldGot = append(heldGot, s.Text()) })
	if len(heldGot) != len(held) {
		t.Fatalf("%d held findings, want %d", len(heldGot), len(held))
	}
	for i, w := range held {
		if !strings.Contains(heldGot[i], w.sentence) {
			t.Errorf("held [%d] = %q, want it to say %q", i, heldGot[i], w.sentence)
		}
	}
	if got := doc.Find("#worse li .tag.little").First().Text(); got != "数据少：±15 个百分点" {
		t.Errorf("little-data tag = %q, want 数据少：±15 个百分点", got)
	}
	if doc.Find("style").Length() != 1 || !strings.Contains(doc.Find("style").Text(), "@media print") {
		t.Error("want one inline stylesheet with print rules")
	}
	if doc.Find("#worse svg").Length() == 0 {
		t.Error("want inline SVG sparklines on the first page")
	}
}

// eachText calls fn for every text node under n (not inside svg), saying
// whether it is inside a link.
func eachText(n *html.Node, fn func(text string, linked bool)) {
	var walk func(*html.Node, bool)
	walk = func(n *html.Node, linked bool) {
		switch {
		case n.Type == html.TextNode:
			fn(n.Data, linked)
			return
		case n.Type == html.ElementNode && n.Data == "svg":
			return
		case n.Type == html.ElementNode && n.Data == "a":
			linked = true
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, linked)
		}
	}
	walk(n, false)
}

func TestHTMLDashboardLinks(t *testing.T) {
	var buf bytes.Buffer
	if err := build(t, "http://dash.example").HTML(&buf); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`href="http://dash.example/items/b-cur-01"`, `href="http://dash.example/alerts/a3"`, `href="http://dash.example/series/xiaomi.price"`} {
		if !strings.Contains(buf.String(), s) {
			t.Errorf("page lacks %s", s)
		}
	}
}
