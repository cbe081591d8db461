package web

import (
	"net/http"

	"trustwatch"
)

// maxReplies bounds the replies shown under an item.
const maxReplies = 200

type itemPage struct {
	Item          *trustwatch.Item
	Parent        *trustwatch.Item
	ParentMissing bool // the item names a parent that is not stored
	Replies       []trustwatch.Item
	RepliesTotal  int
}

func (s *Server) handleItem(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	it, err := s.Store.ItemByID(ctx, r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := itemPage{Item: it}
	if it.ParentID != "" {
		parent, err := s.Store.ItemByID(ctx, it.ParentID)
		switch trustwatch.ErrorCode(err) {
		case "":
			p.Parent = parent
		case trustwatch.ENOTFOUND:
			p.ParentMissing = true
		default:
			s.error(w, r, err)
			return
		}
	}
	if p.Replies, p.RepliesTotal, err = s.Store.FindItems(ctx, trustwatch.ItemFilter{ParentID: it.ID, Order: "time_asc", Limit: maxReplies}); err != nil {
		s.error(w, r, err)
		return
	}
	title := it.Title
	if title == "" {
		title = excerpt(it.Body(), 30)
	}
	s.render(w, r, http.StatusOK, "item", title, p)
}
