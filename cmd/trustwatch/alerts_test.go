package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/sqlite"
)

func alertsFixture(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "tw.db")
	st, err := sqlite.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	loc := trustwatch.DefaultLocation()
	for _, a := range []trustwatch.Alert{
		{ID: "al-old", Rule: "fans", Kind: "metric.change", Entity: "leijun", Series: "lei.followers", Severity: "medium",
			Opened: time.Date(2025, 5, 31, 16, 0, 0, 0, loc), Value: -350000, Statement: "lei.followers 30 天变化 -35万（-12.1%）"},
		{ID: "al-new", Rule: "stock-low", Kind: "metric.low", Entity: "xiaomi", Series: "mi.close", Severity: "high",
			Opened: time.Date(2025, 6, 12, 16, 0, 0, 0, loc), Value: 39.8, Statement: "mi.close 收于 39.8 HKD，创 7 个月新低"},
	} {
		a.Updated = a.Opened
		if err := st.PutAlert(context.Background(), &a); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func runTW(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), code
}

func TestAlertsCmd(t *testing.T) {
	db := alertsFixture(t)

	out, errs, code := runTW(t, "alerts", "--db", db, "--since", "2025-06-01", "--json")
	var as []trustwatch.Alert
	if code != 0 || json.Unmarshal([]byte(out), &as) != nil || len(as) != 1 || as[0].ID != "al-new" {
		t.Fatalf("list --since: code %d, %s %s", code, out, errs)
	}

	out, _, code = runTW(t, "alerts", "list", "--db", db)
	if code != 0 || !strings.Contains(out, "al-new") || !strings.Contains(out, "al-old") || !strings.Contains(out, "2025-06-12 16:00") ||
		!strings.Contains(out, "创 7 个月新低") {
		t.Fatalf("list: %d\n%s", code, out)
	}

	out, _, code = runTW(t, "alerts", "ack", "al-new", "--db", db)
	if code != 0 || !strings.Contains(out, "al-new acked") {
		t.Fatalf("ack: %d %s", code, out)
	}
	out, _, code = runTW(t, "alerts", "resolve", "al-old", "--db", db, "--json")
	if code != 0 || json.Unmarshal([]byte(out), &as) != nil || as[0].Resolved == nil {
		t.Fatalf("resolve: %d %s", code, out)
	}

	out, _, _ = runTW(t, "alerts", "--db", db, "--open", "--json")
	if json.Unmarshal([]byte(out), &as) != nil || len(as) != 1 || as[0].ID != "al-new" || as[0].Acked == nil {
		t.Fatalf("open: %s", out)
	}

	_, errs, code = runTW(t, "alerts", "ack", "nope", "--db", db)
	if code != exitFail || !strings.Contains(errs, `alert "nope" not found`) {
		t.Errorf("ack unknown: %d %s", code, errs)
	}
	_, _, code = runTW(t, "alerts", "--db", db, "--since", "last tuesday")
	if code != exitUsage {
		t.Errorf("bad --since: exit %d", code)
	}
}

func TestParseSince(t *testing.T) {
	loc := trustwatch.DefaultLocation()
	now := time.Date(2025, 6, 20, 12, 0, 0, 0, loc)
	tests := []struct {
		in   string
		want time.Time
	}{
		{"", time.Time{}},
		{"7d", now.AddDate(0, 0, -7)},
		{"12h", now.Add(-12 * time.Hour)},
		{"2025-06-01", time.Date(2025, 6, 1, 0, 0, 0, 0, loc)},
	}
	for _, tt := range tests {
		got, err := parseSince(tt.in, loc, now)
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("parseSince(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}
