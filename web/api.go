package web

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"trustwatch"
	"trustwatch/detect"
)

// API page sizes.
const (
	apiDefaultLimit = 50
	apiMaxLimit     = 500
)

// itemsResponse is a page of items. Next is the URL of the next page, absent
// on the last one.
type itemsResponse struct {
	Items []trustwatch.Item `json:"items"`
	Total int               `json:"total"`
	// TotalEstimated says Total is an estimate: more than countEstimate
	// items match, and the store did not count them all.
	TotalEstimated bool   `json:"total_estimated,omitempty"`
	Offset         int    `json:"offset"`
	Limit          int    `json:"limit"`
	Next           string `json:"next,omitempty"`
}

func (s *Server) paging(q url.Values) (offset, limit int, err error) {
	if offset, err = intParam(q, "offset", 0); err != nil {
		return 0, 0, err
	}
	if limit, err = intParam(q, "limit", apiDefaultLimit); err != nil {
		return 0, 0, err
	}
	if limit == 0 || limit > apiMaxLimit {
		return 0, 0, trustwatch.Errorf(trustwatch.EINVALID, "Invalid limit=%d: want 1 to %d.", limit, apiMaxLimit)
	}
	return offset, limit, nil
}

// nextURL is r's URL with offset moved on by limit, or "" past the end.
func nextURL(r *http.Request, offset, limit, total int) string {
	if offset+limit >= total {
		return ""
	}
	q := r.URL.Query()
	q.Set("offset", strconv.Itoa(offset+limit))
	q.Set("limit", strconv.Itoa(limit))
	return r.URL.Path + "?" + q.Encode()
}

