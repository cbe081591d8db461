package report_test

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"trustwatch/report"
)

var nameWithDigits = regexp.MustCompile(`[A-Za-z_]+\d+`)

func TestLinkNumbers(t *testing.T) {
	tests := []struct{ in, want string }{
		{"rose from 20% to 42% (+22 pts; n=12, before n=10)",
			`rose from <a class="num" href="#e">20%</a> to <a class="num" href="#e">42%</a> (<a class="num" href="#e">+22</a> pts; n=<a class="num" href="#e">12</a>, before n=<a class="num" href="#e">10</a>)`},
		{"SU7 sold 1,234,567 on 2025-03-01", `SU7 sold <a class="num" href="#e">1,234,567</a> on <a class="num" href="#e">2025-03-01</a>`},
		{"p90 of 3.5 s <b>", `p90 of <a class="num" href="#e">3.5</a> s &lt;b&gt;`},
		{"no figures", "no figures"},
	}
	for _, tt := range tests {
		if got := string(report.LinkNumbers(tt.in, "#e")); got != tt.want {
			t.Errorf("LinkNumbers(%q)\n got %s\nwant %s", tt.in, got, tt.want)
		}
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
