package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"html/template"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"trustwatch"

	"trustwatch/chart"
	"trustwatch/report"
	"trustwatch/results"
)

// findingView is a report finding as the dashboard shows it: the sentence
// with its figures linked to the first piece of evidence on the dashboard.
type findingView struct {
	report.Finding
	Sentence template.HTML // from report.LinkNumbers, which escapes the text
	Title    string
	Spark    template.HTML
}

type reportSection struct {
	ID, Title string
	Findings  []findingView
}

type reportPage struct {
	File     bool // a report written earlier is served at /report/file
	Window   window
	Report   *report.Report
	Worse    []reportSection
	Held     []reportSection
	PrintURL string
}

// buildReport reads from and to (default: the 30 days up to the newest
// item) and builds the report.
func (s *Server) buildReport(r *http.Request) (*report.Report, window, error) {
	ctx := r.Context()
	win, err := s.window(ctx, r.URL.Query())
	if err != nil {
		return nil, win, err
	}
	rep, err := report.Build(ctx, s.Store, s.Watch, report.Options{From: win.From, To: win.To, Location: s.Location, Now: s.Now()})
	if err != nil {
		return nil, win, err
	}
	return rep, win, nil
}

// rememberReport is buildReport remembered by data version and the alerts'
// state (results.AlertsVersion), for the dashboard's report page. A report
// read back from the result store has no zone of its own: it serves this
// page, not the standalone one (report.HTML), which is built each time.
func (s *Server) rememberReport(r *http.Request) (*report.Report, window, error) {
	ctx := r.Context()
	win, err := s.window(ctx, r.URL.Query())
	if err != nil {
		return nil, win, err
	}
	alerts, err := results.AlertsVersion(ctx, s.Store)
	if err != nil {
		return nil, win, err
	}
	rep, err := rememberAt(ctx, s, results.ReportKey(win.From, win.To), alerts, func() (*report.Report, error) {
		return s.computer().Report(ctx, win.From, win.To, s.Now())
	})
	return rep, win, err
}

func (s *Server) handleReport(w http.ResponseWriter, r *http.Request) {
	rep, win, err := s.rememberReport(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	v := url.Values{}
	v.Set("from", win.From.In(s.Location).Format("2006-01-02"))
	v.Set("to", win.LastDay().In(s.Location).Format("2006-01-02"))
	p := reportPage{Window: win, Report: rep, PrintURL: "/report/print?" + v.Encode(), File: s.ReportFile != ""}
	p.Worse = reportSections(rep.Worse)
	p.Held = reportSections(rep.Held)
	s.render(w, r, http.StatusOK, "report", "报告", p)
}

// reportSections groups findings by section, in the report's order.
func reportSections(fs []report.Finding) []reportSection {
	var out []reportSection
	for _, sec := range report.Sections {
		rs := reportSection{ID: sec.ID, Title: sec.Title}
		for _, f := range fs {
			if f.Section != sec.ID {
				continue
			}
			fv := findingView{Finding: f}
			href := ""
			if len(f.Evidence) > 0 {
				href = f.Evidence[0].Path()
			}
			fv.Sentence = report.LinkNumbers(f.Sentence, href)
			if len(f.Trend) > 1 {
				fv.Spark = (&chart.Spark{Values: f.Trend, Width: 120, Height: 24, Title: "每日走势"}).HTML()
			}
			rs.Findings = append(rs.Findings, fv)
		}
		if len(rs.Findings) > 0 {
			out = append(out, rs)
		}
	}
	return out
}

// styleElement finds the inline style sheets of the standalone report.
var styleElement = regexp.MustCompile(`(?s)<style>(.*?)</style>`)

// handleReportPrint serves the standalone report (report.HTML: inline CSS
// with its print style sheet, inline SVG, the evidence appendix). Its CSP
// allows exactly the style sheets it carries, by hash, and nothing else.
func (s *Server) handleReportPrint(w http.ResponseWriter, r *http.Request) {
	rep, _, err := s.buildReport(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := rep.HTML(&buf); err != nil {
		s.error(w, r, err)
		return
	}
	writeStandalone(w, buf.Bytes())
}

// writeStandalone writes a self-contained report page. Its inline style
// sheet is allowed by its hash, so the policy still forbids inline script
// and any other inline style.
func writeStandalone(w http.ResponseWriter, page []byte) {
	hashes := []string{"'self'"}
	for _, m := range styleElement.FindAllSubmatch(page, -1) {
		sum := sha256.Sum256(m[1])
		hashes = append(hashes, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
	}
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src "+strings.Join(hashes, " ")+"; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	w.Write(page)
}

// handleReportFile serves the report file written at start-up, as it was
// written; 404 when there is none.
func (s *Server) handleReportFile(w http.ResponseWriter, r *http.Request) {
	if s.ReportFile == "" {
		s.error(w, r, trustwatch.Errorf(trustwatch.ENOTFOUND, "No report file."))
		return
	}
	page, err := os.ReadFile(s.ReportFile)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeStandalone(w, page)
}
