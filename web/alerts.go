package web

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"trustwatch"
	"trustwatch/chart"
	"trustwatch/detect"
	"trustwatch/label"
	"trustwatch/story"
)

// alertsPageSize is how many alerts /alerts shows per page.
const alertsPageSize = 50

// maxMarkers bounds the alerts marked on one chart.
const maxMarkers = 200

type alertsPage struct {
	Query  alertQuery
	Alerts []trustwatch.Alert
	// Incidents are the competitors' alerts of this page, listed apart
	// from ours (Alerts) as 竞品事件.
	Incidents []trustwatch.Alert
	Total     int
	Pager     pager
	Back      string // where the ack and resolve forms return to
	Kinds     []string
	Entities  []trustwatch.Entity
	Summary   alertSummary
	// FalseAlarms are the ids of the page's alerts marked false alarms.
	FalseAlarms map[string]bool
}

// alertAction is what the ack and resolve forms need; CanAct says the
// caller may submit them.
type alertAction struct {
	Alert  trustwatch.Alert
	Back   string
	CSRF   string
	CanAct bool
}

// alertTableData is one table of /alerts: ours, or the competitors'
// (Competitor, each row tagged 竞品).
type alertTableData struct {
	Alerts     []trustwatch.Alert
	Competitor bool
	Back       string
	Page       *page
}

// alertSummary counts the alerts matching the filter by state.
type alertSummary struct {
	Open, Acked, Resolved int
	// CompetitorOpen counts the open ones about a competitor, of Open.
	CompetitorOpen int
	// FalseAlarms counts those marked false alarms, whatever their state.
	FalseAlarms int
}

// alertQuery is the filter of /alerts and /api/v1/alerts, as given.
type alertQuery struct {
	Since   string
	Open    bool
	Snoozed bool
	Kind    string
	Entity  string
}

// alertFilter reads since (a day, an RFC 3339 time, or a span like 7d back
// from now), open (1/true), snoozed (1/true: include snoozed alerts, which
// are left out until their snooze ends), kind and entity.
func (s *Server) alertFilter(q url.Values) (trustwatch.AlertFilter, alertQuery, error) {
	aq := alertQuery{Since: strings.TrimSpace(q.Get("since")), Kind: q.Get("kind"), Entity: q.Get("entity")}
	var err error
	if aq.Open, err = boolParam(q, "open"); err != nil {
		return trustwatch.AlertFilter{}, aq, err
	}
	if aq.Snoozed, err = boolParam(q, "snoozed"); err != nil {
		return trustwatch.AlertFilter{}, aq, err
	}
	f := trustwatch.AlertFilter{Kind: aq.Kind, Entity: aq.Entity, Open: aq.Open}
	if !aq.Snoozed {
		f.AwakeAt = s.Now()
	}
	if aq.Since != "" {
		t, err := parseTime(aq.Since, s.Location, false)
		if err != nil {
			d, derr := trustwatch.ParseDuration(aq.Since)
			if derr != nil || d <= 0 {
				return f, aq, trustwatch.Errorf(trustwatch.EINVALID, "Invalid since=%q: use 2006-01-02, RFC 3339 or a span like 7d.", aq.Since)
			}
			t = s.Now().Add(-d.D())
		}
		f.Since = t
	}
	return f, aq, nil
}

