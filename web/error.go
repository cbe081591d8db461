package web

import (
	"net/http"
	"strings"
	"unicode"

	"trustwatch"
	"trustwatch/label"
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
	page := errorPage{Status: status, Title: label.HTTPStatus(status), Message: msg}
	if status == http.StatusInternalServerError {
		page.Message = "服务器处理这个请求时出错，错误已记入日志：请稍后再试，或把出错时间告诉管理员。"
	} else if !hasHan(msg) {
		// Many messages are still written for the API's developers: the
		// page leads with what the analyst can do, and keeps the detail.
		page.Message, page.Detail = errorAdvice(status), msg
	}
	s.render(w, r, status, "error", page.Title, page)
}

type errorPage struct {
	Status  int
	Title   string // 页面不存在, 没有权限 …
	Message string // in Chinese
	Detail  string // the application's own message when it is not Chinese
}

// errorAdvice says in Chinese what an analyst can do about an error.
func errorAdvice(status int) string {
	switch status {
	case http.StatusNotFound:
		return "没有找到这个页面或条目：链接可能已过期，或监控文件中已没有它。"
	case http.StatusBadRequest:
		return "请求中的参数无法识别：请检查日期、筛选条件或查询语句。"
	case http.StatusUnauthorized:
		return "请先登录。"
	case http.StatusForbidden:
		return "你的账号没有进行此操作的权限。"
	case http.StatusConflict:
		return "这项操作与现有数据冲突：请刷新页面后再试。"
	case http.StatusRequestEntityTooLarge:
		return "提交的内容太大。"
	}
	return "请求没有完成。"
}

// hasHan reports whether s has a Chinese character, i.e. was written for
// the dashboard's users.
func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
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
