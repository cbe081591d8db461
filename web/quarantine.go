package web

import (
	"net/http"

	"trustwatch"
)

// quarantinePageSize is the number of records on one page.
const quarantinePageSize = 50

type quarantinePage struct {
	File    string
	Records []trustwatch.Quarantined
	Total   int
	Pager   pager
}

func (s *Server) handleQuarantine(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page, err := intParam(q, "page", 1)
	if err != nil {
		s.error(w, r, err)
		return
	}
	page = max(page, 1)
	f := trustwatch.QuarantineFilter{File: q.Get("file"), Offset: (page - 1) * quarantinePageSize, Limit: quarantinePageSize}
	recs, total, err := s.Store.FindQuarantine(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "quarantine", "隔离区", quarantinePage{
		File: f.File, Records: recs, Total: total,
		Pager: newPager("/quarantine", q, page, quarantinePageSize, total),
	})
}
