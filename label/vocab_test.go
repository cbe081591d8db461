package label_test

import (
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"trustwatch/label"
)

func TestPlatformAndAspect(t *testing.T) {
	tests := []struct{ name, got, want string }{
		{"weibo", label.Platform("weibo"), "微博"},
		{"xhs", label.Platform("xhs"), "小红书"},
		{"douyin", label.Platform("douyin"), "抖音"},
		{"bilibili", label.Platform("bilibili"), "B站"},
		{"zhihu", label.Platform("zhihu"), "知乎"},
		{"tieba", label.Platform("tieba"), "贴吧"},
		{"kuaishou", label.Platform("kuaishou"), "快手"},
		{"news", label.Platform("news"), "新闻"},
		{"rss", label.Platform("rss"), "订阅源"},
		{"feed", label.Platform("feed"), "订阅源"},
		{"upper case", label.Platform("Weibo"), "微博"},
		{"unknown platform as is", label.Platform("forum42"), "forum42"},
		// The aspect names come from package aspect, not a copy.
		{"body", label.Aspect("body"), "车身与做工"},
		{"marketing", label.Aspect("marketing"), "营销宣传"},
		{"delivery", label.Aspect("delivery"), "交付"},
		{"brakes", label.Aspect("brakes"), "刹车"},
		{"unknown aspect as is", label.Aspect("seats"), "seats"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestNumbers(t *testing.T) {
	quarter, minus, zero, nan := 0.25, -0.004, 0.0, math.NaN()
	tests := []struct{ name, got, want string }{
		{"Int", label.Int(1234567), "1,234,567"},
		{"Int negative", label.Int(-1234), "-1,234"},
		{"Int small", label.Int(999), "999"},
		{"Num int", label.Num(12000), "12,000"},
		{"Num int64", label.Num(int64(268)), "268"},
		{"Float trims zeros", label.Float(2.50, 2), "2.5"},
		{"Float rounds", label.Float(0.8339, 3), "0.834"},
		{"Float -0", label.Float(-0.0001, 2), "0"},
		{"Float NaN", label.Float(nan, 2), "–"},
		{"Pct", label.Pct(0.4123), "41.2%"},
		{"Pct NaN", label.Pct(nan), "–"},
		{"Change up", label.Change(&quarter), "+25%"},
		{"Change tiny down is 0", label.Change(&minus), "0%"},
		{"Change zero", label.Change(&zero), "0%"},
		{"Change nothing before", label.Change(nil), "新"},
		{"Points up", label.Points(0.052), "+5.2 个百分点"},
		{"Points down", label.Points(-0.1), "-10.0 个百分点"},
		{"Points zero", label.Points(-0.0001), "0.0 个百分点"},
		{"PValue tiny", label.PValue(6e-08), "p < 0.001"},
		{"PValue", label.PValue(0.0312), "p = 0.031"},
		{"PValue NaN", label.PValue(nan), "p = –"},
		{"Signed", label.Signed(&quarter, 2), "+0.25"},
		{"Signed nil", label.Signed(nil, 2), "–"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestExplainAndLegend(t *testing.T) {
	for _, code := range []string{"E", "rep", "h", "bits", "hype", "z", "p", "cusum", "ewma", "wilson", "net_sentiment", "neg_share"} {
		f := label.Explain(code)
		if f.Label == code && code != "h" || f.Explain == "" {
			t.Errorf("Explain(%q) = %+v: want a Chinese label and an explanation", code, f)
		}
		if !regexp.MustCompile(`\p{Han}`).MatchString(f.Label + f.Explain) {
			t.Errorf("Explain(%q) = %+v: not Chinese", code, f)
		}
	}
	if f := label.Explain("nope"); f.Label != "nope" || f.Explain != "" {
		t.Errorf("Explain(unknown) = %+v, want the code and no explanation", f)
	}
	got := label.Legend("z", "nope", "p")
	if len(got) != 2 || got[0].Code != "z" || got[1].Code != "p" {
		t.Errorf("Legend(z, nope, p) = %+v, want z then p, the unknown code left out", got)
	}
}

// TestTemplatesExplainKnownFigures reads the dashboard's templates: every
// figure code a page passes to explain or legend must be known, or the
// page would show a bare code.
func TestTemplatesExplainKnownFigures(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "web", "templates", "*.html"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no templates: %v", err)
	}
	call := regexp.MustCompile(`(?:explain|legend)((?: "[^"]+")+)`)
	code := regexp.MustCompile(`"([^"]+)"`)
	seen := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range call.FindAllStringSubmatch(string(b), -1) {
			for _, c := range code.FindAllStringSubmatch(m[1], -1) {
				seen++
				if label.Explain(c[1]).Explain == "" {
					t.Errorf("%s: figure %q has no explanation", filepath.Base(f), c[1])
				}
			}
		}
	}
	if seen == 0 {
		t.Error("no template explains a figure")
	}
}

func TestHTTPStatus(t *testing.T) {
	for code, want := range map[int]string{404: "页面不存在", 403: "没有权限", 401: "请先登录", 400: "请求有误", 500: "服务器出错", 503: "服务暂时不可用", 418: "请求未完成"} {
		if got := label.HTTPStatus(code); got != want {
			t.Errorf("HTTPStatus(%d) = %q, want %q", code, got, want)
		}
		if strings.ContainsAny(label.HTTPStatus(code), "abcdefghijklmnopqrstuvwxyz") {
			t.Errorf("HTTPStatus(%d) is not Chinese", code)
		}
	}
}
