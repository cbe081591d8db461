package web_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"trustwatch"
	"trustwatch/metrics"
	"trustwatch/sqlite"
	"trustwatch/web"
)

func openSQLite(t *testing.T) *sqlite.DB {
	t.Helper()
	db := sqlite.NewDB(":memory:")
	db.Location = shanghai
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestAlertDeliveries(t *testing.T) {
	ctx := context.Background()
	db := openSQLite(t)
	opened := at(3, 30, 10)
	if err := db.PutAlert(ctx, &trustwatch.Alert{ID: "al1", Rule: "crash", Kind: "volume.spike", Severity: "high", Opened: opened, Updated: opened, Statement: "声量激增"}); err != nil {
		t.Fatal(err)
	}
	if err := db.PutDeliveries(ctx, []trustwatch.DeliveryRecord{
		{Subject: "al1", Channel: "ops", Type: "webhook", Attempt: 1, Time: opened, State: "failed", Status: 503, Error: "Service Unavailable"},
		{Subject: "al1", Channel: "ops", Type: "webhook", Attempt: 2, Time: opened.Add(time.Second), State: "ok", Status: 200},
	}); err != nil {
		t.Fatal(err)
	}
	s := &web.Server{Store: db, Watch: watch, Location: shanghai, Logger: slog.New(slog.DiscardHandler)}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()

	doc := getPage(t, ts, "/alerts/al1", 200)
	var rows [][]string
	doc.Find("#deliveries table.deliveries tbody tr").Each(func(_ int, tr *goquery.Selection) {
		var cells []string
		tr.Find("td").Each(func(_ int, td *goquery.Selection) { cells = append(cells, strings.TrimSpace(td.Text())) })
		rows = append(rows, cells)
	})
	want := [][]string{
		{"2024-03-30 10:00", "ops", "webhook", "1", "失败", "503", "Service Unavailable"},
		{"2024-03-30 10:00", "ops", "webhook", "2", "已送达", "200", ""},
	}
	if len(rows) != len(want) {
		t.Fatalf("delivery rows %q; want %q", rows, want)
	}
	for i := range want {
		if strings.Join(rows[i][1:], "|") != strings.Join(want[i][1:], "|") || !strings.HasPrefix(rows[i][0], want[i][0]) {
			t.Errorf("row %d = %q; want %q", i, rows[i], want[i])
		}
	}

	var got struct {
		ID         string                      `json:"id"`
		Deliveries []trustwatch.DeliveryRecord `json:"deliveries"`
	}
	getJSON(t, ts, "/api/v1/alerts/al1", 200, &got)
	if got.ID != "al1" || len(got.Deliveries) != 2 || got.Deliveries[0].State != "failed" || got.Deliveries[1].Status != 200 {
		t.Errorf("API alert: %+v", got)
	}
	resp, _ := get(t, ts, "/api/v1/alerts/nope")
	if resp.StatusCode != 404 {
		t.Errorf("unknown alert: status %d", resp.StatusCode)
	}
}

// brokenStore refuses writes.
type brokenStore struct{ *sqlite.DB }

func (brokenStore) CheckWrite(context.Context) error { return errors.New("disk I/O error") }

func TestReadyz(t *testing.T) {
	now := time.Date(2025, 6, 12, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		broken     bool
		lastRound  func() time.Time
		wantStatus int
		wantBody   string
	}{
		{name: "store only", wantStatus: 200, wantBody: "ready"},
		{name: "store broken", broken: true, wantStatus: 503, wantBody: "not ready: the store does not take writes"},
		{name: "recent round", lastRound: func() time.Time { return now.Add(-time.Minute) }, wantStatus: 200, wantBody: "ready"},
		{name: "stale round", lastRound: func() time.Time { return now.Add(-11 * time.Minute) }, wantStatus: 503, wantBody: "not ready: the last round completed 11m0s ago (at most 10m0s allowed)"},
		{name: "no round yet", lastRound: func() time.Time { return time.Time{} }, wantStatus: 503, wantBody: "not ready: no round has completed yet"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var st trustwatch.Store = openSQLite(t)
			if tt.broken {
				st = brokenStore{st.(*sqlite.DB)}
			}
			s := &web.Server{Store: st, Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return now }, LastRound: tt.lastRound}
			rec := httptest.NewRecorder()
			s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
			if rec.Code != tt.wantStatus || strings.TrimSpace(rec.Body.String()) != tt.wantBody {
				t.Errorf("status %d %q; want %d %q", rec.Code, rec.Body, tt.wantStatus, tt.wantBody)
			}
		})
	}
}

func TestMetricsRoute(t *testing.T) {
	db := openSQLite(t)
	for _, tt := range []struct {
		name   string
		m      http.Handler
		status int
		want   string
	}{
		{"none", nil, 404, ""},
		{"served", metrics.New(db, nil).Handler(), 200, "trustwatch_store_size_bytes"},
	} {
		s := &web.Server{Store: db, Logger: slog.New(slog.DiscardHandler), Metrics: tt.m}
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.want) {
			t.Errorf("%s: status %d, body %.200q", tt.name, rec.Code, rec.Body)
		}
	}
}
