package chart_test

import (
	"encoding/xml"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"trustwatch/chart"
)

// node is a parsed SVG element.
type node struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Children []node     `xml:",any"`
	Text     string     `xml:",chardata"`
}

func (n *node) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// walk calls fn for n and its descendants with the class of the nearest
// enclosing <g>.
func (n *node) walk(group string, fn func(n *node, group string)) {
	fn(n, group)
	if n.XMLName.Local == "g" && n.attr("class") != "" {
		group = n.attr("class")
	}
	for i := range n.Children {
		n.Children[i].walk(group, fn)
	}
}

func parse(t *testing.T, svg string) *node {
	t.Helper()
	var root node
	if err := xml.Unmarshal([]byte(svg), &root); err != nil {
		t.Fatalf("SVG is not well-formed XML: %v\n%s", err, svg)
	}
	if root.XMLName.Local != "svg" {
		t.Fatalf("root element = %q, want svg", root.XMLName.Local)
	}
	return &root
}

// count returns the number of elements named name inside groups of class group.
func count(root *node, name, group string) int {
	n := 0
	root.walk("", func(e *node, g string) {
		if e.XMLName.Local == name && g == group {
			n++
		}
	})
	return n
}

func days(start time.Time, n int) []time.Time {
	ts := make([]time.Time, n)
	for i := range ts {
		ts[i] = start.AddDate(0, 0, i)
	}
	return ts
}

const hostile = `<script>alert(1)</script><img src=x onerror=alert(2)> & "q" 'a'` + "\x00\x1b"

func sentimentChart(loc *time.Location, n int, width int) *chart.Chart {
	ts := days(time.Date(2024, 3, 1, 0, 0, 0, 0, loc), n)
	pos, neu, neg, net := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range n {
		pos[i], neu[i], neg[i] = float64(10+i%7), float64(5+i%3), float64(3+i%5)
		net[i] = (pos[i] - neg[i]) / (pos[i] + neu[i] + neg[i])
	}
	return &chart.Chart{
		Title:    "小米汽车 情感走势 " + hostile,
		Width:    width,
		Height:   260,
		Location: loc,
		Step:     24 * time.Hour,
		Stacked: []chart.Series{
			{Name: "正面", Color: "#3a9a5b", Times: ts, Values: pos},
			{Name: "中性", Color: "#9ca3af", Times: ts, Values: neu},
			{Name: "负面", Color: "#c23b3b", Times: ts, Values: neg},
		},
		Lines: []chart.Series{{Name: "净情感 " + hostile, Color: `red" onload="alert(3)`, Times: ts, Values: net, Right: true}},
		Left:  chart.Axis{Label: "条数"},
		Right: chart.Axis{Label: "净情感", Fixed: true, Min: -1, Max: 1, Percent: true},
		Markers: []chart.Marker{
			{Time: ts[n/2], Label: "峰值", Title: hostile, Dot: true, Value: 20},
		},
		HLines: []chart.HLine{{Value: 0, Right: true, Label: "零线", Dashed: true}},
		Bands:  []chart.Band{{From: -0.2, To: 0.2, Right: true, Label: "控制区间"}},
	}
}

func TestChartStructure(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	const n = 30
	svg := sentimentChart(sh, n, 640).SVG()
	root := parse(t, svg)

	if got := count(root, "rect", "stack"); got != 3*n {
		t.Errorf("stack bars = %d, want %d", got, 3*n)
	}
	if got := count(root, "path", "lines"); got != 1 {
		t.Errorf("line paths = %d, want 1", got)
	}
	if got := count(root, "text", "legend"); got != 4 {
		t.Errorf("legend labels = %d, want 4", got)
	}
	if got := count(root, "g", "markers"); got != 1 {
		t.Errorf("markers = %d, want 1", got)
	}
	if got := count(root, "circle", "marker"); got != 1 {
		t.Errorf("marker dots = %d, want 1", got)
	}
	if got := count(root, "rect", "bands"); got != 1 {
		t.Errorf("bands = %d, want 1", got)
	}
	// Right axis labels: the fixed range −100% … 100%.
	var rightLabels []string
	root.walk("", func(e *node, g string) {
		if g == "axis" && e.XMLName.Local == "text" && strings.HasSuffix(e.Text, "%") {
			rightLabels = append(rightLabels, e.Text)
		}
	})
	if strings.Join(rightLabels, " ") != "-100% -50% 0% 50% 100%" {
		t.Errorf("right axis labels = %q", rightLabels)
	}
	if f := root.attr("font-family"); !strings.Contains(f, "Noto Sans CJK SC") {
		t.Errorf("font-family = %q, want the CJK stack", f)
	}
}

