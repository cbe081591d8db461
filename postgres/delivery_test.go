package postgres

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
	at(db, t0.Add(time.Hour+300*time.Millisecond))
	if got, err := db.FindDeliveries(ctx, "al1"); err != nil || got != nil {
		t.Fatalf("FindDeliveries before any = %+v, %v", got, err)
	}
	if err := db.PutDeliveries(ctx, nil); err != nil {
		t.Fatalf("PutDeliveries(nil) = %v", err)
	}
	recs := []trustwatch.DeliveryRecord{
		{Subject: "al1", Channel: "ops", Type: "webhook", Attempt: 1, Time: t0, State: trustwatch.DeliveryFailed, Status: 503, Error: "Service Unavailable"},
		{Subject: "al1", Channel: "ops", Type: "webhook", Attempt: 2, Time: t0, State: trustwatch.DeliveryOK, Status: 200},
		{Subject: "al2", Channel: "mail", Type: "email", Attempt: 1, Time: t0.Add(time.Minute), State: trustwatch.DeliveryOK, Status: 250},
		{Subject: "digest:daily:2025-06-12", Channel: "Mail", Type: "email", State: trustwatch.DeliverySkipped, Error: "empty"}, // no time: now
	}
	if err := db.PutDeliveries(ctx, recs); err != nil {
		t.Fatal(err)
	}
	// A second call's attempts follow the first's, also within one second.
	later := trustwatch.DeliveryRecord{Subject: "al1", Channel: "ops", Type: "webhook", Attempt: 1, Time: t0.Add(-time.Hour), State: trustwatch.DeliveryOK, Status: 204}
	if err := db.PutDeliveries(ctx, []trustwatch.DeliveryRecord{later}); err != nil {
		t.Fatal(err)
	}
	withNow := recs[3]
	withNow.Time = t0.Add(time.Hour)
	for _, tc := range []struct {
		subject string
		want    []trustwatch.DeliveryRecord
	}{
		{"al1", []trustwatch.DeliveryRecord{recs[0], recs[1], later}},
		{"al2", recs[2:3]},
		{"digest:daily:2025-06-12", []trustwatch.DeliveryRecord{withNow}},
		{"al3", nil},
	} {
		got, err := db.FindDeliveries(ctx, tc.subject)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("FindDeliveries(%s) = %+v\nwant %+v", tc.subject, got, tc.want)
		}
	}
	counts, err := db.CountDeliveries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []trustwatch.DeliveryCount{
		{Channel: "Mail", Type: "email", State: "skipped", N: 1}, // byte order: upper case first
		{Channel: "mail", Type: "email", State: "ok", N: 1},
		{Channel: "ops", Type: "webhook", State: "failed", N: 1},
		{Channel: "ops", Type: "webhook", State: "ok", N: 2},
	}
	if !reflect.DeepEqual(counts, want) {
		t.Errorf("CountDeliveries = %+v\nwant %+v", counts, want)
	}
}

func TestDigestSent(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	sent := time.Unix(1749715200, 0)
	for _, tc := range []struct {
		name                    string
		mark                    [3]string // digest, channel, period marked first; none when empty
		digest, channel, period string    // then asked
	}{
		{"before any", [3]string{}, "daily", "mail", ""},
		{"marked", [3]string{"daily", "mail", "2025-06-11"}, "daily", "mail", "2025-06-11"},
		{"marked again", [3]string{"daily", "mail", "2025-06-12"}, "daily", "mail", "2025-06-12"},
		{"another channel", [3]string{}, "daily", "ops", ""},
		{"another digest", [3]string{"weekly", "mail", "2025-06-09"}, "daily", "mail", "2025-06-12"},
		{"the other digest", [3]string{}, "weekly", "mail", "2025-06-09"},
	} {
		if tc.mark[0] != "" {
			if err := db.MarkDigestSent(ctx, tc.mark[0], tc.mark[1], tc.mark[2], sent); err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
		}
		if p, err := db.DigestSent(ctx, tc.digest, tc.channel); err != nil || p != tc.period {
			t.Errorf("%s: DigestSent(%s, %s) = %q, %v; want %q", tc.name, tc.digest, tc.channel, p, err, tc.period)
		}
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
	var rows int
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM ready_check`).Scan(&rows); err != nil || rows != 1 {
		t.Errorf("ready_check has %d rows (%v), want 1", rows, err)
	}
	n0, err := db.SizeBytes(ctx)
	if err != nil || n0 <= 0 {
		t.Fatalf("SizeBytes = %d, %v", n0, err)
	}
	// The size is the store's schema, not the database: another store in
	// the same database does not count.
	other := MustOpenDB(t)
	if _, _, err := other.PutItems(ctx, synthItems(0, 500)); err != nil {
		t.Fatal(err)
	}
	if n, err := db.SizeBytes(ctx); err != nil || n != n0 {
		t.Errorf("SizeBytes after another store grew = %d, %v; want %d", n, err, n0)
	}
	if n, err := other.SizeBytes(ctx); err != nil || n <= n0 {
		t.Errorf("SizeBytes of a store with items = %d, %v; want more than an empty one's %d", n, err, n0)
	}

	// A store that cannot write says so.
	if _, err := db.pool.Exec(ctx, `ALTER TABLE ready_check ADD CONSTRAINT never CHECK (id = 2) NOT VALID`); err != nil {
		t.Fatal(err)
	}
	if err := db.CheckWrite(ctx); err == nil {
		t.Error("CheckWrite of a store that cannot write: no error")
	}
}
