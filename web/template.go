package web

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"trustwatch"
	"trustwatch/alert"
	"trustwatch/detect/burst"
	"trustwatch/detect/ledger"
	"trustwatch/detect/metric"
	"trustwatch/label"
	"trustwatch/story"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// views lists every page template (templates/NAME.html). Each is parsed
// once, on top of the shared layout and partials.
var views = []string{
	"overview", "entity", "search", "item", "quarantine", "aspects", "storybook", "error",
	"alerts", "alert", "serieslist", "series", "ledger", "claim", "terms", "voice", "report",
	"login", "admin", "compare",
	"stories", "story",
}

// common are the templates every view is parsed with.
var common = []string{"templates/layout.html", "templates/partials.html"}

type view struct{ tmpl *template.Template }

// mustParseViews parses the layout and partials once and each declared view
// on a clone of them. It panics on a parse error, on a template file that is
// not declared and on a declared view without a file.
func mustParseViews(funcs template.FuncMap) map[string]*view {
	base := template.Must(template.New("layout").Funcs(funcs).ParseFS(templateFS, common...))
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	out := make(map[string]*view, len(views))
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if slices.Contains(common, f) {
			continue
		}
		if !slices.Contains(views, name) {
			panic(fmt.Sprintf("web: template %s is not declared in views", f))
		}
		t := template.Must(template.Must(base.Clone()).ParseFS(templateFS, f))
		out[name] = &view{tmpl: t}
	}
	for _, name := range views {
		if out[name] == nil {
			panic(fmt.Sprintf("web: view %q has no templates/%s.html", name, name))
		}
	}
	return out
}

// page is what the layout receives; Data is the view's own data. Caller
// is who asked (Name "" for nobody signed in), CSRF the token its forms
// carry; Login says the server has sign-in at all.
type page struct {
	Title  string
	Nav    []navLink
	Path   string
	Data   any
	Caller trustwatch.Principal
	CSRF   string
	Login  bool
}

// Can reports whether the caller's role allows need ("analyst", "admin"),
// so that a page shows only the forms its reader may submit.
func (p *page) Can(need string) bool { return p.Caller.Role.Allows(trustwatch.Role(need)) }

