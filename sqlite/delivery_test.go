package sqlite_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"trustwatch"
)

func TestDeliveries(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	t0 := time.Unix(1749715200, 0).UTC()
	recs := []trustwatch.DeliveryRecord{
		{Subject: "al1", Channel: "ops", Type: "webhook", Attempt: 1, Time: t0, State: trustwatch.DeliveryFailed, Status: 503, Error: "Service Unavailable"},
		{Subject: "al1", Channel: "ops", Type: "webhook", Attempt: 2, Time: t0, State: trustwatch.DeliveryOK, Status: 200},
		{Subject: "al2", Channel: "mail", Type: "email", Attempt: 1, Time: t0.Add(time.Minute), State: trustwatch.DeliveryOK, Status: 250},
	}
	if err := db.PutDeliveries(ctx, recs); err != nil {
		t.Fatal(err)
	}
	got, err := db.FindDeliveries(ctx, "al1")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, recs[:2]) {
		t.Errorf("FindDeliveries(al1) = %+v\nwant %+v", got, recs[:2])
	}
	counts, err := db.CountDeliveries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []trustwatch.DeliveryCount{{Channel: "mail", Type: "email", State: "ok", N: 1}, {Channel: "ops", Type: "webhook", State: "failed", N: 1}, {Channel: "ops", Type: "webhook", State: "ok", N: 1}}
	if !reflect.DeepEqual(counts, want) {
		t.Errorf("CountDeliveries = %+v; want %+v", counts, want)
	}
}

func TestDigestSent(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	if p, err := db.DigestSent(ctx, "daily", "mail"); err != nil || p != "" {
		t.Fatalf("DigestSent before any = %q, %v", p, err)
	}
	at := time.Unix(1749715200, 0)
	for _, p := range []string{"2025-06-11", "2025-06-12"} {
		if err := db.MarkDigestSent(ctx, "daily", "mail", p, at); err != nil {
			t.Fatal(err)
		}
	}
	if p, err := db.DigestSent(ctx, "daily", "mail"); err != nil || p != "2025-06-12" {
		t.Errorf("DigestSent = %q, %v; want 2025-06-12", p, err)
	}
	if p, _ := db.DigestSent(ctx, "daily", "ops"); p != "" {
		t.Errorf("another channel's period = %q; want none", p)
	}
}

func TestHealth(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	for range 2 {
		if err := db.CheckWrite(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := db.SizeBytes(ctx); err != nil || n <= 0 {
		t.Errorf("SizeBytes = %d, %v", n, err)
	}
}
