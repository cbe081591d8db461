package report

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"trustwatch"
	"trustwatch/label"
)

// heldBand is the change of a negative share, in percentage points, within
// which it counts as held rather than worse or better.
const heldBand = 1.0

// evidencePerFinding caps the evidence listed for one finding.
const evidencePerFinding = 12

// Options says what the report covers.
type Options struct {
	From, To time.Time // [From, To)
	// Location is where days begin (default Asia/Shanghai).
	Location *time.Location
	// BaseURL is the dashboard's address, for the links of the Markdown
	// report and the "在看板上查看" links of the HTML one. Empty
	// leaves dashboard links relative in Markdown and out of the HTML,
	// which then links only inside itself.
	BaseURL string
	Title   string
	// MaxMargin is the Wilson 95% margin of a share, as a fraction, above
	// which a figure says "数据少" (default DefaultMaxMargin, ±10
	// percentage points): the uncertainty decides, not a bare count.
	MaxMargin float64
	// Now is when the report is written (default time.Now).
	Now time.Time
}

// Link kinds.
const (
	LinkItem   = "item"
	LinkAlert  = "alert"
	LinkSeries = "series"
)

// Link points at a piece of evidence: an item, an alert, or a point of a series.
type Link struct {
	Kind  string    `json:"kind"`
	ID    string    `json:"id"`
	Time  time.Time `json:"time,omitzero"`
	Value float64   `json:"value,omitempty"`
	Note  string    `json:"note,omitempty"`
}

// Anchor is the link's target id inside the HTML report.
func (l Link) Anchor() string { return anchor(l.Kind, l.ID) }

// Path is the link's page on the dashboard.
func (l Link) Path() string {
	switch l.Kind {
	case LinkItem:
		return "/items/" + pathEscape(l.ID)
	case LinkAlert:
		return "/alerts/" + pathEscape(l.ID)
	}
	return "/series/" + pathEscape(l.ID)
}

// anchor makes an HTML id from any identifier: ids from the outside may
// hold spaces, quotes or anything else.
func anchor(kind, id string) string {
	h := sha256.Sum256([]byte(id))
	return kind + "-" + hex.EncodeToString(h[:6])
}

// Section ids of the first page, in the order they are shown.
const (
	SectionAlerts    = "alerts"
	SectionClaims    = "claims"
	SectionAspects   = "aspects"
	SectionTerms     = "terms"
	SectionService   = "service"
	SectionMarket    = "market"
	SectionSayDo     = "saydo"
	SectionVoice     = "voice"
	SectionSentiment = "sentiment"
	SectionOther     = "other"
)

// Sections lists the sections in order, with their headings (the
// dashboard's words).
var Sections = []struct{ ID, Title string }{
	{SectionAlerts, "未解决的预警"},
	{SectionClaims, "违约中的承诺"},
	{SectionAspects, "各方面的投诉"},
	{SectionTerms, "新外号与新词"},
	{SectionService, "SLA 超标与失控批次"},
	{SectionMarket, "市场与受众低点"},
	{SectionSayDo, "言行不一"},
	{SectionVoice, "话术可预测性"},
	{SectionSentiment, "情感与声量"},
	{SectionOther, "其他预警"},
}

// sectionOfKind maps an alert kind to its section by its family prefix.
func sectionOfKind(kind string) string {
	family, _, _ := strings.Cut(kind, ".")
	switch family {
	case "claim":
		return SectionClaims
	case "term":
		return SectionTerms
	case "sla", "spc":
		return SectionService
	case "metric":
		return SectionMarket
	case "saydo":
		return SectionSayDo
	case "voice":
		return SectionVoice
	case "volume", "sentiment":
		return SectionSentiment
	}
	return SectionOther
}

func sectionRank(id string) int {
	return slices.IndexFunc(Sections, func(s struct{ ID, Title string }) bool { return s.ID == id })
}