func (s *Server) handleAlerts(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	f, aq, err := s.alertFilter(q)
	if err != nil {
		s.error(w, r, err)
		return
	}
	page, err := intParam(q, "page", 1)
	if err != nil {
		s.error(w, r, err)
		return
	}
	page = max(page, 1)
	f.Offset, f.Limit = (page-1)*alertsPageSize, alertsPageSize
	p := alertsPage{Query: aq, Back: r.URL.RequestURI(), Entities: s.Watch.Entities}
	if p.Alerts, p.Total, err = s.Store.FindAlerts(ctx, f); err != nil {
		s.error(w, r, err)
		return
	}
	p.Alerts, p.Incidents = s.splitCompetitor(p.Alerts)
	p.Pager = newPager("/alerts", q, page, alertsPageSize, p.Total)
	// The state counts and kinds read the alerts' lifecycle only; a
	// store holds hundreds of alerts, not millions.
	all := f
	all.Offset, all.Limit, all.Kind, all.Open = 0, 0, "", false
	every, _, err := s.Store.FindAlerts(ctx, all)
	if err != nil {
		s.error(w, r, err)
		return
	}
	// Every registered kind can be filtered on, then any stored kind no
	// detector registers (an alert from an older version).
	for _, k := range detect.Kinds() {
		p.Kinds = append(p.Kinds, k.Kind)
	}
	falseAlarms, err := s.falseAlarms(ctx)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p.FalseAlarms = falseAlarms
	for _, a := range every {
		if !slices.Contains(p.Kinds, a.Kind) {
			p.Kinds = append(p.Kinds, a.Kind)
		}
		if f.Kind != "" && a.Kind != f.Kind {
			continue
		}
		if falseAlarms[a.ID] {
			p.Summary.FalseAlarms++
		}
		switch alertState(a) {
		case "open":
			p.Summary.Open++
			if s.competitorOf(a.Entity) != "" {
				p.Summary.CompetitorOpen++
			}
		case "acked":
			p.Summary.Acked++
		default:
			p.Summary.Resolved++
		}
	}
	s.render(w, r, http.StatusOK, "alerts", "预警", p)
}

type alertPage struct {
	Alert   trustwatch.Alert
	Snoozed bool // the alert's snooze has not ended
	Audit   []trustwatch.AuditEntry
	Back    string
	Chart   template.HTML
	// Items are the evidence items that are stored, in evidence order;
	// Missing the ids of those that are not.
	Items   []trustwatch.Item
	Missing []string
	Points  []trustwatch.Evidence // evidence points of series
	// Deliveries are its delivery attempts, oldest first.
	Deliveries []trustwatch.DeliveryRecord
	// Verdict is its false-alarm verdict, nil for none; Verdicts says the
	// store keeps verdicts at all (else the form is not shown).
	Verdict  *trustwatch.Verdict
	Verdicts bool
	// Coordination is, for a volume or negative spike, the coordination
	// evidence of the spike's items (stories.go); nil for other alerts.
	Coordination *story.Coordination
}

// deliveries returns the alert's recorded delivery attempts; none when the
// store keeps none.
func (s *Server) deliveries(ctx context.Context, id string) ([]trustwatch.DeliveryRecord, error) {
	ds, ok := s.Store.(trustwatch.DeliveryStore)
	if !ok {
		return nil, nil
	}
	return ds.FindDeliveries(ctx, id)
}

// alertResponse is one alert in the API, with its delivery attempts and
// its audit trail (comments included).
type alertResponse struct {
	trustwatch.Alert
	Deliveries []trustwatch.DeliveryRecord `json:"deliveries"`
	Audit      []trustwatch.AuditEntry     `json:"audit"`
}

