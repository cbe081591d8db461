package chart_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"trustwatch/chart"
)

func TestIntTicks(t *testing.T) {
	tests := []struct {
		name   string
		lo, hi float64
		max    int
		want   []float64
	}{
		{"all zero", 0, 0, 5, []float64{0, 1}},
		{"one item", 0, 1, 6, []float64{0, 1}},
		{"two items: no 0.5", 0, 2, 5, []float64{0, 1, 2}},
		{"three items", 0, 3, 7, []float64{0, 1, 2, 3}},
		{"large counts as NiceTicks", 0, 97, 6, []float64{0, 20, 40, 60, 80, 100}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := chart.IntTicks(tt.lo, tt.hi, tt.max); !slices.Equal(got, tt.want) {
				t.Errorf("IntTicks(%v, %v, %d) = %v, want %v", tt.lo, tt.hi, tt.max, got, tt.want)
			}
		})
	}
}

// leftTicks returns the left axis' tick labels (right-aligned axis text).
func leftTicks(root *node) []string {
	var out []string
	root.walk("", func(e *node, g string) {
		if g == "axis" && e.XMLName.Local == "text" && e.attr("text-anchor") == "end" {
			out = append(out, e.Text)
		}
	})
	return out
}

func TestCountAxisHasIntegerTicks(t *testing.T) {
	ts := days(time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), 5)
	counts := []float64{0, 1, 2, 1, 0}
	for _, tt := range []struct {
		name    string
		integer bool
		want    string
	}{
		{"count axis", true, "0 1 2"},
		{"value axis keeps halves", false, "0 0.5 1 1.5 2"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := &chart.Chart{Width: 640, Height: 240, Step: 24 * time.Hour,
				Stacked: []chart.Series{{Name: "条数", Times: ts, Values: counts}},
				Left:    chart.Axis{Label: "条数", Integer: tt.integer}}
			if got := strings.Join(leftTicks(parse(t, c.SVG())), " "); got != tt.want {
				t.Errorf("left ticks = %q, want %q", got, tt.want)
			}
		})
	}
}

// partialChart is a week of daily bars and a line; the data is complete
// until complete.
func partialChart(complete time.Time) *chart.Chart {
	ts := days(time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), 7)
	return &chart.Chart{Width: 640, Height: 240, Step: 24 * time.Hour, CompleteUntil: complete,
		Stacked: []chart.Series{
			{Name: "正面", Times: ts, Values: []float64{5, 6, 5, 7, 6, 5, 1}},
			{Name: "负面", Times: ts, Values: []float64{2, 2, 3, 2, 2, 3, 0}},
		},
		Lines: []chart.Series{{Name: "净情感", Times: ts, Values: []float64{0.3, 0.4, 0.2, 0.5, 0.4, 0.25, 1}, Right: true}},
		Left:  chart.Axis{Label: "条数", Integer: true},
		Right: chart.Axis{Fixed: true, Min: -1, Max: 1, Percent: true},
	}
}

func TestPartialPeriod(t *testing.T) {
	day := func(d, h int) time.Time { return time.Date(2024, 3, d, h, 0, 0, 0, time.UTC) }
	tests := []struct {
		name     string
		complete time.Time
		// bars drawn lighter; points of the dashed line; the legend note.
		bars, dashed int
		note         bool
	}{
		{"no cut-off: all complete", time.Time{}, 0, 0, false},
		{"cut-off after the last period", day(8, 0), 0, 0, false},
		{"last day partial (10:00 of 7 March)", day(7, 10), 1, 2, true},                           // the 7th's 负面 is 0: one bar
		{"last two days partial (cut-off 6 March 00:01)", day(6, 0).Add(time.Minute), 3, 3, true}, // 6th: two bars, 7th: one
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := parse(t, partialChart(tt.complete).SVG())
			bars, band, paths := 0, 0, 0
			dashed := -1
			var legend []string
			root.walk("", func(e *node, g string) {
				switch {
				case g == "stack" && e.XMLName.Local == "rect" && e.attr("class") == "partial":
					bars++
					if e.attr("fill-opacity") == "" {
						t.Error("a partial bar is drawn at full opacity")
					}
				case e.XMLName.Local == "rect" && e.attr("class") == "partial":
					band++
				case g == "lines" && e.XMLName.Local == "path":
					paths++
					if e.attr("class") == "partial" {
						dashed = strings.Count(e.attr("d"), "M") + strings.Count(e.attr("d"), "L")
						if e.attr("stroke-dasharray") == "" {
							t.Error("the partial segment is not dashed")
						}
					}
				case g == "legend" && e.XMLName.Local == "text":
					legend = append(legend, e.Text)
				}
			})
			if bars != tt.bars {
				t.Errorf("partial bars = %d, want %d", bars, tt.bars)
			}
			if tt.dashed == 0 && dashed != -1 || tt.dashed > 0 && dashed != tt.dashed {
				t.Errorf("dashed line points = %d, want %d", dashed, tt.dashed)
			}
			wantPaths := 1
			if tt.dashed > 0 {
				wantPaths = 2
			}
			if paths != wantPaths {
				t.Errorf("line paths = %d, want %d", paths, wantPaths)
			}
			if got := slices.Contains(legend, chart.PartialNote); got != tt.note {
				t.Errorf("legend %q has 「未完整」 = %v, want %v", legend, got, tt.note)
			}
			if wantBand := map[bool]int{true: 1}[tt.note]; band != wantBand {
				t.Errorf("shaded partial bands = %d, want %d", band, wantBand)
			}
		})
	}
}

