package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"trustwatch"
)

func testAlerts(t *testing.T, open func(t *testing.T) trustwatch.Store) {
	ctx := context.Background()
	s := open(t)
	at := func(d int) time.Time { return time.Date(2025, 3, d, 12, 0, 0, 0, time.UTC) }
	resolved := at(3)
	alerts := []trustwatch.Alert{
		{ID: "low", Rule: "volume", Kind: "volume.spike", Entity: "xiaomi", Severity: trustwatch.SeverityLow, Opened: at(1), Updated: at(1), Statement: "声量上升"},
		{ID: "crit-resolved", Rule: "price", Kind: "metric.low", Entity: "xiaomi", Series: "xiaomi.price", Severity: trustwatch.SeverityCritical, Opened: at(2), Updated: at(2), Resolved: &resolved, Value: 40, Statement: "股价新低"},
		{ID: "high-old", Rule: "brake", Kind: "aspect.spike", Entity: "su7", Subject: "brake", Severity: trustwatch.SeverityHigh, Opened: at(1), Updated: at(2), Statement: "刹车投诉"},
		{ID: "high-new", Rule: "brake", Kind: "aspect.spike", Entity: "su7", Subject: "brake", Severity: trustwatch.SeverityHigh, Opened: at(2), Updated: at(2), Statement: "刹车投诉"},
		{ID: "crit", Rule: "term", Kind: "term.new", Entity: "leijun", Subject: "雷不群", Severity: trustwatch.SeverityCritical, Opened: at(1), Updated: at(1), Value: 12.5, Statement: "新词 雷不群",
			Evidence: []trustwatch.Evidence{{ItemID: "a1", Time: at(1), Note: "first"}, {Series: "xiaomi.price", Time: at(1), Value: 40}}},
	}
	for i := range alerts {
		if err := s.PutAlert(ctx, &alerts[i]); err != nil {
			t.Fatal(err)
		}
	}
	find := func(f trustwatch.AlertFilter) ([]trustwatch.Alert, int) {
		t.Helper()
		as, n, err := s.FindAlerts(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return as, n
	}
	alertIDs := func(as []trustwatch.Alert) []string {
		out := make([]string, len(as))
		for i := range as {
			out[i] = as[i].ID
		}
		return out
	}

	t.Run("RoundTrip", func(t *testing.T) {
		for _, want := range alerts {
			as, _ := find(trustwatch.AlertFilter{ID: want.ID})
			if len(as) != 1 {
				t.Fatalf("alert %s: found %d", want.ID, len(as))
			}
			sameAlert(t, as[0], want)
		}
	})

	for _, tt := range []struct {
		name  string
		f     trustwatch.AlertFilter
		want  []string
		total int
	}{
		{"open first, then severity, then newest", trustwatch.AlertFilter{}, []string{"crit", "high-new", "high-old", "low", "crit-resolved"}, 5},
		{"open", trustwatch.AlertFilter{Open: true}, []string{"crit", "high-new", "high-old", "low"}, 4},
		{"rule", trustwatch.AlertFilter{Rule: "brake"}, []string{"high-new", "high-old"}, 2},
		{"kind", trustwatch.AlertFilter{Kind: "metric.low"}, []string{"crit-resolved"}, 1},
		{"entity", trustwatch.AlertFilter{Entity: "xiaomi"}, []string{"low", "crit-resolved"}, 2},
		{"since", trustwatch.AlertFilter{Since: at(2)}, []string{"high-new", "crit-resolved"}, 2},
		{"page", trustwatch.AlertFilter{Offset: 1, Limit: 2}, []string{"high-new", "high-old"}, 5},
		{"none", trustwatch.AlertFilter{ID: "nope"}, []string{}, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			as, n := find(tt.f)
			if got := alertIDs(as); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("FindAlerts = %q; want %q", got, tt.want)
			}
			if n != tt.total {
				t.Errorf("total = %d; want %d", n, tt.total)
			}
		})
	}

	t.Run("Update", func(t *testing.T) {
		a, err := s.UpdateAlert(ctx, "high-old", trustwatch.AlertUpdate{Resolve: true, At: at(4)})
		if err != nil {
			t.Fatal(err)
		}
		want := alerts[2]
		r := at(4)
		want.Resolved = &r
		sameAlert(t, *a, want)
		as, _ := find(trustwatch.AlertFilter{})
		if got, want := alertIDs(as), []string{"crit", "high-new", "low", "crit-resolved", "high-old"}; !reflect.DeepEqual(got, want) {
			t.Errorf("after resolving high-old: %q; want %q", got, want)
		}

		a, err = s.UpdateAlert(ctx, "low", trustwatch.AlertUpdate{Ack: true, At: at(5)})
		if err != nil {
			t.Fatal(err)
		}
		if a.Acked == nil || !a.Acked.Equal(at(5)) || a.Resolved != nil {
			t.Errorf("acked = %v, resolved = %v; want %v, nil", a.Acked, a.Resolved, at(5))
		}
		a, err = s.UpdateAlert(ctx, "low", trustwatch.AlertUpdate{Ack: true, At: at(6)})
		if err != nil {
			t.Fatal(err)
		}
		if a.Acked == nil || !a.Acked.Equal(at(5)) {
			t.Errorf("acked again = %v; want the first time, %v", a.Acked, at(5))
		}

		a, err = s.UpdateAlert(ctx, "high-new", trustwatch.AlertUpdate{Ack: true})
		if err != nil {
			t.Fatal(err)
		}
		if a.Acked == nil || a.Acked.IsZero() {
			t.Errorf("acked without a time = %v; want now", a.Acked)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := s.UpdateAlert(ctx, "nope", trustwatch.AlertUpdate{Ack: true})
		wantCode(t, err, trustwatch.ENOTFOUND)
	})

	t.Run("Replace", func(t *testing.T) {
		again := alerts[1]
		again.Severity = trustwatch.SeverityLow
		again.Resolved = nil
		again.Updated = at(7)
		again.Evidence = []trustwatch.Evidence{{Series: "xiaomi.price", Time: at(7), Value: 38}}
		if err := s.PutAlert(ctx, &again); err != nil {
			t.Fatal(err)
		}
		as, _ := find(trustwatch.AlertFilter{ID: again.ID})
		if len(as) != 1 {
			t.Fatalf("found %d; want 1", len(as))
		}
		sameAlert(t, as[0], again)
		if _, n := find(trustwatch.AlertFilter{}); n != 5 {
			t.Errorf("%d alerts after replacing one; want 5", n)
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		err := s.PutAlert(ctx, &trustwatch.Alert{Rule: "x"})
		wantCode(t, err, trustwatch.EINVALID)
	})
}

// sameAlert compares alerts with times as instants.
func sameAlert(t *testing.T, got, want trustwatch.Alert) {
	t.Helper()
	sameTime := func(name string, g, w *time.Time) {
		if (g == nil) != (w == nil) || (g != nil && !g.Equal(*w)) {
			t.Errorf("alert %s: %s = %v; want %v", want.ID, name, g, w)
		}
	}
	sameTime("Opened", &got.Opened, &want.Opened)
	sameTime("Updated", &got.Updated, &want.Updated)
	sameTime("Resolved", got.Resolved, want.Resolved)
	sameTime("Acked", got.Acked, want.Acked)
	if len(got.Evidence) != len(want.Evidence) {
		t.Fatalf("alert %s: evidence %+v; want %+v", want.ID, got.Evidence, want.Evidence)
	}
	for i := range got.Evidence {
		g, w := got.Evidence[i], want.Evidence[i]
		sameTime("Evidence.Time", &g.Time, &w.Time)
		g.Time, w.Time = time.Time{}, time.Time{}
		if g != w {
			t.Errorf("alert %s: evidence %d = %+v; want %+v", want.ID, i, g, w)
		}
	}
	got.Opened, got.Updated, got.Resolved, got.Acked, got.Evidence = time.Time{}, time.Time{}, nil, nil, nil
	want.Opened, want.Updated, want.Resolved, want.Acked, want.Evidence = time.Time{}, time.Time{}, nil, nil, nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("alert:\n got %+v\nwant %+v", got, want)
	}
}