// Finding is one statement of the report: a sentence with its number, its
// change against the previous period, the size of the sample behind it and
// the evidence it rests on.
type Finding struct {
	ID       string   `json:"id"`
	Section  string   `json:"section"`
	Sentence string   `json:"sentence"`
	Number   float64  `json:"number"`
	Unit     string   `json:"unit,omitempty"` // "%" for shares (Number is then 0..100)
	Change   *float64 `json:"change,omitempty"`
	N        int      `json:"n"`
	// Figures are the sentence's figures as written there, each linked to
	// the evidence of its own period; nil when the sentence is an alert's
	// statement, whose figures all rest on the alert's evidence.
	Figures []Figure `json:"figures,omitempty"`
	// Margin is the Wilson 95% margin of a share finding's share (a
	// fraction; the larger of the two periods').
	Margin float64 `json:"margin,omitempty"`
	// LittleData is set when Margin is over Options.MaxMargin: the sentence
	// says so.
	LittleData bool   `json:"little_data,omitempty"`
	Severity   string `json:"severity,omitempty"`
	Open       bool   `json:"open,omitempty"`
	Evidence   []Link `json:"evidence"`
	// PrevEvidence backs the previous period's figures.
	PrevEvidence []Link `json:"prev_evidence,omitempty"`
	// Trend is a daily series for a sparkline (may be empty).
	Trend []float64 `json:"trend,omitempty"`
}

// EvidenceAnchor is the HTML id of the finding's evidence list.
func (f *Finding) EvidenceAnchor() string { return "ev-" + f.ID }

// PrevEvidenceAnchor is the HTML id of its previous period's evidence list.
func (f *Finding) PrevEvidenceAnchor() string { return "ev-" + f.ID + "-prev" }

// Column of a table.
type Column struct {
	Title   string `json:"title"`
	Numeric bool   `json:"numeric,omitempty"`
	// Format of a numeric column: "int", "pct" (a 0..100 share), "float".
	Format string `json:"format,omitempty"`
}

// Cell of a table: a number or a text, linked to a finding's evidence or
// to one piece of evidence.
type Cell struct {
	Text    string  `json:"text,omitempty"`
	Value   float64 `json:"value,omitempty"`
	Numeric bool    `json:"numeric,omitempty"`
	Empty   bool    `json:"empty,omitempty"` // no value (e.g. no previous period)
	Finding string  `json:"finding,omitempty"`
	Link    *Link   `json:"link,omitempty"`
}

// Table is one of the report's full tables.
type Table struct {
	ID      string   `json:"id"`
	Title   string   `json:"title"`
	Note    string   `json:"note,omitempty"`
	Columns []Column `json:"columns"`
	Rows    [][]Cell `json:"rows"`
}

// Report is the unfiltered report: what got worse first, then what held or
// improved, then the full tables and the evidence.
type Report struct {
	Title     string                        `json:"title"`
	From      time.Time                     `json:"from"`
	To        time.Time                     `json:"to"`
	PrevFrom  time.Time                     `json:"prev_from"`
	Generated time.Time                     `json:"generated"`
	BaseURL   string                        `json:"base_url,omitempty"`
	MaxMargin float64                       `json:"max_margin"`
	Worse     []Finding                     `json:"worse"`
	Held      []Finding                     `json:"held"`
	Tables    []Table                       `json:"tables"`
	Items     map[string]*trustwatch.Item   `json:"items"`
	Alerts    map[string]*trustwatch.Alert  `json:"alerts"`
	Series    map[string][]trustwatch.Point `json:"series"`
	// SeriesNames are the series' names as the watch file gives them
	// (SeriesDef.Label), by id: ids stay in anchors and links.
	SeriesNames      map[string]string `json:"series_names,omitempty"`
	loc              *time.Location
	seriesHighlights map[string]map[int64]bool
}

