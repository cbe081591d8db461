package sqlite_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"trustwatch"
)

func TestUsersSessionsTokens(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

	u := &trustwatch.User{Name: "bob", Role: trustwatch.RoleAnalyst}
	if err := db.CreateUser(ctx, u, "$2a$hash"); err != nil || u.ID == 0 {
		t.Fatalf("create: %v, id %d", err, u.ID)
	}
	if err := db.CreateUser(ctx, &trustwatch.User{Name: "bob", Role: trustwatch.RoleAdmin}, "x"); trustwatch.ErrorCode(err) != trustwatch.ECONFLICT {
		t.Errorf("second bob: %v, want ECONFLICT", err)
	}
	got, hash, err := db.UserByName(ctx, "bob")
	if err != nil || got.Role != trustwatch.RoleAnalyst || hash != "$2a$hash" {
		t.Errorf("by name: %+v %q %v", got, hash, err)
	}

	// A session lives until it expires, and dies with its user.
	id := []byte("0123456789abcdef0123456789abcdef")
	if err := db.CreateSession(ctx, id, &trustwatch.Session{User: *u, CSRF: "c", Expires: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if s, err := db.SessionByHash(ctx, id, now); err != nil || s.User.Name != "bob" || s.CSRF != "c" {
		t.Errorf("session: %+v %v", s, err)
	}
	if _, err := db.SessionByHash(ctx, id, now.Add(time.Hour)); trustwatch.ErrorCode(err) != trustwatch.ENOTFOUND {
		t.Errorf("expired session: %v, want ENOTFOUND", err)
	}
	if err := db.DeleteUser(ctx, "bob"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SessionByHash(ctx, id, now); trustwatch.ErrorCode(err) != trustwatch.ENOTFOUND {
		t.Errorf("session of a removed user: %v, want ENOTFOUND", err)
	}
	if err := db.DeleteUser(ctx, "bob"); trustwatch.ErrorCode(err) != trustwatch.ENOTFOUND {
		t.Errorf("second remove: %v", err)
	}

	// A revoked token is no token.
	tok := &trustwatch.APIToken{Name: "crawler", Source: "weibo"}
	secret := bytes.Repeat([]byte{7}, 32)
	if err := db.CreateToken(ctx, tok, secret); err != nil {
		t.Fatal(err)
	}
	if got, err := db.TokenByHash(ctx, secret, now); err != nil || got.Source != "weibo" || got.LastUsed == nil {
		t.Errorf("token: %+v %v", got, err)
	}
	if err := db.RevokeToken(ctx, tok.ID, now); err != nil {
		t.Fatal(err)
	}
	if _, err := db.TokenByHash(ctx, secret, now); trustwatch.ErrorCode(err) != trustwatch.ENOTFOUND {
		t.Errorf("revoked token: %v, want ENOTFOUND", err)
	}
	if ts, err := db.FindTokens(ctx); err != nil || len(ts) != 1 || ts[0].Revoked == nil {
		t.Errorf("tokens: %+v %v", ts, err)
	}
}

// TestAlertHandling: comments, assignment and snooze are audited; a
// detector's PutAlert keeps the assignee and the snooze.
func TestAlertHandling(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	t0 := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	a := trustwatch.Alert{ID: "a1", Rule: "r", Kind: "volume.spike", Severity: "high", Opened: t0, Updated: t0, Statement: "s"}
	if err := db.PutAlert(ctx, &a); err != nil {
		t.Fatal(err)
	}
	alice, until := "alice", t0.Add(24*time.Hour)
	for _, u := range []trustwatch.AlertUpdate{
		{Ack: true, By: "bob", At: t0},
		{Ack: true, By: "carol", At: t0.Add(time.Minute)}, // already acked: no entry
		{Assign: &alice, Comment: "看看", By: "bob", At: t0.Add(2 * time.Minute)},
		{Snooze: &until, By: "bob", At: t0.Add(3 * time.Minute)},
	} {
		if _, err := db.UpdateAlert(ctx, "a1", u); err != nil {
			t.Fatal(err)
		}
	}
	a.Statement = "updated by a detector"
	if err := db.PutAlert(ctx, &a); err != nil {
		t.Fatal(err)
	}
	as, _, err := db.FindAlerts(ctx, trustwatch.AlertFilter{ID: "a1"})
	if err != nil || as[0].Assignee != "alice" || as[0].SnoozedUntil == nil || !as[0].SnoozedUntil.Equal(until) {
		t.Fatalf("after PutAlert: %+v %v", as, err)
	}
	for at, want := range map[time.Time]int{t0: 0, until: 1} {
		if _, n, _ := db.FindAlerts(ctx, trustwatch.AlertFilter{AwakeAt: at}); n != want {
			t.Errorf("awake at %v: %d alerts, want %d", at, n, want)
		}
	}
	audit, err := db.AlertAudit(ctx, "a1")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range audit {
		got = append(got, e.Actor+" "+e.Action+" "+e.Detail)
	}
	want := []string{"bob ack ", "bob assign alice", "bob comment 看看", "bob snooze 2025-06-02T12:00:00Z"}
	if len(got) != len(want) {
		t.Fatalf("audit = %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("audit[%d] = %q, want %q", i, got[i], want[i])
		}
	}
	// Waking it is audited too.
	var wake time.Time
	if _, err := db.UpdateAlert(ctx, "a1", trustwatch.AlertUpdate{Snooze: &wake, By: "bob"}); err != nil {
		t.Fatal(err)
	}
	if _, n, _ := db.FindAlerts(ctx, trustwatch.AlertFilter{AwakeAt: t0}); n != 1 {
		t.Error("a woken alert is still hidden")
	}
	if audit, _ := db.AlertAudit(ctx, "a1"); len(audit) != 5 || audit[4].Detail != "" {
		t.Errorf("wake not audited: %+v", audit)
	}
}
