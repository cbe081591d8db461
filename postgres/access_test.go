package postgres

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"trustwatch"
)

// The capabilities the commands find by type assertion, as on *sqlite.DB.
var (
	_ trustwatch.Store         = (*DB)(nil)
	_ trustwatch.AlertStore    = (*DB)(nil)
	_ trustwatch.UserStore     = (*DB)(nil)
	_ trustwatch.TokenStore    = (*DB)(nil)
	_ trustwatch.AuditStore    = (*DB)(nil)
	_ trustwatch.AccessStore   = (*DB)(nil)
	_ trustwatch.DeliveryStore = (*DB)(nil)
	_ trustwatch.DigestStore   = (*DB)(nil)
	_ trustwatch.HealthStore   = (*DB)(nil)
)

// at fixes the store's clock at t.
func at(db *DB, t time.Time) { db.Now = func() time.Time { return t } }

func TestUsers(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	t0 := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	at(db, t0.Add(500*time.Millisecond)) // kept to the second

	if n, err := db.CountUsers(ctx); err != nil || n != 0 {
		t.Fatalf("CountUsers of a new store = %d, %v", n, err)
	}
	for _, tc := range []struct {
		name string
		role trustwatch.Role
		want string
	}{
		{"bob", trustwatch.RoleAnalyst, ""},
		{"alice", trustwatch.RoleAdmin, ""},
		{"Zed", trustwatch.RoleViewer, ""},
		{"bob", trustwatch.RoleAdmin, trustwatch.ECONFLICT}, // the name is taken
	} {
		u := &trustwatch.User{Name: tc.name, Role: tc.role}
		err := db.CreateUser(ctx, u, "$2a$"+tc.name)
		if got := trustwatch.ErrorCode(err); got != tc.want {
			t.Errorf("CreateUser(%s, %s) = %v, want code %q", tc.name, tc.role, err, tc.want)
		}
		if err == nil && (u.ID == 0 || !u.Created.Equal(t0)) {
			t.Errorf("CreateUser(%s) set %+v", tc.name, u)
		}
	}
	if n, err := db.CountUsers(ctx); err != nil || n != 3 {
		t.Errorf("CountUsers = %d, %v; want 3", n, err)
	}
	us, err := db.FindUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, u := range us {
		names = append(names, string(u.Role)+":"+u.Name)
		if !u.Created.Equal(t0) || u.Created.Location() != time.UTC {
			t.Errorf("%s created %v, want %v UTC", u.Name, u.Created, t0)
		}
	}
	if got, want := fmt.Sprint(names), "[viewer:Zed admin:alice analyst:bob]"; got != want {
		t.Errorf("FindUsers = %s, want %s (by name, byte order)", got, want)
	}

	for _, tc := range []struct {
		name, hash string
		role       trustwatch.Role
		want       string
	}{
		{"bob", "$2a$bob", trustwatch.RoleAnalyst, ""},
		{"alice", "$2a$alice", trustwatch.RoleAdmin, ""},
		{"Bob", "", "", trustwatch.ENOTFOUND}, // names are exact
		{"nobody", "", "", trustwatch.ENOTFOUND},
	} {
		u, hash, err := db.UserByName(ctx, tc.name)
		if got := trustwatch.ErrorCode(err); got != tc.want {
			t.Errorf("UserByName(%s) = %v, want code %q", tc.name, err, tc.want)
			continue
		}
		if err == nil && (u.Name != tc.name || u.Role != tc.role || hash != tc.hash || !u.Created.Equal(t0)) {
			t.Errorf("UserByName(%s) = %+v %q", tc.name, u, hash)
		}
	}

	for _, tc := range []struct {
		name string
		want string
		left int
	}{
		{"alice", "", 2},
		{"alice", trustwatch.ENOTFOUND, 2},
		{"nobody", trustwatch.ENOTFOUND, 2},
		{"bob", "", 1},
	} {
		if err := db.DeleteUser(ctx, tc.name); trustwatch.ErrorCode(err) != tc.want {
			t.Errorf("DeleteUser(%s) = %v, want code %q", tc.name, err, tc.want)
		}
		if n, _ := db.CountUsers(ctx); n != tc.left {
			t.Errorf("after DeleteUser(%s): %d users, want %d", tc.name, n, tc.left)
		}
	}
	// A removed name may be taken again.
	if err := db.CreateUser(ctx, &trustwatch.User{Name: "bob", Role: trustwatch.RoleViewer}, "h"); err != nil {
		t.Errorf("bob again: %v", err)
	}
}