func TestChartEscapesHostileLabels(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	svg := sentimentChart(sh, 10, 640).SVG()
	for _, bad := range []string{"<script", "<img", "onerror=alert(2)>", `onload="`, "\x00", "\x1b"} {
		if strings.Contains(svg, bad) {
			t.Errorf("SVG contains %q unescaped", bad)
		}
	}
	root := parse(t, svg)
	var found bool
	root.walk("", func(e *node, _ string) {
		switch e.XMLName.Local {
		case "script", "img", "foreignObject":
			t.Errorf("SVG has a <%s> element", e.XMLName.Local)
		}
		for _, a := range e.Attrs {
			if strings.HasPrefix(a.Name.Local, "on") {
				t.Errorf("<%s> has event attribute %s", e.XMLName.Local, a.Name.Local)
			}
		}
		if e.XMLName.Local == "title" && strings.Contains(e.Text, `<script>alert(1)</script><img src=x onerror=alert(2)> & "q" 'a'`) {
			found = true // the literal text survives as text
		}
	})
	if !found {
		t.Error("hostile label not found as literal text in a <title>")
	}
	// The hostile colour falls back to the palette.
	root.walk("", func(e *node, g string) {
		if g == "lines" && e.XMLName.Local == "path" && e.attr("stroke") != chart.Palette[3] {
			t.Errorf("line stroke = %q, want palette colour %q", e.attr("stroke"), chart.Palette[3])
		}
	})
}

// TestChartTimeLabelsDoNotOverlap lays out 90 days of CJK date labels at
// several widths and checks, with the package's own width estimate, that no
// two labels touch and none leaves the picture.
func TestChartTimeLabelsDoNotOverlap(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	for _, width := range []int{240, 320, 640, 1200} {
		t.Run(strconv.Itoa(width), func(t *testing.T) {
			root := parse(t, sentimentChart(sh, 90, width).SVG())
			type box struct{ l, r float64 }
			var boxes []box
			root.walk("", func(e *node, g string) {
				if g != "axis" || e.XMLName.Local != "text" || e.attr("text-anchor") != "middle" {
					return
				}
				x, _ := strconv.ParseFloat(e.attr("x"), 64)
				w := chart.TextWidth(e.Text, 12)
				boxes = append(boxes, box{x - w/2, x + w/2})
			})
			if len(boxes) < 2 {
				t.Fatalf("%d time labels, want at least 2", len(boxes))
			}
			for i, b := range boxes {
				if b.l < 0 || b.r > float64(width) {
					t.Errorf("label %d [%.1f, %.1f] leaves the %d px picture", i, b.l, b.r, width)
				}
				if i > 0 && b.l < boxes[i-1].r+4 {
					t.Errorf("label %d [%.1f, %.1f] overlaps label %d ending at %.1f", i, b.l, b.r, i-1, boxes[i-1].r)
				}
			}
		})
	}
}

// TestLegendWraps checks that long CJK legend entries wrap onto new rows
// instead of running into each other or off the picture.
func TestLegendWraps(t *testing.T) {
	ts := days(time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), 5)
	var lines []chart.Series
	for _, name := range []string{"小米汽车（品牌）", "雷军（创始人）", "小米SU7标准版", "小米YU7", "保时捷Taycan"} {
		lines = append(lines, chart.Series{Name: name, Times: ts, Values: []float64{1, 2, 3, 2, 1}})
	}
	c := &chart.Chart{Width: 300, Height: 240, Lines: lines}
	root := parse(t, c.SVG())
	type item struct{ x, y, r float64 }
	var items []item
	root.walk("", func(e *node, g string) {
		if g == "legend" && e.XMLName.Local == "text" {
			x, _ := strconv.ParseFloat(e.attr("x"), 64)
			y, _ := strconv.ParseFloat(e.attr("y"), 64)
			items = append(items, item{x, y, x + chart.TextWidth(e.Text, 12)})
		}
	})
	if len(items) != 5 {
		t.Fatalf("legend items = %d, want 5", len(items))
	}
	rows := map[float64]bool{}
	for i, it := range items {
		rows[it.y] = true
		if it.r > 300 {
			t.Errorf("legend item %d ends at %.1f, beyond 300", i, it.r)
		}
		if i > 0 && items[i-1].y == it.y && it.x < items[i-1].r {
			t.Errorf("legend item %d overlaps item %d", i, i-1)
		}
	}
	if len(rows) < 2 {
		t.Errorf("legend rows = %d, want it to wrap", len(rows))
	}
}