// GET /api/v1/items?q&entity&platform&kind&author&parent&label&aspect&from&to&order&offset&limit
func (s *Server) handleAPIItems(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, err := s.itemFilter(q)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if f.Offset, f.Limit, err = s.paging(q); err != nil {
		s.error(w, r, err)
		return
	}
	f.Estimate = countEstimate
	items, total, err := s.Store.FindItems(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if items == nil {
		items = []trustwatch.Item{}
	}
	s.json(w, http.StatusOK, itemsResponse{Items: items, Total: total, TotalEstimated: total > countEstimate,
		Offset: f.Offset, Limit: f.Limit, Next: nextURL(r, f.Offset, f.Limit, total)})
}

// GET /api/v1/items/{id}
func (s *Server) handleAPIItem(w http.ResponseWriter, r *http.Request) {
	it, err := s.Store.ItemByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.json(w, http.StatusOK, it)
}

// volumeResponse is a volume series with one point per period of [From, To).
type volumeResponse struct {
	By       trustwatch.Period        `json:"by"`
	Entity   string                   `json:"entity,omitempty"`
	Platform string                   `json:"platform,omitempty"`
	Kind     trustwatch.Kind          `json:"kind,omitempty"`
	Aspect   string                   `json:"aspect,omitempty"`
	From     time.Time                `json:"from"`
	To       time.Time                `json:"to"`
	Points   []trustwatch.VolumePoint `json:"points"`
}

func (s *Server) volumeFilter(r *http.Request) (trustwatch.VolumeFilter, error) {
	q := r.URL.Query()
	win, err := s.window(r.Context(), q)
	if err != nil {
		return trustwatch.VolumeFilter{}, err
	}
	by, err := parsePeriod(q.Get("by"), trustwatch.Day)
	if err != nil {
		return trustwatch.VolumeFilter{}, err
	}
	f := trustwatch.VolumeFilter{By: by, Entity: q.Get("entity"), Platform: q.Get("platform"), Kind: trustwatch.Kind(q.Get("kind")), Aspect: q.Get("aspect"), From: win.From, To: win.To}
	if f.Kind != "" && !f.Kind.Valid() {
		return f, trustwatch.Errorf(trustwatch.EINVALID, "Unknown kind %q.", f.Kind)
	}
	return f, nil
}

// GET /api/v1/volume?entity&platform&kind&aspect&from&to&by=hour|day
func (s *Server) handleAPIVolume(w http.ResponseWriter, r *http.Request) {
	f, err := s.volumeFilter(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	pts, err := s.volume(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.json(w, http.StatusOK, volumeResponse{By: f.By, Entity: f.Entity, Platform: f.Platform, Kind: f.Kind, Aspect: f.Aspect, From: f.From, To: f.To, Points: pts})
}

// sentimentPoint is a volume point with its net sentiment.
type sentimentPoint struct {
	trustwatch.VolumePoint
	Net float64 `json:"net"`
}

type sentimentResponse struct {
	By     trustwatch.Period `json:"by"`
	Entity string            `json:"entity,omitempty"`
	From   time.Time         `json:"from"`
	To     time.Time         `json:"to"`
	Points []sentimentPoint  `json:"points"`
}

// GET /api/v1/sentiment?entity&from&to&by=hour|day
func (s *Server) handleAPISentiment(w http.ResponseWriter, r *http.Request) {
	f, err := s.volumeFilter(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	pts, err := s.volume(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	out := make([]sentimentPoint, len(pts))
	for i, p := range pts {
		out[i] = sentimentPoint{VolumePoint: p, Net: p.Net()}
	}
	s.json(w, http.StatusOK, sentimentResponse{By: f.By, Entity: f.Entity, From: f.From, To: f.To, Points: out})
}

type aspectsResponse struct {
	Entity       string      `json:"entity,omitempty"`
	From         time.Time   `json:"from"`
	To           time.Time   `json:"to"`
	PreviousFrom time.Time   `json:"previous_from"`
	PreviousTo   time.Time   `json:"previous_to"`
	Aspects      []AspectRow `json:"aspects"`
}

// GET /api/v1/aspects?entity&from&to
func (s *Server) handleAPIAspects(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	win, err := s.window(r.Context(), q)
	if err != nil {
		s.error(w, r, err)
		return
	}
	rows, err := s.aspectRows(r.Context(), q.Get("entity"), win, false)
	if err != nil {
		s.error(w, r, err)
		return
	}
	prev := win.Previous()
	s.json(w, http.StatusOK, aspectsResponse{Entity: q.Get("entity"), From: win.From, To: win.To, PreviousFrom: prev.From, PreviousTo: prev.To, Aspects: rows})
}

// entityResponse is a watched entity (or one found in the data) with the
// number of items that mention it.
type entityResponse struct {
	trustwatch.Entity
	Count int64 `json:"count"`
}

// GET /api/v1/entities
func (s *Server) handleAPIEntities(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	_, _, n, err := s.Store.Span(ctx)
	if err != nil {
		s.error(w, r, err)
		return
	}
	counts := map[string]int64{}
	var found []string
	if n > 0 {
		bd, err := s.Store.Breakdown(ctx, "entity", trustwatch.VolumeFilter{}) // zero From/To: all time
		if err != nil {
			s.error(w, r, err)
			return
		}
		for _, b := range bd {
			counts[b.Key] = b.Count
		}
		found = keysByCount(bd)
	}
	out := []entityResponse{}
	for _, e := range s.Watch.Entities {
		out = append(out, entityResponse{Entity: e, Count: counts[e.ID]})
	}
	for _, id := range found {
		if s.Watch.Entity(id) == nil {
			out = append(out, entityResponse{Entity: trustwatch.Entity{ID: id, Name: id}, Count: counts[id]})
		}
	}
	s.json(w, http.StatusOK, map[string]any{"entities": out})
}

type detectorResponse struct {
	Name  string                     `json:"name"`
	Kinds []trustwatch.DetectionKind `json:"kinds"`
}

// GET /api/v1/detectors: the registry, every detector with the kinds of
// finding it emits, their labels and default severities.
func (s *Server) handleAPIDetectors(w http.ResponseWriter, r *http.Request) {
	out := []detectorResponse{}
	for _, d := range detect.All() {
		out = append(out, detectorResponse{Name: d.Name(), Kinds: d.Kinds()})
	}
	s.json(w, http.StatusOK, map[string]any{"detectors": out})
}

// quarantineRecord shows the raw bytes both as text (invalid UTF-8 replaced)
// and exactly, in base64.
type quarantineRecord struct {
	ID        int64     `json:"id"`
	File      string    `json:"file"`
	Line      int       `json:"line"`
	Reason    string    `json:"reason"`
	Time      time.Time `json:"time"`
	Raw       string    `json:"raw"`
	RawBase64 string    `json:"raw_base64"`
}

type quarantineResponse struct {
	Quarantine []quarantineRecord `json:"quarantine"`
	Total      int                `json:"total"`
	Offset     int                `json:"offset"`
	Limit      int                `json:"limit"`
	Next       string             `json:"next,omitempty"`
}

// GET /api/v1/quarantine?file&offset&limit
func (s *Server) handleAPIQuarantine(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	offset, limit, err := s.paging(q)
	if err != nil {
		s.error(w, r, err)
		return
	}
	recs, total, err := s.Store.FindQuarantine(r.Context(), trustwatch.QuarantineFilter{File: q.Get("file"), Offset: offset, Limit: limit})
	if err != nil {
		s.error(w, r, err)
		return
	}
	out := quarantineResponse{Quarantine: make([]quarantineRecord, len(recs)), Total: total, Offset: offset, Limit: limit, Next: nextURL(r, offset, limit, total)}
	for i, rec := range recs {
		out.Quarantine[i] = quarantineRecord{
			ID: rec.ID, File: rec.File, Line: rec.Line, Reason: rec.Reason, Time: rec.Time,
			Raw: strings.ToValidUTF8(string(rec.Raw), "\uFFFD"), RawBase64: base64.StdEncoding.EncodeToString(rec.Raw),
		}
	}
	s.json(w, http.StatusOK, out)
}
