package web

import (
	"cmp"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"trustwatch"
	"trustwatch/auth"
	"trustwatch/label"
)

// Cookie names. The CSRF cookie is set only for visitors without a
// session (the login form, anonymous access); a session carries its own
// CSRF token.
const (
	sessionCookie = "tw_session"
	csrfCookie    = "tw_csrf"
	csrfField     = "csrf"
)

// caller is who makes a request, as identify found it.
type caller struct {
	trustwatch.Principal
	// SessionID is the session cookie's id when the caller signed in.
	SessionID string
	// Bearer is set when the request carried a token: it is not a
	// browser's, so CSRF does not apply.
	Bearer bool
	// CSRF is the token this caller's forms carry; newCSRF says it must
	// still be set as a cookie.
	CSRF    string
	newCSRF bool
}

type callerKey struct{}

func callerFrom(ctx context.Context) *caller {
	c, _ := ctx.Value(callerKey{}).(*caller)
	if c == nil {
		return &caller{}
	}
	return c
}

// identify finds who makes the request — an API token (Authorization:
// Bearer), a session cookie, or nobody with the server's anonymous role —
// and puts it in the request's context. A bad token is refused here (401);
// an expired session is just no session.
func (s *Server) identify(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := &caller{Principal: trustwatch.Principal{Role: s.Anonymous}}
		ctx := r.Context()
		if r.URL.Path == pushPath {
			// A push source's token is checked against its source there.
			next.ServeHTTP(w, r)
			return
		}
		if secret, ok := bearer(r); ok {
			if s.Auth == nil {
				s.error(w, r, trustwatch.Errorf(trustwatch.EUNAUTHORIZED, "This server has no tokens."))
				return
			}
			p, err := s.Auth.Bearer(ctx, secret)
			if err != nil {
				s.error(w, r, err)
				return
			}
			c.Principal, c.Bearer = p, true
		} else if ck, err := r.Cookie(sessionCookie); err == nil && s.Auth != nil {
			if sess, err := s.Auth.Session(ctx, ck.Value); err == nil {
				c.Principal = trustwatch.Principal{Name: sess.User.Name, Role: sess.User.Role}
				c.SessionID, c.CSRF = ck.Value, sess.CSRF
			} else if trustwatch.ErrorCode(err) != trustwatch.EUNAUTHORIZED {
				s.error(w, r, err)
				return
			}
		}
		if !c.Bearer && c.SessionID == "" {
			if ck, err := r.Cookie(csrfCookie); err == nil && ck.Value != "" {
				c.CSRF = ck.Value
			} else {
				c.CSRF, c.newCSRF = auth.NewSecret(), true
			}
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(ctx, callerKey{}, c)))
	})
}

// bearer returns the token of an Authorization: Bearer header.
func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "Bearer ") {
		return strings.TrimSpace(h[7:]), true
	}
	return "", false
}

// require lets the request through when its caller's role allows need.
// Otherwise a browser without a session is sent to the login page and
// everyone else gets 401 (nobody) or 403 (a role too weak). Every POST of a
// browser must carry the caller's CSRF token.
func (s *Server) require(need trustwatch.Role, next http.HandlerFunc) http.HandlerFunc {
	need = cmp.Or(need, trustwatch.RoleViewer)
	return func(w http.ResponseWriter, r *http.Request) {
		c := callerFrom(r.Context())
		if !c.Role.Allows(need) {
			if c.Name != "" {
				s.error(w, r, trustwatch.Errorf(trustwatch.EFORBIDDEN, "此操作需要%s权限，%s是%s。", label.Role(need), c.Name, label.Role(c.Role)))
				return
			}
			if r.Method == http.MethodGet && !wantsJSON(r) && s.Auth != nil {
				http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			s.error(w, r, trustwatch.Errorf(trustwatch.EUNAUTHORIZED, "请先登录（或在 Authorization: Bearer 中给出令牌）。"))
			return
		}
		if r.Method == http.MethodPost && !s.checkCSRF(w, r) {
			return
		}
		next(w, r)
	}
}

// checkCSRF refuses a browser's POST whose form lacks the caller's CSRF
// token; token-bearing requests need none.
func (s *Server) checkCSRF(w http.ResponseWriter, r *http.Request) bool {
	c := callerFrom(r.Context())
	if c.Bearer {
		return true
	}
	if c.CSRF == "" || c.newCSRF || !auth.Equal(c.CSRF, r.PostFormValue(csrfField)) {
		s.error(w, r, trustwatch.Errorf(trustwatch.EFORBIDDEN, "表单已失效（CSRF 校验未通过）：请返回、刷新页面后重试。"))
		return false
	}
	return true
}

// cookie is a cookie of this server: HttpOnly, SameSite=Lax, and Secure
// when the request came over TLS or the server is told it sits behind it.
func (s *Server) cookie(r *http.Request, name, value string) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: r.TLS != nil || s.SecureCookies}
}