// GET /api/v1/alerts/{id}
func (s *Server) handleAPIAlert(w http.ResponseWriter, r *http.Request) {
	a, err := s.alertByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	ds, err := s.deliveries(r.Context(), a.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if ds == nil {
		ds = []trustwatch.DeliveryRecord{}
	}
	audit, err := s.alertAudit(r.Context(), a.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.json(w, http.StatusOK, alertResponse{Alert: *a, Deliveries: ds, Audit: audit})
}

// alertByID reads one alert; ENOTFOUND if there is none.
func (s *Server) alertByID(ctx context.Context, id string) (*trustwatch.Alert, error) {
	as, _, err := s.Store.FindAlerts(ctx, trustwatch.AlertFilter{ID: id, Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(as) == 0 {
		return nil, trustwatch.Errorf(trustwatch.ENOTFOUND, "Alert %q not found.", id)
	}
	return &as[0], nil
}

func (s *Server) handleAlert(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, err := s.alertByID(ctx, r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := alertPage{Alert: *a, Back: r.URL.RequestURI(), Snoozed: a.Snoozed(s.Now())}
	if p.Audit, err = s.alertAudit(ctx, a.ID); err != nil {
		s.error(w, r, err)
		return
	}
	var ids []string
	for _, e := range a.Evidence {
		switch {
		case e.ItemID != "":
			ids = append(ids, e.ItemID)
		case e.Series != "":
			p.Points = append(p.Points, e)
		}
	}
	if len(ids) > 0 {
		found, _, err := s.Store.FindItems(ctx, trustwatch.ItemFilter{IDs: ids, Limit: len(ids)})
		if err != nil {
			s.error(w, r, err)
			return
		}
		byID := make(map[string]trustwatch.Item, len(found))
		for _, it := range found {
			byID[it.ID] = it
		}
		for _, id := range ids {
			if it, ok := byID[id]; ok {
				p.Items = append(p.Items, it)
			} else {
				p.Missing = append(p.Missing, id)
			}
		}
	}
	if p.Deliveries, err = s.deliveries(ctx, a.ID); err != nil {
		s.error(w, r, err)
		return
	}
	if vs, ok := s.Store.(trustwatch.VerdictStore); ok {
		p.Verdicts = true
		v, err := vs.FindVerdicts(ctx, trustwatch.VerdictFilter{Alert: a.ID})
		if err != nil {
			s.error(w, r, err)
			return
		}
		if len(v) > 0 {
			p.Verdict = &v[0]
		}
	}
	if p.Chart, err = s.alertChart(ctx, a); err != nil {
		s.error(w, r, err)
		return
	}
	if p.Coordination, err = s.spikeCoordination(ctx, a); err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "alert", label.AlertKind(a.Kind), p)
}

// alertChart draws what the alert is about around its time: the series it
// was raised on, or its entity's sentiment over the two weeks around it.
func (s *Server) alertChart(ctx context.Context, a *trustwatch.Alert) (template.HTML, error) {
	if a.Series != "" {
		pts, err := s.Store.Points(ctx, trustwatch.PointFilter{Series: a.Series})
		if err != nil {
			return "", err
		}
		def, _ := s.seriesDef(a.Series)
		c := s.valueChart(def, pts, 1100, 280)
		c.Markers = []chart.Marker{alertMarker(*a)}
		return c.HTML(), nil
	}
	if a.Entity == "" {
		return "", nil
	}
	day := startOfDay(a.Opened, s.Location)
	win := window{From: day.AddDate(0, 0, -10), To: day.AddDate(0, 0, 5)}
	by := trustwatch.Day
	if strings.Contains(a.Statement, "小时") || a.Kind == "volume.spike" {
		win, by = window{From: day.AddDate(0, 0, -2), To: day.AddDate(0, 0, 2)}, trustwatch.Hour
	}
	pts, err := s.volume(ctx, trustwatch.VolumeFilter{By: by, Entity: a.Entity, From: win.From, To: win.To})
	if err != nil {
		return "", err
	}
	c := s.sentimentChartSpec(s.entityName(a.Entity)+" 情感走势", pts, by, 1100, 280)
	c.Markers = []chart.Marker{alertMarker(*a)}
	if c.CompleteUntil, err = s.completeUntil(ctx); err != nil {
		return "", err
	}
	return c.HTML(), nil
}

// severityColor colours alert markers and badges by severity.
func severityColor(sev string) string {
	switch sev {
	case trustwatch.SeverityCritical:
		return "#7f1d1d"
	case trustwatch.SeverityHigh:
		return "#c23b3b"
	case trustwatch.SeverityMedium:
		return "#e08a1e"
	}
	return "#6b7280"
}

func alertMarker(a trustwatch.Alert) chart.Marker {
	return chart.Marker{Time: a.Opened, Label: label.AlertKind(a.Kind), Title: a.Statement, Color: severityColor(a.Severity)}
}

// entityMarkerKinds are the alert kinds marked on an entity's volume and
// sentiment charts: those about what people say about it.
func entityMarkerKind(kind string) bool {
	switch {
	case kind == "volume.spike", kind == "sentiment.spike", kind == "saydo.gap",
		strings.HasPrefix(kind, "term."), strings.HasPrefix(kind, "claim."):
		return true
	}
	return false
}

// entityMarkers returns markers for the entity's alerts opened inside win.
func (s *Server) entityMarkers(ctx context.Context, entity string, win window) ([]chart.Marker, error) {
	as, _, err := s.Store.FindAlerts(ctx, trustwatch.AlertFilter{Entity: entity, Since: win.From})
	if err != nil {
		return nil, err
	}
	var out []chart.Marker
	for _, a := range as {
		if entityMarkerKind(a.Kind) && a.Opened.Before(win.To) && len(out) < maxMarkers {
			out = append(out, alertMarker(a))
		}
	}
	slices.SortFunc(out, func(a, b chart.Marker) int { return a.Time.Compare(b.Time) })
	return out, nil
}

func (s *Server) handleAlertAck(w http.ResponseWriter, r *http.Request) {
	s.updateAlert(w, r, trustwatch.AlertUpdate{Ack: true})
}

func (s *Server) handleAlertResolve(w http.ResponseWriter, r *http.Request) {
	s.updateAlert(w, r, trustwatch.AlertUpdate{Resolve: true})
}

// falseAlarms returns the ids of the alerts marked false alarms; none
// when the store keeps no verdicts. Verdicts are few (one per judged
// alert): all of them are read.
func (s *Server) falseAlarms(ctx context.Context) (map[string]bool, error) {
	vs, ok := s.Store.(trustwatch.VerdictStore)
	if !ok {
		return nil, nil
	}
	v, err := vs.FindVerdicts(ctx, trustwatch.VerdictFilter{})
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(v))
	for _, x := range v {
		out[x.Alert] = true
	}
	return out, nil
}

// verdictStore is the store's VerdictStore; EINVALID when it keeps none.
func (s *Server) verdictStore() (trustwatch.VerdictStore, error) {
	vs, ok := s.Store.(trustwatch.VerdictStore)
	if !ok {
		return nil, trustwatch.Errorf(trustwatch.EINVALID, "此数据库不保存误报标记。")
	}
	return vs, nil
}

// handleFalseAlarm marks the alert a false alarm (标记为误报) with the
// caller, now and the optional note, and resolves it if it is not: a
// false alarm needs no more attention. Withdrawing the verdict later does
// not reopen it.
func (s *Server) handleFalseAlarm(w http.ResponseWriter, r *http.Request) {
	vs, err := s.verdictStore()
	if err != nil {
		s.error(w, r, err)
		return
	}
	note := strings.TrimSpace(r.PostFormValue("note"))
	if len(note) > maxCommentBytes {
		s.error(w, r, trustwatch.Errorf(trustwatch.EINVALID, "说明不超过 %d 字节。", maxCommentBytes))
		return
	}
	id := r.PathValue("id")
	v := trustwatch.Verdict{Alert: id, By: callerFrom(r.Context()).Actor(), At: s.Now(), Note: note}
	if err := vs.PutVerdict(r.Context(), v); err != nil {
		s.error(w, r, err)
		return
	}
	s.updateAlert(w, r, trustwatch.AlertUpdate{Resolve: true})
}

// handleFalseAlarmWithdraw withdraws the alert's false-alarm verdict.
func (s *Server) handleFalseAlarmWithdraw(w http.ResponseWriter, r *http.Request) {
	vs, err := s.verdictStore()
	if err != nil {
		s.error(w, r, err)
		return
	}
	id := r.PathValue("id")
	if err := vs.DeleteVerdict(r.Context(), id, callerFrom(r.Context()).Actor(), s.Now()); err != nil {
		s.error(w, r, err)
		return
	}
	s.redirectBack(w, r, id)
}

// maxCommentBytes bounds a comment: a note, not a document.
const maxCommentBytes = 4000

func (s *Server) handleAlertComment(w http.ResponseWriter, r *http.Request) {
	c := strings.TrimSpace(r.PostFormValue("comment"))
	if c == "" || len(c) > maxCommentBytes {
		s.error(w, r, trustwatch.Errorf(trustwatch.EINVALID, "评论不能为空，且不超过 %d 字节。", maxCommentBytes))
		return
	}
	s.updateAlert(w, r, trustwatch.AlertUpdate{Comment: c})
}

// handleAlertAssign assigns the alert to a user by name; an empty name
// unassigns it. The user must exist when the server knows its users.
func (s *Server) handleAlertAssign(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimSpace(r.PostFormValue("assignee"))
	if name != "" && s.Access != nil {
		if _, _, err := s.Access.UserByName(r.Context(), name); trustwatch.ErrorCode(err) == trustwatch.ENOTFOUND {
			s.error(w, r, trustwatch.Errorf(trustwatch.EINVALID, "没有用户 %q，无法指派。", name))
			return
		} else if err != nil {
			s.error(w, r, err)
			return
		}
	}
	s.updateAlert(w, r, trustwatch.AlertUpdate{Assign: &name})
}

// maxSnooze bounds a snooze: an alert forgotten for longer should be
// resolved instead.
const maxSnooze = 30 * 24 * time.Hour

// handleAlertSnooze snoozes the alert for "for" (1h, 1d …) from now; 0
// wakes it.
func (s *Server) handleAlertSnooze(w http.ResponseWriter, r *http.Request) {
	v := strings.TrimSpace(r.PostFormValue("for"))
	var until time.Time
	if v != "0" {
		d, err := trustwatch.ParseDuration(v)
		if err != nil || d <= 0 || d.D() > maxSnooze {
			s.error(w, r, trustwatch.Errorf(trustwatch.EINVALID, "Invalid snooze %q: use a span like 4h or 3d, at most 30d, or 0 to wake the alert.", v))
			return
		}
		until = s.Now().Add(d.D()).Truncate(time.Second)
	}
	s.updateAlert(w, r, trustwatch.AlertUpdate{Snooze: &until})
}

// updateAlert applies u as the caller, now, and sends the browser back to
// the page the form was on (the form's "back" field, a local path). The
// store records the change in the alert's audit trail.
func (s *Server) updateAlert(w http.ResponseWriter, r *http.Request, u trustwatch.AlertUpdate) {
	id := r.PathValue("id")
	u.At, u.By = s.Now(), callerFrom(r.Context()).Actor()
	if _, err := s.Store.UpdateAlert(r.Context(), id, u); err != nil {
		s.error(w, r, err)
		return
	}
	s.redirectBack(w, r, id)
}

// redirectBack sends the browser back to the page the form was on (its
// "back" field, a local path), or to the alert's page.
func (s *Server) redirectBack(w http.ResponseWriter, r *http.Request, id string) {
	back := r.PostFormValue("back")
	if !localPath(back) {
		back = alertURL(id)
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// alertAudit is the alert's audit trail; empty when the server keeps none.
func (s *Server) alertAudit(ctx context.Context, id string) ([]trustwatch.AuditEntry, error) {
	if s.Access == nil {
		return []trustwatch.AuditEntry{}, nil
	}
	return s.Access.AlertAudit(ctx, id)
}

// localPath reports whether p is a path on this server ("/alerts?x"), not
// an address elsewhere ("//evil.example", "https://…", "/\evil").
func localPath(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\\r\n") {
		return false
	}
	u, err := url.Parse(p)
	return err == nil && u.Scheme == "" && u.Host == ""
}

type alertsResponse struct {
	Alerts []trustwatch.Alert `json:"alerts"`
	Total  int                `json:"total"`
	Offset int                `json:"offset"`
	Limit  int                `json:"limit"`
	Next   string             `json:"next,omitempty"`
}

// GET /api/v1/alerts?since&open&kind&entity&offset&limit
func (s *Server) handleAPIAlerts(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, _, err := s.alertFilter(q)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if f.Offset, f.Limit, err = s.paging(q); err != nil {
		s.error(w, r, err)
		return
	}
	as, total, err := s.Store.FindAlerts(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if as == nil {
		as = []trustwatch.Alert{}
	}
	s.json(w, http.StatusOK, alertsResponse{Alerts: as, Total: total, Offset: f.Offset, Limit: f.Limit, Next: nextURL(r, f.Offset, f.Limit, total)})
}
