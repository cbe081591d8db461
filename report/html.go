package report

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"trustwatch"
	"trustwatch/chart"
	"trustwatch/label"
)

//go:embed template/report.html template/report.css
var templateFS embed.FS

// FormatNumber writes a finding's number: shares as "42%", counts whole,
// other values with up to four significant digits.
func FormatNumber(v float64, unit string) string {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return "–"
	case unit == "%":
		return strconv.FormatFloat(v, 'f', 0, 64) + "%"
	case v == math.Trunc(v) && math.Abs(v) < 1e15:
		return label.Int(int64(v))
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// formatCell writes a table cell's number in its column's format.
func formatCell(c Cell, col Column) string {
	if c.Empty {
		return "–"
	}
	switch col.Format {
	case "int":
		return strconv.FormatFloat(c.Value, 'f', 0, 64)
	case "pct":
		return strconv.FormatFloat(c.Value, 'f', 1, 64) + "%"
	}
	return strconv.FormatFloat(c.Value, 'f', 2, 64)
}

// findingView is what the template shows of a finding.
type findingView struct {
	*Finding
	Text     template.HTML
	Badge    string
	Href     string
	Spark    template.HTML
	Links    []linkView
	Sections string
	Margin   string // the Wilson margin in percentage points, for 数据少
}

type linkView struct {
	Href, Label string
}

type sectionView struct {
	ID, Title string
	Findings  []findingView
}

type cellView struct {
	Text    string
	Href    string
	Numeric bool
}

type tableView struct {
	*Table
	Rows [][]cellView
}

type itemView struct {
	Anchor, ID, Time, Meta, Text, URL, Dashboard string
	Missing                                      bool
}

type alertView struct {
	Anchor, ID, Kind, Severity, Entity, Opened, State, Value, Statement, Dashboard string
	Links                                                                          []linkView
}

type pointView struct {
	Time, Value string
	Mark        bool
}

type seriesView struct {
	Anchor, ID, Name, Dashboard string
	Spark                       template.HTML
	Points                      []pointView
	More                        int
}

type evidenceView struct {
	Anchor, Title string
	Links         []linkView
}

type page struct {
	R         *Report
	CSS       template.CSS
	Period    string
	Previous  string
	Generated string
	Worse     []sectionView
	Held      []sectionView
	Tables    []tableView
	Evidence  []evidenceView
	Alerts    []alertView
	Items     []itemView
	Series    []seriesView
}

var htmlTemplate = template.Must(template.New("report.html").Funcs(template.FuncMap{"severityClass": severityClass, "severityName": label.Severity, "points": func(f float64) string { return label.Float(100*f, 1) }}).ParseFS(templateFS, "template/report.html"))

// HTML writes the report as one self-contained page: inline CSS with a
// print stylesheet, inline SVG sparklines, and an appendix holding every
// alert, item and series point the figures link to.
func (r *Report) HTML(w io.Writer) error {
	css, err := templateFS.ReadFile("template/report.css")
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	p := page{R: r, CSS: template.CSS(css), Period: r.period(r.From, r.To), Previous: r.period(r.PrevFrom, r.From),
		Generated: r.Generated.In(r.loc).Format("2006-01-02 15:04")}
	p.Worse = r.sections(r.Worse)
	p.Held = r.sections(r.Held)
	for i := range r.Tables {
		p.Tables = append(p.Tables, r.tableView(&r.Tables[i]))
	}
	for _, f := range r.Findings() {
		ev := evidenceView{Anchor: f.EvidenceAnchor(), Title: f.Sentence}
		for i, l := range f.Evidence {
			ev.Links = append(ev.Links, r.linkView(l, i+1))
		}
		p.Evidence = append(p.Evidence, ev)
		if len(f.PrevEvidence) > 0 {
			prev := evidenceView{Anchor: f.PrevEvidenceAnchor(), Title: "上期：" + f.Sentence}
			for i, l := range f.PrevEvidence {
				prev.Links = append(prev.Links, r.linkView(l, i+1))
			}
			p.Evidence = append(p.Evidence, prev)
		}
	}
	p.Alerts = r.alertViews()
	p.Items = r.itemViews()
	p.Series = r.seriesViews()
	if err := htmlTemplate.Execute(w, p); err != nil {
		return fmt.Errorf("report: html: %w", err)
	}
	return nil
}

// period writes [from, to) by its first and last days, as the dashboard
// does: "2025-03-01 至 2025-03-07".
func (r *Report) period(from, to time.Time) string {
	last := to.Add(-time.Nanosecond)
	return r.day(from) + " 至 " + r.day(last)
}

func (r *Report) dashboard(l Link) string {
	if r.BaseURL == "" {
		return ""
	}
	return r.BaseURL + l.Path()
}

func (r *Report) sections(fs []Finding) []sectionView {
	var out []sectionView
	for _, s := range Sections {
		sv := sectionView{ID: s.ID, Title: s.Title}
		for i := range fs {
			if fs[i].Section != s.ID {
				continue
			}
			f := &fs[i]
			fv := findingView{Finding: f, Href: "#" + f.EvidenceAnchor(), Badge: FormatNumber(f.Number, f.Unit)}
			fv.Text = LinkFigures(f.Sentence, f.Figures, func(fig Figure) string {
				if fig.Previous && len(f.PrevEvidence) > 0 {
					return "#" + f.PrevEvidenceAnchor()
				}
				return fv.Href
			})
			fv.Margin = label.Float(100*f.Margin, 0)
			if len(f.Trend) > 1 {
				fv.Spark = (&chart.Spark{Values: f.Trend, Width: 90, Height: 20, Title: "每日负面占比（%）"}).HTML()
			}
			for j, l := range f.Evidence {
				fv.Links = append(fv.Links, r.linkView(l, j+1))
			}
			sv.Findings = append(sv.Findings, fv)
		}
		if len(sv.Findings) > 0 {
			out = append(out, sv)
		}
	}
	return out
}

func (r *Report) linkView(l Link, n int) linkView {
	label := fmt.Sprintf("[%d] %s", n, linkKindName(l.Kind))
	switch l.Kind {
	case LinkItem:
		if it := r.Items[l.ID]; it != nil {
			label = fmt.Sprintf("[%d] %s", n, clip(it.Body(), 40))
		}
	case LinkAlert:
		if a := r.Alerts[l.ID]; a != nil {
			label = fmt.Sprintf("[%d] 预警：%s", n, clip(a.Statement, 40))
		}
	case LinkSeries:
		label = fmt.Sprintf("[%d] %s %s：%s", n, r.seriesName(l.ID), r.day(l.Time), FormatNumber(l.Value, ""))
	}
	return linkView{Href: "#" + l.Anchor(), Label: label}
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	return string(rs[:n]) + "…"
}

func (r *Report) tableView(t *Table) tableView {
	tv := tableView{Table: t}
	for _, row := range t.Rows {
		var cells []cellView
		for i, c := range row {
			cv := cellView{Text: c.Text, Numeric: c.Numeric}
			if c.Numeric {
				cv.Text = formatCell(c, t.Columns[i])
			}
			if c.Link != nil {
				cv.Href = "#" + c.Link.Anchor()
			} else if c.Finding != "" {
				cv.Href = "#ev-" + c.Finding
			}
			cells = append(cells, cv)
		}
		tv.Rows = append(tv.Rows, cells)
	}
	return tv
}

func (r *Report) alertViews() []alertView {
	var out []alertView
	for _, id := range sortedIDs(r.Alerts) {
		a := r.Alerts[id]
		state := "未关闭"
		if a.Resolved != nil && a.Resolved.Before(r.To) {
			state = r.day(*a.Resolved) + " 已解决"
		}
		l := Link{Kind: LinkAlert, ID: a.ID}
		av := alertView{Anchor: l.Anchor(), ID: a.ID, Kind: label.AlertKind(a.Kind), Severity: label.Severity(a.Severity), Entity: a.Entity,
			Opened: a.Opened.In(r.loc).Format("2006-01-02 15:04"), State: state, Value: FormatNumber(a.Value, ""),
			Statement: a.Statement, Dashboard: r.dashboard(l)}
		for i, e := range a.Evidence {
			if e.ItemID != "" {
				av.Links = append(av.Links, r.linkView(Link{Kind: LinkItem, ID: e.ItemID}, i+1))
			} else if e.Series != "" {
				av.Links = append(av.Links, r.linkView(Link{Kind: LinkSeries, ID: e.Series, Time: e.Time, Value: e.Value}, i+1))
			}
		}
		out = append(out, av)
	}
	return out
}

func (r *Report) itemViews() []itemView {
	var out []itemView
	for _, id := range sortedIDs(r.Items) {
		it := r.Items[id]
		l := Link{Kind: LinkItem, ID: id}
		iv := itemView{Anchor: l.Anchor(), ID: id, Dashboard: r.dashboard(l)}
		if it == nil {
			iv.Missing = true
		} else {
			iv.Time = it.Time.In(r.loc).Format("2006-01-02 15:04")
			var meta []string
			for _, s := range []string{label.Platform(it.Platform), label.ItemKind(it.Kind), it.Author, label.Sentiment(it.Sentiment)} {
				if s != "" {
					meta = append(meta, s)
				}
			}
			if e := it.Engagement(); e > 0 {
				meta = append(meta, fmt.Sprintf("互动 %d", e))
			}
			iv.Meta = strings.Join(meta, " · ")
			iv.Text = it.FullText()
			iv.URL = it.URL
		}
		out = append(out, iv)
	}
	return out
}

// seriesPointLimit caps the points listed per series; the sparkline shows all.
const seriesPointLimit = 60

func (r *Report) seriesViews() []seriesView {
	var out []seriesView
	for _, id := range sortedIDs(r.Series) {
		pts := r.Series[id]
		l := Link{Kind: LinkSeries, ID: id}
		sv := seriesView{Anchor: l.Anchor(), ID: id, Name: r.seriesName(id), Dashboard: r.dashboard(l)}
		vals := make([]float64, len(pts))
		for i, p := range pts {
			vals[i] = p.Value
		}
		if len(vals) > 1 {
			sv.Spark = (&chart.Spark{Values: vals, Width: 240, Height: 40, Title: sv.Name}).HTML()
		}
		marks := r.seriesHighlights[id]
		for i, p := range pts {
			mark := marks[p.Time.Unix()]
			// Keep the marked points and the latest ones.
			if !mark && i < len(pts)-seriesPointLimit {
				sv.More++
				continue
			}
			sv.Points = append(sv.Points, pointView{Time: p.Time.In(r.loc).Format("2006-01-02 15:04"), Value: FormatNumber(p.Value, ""), Mark: mark})
		}
		out = append(out, sv)
	}
	return out
}

func sortedIDs[V any](m map[string]V) []string {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// severityClass is the CSS class of a severity.
func severityClass(s string) string {
	if trustwatch.SeverityRank(s) > 0 {
		return "sev-" + s
	}
	return "sev-none"
}