// Build reads the store and writes the report for [opt.From, opt.To),
// comparing with the period of the same length before it.
func Build(ctx context.Context, st trustwatch.Store, w *trustwatch.Watch, opt Options) (*Report, error) {
	if opt.From.IsZero() || opt.To.IsZero() || !opt.From.Before(opt.To) {
		return nil, trustwatch.Errorf(trustwatch.EINVALID, "report: the period needs a from before its to")
	}
	if opt.Location == nil {
		opt.Location = trustwatch.DefaultLocation()
	}
	if opt.MaxMargin <= 0 {
		opt.MaxMargin = DefaultMaxMargin
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	if w == nil {
		w = &trustwatch.Watch{}
	}
	if opt.Title == "" {
		opt.Title = "信任报告"
	}
	r := &Report{Title: opt.Title, From: opt.From, To: opt.To, PrevFrom: opt.From.Add(-opt.To.Sub(opt.From)),
		Generated: opt.Now, BaseURL: strings.TrimSuffix(opt.BaseURL, "/"), MaxMargin: opt.MaxMargin,
		Items: map[string]*trustwatch.Item{}, Alerts: map[string]*trustwatch.Alert{}, Series: map[string][]trustwatch.Point{},
		loc: opt.Location, seriesHighlights: map[string]map[int64]bool{}}
	b := &builder{r: r, st: st, w: w, opt: opt}
	steps := []func(context.Context) error{b.alerts, b.aspects, b.sentiment, b.evidence}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return nil, err
		}
	}
	b.order()
	for id := range r.Series {
		if r.SeriesNames == nil {
			r.SeriesNames = map[string]string{}
		}
		r.SeriesNames[id] = w.SeriesByID(id).Label()
	}
	return r, nil
}

// seriesName is what a reader reads for a series: its name, else its id.
func (r *Report) seriesName(id string) string {
	if n := r.SeriesNames[id]; n != "" {
		return n
	}
	return id
}

type builder struct {
	r   *Report
	st  trustwatch.Store
	w   *trustwatch.Watch
	opt Options
}

// order sorts the findings: by section, then open first, then severity,
// then the largest rise; and numbers them.
func (b *builder) order() {
	for _, fs := range [][]Finding{b.r.Worse, b.r.Held} {
		slices.SortStableFunc(fs, func(x, y Finding) int {
			return cmp.Or(
				cmp.Compare(sectionRank(x.Section), sectionRank(y.Section)),
				boolRank(y.Open)-boolRank(x.Open),
				cmp.Compare(trustwatch.SeverityRank(y.Severity), trustwatch.SeverityRank(x.Severity)),
				cmp.Compare(deref(y.Change), deref(x.Change)),
			)
		})
	}
	// Ids are given after sorting so they read in order; tables refer to
	// findings through a temporary key, swapped here.
	ids := map[string]string{}
	n := 0
	for _, fs := range [][]Finding{b.r.Worse, b.r.Held} {
		for i := range fs {
			n++
			id := fmt.Sprintf("f%d", n)
			ids[fs[i].ID] = id
			fs[i].ID = id
		}
	}
	for t := range b.r.Tables {
		for _, row := range b.r.Tables[t].Rows {
			for c := range row {
				if row[c].Finding != "" {
					row[c].Finding = ids[row[c].Finding]
				}
			}
		}
	}
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

func deref(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}

// Findings returns the worse findings followed by the held ones.
func (r *Report) Findings() []Finding { return append(slices.Clone(r.Worse), r.Held...) }

// Finding returns the finding with the given id, or nil.
func (r *Report) Finding(id string) *Finding {
	for _, fs := range [][]Finding{r.Worse, r.Held} {
		for i := range fs {
			if fs[i].ID == id {
				return &fs[i]
			}
		}
	}
	return nil
}

// SectionTitle returns the heading of a section id.
func SectionTitle(id string) string {
	if i := sectionRank(id); i >= 0 {
		return Sections[i].Title
	}
	return id
}

func (b *builder) entityName(id string) string {
	if id == "" {
		return "全部条目"
	}
	if e := b.w.Entity(id); e != nil && e.Name != "" {
		return e.Name
	}
	return id
}

func (b *builder) aspectName(id string) string {
	for _, a := range b.w.Aspects {
		if a.ID == id && a.Name != "" {
			return a.Name
		}
	}
	return label.Aspect(id)
}

func (r *Report) day(t time.Time) string { return t.In(r.loc).Format("2006-01-02") }

func pathEscape(s string) string {
	var sb strings.Builder
	for _, c := range []byte(s) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-_.~:@", c) >= 0 {
			sb.WriteByte(c)
		} else {
			fmt.Fprintf(&sb, "%%%02X", c)
		}
	}
	return sb.String()
}
