package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"trustwatch"
)

// searchPageSize is the number of items on one page of search results.
const searchPageSize = 20

// countEstimate is how many matches the search page and the items API
// count exactly; past it the store may estimate (ItemFilter.Estimate),
// since counting all the matches of a common word would take longer than
// the page.
const countEstimate = 1000

// skipCount is the ItemFilter.Estimate of lists whose total is not shown
// (the overview's and an entity's latest and most engaged items): the
// store need not count.
const skipCount = -1

type searchPage struct {
	Query     map[string]string // the parameters as given, to refill the form
	Entities  []trustwatch.Entity
	Platforms []string
	Aspects   []string
	Items     []trustwatch.Item
	Total     int
	// Estimated says Total is an estimate (约 N 条): more than
	// countEstimate items match.
	Estimated bool
	Pager     pager
	// QueryError and QueryCaret, when the query does not parse: the
	// message, and the query with a caret under the column.
	QueryError string
	QueryCaret string
}

func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	f, err := s.itemFilter(q)
	var qe *queryError
	if errors.As(err, &qe) {
		s.renderQueryError(w, r, q, qe)
		return
	} else if err != nil {
		s.error(w, r, err)
		return
	}
	page, err := intParam(q, "page", 1)
	if err != nil {
		s.error(w, r, err)
		return
	}
	page = max(page, 1)
	f.Offset, f.Limit, f.Estimate = (page-1)*searchPageSize, searchPageSize, countEstimate
	items, total, err := s.Store.FindItems(ctx, f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.newSearchPage(q)
	p.Items, p.Total, p.Estimated = items, total, total > countEstimate
	if p.Platforms, p.Aspects, err = s.choices(ctx); err != nil {
		s.error(w, r, err)
		return
	}
	p.Pager = newPager("/search", q, page, searchPageSize, total)
	s.render(w, r, http.StatusOK, "search", "搜索", p)
}

func (s *Server) newSearchPage(q url.Values) searchPage {
	p := searchPage{Query: map[string]string{}, Entities: s.Watch.Entities}
	for _, k := range []string{"q", "entity", "platform", "kind", "from", "to", "label", "aspect", "order"} {
		p.Query[k] = q.Get(k)
	}
	return p
}

// renderQueryError shows the search form again, refilled, with what is
// wrong with the query and where (status 400) instead of results.
func (s *Server) renderQueryError(w http.ResponseWriter, r *http.Request, q url.Values, qe *queryError) {
	if wantsJSON(r) {
		s.error(w, r, qe)
		return
	}
	p := s.newSearchPage(q)
	p.QueryError, p.QueryCaret = qe.syntax.Error(), qe.syntax.Caret(qe.query)
	var err error
	if p.Platforms, p.Aspects, err = s.choices(r.Context()); err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusBadRequest, "search", "搜索", p)
}

// choices are the platforms and aspects found in the data, for the search
// form's selects.
func (s *Server) choices(ctx context.Context) (platforms, aspects []string, err error) {
	_, _, n, err := s.Store.Span(ctx)
	if err != nil || n == 0 {
		return nil, nil, err
	}
	var all trustwatch.VolumeFilter // zero From/To: all time
	bd, err := s.Store.Breakdown(ctx, "platform", all)
	if err != nil {
		return nil, nil, err
	}
	platforms = keysByCount(bd)
	if bd, err = s.Store.Breakdown(ctx, "aspect", all); err != nil {
		return nil, nil, err
	}
	return platforms, keysByCount(bd), nil
}
