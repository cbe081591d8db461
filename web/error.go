package web

import (
	"net/http"
	"strings"

	"trustwatch"
)

// errorStatus maps application error codes to HTTP statuses. Codes not in
// the table are internal errors: 500, logged, message hidden.
var errorStatus = map[string]int{
	trustwatch.ENOTFOUND:     http.StatusNotFound,
	trustwatch.EINVALID:      http.StatusBadRequest,
	trustwatch.ECONFLICT:     http.StatusConflict,
	trustwatch.EINTERNAL:     http.StatusInternalServerError,
	trustwatch.EUNAUTHORIZED: http.StatusUnauthorized,
	trustwatch.EFORBIDDEN:    http.StatusForbidden,
	trustwatch.ETOOLARGE:     http.StatusRequestEntityTooLarge,
}

// ErrorStatus returns the HTTP status for an error's code.
func ErrorStatus(err error) int {
	if status, ok := errorStatus[trustwatch.ErrorCode(err)]; ok {
		return status
	}
	return http.StatusInternalServerError
}

// errorResponse is the JSON body of an error.
type errorResponse struct {
	Code  string `json:"code"`
	Error string `json:"error"`
}

// error answers with the error's status and message, as JSON for API
// requests and as a page otherwise. Internal errors are logged in full and
// shown as "Internal error."
func (s *Server) error(w http.ResponseWriter, r *http.Request, err error) {
	code, msg, status := trustwatch.ErrorCode(err), trustwatch.ErrorMessage(err), ErrorStatus(err)
	if status == http.StatusInternalServerError {
		s.Logger.Error("web: internal error", "method", r.Method, "path", r.URL.Path, "err", err)
		code, msg = trustwatch.EINTERNAL, "Internal error."
	}
	if wantsJSON(r) {
		if status == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", `Bearer realm="trustwatch"`)
		}
		s.json(w, status, errorResponse{Code: code, Error: msg})
		return
	}
	s.render(w, r, status, "error", http.StatusText(status), errorPage{Status: status, Code: code, Message: msg})
}

type errorPage struct {
	Status  int
	Code    string
	Message string
}

// wantsJSON reports whether r is an API request or prefers JSON to HTML.
func wantsJSON(r *http.Request) bool {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		return true
	}
	accept := r.Header.Get("Accept")
	j, h := strings.Index(accept, "application/json"), strings.Index(accept, "text/html")
	return j >= 0 && (h < 0 || j < h)
}
