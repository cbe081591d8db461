// Package web serves the dashboard (server-rendered HTML pages with SVG
// charts) and the JSON API under /api/v1/ over a trustwatch.Store.
//
// It must not know which store it talks to (SQLite, PostgreSQL or a fake):
// it uses the trustwatch interfaces and domain types only, and it does no
// text analysis of its own. Charts are drawn by package chart.
//
// Post text is hostile input. Every page is an html/template, so text is
// escaped for its context; no user text is ever marked template.HTML (only
// the output of package chart is, and chart escapes every label itself).
// Responses carry a Content-Security-Policy that forbids inline script, and
// an item's URL is a link only when it is http or https.
//
// # Adding a page
//
// Other capabilities (ledger, terms, alerts, SLA/SPC, voice, report) add
// their pages the same way the existing ones are built:
//
//  1. Write web/templates/NAME.html defining one template, "content" (the
//     page body, starting with its h1). It runs inside the shared layout
//     (templates/layout.html), which writes the head, navigation and
//     footer, and may use the partials in templates/partials.html ("item",
//     "items", "pager", "window", "aspectTable", "label") and the
//     functions in funcs (template.go). Its data is a *page: .Title,
//     .Path, and .Data, your view's struct. Charts come from package chart
//     as template.HTML; user text is always passed as plain strings.
//
//  2. Declare NAME in the views list in template.go. Startup panics when a
//     template file is not declared or a declared view has no file, so a
//     typo cannot reach a user.
//
//  3. Write web/NAME.go with a handler method:
//
//     func (s *Server) handleLedger(w http.ResponseWriter, r *http.Request) {
//     data, err := ... // read through s.Store; return errors, don't write them
//     if err != nil {
//     s.error(w, r, err)
//     return
//     }
//     s.render(w, r, http.StatusOK, "ledger", "信任账本", data)
//     }
//
//  4. Add a route to routes() in server.go: the pattern (Go 1.22 ServeMux
//     syntax, e.g. "GET /ledger/{id}"), the handler and, for a page that
//     belongs in the navigation, its nav label. Navigation is built from
//     that list, in order. A page that computes over many items (a search,
//     a remembered result, an export) is marked Heavy: it then falls under
//     the per-client and server-wide limits of limit.go.
//
//  5. JSON endpoints go under "GET /api/v1/..." and answer with
//     s.json(w, status, v); errors through s.error, which answers JSON
//     for /api/ paths and for requests that Accept application/json.
//
// # Detector pages
//
// The pages of the detectors show what their packages compute; the
// statistics are never redone here:
//
//   - /alerts, /alerts/{id}: the AlertStore's alerts (open first, by
//     severity; snoozed ones only with snoozed=1), with acknowledge,
//     resolve, comment, assign and snooze forms (POST, through
//     AlertStore.UpdateAlert, which writes the audit trail shown on the
//     alert's page). Entity charts mark the entity's volume, sentiment,
//     term, claim and say-do alerts.
//   - /series, /series/{id}: metric series with their rules' thresholds
//     (metric), the SLA view of response times (sla) and the control charts
//     and blind-box index of defect series (spc).
//   - /ledger, /claims/{id}: the trust ledger (ledger, hype), computed per
//     request as of the end of the newest item's day.
//   - /terms: new terms of the last week (terms, nickname, burst).
//   - /voice/{entity}: voice predictability (voice) of entities with
//     accounts.
//   - /stories, /stories/{id}: the window's stories and their
//     coordination evidence (story), computed once per window and data
//     version (memo.go); a spike alert's page shows the coordination of
//     its entity's items in the day from its latest spike (stories.go).
//   - /report and /report/print: the report (report), in the dashboard and
//     standalone; the standalone page's CSP allows its inline style sheet by
//     hash.
//
// The ledger, terms and voice pages compute on every request over bounded
// default windows; Server.Cut and Server.Known pass them the segmenter.
//
// # Exports
//
// /export.csv and /export.xlsx (export.go, also under /api/v1/) write the
// list /search finds with the same parameters (itemFilter), or an alert's
// or a claim's evidence (alert=, claim=), through package export,
// streaming, at most Server.ExportLimit rows (DefaultExportLimit,
// 100,000): the newest when more match. List pages link them with the
// "export" partial and the exportLinks function. Viewers may export.
//
// # Access
//
// identify (access.go) finds who asks: an API token (Authorization:
// Bearer), a session cookie, or nobody, who has Server.Anonymous' role.
// Each route names the least role it needs (viewer when it names none;
// Public routes — login, /healthz, /static, push — check for themselves),
// so a new page is closed to anonymous visitors until told otherwise. A
// browser's POST must carry its CSRF token (the session's, or a
// double-submit cookie before sign-in); pages show only the forms the
// caller's role may submit. /api/v1/ingest (push.go) takes a push source's
// token instead and hands the body to Server.Ingest.
//
// Errors are returned by the store as *trustwatch.Error and mapped to a
// status by the one table in error.go (ENOTFOUND 404, EINVALID 400,
// ECONFLICT 409, EUNAUTHORIZED 401, EFORBIDDEN 403, ETOOLARGE 413,
// anything else 500, logged). Times are shown in
// Server.Location (Asia/Shanghai by default).
package web