// markerLabels returns the marker labels' boxes, by the package's width
// estimate.
type labelBox struct {
	text      string
	x0, x1, y float64
}

func markerLabels(root *node) []labelBox {
	var out []labelBox
	root.walk("", func(e *node, g string) {
		if e.XMLName.Local == "text" && e.attr("class") == "marker-label" {
			x, _ := strconv.ParseFloat(e.attr("x"), 64)
			y, _ := strconv.ParseFloat(e.attr("y"), 64)
			out = append(out, labelBox{e.Text, x, x + chart.TextWidth(e.Text, 12), y})
		}
	})
	return out
}

func TestMarkerLabelsDoNotOverlap(t *testing.T) {
	ts := days(time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), 30)
	vs := make([]float64, len(ts))
	for i := range vs {
		vs[i] = float64(10 + i%4)
	}
	// Four alerts on consecutive days: at 1100 wide a day is about 33
	// units and a label 48, so neighbours collide and alternate between
	// two rows; at 360 a day is about 10 units, so only two labels fit.
	var markers []chart.Marker
	for d := 10; d < 14; d++ {
		markers = append(markers, chart.Marker{Time: ts[d], Label: "声量激增", Title: "第 " + strconv.Itoa(d) + " 天"})
	}
	tests := []struct {
		width, labels, rows int
	}{
		{1100, 4, 2},
		{360, 2, 2},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.width), func(t *testing.T) {
			c := &chart.Chart{Width: tt.width, Height: 260, Step: 24 * time.Hour,
				Stacked: []chart.Series{{Name: "条数", Times: ts, Values: vs}}, Left: chart.Axis{Label: "条数", Integer: true}, Markers: markers}
			root := parse(t, c.SVG())
			boxes := markerLabels(root)
			if len(boxes) != tt.labels {
				t.Errorf("%d labels, want %d", len(boxes), tt.labels)
			}
			rows := map[float64]bool{}
			for i, a := range boxes {
				rows[a.y] = true
				if a.x0 < 0 || a.x1 > float64(tt.width) {
					t.Errorf("label %d [%.1f, %.1f] leaves the picture", i, a.x0, a.x1)
				}
				for _, b := range boxes[i+1:] {
					if a.y == b.y && a.x0 < b.x1 && b.x0 < a.x1 {
						t.Errorf("labels overlap at y=%v: [%.1f, %.1f] and [%.1f, %.1f]", a.y, a.x0, a.x1, b.x0, b.x1)
					}
				}
			}
			if len(rows) != tt.rows {
				t.Errorf("labels in %d rows, want %d", len(rows), tt.rows)
			}
			if got := count(root, "line", "marker"); got != len(markers) {
				t.Errorf("marker lines = %d, want %d: a dropped label keeps its marker", got, len(markers))
			}
			// The rows sit between the legend/axis label and the plot.
			for _, b := range boxes {
				if b.y < 20 {
					t.Errorf("label at y=%v runs into the title area", b.y)
				}
			}
		})
	}
}

func TestHTMLAddsNarrowVariant(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	tests := []struct {
		width int
		want  []string // class:width of each <svg>
	}{
		{1100, []string{"chart has-narrow:1100", "chart-narrow:360"}},
		{560, []string{"chart has-narrow:560", "chart-narrow:360"}},
		{360, []string{"chart:360"}},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.width), func(t *testing.T) {
			html := string(sentimentChart(sh, 30, tt.width).HTML())
			var got []string
			for _, part := range strings.SplitAfter(html, "</svg>") {
				if part == "" {
					continue
				}
				root := parse(t, part)
				got = append(got, root.attr("class")+":"+root.attr("width"))
				// Every text of the drawing fits inside it.
				w, _ := strconv.ParseFloat(root.attr("width"), 64)
				root.walk("", func(e *node, g string) {
					if e.XMLName.Local == "text" && e.attr("text-anchor") == "" {
						x, _ := strconv.ParseFloat(e.attr("x"), 64)
						if x+chart.TextWidth(e.Text, 12) > w+1 && e.attr("class") != "title" {
							t.Errorf("text %q at x=%v runs past the right edge %v", e.Text, x, w)
						}
					}
				})
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("svgs = %q, want %q", got, tt.want)
			}
		})
	}
}