type loginPage struct {
	Next    string
	Name    string
	Message string
	// NoUsers says login is not possible yet: no user exists.
	NoUsers bool
}

func (s *Server) handleLoginPage(w http.ResponseWriter, r *http.Request) {
	s.renderLogin(w, r, http.StatusOK, loginPage{Next: r.URL.Query().Get("next")})
}

func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, status int, p loginPage) {
	if !localPath(p.Next) {
		p.Next = "/"
	}
	if s.Auth == nil {
		p.Message, status = "这个服务没有开启登录。", http.StatusNotFound
	} else if n, err := s.Auth.Users.CountUsers(r.Context()); err != nil {
		s.error(w, r, err)
		return
	} else if n == 0 {
		p.NoUsers = true
	}
	s.render(w, r, status, "login", "登录", p)
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	if !s.checkCSRF(w, r) {
		return
	}
	p := loginPage{Next: r.PostFormValue("next"), Name: r.PostFormValue("name")}
	if s.Auth == nil {
		s.renderLogin(w, r, http.StatusNotFound, p)
		return
	}
	id, sess, err := s.Auth.Login(r.Context(), p.Name, r.PostFormValue("password"))
	if trustwatch.ErrorCode(err) == trustwatch.EUNAUTHORIZED {
		s.Logger.Info("web: login refused", "user", p.Name)
		p.Message = trustwatch.ErrorMessage(err)
		s.renderLogin(w, r, http.StatusUnauthorized, p)
		return
	} else if err != nil {
		s.error(w, r, err)
		return
	}
	ck := s.cookie(r, sessionCookie, id)
	ck.Expires = sess.Expires
	http.SetCookie(w, ck)
	// The pre-login CSRF cookie is done with: the session has its own.
	old := s.cookie(r, csrfCookie, "")
	old.MaxAge = -1
	http.SetCookie(w, old)
	back := p.Next
	if !localPath(back) {
		back = "/"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	if !s.checkCSRF(w, r) {
		return
	}
	if c := callerFrom(r.Context()); c.SessionID != "" && s.Auth != nil {
		if err := s.Auth.Logout(r.Context(), c.SessionID); err != nil {
			s.error(w, r, err)
			return
		}
	}
	ck := s.cookie(r, sessionCookie, "")
	ck.MaxAge = -1
	http.SetCookie(w, ck)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

type adminPage struct {
	Users  []trustwatch.User
	Tokens []trustwatch.APIToken
}

func (s *Server) handleAdmin(w http.ResponseWriter, r *http.Request) {
	if s.Access == nil {
		s.error(w, r, trustwatch.Errorf(trustwatch.ENOTFOUND, "这个服务没有用户管理。"))
		return
	}
	var p adminPage
	var err error
	if p.Users, err = s.Access.FindUsers(r.Context()); err != nil {
		s.error(w, r, err)
		return
	}
	if p.Tokens, err = s.Access.FindTokens(r.Context()); err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "admin", "用户与令牌", p)
}

func (s *Server) handleTokenRevoke(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.error(w, r, trustwatch.Errorf(trustwatch.EINVALID, "Invalid token id %q.", r.PathValue("id")))
		return
	}
	if s.Access == nil {
		s.error(w, r, trustwatch.Errorf(trustwatch.ENOTFOUND, "这个服务没有用户管理。"))
		return
	}
	if err := s.Access.RevokeToken(r.Context(), id, s.Now()); err != nil {
		s.error(w, r, err)
		return
	}
	s.Logger.Info("web: token revoked", "token", id, "by", callerFrom(r.Context()).Actor())
	http.Redirect(w, r, "/admin", http.StatusSeeOther)
}