// render executes a view into a buffer first, so that a template error
// becomes a clean 500 rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) {
	v := s.views[name]
	if v == nil {
		panic(fmt.Sprintf("web: render of undeclared view %q", name))
	}
	var buf bytes.Buffer
	c := callerFrom(r.Context())
	p := &page{Title: title, Path: r.URL.Path, Data: data, Caller: c.Principal, CSRF: c.CSRF, Login: s.Auth != nil}
	for _, l := range s.nav {
		if c.Role.Allows(l.Role) {
			p.Nav = append(p.Nav, l)
		}
	}
	if err := v.tmpl.ExecuteTemplate(&buf, "layout", p); err != nil {
		s.Logger.Error("web: render", "view", name, "err", err)
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	if c.newCSRF {
		http.SetCookie(w, s.cookie(r, csrfCookie, c.CSRF))
	}
	// Pages differ by who reads them; no shared cache may keep one.
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// json writes v as JSON. HTML-significant characters in strings are
// escaped (\u003c), so a response sniffed as HTML still runs nothing.
func (s *Server) json(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		s.Logger.Error("web: encode json", "err", err)
		http.Error(w, `{"code":"internal","error":"Internal error."}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func staticHandler() http.HandlerFunc {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err)
	}
	files := http.StripPrefix("/static/", http.FileServerFS(sub))
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	}
}

// funcs are the template functions. None of them returns template.HTML
// built from user text.
func (s *Server) funcs() template.FuncMap {
	return template.FuncMap{
		"fmtTime": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(s.Location).Format("2006-01-02 15:04")
		},
		"fmtDate": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(s.Location).Format("2006-01-02")
		},
		"isoTime":     func(t time.Time) string { return t.Format(time.RFC3339) },
		"num":         label.Num,
		"body":        func(it trustwatch.Item) string { return it.Body() },
		"engagement":  func(it trustwatch.Item) int64 { return it.Engagement() },
		"pct":         label.Pct,
		"change":      label.Change,
		"pointsDiff":  label.Points,
		"labelName":   label.Sentiment,
		"entityName":  s.entityName,
		"aspectName":  s.aspectName,
		"subjectName": s.subjectName,
		// A built-in rule's id is the detector's code: the page says
		// where the rule comes from instead.
		"isBuiltinRule": func(rule string) bool { return strings.HasPrefix(rule, alert.BuiltinPrefix) },
		"itemURL":       itemURL,
		"entityURL":     func(id string) string { return "/entities/" + url.PathEscape(id) },
		"httpURL":       httpURL,
		"excerpt":       excerpt,
		"rawText":       rawText,
		"kindName":      label.ItemKind,
		"alertURL":      alertURL,
		"seriesURL":     seriesURL,
		"claimURL":      claimURL,
		"exportLinks":   exportLinks,
		"voiceURL":      voiceURL,
		"storyURL":      storyURL,
		"signalRow":     func(name string, sig story.Signal) signalRow { return signalRow{name, sig} },
		"severity":      label.Severity,
		"alertKind":     label.AlertKind,
		"delivery":      label.DeliveryState,
		"alertState":    alertState,
		"alertRow": func(a trustwatch.Alert, back string, p *page) alertAction {
			return alertAction{Alert: a, Back: back, CSRF: p.CSRF, CanAct: p.Can("analyst")}
		},
		"alertTable": func(as []trustwatch.Alert, competitor bool, back string, p *page) alertTableData {
			return alertTableData{Alerts: as, Competitor: competitor, Back: back, Page: p}
		},
		"roleName":    label.Role,
		"auditAction": label.AuditAction,
		"evidenceURL": func(e trustwatch.Evidence) string {
			if e.ItemID != "" {
				return itemURL(e.ItemID)
			}
			if e.Series != "" {
				return seriesURL(e.Series)
			}
			return ""
		},
		"metric": metric.Format,
		"float":  label.Float,
		"pvalue": label.PValue,
		"signed": label.Signed,
		"div": func(a, b float64) float64 {
			if b == 0 {
				return math.NaN()
			}
			return a / b
		},
		"stanceName":     label.Stance,
		"statusName":     label.ClaimStatus,
		"seriesName":     s.seriesName,
		"seriesKind":     label.SeriesKind,
		"entityKindName": label.EntityKind,
		// entityTag is the tag shown beside an entity that is not one of
		// our own brands, people or products: 话题 or 竞品.
		"entityTag": func(id string) string {
			if s.competitorOf(id) != "" {
				return label.EntityKind(trustwatch.EntityCompetitor)
			}
			if e := s.Watch.Entity(id); e != nil && e.Kind == trustwatch.EntityTopic {
				return label.EntityKind(trustwatch.EntityTopic)
			}
			return ""
		},
		"isPerson": func(id string) bool {
			e := s.Watch.Entity(id)
			return e != nil && e.Kind == trustwatch.EntityPerson
		},
		"tzName": func() string { return s.Location.String() },
		"kinds": func() []trustwatch.Kind {
			return trustwatch.Kinds
		},
		"platformName": label.Platform,
		// explain is a figure's Chinese name with its explanation on hover;
		// legend lists the figures a page shows (the "legend" partial).
		"explain": explainFigure,
		"legend":  label.Legend,
		"labels": func() []trustwatch.Label {
			return []trustwatch.Label{trustwatch.Positive, trustwatch.Neutral, trustwatch.Negative}
		},
	}
}

// itemURL is the dashboard page of an item.
func itemURL(id string) string { return "/items/" + url.PathEscape(id) }

// httpURL returns u when it is an absolute http or https URL and "" for
// anything else (javascript:, data:, relative), so only those become links.
func httpURL(u string) string {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil || p.Host == "" || (p.Scheme != "http" && p.Scheme != "https") {
		return ""
	}
	return p.String()
}

// excerpt cuts text to n runes, with an ellipsis.
func excerpt(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j] + "…"
		}
		i++
	}
	return s
}

// rawText shows quarantined bytes as text: invalid UTF-8 becomes U+FFFD and
// long input is cut.
func rawText(b []byte) string {
	return excerpt(strings.ToValidUTF8(string(b), "\uFFFD"), 4000)
}

func (s *Server) entityName(id string) string {
	if e := s.Watch.Entity(id); e != nil && e.Name != "" {
		return e.Name
	}
	return id
}

// subjectName names what an alert is about besides its entity: a claim or
// a stated value by its text, an aspect by its name, a fixed code through
// the vocabulary (label.Subject); a term or a source's id as it is.
func (s *Server) subjectName(a trustwatch.Alert) string {
	switch {
	case a.Subject == "":
		return ""
	case a.Kind == burst.KindVolumeSpike || a.Kind == burst.KindSentimentSpike:
		return s.aspectName(a.Subject)
	case strings.HasPrefix(a.Kind, "claim.") || a.Kind == ledger.KindSayDoGap:
		for _, c := range s.Watch.Claims {
			if c.ID == a.Subject && c.Text != "" {
				return "「" + excerpt(c.Text, 30) + "」"
			}
		}
		for _, v := range s.Watch.Values {
			if v.ID == a.Subject && v.Text != "" {
				return "「" + excerpt(v.Text, 30) + "」"
			}
		}
	}
	return label.Subject(a.Subject)
}

func (s *Server) aspectName(id string) string {
	for _, a := range s.Watch.Aspects {
		if a.ID == id && a.Name != "" {
			return a.Name
		}
	}
	if s.AspectName != nil {
		if name := s.AspectName(id); name != "" {
			return name
		}
	}
	return label.Aspect(id)
}