func TestSessions(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	t0 := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	at(db, t0)
	bob := &trustwatch.User{Name: "bob", Role: trustwatch.RoleAnalyst}
	carol := &trustwatch.User{Name: "carol", Role: trustwatch.RoleViewer}
	for _, u := range []*trustwatch.User{bob, carol} {
		if err := db.CreateUser(ctx, u, "h"); err != nil {
			t.Fatal(err)
		}
	}
	idBob := []byte("0123456789abcdef0123456789abcdef")
	idCarol := bytes.Repeat([]byte{0xff, 0}, 16) // not text: bytea
	idOld := []byte("expired-session")
	for _, s := range []struct {
		id []byte
		s  trustwatch.Session
	}{
		{idBob, trustwatch.Session{User: *bob, CSRF: "c1", Expires: t0.Add(time.Hour)}},
		{idCarol, trustwatch.Session{User: *carol, CSRF: "c2", Expires: t0.Add(2 * time.Hour)}},
		{idOld, trustwatch.Session{User: *bob, CSRF: "c3", Expires: t0.Add(time.Minute)}},
	} {
		if err := db.CreateSession(ctx, s.id, &s.s); err != nil {
			t.Fatal(err)
		}
	}

	for _, tc := range []struct {
		name      string
		id        []byte
		now       time.Time
		want      string
		user      string
		csrf      string
		expiresIn time.Duration
	}{
		{"live", idBob, t0, "", "bob", "c1", time.Hour},
		{"just before expiry", idBob, t0.Add(time.Hour - time.Second), "", "bob", "c1", time.Hour},
		{"at expiry", idBob, t0.Add(time.Hour), trustwatch.ENOTFOUND, "", "", 0},
		{"another user's", idCarol, t0.Add(time.Hour), "", "carol", "c2", 2 * time.Hour},
		{"unknown", []byte("nope"), t0, trustwatch.ENOTFOUND, "", "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := db.SessionByHash(ctx, tc.id, tc.now)
			if got := trustwatch.ErrorCode(err); got != tc.want {
				t.Fatalf("SessionByHash = %v, want code %q", err, tc.want)
			}
			if err != nil {
				return
			}
			if s.User.Name != tc.user || s.CSRF != tc.csrf || !s.Expires.Equal(t0.Add(tc.expiresIn)) ||
				s.User.ID == 0 || !s.User.Created.Equal(t0) || s.Expires.Location() != time.UTC {
				t.Errorf("SessionByHash = %+v", s)
			}
		})
	}

	// Creating a session removes the expired ones.
	at(db, t0.Add(10*time.Minute))
	idNew := []byte("new")
	if err := db.CreateSession(ctx, idNew, &trustwatch.Session{User: *carol, CSRF: "c4", Expires: t0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM sessions WHERE id_hash = $1`, idOld).Scan(&n); err != nil || n != 0 {
		t.Errorf("expired session kept: %d, %v", n, err)
	}

	// Logging out removes one session; removing none is no error.
	for _, id := range [][]byte{idNew, idNew} {
		if err := db.DeleteSession(ctx, id); err != nil {
			t.Errorf("DeleteSession: %v", err)
		}
	}
	if _, err := db.SessionByHash(ctx, idNew, t0); trustwatch.ErrorCode(err) != trustwatch.ENOTFOUND {
		t.Errorf("deleted session: %v, want ENOTFOUND", err)
	}

	// A session dies with its user, and shows a changed role at once.
	if _, err := db.pool.Exec(ctx, `UPDATE users SET role = 'admin' WHERE name = 'carol'`); err != nil {
		t.Fatal(err)
	}
	if s, err := db.SessionByHash(ctx, idCarol, t0); err != nil || s.User.Role != trustwatch.RoleAdmin {
		t.Errorf("session after a role change: %+v %v", s, err)
	}
	if err := db.DeleteUser(ctx, "bob"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SessionByHash(ctx, idBob, t0); trustwatch.ErrorCode(err) != trustwatch.ENOTFOUND {
		t.Errorf("session of a removed user: %v, want ENOTFOUND", err)
	}
	if _, err := db.SessionByHash(ctx, idCarol, t0); err != nil {
		t.Errorf("another user's session went too: %v", err)
	}
}

func TestTokens(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	t0 := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	at(db, t0)
	push := &trustwatch.APIToken{Name: "crawler", Source: "weibo"}
	api := &trustwatch.APIToken{Name: "grafana", Role: trustwatch.RoleViewer}
	pushSecret, apiSecret := bytes.Repeat([]byte{7}, 32), bytes.Repeat([]byte{8}, 32)
	for _, tc := range []struct {
		t      *trustwatch.APIToken
		secret []byte
	}{{push, pushSecret}, {api, apiSecret}} {
		if err := db.CreateToken(ctx, tc.t, tc.secret); err != nil || tc.t.ID == 0 || !tc.t.Created.Equal(t0) {
			t.Fatalf("CreateToken(%s) = %v, %+v", tc.t.Name, err, tc.t)
		}
	}

	// last_used is written on first use, then at most once a minute.
	for _, tc := range []struct {
		name     string
		secret   []byte
		now      time.Time
		want     string
		token    string
		lastUsed time.Time
	}{
		{"first use", pushSecret, t0.Add(time.Second), "", "crawler", t0.Add(time.Second)},
		{"within the minute", pushSecret, t0.Add(59 * time.Second), "", "crawler", t0.Add(time.Second)},
		{"a minute on", pushSecret, t0.Add(61 * time.Second), "", "crawler", t0.Add(61 * time.Second)},
		{"an API token", apiSecret, t0.Add(2 * time.Second), "", "grafana", t0.Add(2 * time.Second)},
		{"unknown", []byte("nope"), t0, trustwatch.ENOTFOUND, "", time.Time{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := db.TokenByHash(ctx, tc.secret, tc.now)
			if code := trustwatch.ErrorCode(err); code != tc.want {
				t.Fatalf("TokenByHash = %v, want code %q", err, tc.want)
			}
			if err != nil {
				return
			}
			if got.Name != tc.token || got.LastUsed == nil || !got.LastUsed.Equal(tc.lastUsed) || !got.Created.Equal(t0) {
				t.Errorf("TokenByHash = %+v (last used %v), want %s last used %v", got, got.LastUsed, tc.token, tc.lastUsed)
			}
			// What it says is what it stored.
			ts, err := db.FindTokens(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range ts {
				if s.ID == got.ID && (s.LastUsed == nil || !s.LastUsed.Equal(tc.lastUsed)) {
					t.Errorf("stored last used %v, want %v", s.LastUsed, tc.lastUsed)
				}
			}
		})
	}
	if got, _ := db.TokenByHash(ctx, pushSecret, t0.Add(time.Hour)); got.Source != "weibo" || got.Role != "" {
		t.Errorf("push token = %+v, want source weibo and no role", got)
	}
	if got, _ := db.TokenByHash(ctx, apiSecret, t0.Add(time.Hour)); got.Source != "" || got.Role != trustwatch.RoleViewer {
		t.Errorf("API token = %+v, want role viewer and no source", got)
	}

	// A revoked token is no token; revoking again keeps the first time.
	for _, tc := range []struct {
		id   int64
		at   time.Time
		want string
	}{
		{push.ID, t0.Add(2 * time.Hour), ""},
		{push.ID, t0.Add(3 * time.Hour), ""},
		{99999, t0, trustwatch.ENOTFOUND},
	} {
		if err := db.RevokeToken(ctx, tc.id, tc.at); trustwatch.ErrorCode(err) != tc.want {
			t.Errorf("RevokeToken(%d) = %v, want code %q", tc.id, err, tc.want)
		}
	}
	if _, err := db.TokenByHash(ctx, pushSecret, t0); trustwatch.ErrorCode(err) != trustwatch.ENOTFOUND {
		t.Errorf("revoked token: %v, want ENOTFOUND", err)
	}
	ts, err := db.FindTokens(ctx)
	if err != nil || len(ts) != 2 {
		t.Fatalf("FindTokens = %+v, %v", ts, err)
	}
	if ts[0].Name != "crawler" || ts[0].Revoked == nil || !ts[0].Revoked.Equal(t0.Add(2*time.Hour)) {
		t.Errorf("tokens[0] = %+v, want crawler revoked at %v (oldest first, first revocation kept)", ts[0], t0.Add(2*time.Hour))
	}
	if ts[1].Name != "grafana" || ts[1].Revoked != nil {
		t.Errorf("tokens[1] = %+v, want grafana unrevoked", ts[1])
	}
}

// TestAlertHandling: comments, assignment and snooze are audited, only
// when they change something; a detector's PutAlert keeps the assignee
// and the snooze.
func TestAlertHandling(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	t0 := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	at(db, t0.Add(time.Hour))
	a := trustwatch.Alert{ID: "a1", Rule: "r", Kind: "volume.spike", Severity: "high", Opened: t0, Updated: t0, Statement: "s"}
	if err := db.PutAlert(ctx, &a); err != nil {
		t.Fatal(err)
	}
	alice, nobody, until := "alice", "", t0.Add(24*time.Hour)
	var wake time.Time
	steps := []struct {
		name  string
		u     trustwatch.AlertUpdate
		audit []string // the entries the update adds
	}{
		{"ack", trustwatch.AlertUpdate{Ack: true, By: "bob", At: t0}, []string{"bob ack "}},
		{"ack again", trustwatch.AlertUpdate{Ack: true, By: "carol", At: t0.Add(time.Minute)}, nil},
		{"assign and comment", trustwatch.AlertUpdate{Assign: &alice, Comment: "看看", By: "bob", At: t0.Add(2 * time.Minute)},
			[]string{"bob assign alice", "bob comment 看看"}},
		{"assign the same", trustwatch.AlertUpdate{Assign: &alice, By: "bob", At: t0.Add(2 * time.Minute)}, nil},
		{"snooze", trustwatch.AlertUpdate{Snooze: &until, By: "bob", At: t0.Add(3 * time.Minute)},
			[]string{"bob snooze 2025-06-02T12:00:00Z"}},
		{"nothing", trustwatch.AlertUpdate{By: "bob"}, nil},
	}
	var want []string
	for _, s := range steps {
		if _, err := db.UpdateAlert(ctx, "a1", s.u); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		want = append(want, s.audit...)
		checkAudit(t, db, s.name, "a1", want)
	}

	a.Statement = "updated by a detector"
	if err := db.PutAlert(ctx, &a); err != nil {
		t.Fatal(err)
	}
	as, _, err := db.FindAlerts(ctx, trustwatch.AlertFilter{ID: "a1"})
	if err != nil || as[0].Assignee != "alice" || as[0].SnoozedUntil == nil || !as[0].SnoozedUntil.Equal(until) ||
		as[0].Statement != a.Statement {
		t.Fatalf("after PutAlert: %+v %v", as, err)
	}
	for _, tc := range []struct {
		at   time.Time
		want int
	}{{t0, 0}, {until.Add(-time.Second), 0}, {until, 1}, {until.Add(time.Hour), 1}} {
		if _, n, err := db.FindAlerts(ctx, trustwatch.AlertFilter{AwakeAt: tc.at}); err != nil || n != tc.want {
			t.Errorf("awake at %v: %d alerts (%v), want %d", tc.at, n, err, tc.want)
		}
	}

	// Waking and unassigning are audited too, with no detail, at now.
	for _, s := range []struct {
		name  string
		u     trustwatch.AlertUpdate
		audit []string
	}{
		{"wake", trustwatch.AlertUpdate{Snooze: &wake, By: "bob"}, []string{"bob snooze "}},
		{"wake again", trustwatch.AlertUpdate{Snooze: &wake, By: "bob"}, nil},
		{"unassign", trustwatch.AlertUpdate{Assign: &nobody, By: "carol"}, []string{"carol assign "}},
		{"resolve", trustwatch.AlertUpdate{Resolve: true, By: "carol"}, []string{"carol resolve "}},
	} {
		got, err := db.UpdateAlert(ctx, "a1", s.u)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		want = append(want, s.audit...)
		checkAudit(t, db, s.name, "a1", want)
		if s.name == "wake" && got.SnoozedUntil != nil {
			t.Errorf("woken alert snoozed until %v", got.SnoozedUntil)
		}
	}
	if _, n, _ := db.FindAlerts(ctx, trustwatch.AlertFilter{AwakeAt: t0}); n != 1 {
		t.Error("a woken alert is still hidden")
	}
	audit, err := db.AlertAudit(ctx, "a1")
	if err != nil {
		t.Fatal(err)
	}
	if last := audit[len(audit)-1]; last.Alert != "a1" || !last.Time.Equal(t0.Add(time.Hour)) || last.Time.Location() != time.UTC || last.ID == 0 {
		t.Errorf("last entry %+v, want alert a1 at %v (now) UTC", last, t0.Add(time.Hour))
	}

	// An unknown alert: ENOTFOUND and no trail; an empty trail is not nil.
	if _, err := db.UpdateAlert(ctx, "nope", trustwatch.AlertUpdate{Comment: "x", By: "bob"}); trustwatch.ErrorCode(err) != trustwatch.ENOTFOUND {
		t.Errorf("UpdateAlert(nope) = %v, want ENOTFOUND", err)
	}
	if audit, err := db.AlertAudit(ctx, "nope"); err != nil || audit == nil || len(audit) != 0 {
		t.Errorf("AlertAudit(nope) = %#v, %v; want empty", audit, err)
	}
}

// checkAudit compares the alert's trail, as "actor action detail", with want.
func checkAudit(t *testing.T, db *DB, step, id string, want []string) {
	t.Helper()
	audit, err := db.AlertAudit(context.Background(), id)
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	var got []string
	for _, e := range audit {
		got = append(got, e.Actor+" "+e.Action+" "+e.Detail)
	}
	if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
		t.Errorf("after %s: audit = %q, want %q", step, got, want)
	}
}

// TestConcurrentAlertUpdates: updates of one alert at once record each
// change once; UpdateAlert locks the alert's row.
func TestConcurrentAlertUpdates(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	t0 := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	if err := db.PutAlert(ctx, &trustwatch.Alert{ID: "a1", Rule: "r", Kind: "k", Severity: "high", Opened: t0, Updated: t0}); err != nil {
		t.Fatal(err)
	}
	const n = 6
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			_, err := db.UpdateAlert(ctx, "a1", trustwatch.AlertUpdate{Ack: true, Comment: fmt.Sprint("c", i), By: fmt.Sprint("u", i)})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	audit, err := db.AlertAudit(ctx, "a1")
	if err != nil {
		t.Fatal(err)
	}
	acks, comments := 0, 0
	for _, e := range audit {
		switch e.Action {
		case trustwatch.AuditAck:
			acks++
		case trustwatch.AuditComment:
			comments++
		}
	}
	if acks != 1 || comments != n {
		t.Errorf("%d acks and %d comments in the trail, want 1 and %d: %+v", acks, comments, n, audit)
	}
}