func TestChartGapsAndEmpty(t *testing.T) {
	ts := days(time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), 5)
	c := &chart.Chart{Lines: []chart.Series{{Name: "a", Times: ts, Values: []float64{1, math.NaN(), 3, 4, math.NaN()}}}}
	root := parse(t, c.SVG())
	var d string
	root.walk("", func(e *node, g string) {
		if g == "lines" && e.XMLName.Local == "path" {
			d = e.attr("d")
		}
	})
	// One lone point (a dot) and one segment of two points.
	if got := strings.Count(d, "M"); got != 2 {
		t.Errorf("path %q has %d moves, want 2", d, got)
	}
	if got := count(root, "circle", "lines"); got != 1 {
		t.Errorf("dots for lone points = %d, want 1", got)
	}

	empty := parse(t, (&chart.Chart{Title: "空"}).SVG())
	var texts []string
	empty.walk("", func(e *node, _ string) {
		if e.XMLName.Local == "text" {
			texts = append(texts, e.Text)
		}
	})
	if !strings.Contains(strings.Join(texts, "|"), "暂无数据") {
		t.Errorf("empty chart texts = %q, want 暂无数据", texts)
	}
}

func TestSpark(t *testing.T) {
	root := parse(t, (&chart.Spark{Values: []float64{1, 3, math.NaN(), 2}, Title: hostile}).SVG())
	var pts string
	root.walk("", func(e *node, _ string) {
		if e.XMLName.Local == "polyline" {
			pts = e.attr("points")
		}
	})
	if got := len(strings.Fields(pts)); got != 3 {
		t.Errorf("polyline points = %d (%q), want 3", got, pts)
	}
	// Counts are drawn from zero: the highest value 3 is at the top margin (y=2)
	// and 0 would be at the bottom margin (y=22) of the 24 px sparkline.
	if !strings.Contains(pts, ",2 ") {
		t.Errorf("points %q: want the maximum at y=2", pts)
	}
	if got := count(root, "circle", ""); got != 1 {
		t.Errorf("last-value dots = %d, want 1", got)
	}
	parse(t, (&chart.Spark{}).SVG())
}

func BenchmarkChartSVG(b *testing.B) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	c := sentimentChart(sh, 90, 640)
	for b.Loop() {
		_ = c.SVG()
	}
}

func BenchmarkSpark(b *testing.B) {
	s := &chart.Spark{Values: make([]float64, 30)}
	for i := range s.Values {
		s.Values[i] = float64(i % 7)
	}
	for b.Loop() {
		_ = s.SVG()
	}
}

func TestInterval(t *testing.T) {
	tests := []struct {
		name          string
		iv            chart.Interval
		band, tick    string // expected x of the band's start and the tick
		wantBandWidth string
	}{
		// 100 wide, margin 2: x(v) = 2 + 96·v on 0…1.
		{"probability", chart.Interval{Value: 0.5, Lo: 0.25, Hi: 0.75}, `x="26"`, `x1="50" y1="1"`, `width="48"`},
		{"clamped to the scale", chart.Interval{Value: 2, Lo: -1, Hi: 3}, `x="2"`, `x1="98" y1="1"`, `width="96"`},
		{"own scale", chart.Interval{Value: 0, Lo: -0.5, Hi: 0.5, Min: -1, Max: 1}, `x="26"`, `x1="50" y1="1"`, `width="48"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svg := tt.iv.SVG()
			for _, want := range []string{`<rect ` + tt.band, tt.wantBandWidth, `<line ` + tt.tick} {
				if !strings.Contains(svg, want) {
					t.Errorf("SVG lacks %q:\n%s", want, svg)
				}
			}
		})
	}
	svg := (&chart.Interval{Value: math.NaN(), Title: "<b>&"}).SVG()
	if strings.Contains(svg, "<rect") || !strings.Contains(svg, "&lt;b&gt;&amp;") {
		t.Errorf("NaN interval or title escaping: %s", svg)
	}
}
