package web

import (
	"html/template"
	"time"

	"trustwatch"
	"trustwatch/chart"
)

// Sentiment colours: the same on every chart and badge.
const (
	colorPos = "#3a9a5b"
	colorNeu = "#9ca3af"
	colorNeg = "#c23b3b"
	colorNet = "#1f2937"
)

func step(by trustwatch.Period) time.Duration {
	if by == trustwatch.Hour {
		return time.Hour
	}
	return 24 * time.Hour
}

// sentimentChart draws pos/neu/neg as stacked bars per period and the net
// sentiment as a line on a fixed −100%…100% right axis.
func (s *Server) sentimentChart(title string, pts []trustwatch.VolumePoint, by trustwatch.Period, width, height int) template.HTML {
	return s.sentimentChartSpec(title, pts, by, width, height).HTML()
}

// sentimentChartSpec is the chart sentimentChart draws, before rendering,
// for callers that add markers and say which periods are partial
// (CompleteUntil).
func (s *Server) sentimentChartSpec(title string, pts []trustwatch.VolumePoint, by trustwatch.Period, width, height int) *chart.Chart {
	n := len(pts)
	ts := make([]time.Time, n)
	pos, neu, neg, net := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i, p := range pts {
		ts[i] = p.Period
		pos[i], neu[i], neg[i] = float64(p.Pos), float64(p.Neu), float64(p.Neg)
		net[i] = p.Net()
		if p.Pos+p.Neu+p.Neg == 0 {
			net[i] = nan // no items: a gap, not a neutral zero
		}
	}
	c := &chart.Chart{
		Title: title, Width: width, Height: height, Location: s.Location, Step: step(by),
		Stacked: []chart.Series{
			{Name: "正面", Color: colorPos, Times: ts, Values: pos},
			{Name: "中性", Color: colorNeu, Times: ts, Values: neu},
			{Name: "负面", Color: colorNeg, Times: ts, Values: neg},
		},
		Lines:  []chart.Series{{Name: "净情感", Color: colorNet, Times: ts, Values: net, Right: true}},
		Left:   chart.Axis{Label: "条数", Integer: true},
		Right:  chart.Axis{Label: "净情感", Fixed: true, Min: -1, Max: 1, Percent: true},
		HLines: []chart.HLine{{Value: 0, Right: true, Color: "#6b7280", Dashed: true}},
	}
	if n == 0 {
		c.Stacked, c.Lines, c.HLines = nil, nil, nil
	}
	return c
}

// linesChart draws one line per named series of counts; the periods that
// end after complete are drawn as partial.
func (s *Server) linesChart(title string, names []string, series [][]trustwatch.VolumePoint, by trustwatch.Period, width, height int, complete time.Time) template.HTML {
	c := &chart.Chart{Title: title, Width: width, Height: height, Location: s.Location, Step: step(by), CompleteUntil: complete,
		Left: chart.Axis{Label: "条数", IncludeZero: true, Integer: true}}
	for i, pts := range series {
		ts, vs := make([]time.Time, len(pts)), make([]float64, len(pts))
		for j, p := range pts {
			ts[j], vs[j] = p.Period, float64(p.Count)
		}
		c.Lines = append(c.Lines, chart.Series{Name: names[i], Times: ts, Values: vs})
	}
	return c.HTML()
}

// stackedChart draws the named series of counts as stacked bars; the
// periods that end after complete are drawn as partial.
func (s *Server) stackedChart(title string, names []string, series [][]trustwatch.VolumePoint, by trustwatch.Period, width, height int, complete time.Time) template.HTML {
	c := &chart.Chart{Title: title, Width: width, Height: height, Location: s.Location, Step: step(by), CompleteUntil: complete,
		Left: chart.Axis{Label: "条数", Integer: true}}
	for i, pts := range series {
		ts, vs := make([]time.Time, len(pts)), make([]float64, len(pts))
		for j, p := range pts {
			ts[j], vs[j] = p.Period, float64(p.Count)
		}
		c.Stacked = append(c.Stacked, chart.Series{Name: names[i], Times: ts, Values: vs})
	}
	return c.HTML()
}

func spark(pts []trustwatch.VolumePoint, title, color string) template.HTML {
	vs := make([]float64, len(pts))
	for i, p := range pts {
		vs[i] = float64(p.Count)
	}
	return (&chart.Spark{Values: vs, Width: 120, Height: 24, Title: title, Color: color}).HTML()
}
