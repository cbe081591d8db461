package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode"

	"trustwatch"
	"trustwatch/detect/ledger"
	"trustwatch/export"
	"trustwatch/results"
)

// DefaultExportLimit is the most rows an export holds unless
// Server.ExportLimit says otherwise. A longer list is cut to its newest
// rows (the oldest with order=time_asc), and the file says so: its name
// ends in _newestN, and the XLSX query sheet gives rows, total and
// truncated.
const DefaultExportLimit = 100_000

// exportFormats are the export routes' formats: content type and writer.
var exportFormats = map[string]struct {
	contentType string
	write       func(w io.Writer, m export.Meta, items export.Items) (export.Result, error)
}{
	"csv":  {"text/csv; charset=utf-8", export.WriteCSV},
	"xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", export.WriteXLSX},
}

// handleExport answers /export.csv and /export.xlsx (and the same under
// /api/v1/): the items /search finds with the same parameters, or, with
// alert=ID or claim=ID (and at=, as on the claim's page), that alert's or
// claim's evidence items, narrowed by the search parameters if given.
// Every signed-in role may export, viewers too: an export shows what
// /search and /api/v1/items already show them.
func (s *Server) handleExport(format string) http.HandlerFunc {
	ef := exportFormats[format]
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		q := r.URL.Query()
		f, err := s.itemFilter(q)
		if err != nil {
			s.error(w, r, err)
			return
		}
		m := export.Meta{List: "搜索", Query: q.Get("q"), Location: s.Location, Exported: s.Now(), Version: export.BuildVersion(), Limit: s.ExportLimit, AspectName: s.aspectName}
		if m.Limit <= 0 {
			m.Limit = DefaultExportLimit
		}
		name := []string{"trustwatch"}
		switch alert, claim := q.Get("alert"), q.Get("claim"); {
		case alert != "" && claim != "":
			s.error(w, r, trustwatch.Errorf(trustwatch.EINVALID, "Give alert= or claim=, not both."))
			return
		case alert != "":
			a, err := s.alertByID(ctx, alert)
			if err != nil {
				s.error(w, r, err)
				return
			}
			for _, e := range a.Evidence {
				if e.ItemID != "" {
					f.IDs = append(f.IDs, e.ItemID)
				}
			}
			m.List = "预警 " + a.ID + " 的证据"
			name = append(name, "alert", a.ID)
		case claim != "":
			if f.IDs, err = s.claimEvidence(ctx, r, claim); err != nil {
				s.error(w, r, err)
				return
			}
			m.List = "承诺 " + claim + " 的证据"
			name = append(name, "claim", claim)
		default:
			name = append(name, "search")
		}
		m.Filter = f
		var items export.Items
		if (q.Get("alert") != "" || q.Get("claim") != "") && len(f.IDs) == 0 {
			items = func(func(*trustwatch.Item) error) error { return nil } // no evidence items: an empty list, not every item
		} else if items, m.Total, err = export.FromStore(ctx, s.Store, f, m.Limit); err != nil {
			s.error(w, r, err)
			return
		}
		name = append(name, m.Query, q.Get("entity"))
		if !f.From.IsZero() {
			name = append(name, f.From.In(s.Location).Format("2006-01-02"))
		}
		if !f.To.IsZero() {
			name = append(name, f.To.Add(-1).In(s.Location).Format("2006-01-02"))
		}
		if m.Total > m.Limit {
			edge := "newest"
			if f.Order == "time_asc" {
				edge = "oldest"
			}
			name = append(name, fmt.Sprintf("%s%d", edge, m.Limit))
		}
		file := fileName(name, format)
		// Headers go out with the first byte, so that an error before it
		// (the XLSX is written at its end) is still an error page.
		lw := &lazyHeaders{w: w, set: func() {
			h := w.Header()
			h.Set("Content-Type", ef.contentType)
			h.Set("Content-Disposition", contentDisposition(file))
			h.Set("X-Trustwatch-Total", fmt.Sprint(m.Total))
			h.Set("Cache-Control", "private, no-store")
		}}
		res, err := ef.write(lw, m, items)
		if err != nil {
			if !lw.started {
				s.error(w, r, err)
				return
			}
			// Too late for a status: the client gets a short file.
			s.Logger.Error("web: export cut short", "path", r.URL.Path, "rows", res.Rows, "err", err)
			return
		}
		if !lw.started {
			lw.Write(nil)
		}
	}
}

// claimEvidence is the ids of a claim's evidence as its page lists it (as
// of at=, by default the end of the newest item's day).
func (s *Server) claimEvidence(ctx context.Context, r *http.Request, id string) ([]string, error) {
	if !slices.ContainsFunc(s.Watch.Claims, func(c trustwatch.Claim) bool { return c.ID == id }) {
		return nil, trustwatch.Errorf(trustwatch.ENOTFOUND, "Claim %q is not in the watch file.", id)
	}
	at, err := s.ledgerAt(ctx, r)
	if err != nil {
		return nil, err
	}
	ev, err := remember(ctx, s, results.EvidenceKey(id, at), func() ([]ledger.EvidenceItem, error) {
		return s.computer().Evidence(ctx, id, at)
	})
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(ev))
	for i, e := range ev {
		ids[i] = e.ItemID
	}
	return ids, nil
}

// lazyHeaders sets the response headers just before the first byte.
type lazyHeaders struct {
	w       http.ResponseWriter
	set     func()
	started bool
}

func (l *lazyHeaders) Write(b []byte) (int, error) {
	if !l.started {
		l.started = true
		l.set()
		l.w.WriteHeader(http.StatusOK)
	}
	return l.w.Write(b)
}

// exportLinkPair is the pair of links a list's page shows.
type exportLinkPair struct{ CSV, XLSX string }

// exportLinks links the CSV and XLSX exports of the list the non-empty
// parameters (name, value pairs, as searchURL takes) select.
func exportLinks(params ...string) exportLinkPair {
	v := url.Values{}
	for i := 0; i+1 < len(params); i += 2 {
		if params[i+1] != "" {
			v.Set(params[i], params[i+1])
		}
	}
	q := ""
	if len(v) > 0 {
		q = "?" + v.Encode()
	}
	return exportLinkPair{CSV: "/export.csv" + q, XLSX: "/export.xlsx" + q}
}

// fileName joins the non-empty parts with "_", each reduced to letters,
// digits, "-" and "." (others become "_") and at most 40 characters.
func fileName(parts []string, ext string) string {
	var out []string
	for _, p := range parts {
		p = strings.Map(func(r rune) rune {
			if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '.' {
				return r
			}
			return '_'
		}, strings.TrimSpace(p))
		p = strings.Trim(p, "_.")
		if rs := []rune(p); len(rs) > 40 {
			p = string(rs[:40])
		}
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "_") + "." + ext
}

// contentDisposition names the download: an ASCII filename (other
// characters as "_") for old clients and the UTF-8 name as RFC 5987
// filename*.
func contentDisposition(name string) string {
	ascii := strings.Map(func(r rune) rune {
		if r < 0x80 && r != '"' && r != '\\' && unicode.IsPrint(r) {
			return r
		}
		return '_'
	}, name)
	var enc strings.Builder
	for _, b := range []byte(name) {
		if b < 0x80 && (b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || strings.IndexByte("!#$&+-.^_`|~", b) >= 0) {
			enc.WriteByte(b)
		} else {
			fmt.Fprintf(&enc, "%%%02X", b)
		}
	}
	return fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, ascii, enc.String())
}
