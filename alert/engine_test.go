package alert_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/alert"
	"trustwatch/notify"
)

var sh = trustwatch.DefaultLocation()

// memStore is an in-memory AlertStore.
type memStore struct {
	mu     sync.Mutex
	alerts map[string]trustwatch.Alert
	puts   int
}

var _ trustwatch.AlertStore = (*memStore)(nil)

func newMemStore() *memStore { return &memStore{alerts: map[string]trustwatch.Alert{}} }

func (s *memStore) PutAlert(_ context.Context, a *trustwatch.Alert) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := *a
	c.Evidence = slices.Clone(a.Evidence)
	s.alerts[a.ID] = c
	s.puts++
	return nil
}

func (s *memStore) FindAlerts(_ context.Context, f trustwatch.AlertFilter) ([]trustwatch.Alert, int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []trustwatch.Alert
	for _, a := range s.alerts {
		if (f.ID != "" && a.ID != f.ID) || (f.Rule != "" && a.Rule != f.Rule) || (f.Kind != "" && a.Kind != f.Kind) ||
			(f.Entity != "" && a.Entity != f.Entity) || a.Opened.Before(f.Since) || (f.Open && a.Resolved != nil) {
			continue
		}
		a.Evidence = slices.Clone(a.Evidence)
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b trustwatch.Alert) int { return a.Opened.Compare(b.Opened) })
	return out, len(out), nil
}

func (s *memStore) UpdateAlert(_ context.Context, id string, u trustwatch.AlertUpdate) (*trustwatch.Alert, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.alerts[id]
	if !ok {
		return nil, trustwatch.Errorf(trustwatch.ENOTFOUND, "alert %q not found", id)
	}
	at := u.At
	if u.Ack && a.Acked == nil {
		a.Acked = &at
	}
	if u.Resolve && a.Resolved == nil {
		a.Resolved = &at
	}
	s.alerts[id] = a
	return &a, nil
}

func (s *memStore) all() []trustwatch.Alert {
	as, _, _ := s.FindAlerts(context.Background(), trustwatch.AlertFilter{})
	return as
}

// fakeNotifier records what it was asked to send.
type fakeNotifier struct {
	sent []string // alert id → channel
}

func (f *fakeNotifier) Send(_ context.Context, a trustwatch.Alert, ids []string) []trustwatch.Delivery {
	var out []trustwatch.Delivery
	for _, id := range ids {
		f.sent = append(f.sent, a.ID+"→"+id)
		out = append(out, trustwatch.Delivery{Channel: id, Attempts: 1, Status: 200})
	}
	return out
}

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, sh)
	if err != nil {
		panic(err)
	}
	return t
}

func dur(s string) trustwatch.Duration {
	d, err := trustwatch.ParseDuration(s)
	if err != nil {
		panic(err)
	}
	return d
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func det(rule, kind, t string, v float64) trustwatch.Detection {
	return trustwatch.Detection{Rule: rule, Kind: kind, Entity: "xiaomi", Series: "mi.close", Time: at(t), Value: v,
		Statement: kind + " " + t, Evidence: []trustwatch.Evidence{{Series: "mi.close", Time: at(t), Value: v}}}
}

func TestRaiseCooldownAndDedupe(t *testing.T) {
	rules := []trustwatch.Rule{{ID: "stock-low", Series: "mi.close", Detector: "low", Severity: "high", Cooldown: dur("1d"), Notify: []string{"ops"}}}
	dets := []trustwatch.Detection{
		det("stock-low", "metric.low", "2025-06-12 16:00", 39.8),
		det("stock-low", "metric.low", "2025-06-12 22:00", 39.5), // 6 h later: same alert
		det("stock-low", "metric.low", "2025-06-13 22:00", 39.1), // 24 h after the last: still within the cooldown
		det("stock-low", "metric.low", "2025-06-16 16:00", 38.0), // 2.75 days later: a new alert
	}
	store, notifier := newMemStore(), &fakeNotifier{}
	e := &alert.Engine{Store: store, Rules: rules, Notifier: notifier, Log: quiet()}
	res, err := e.Raise(context.Background(), dets)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.New) != 2 || len(res.Updated) != 0 {
		t.Fatalf("new %d updated %d", len(res.New), len(res.Updated))
	}
	first, second := res.New[0], res.New[1]
	wantID := alert.ID("stock-low", "metric.low", "xiaomi", "mi.close", "", at("2025-06-12 16:00"))
	if first.ID != wantID || !first.Opened.Equal(at("2025-06-12 16:00")) || !first.Updated.Equal(at("2025-06-13 22:00")) ||
		first.Value != 39.1 || first.Statement != "metric.low 2025-06-13 22:00（预警自 2025-06-12 起）" || len(first.Evidence) != 3 || first.Severity != "high" || first.Rule != "stock-low" {
		t.Errorf("first alert %+v", first)
	}
	if !second.Opened.Equal(at("2025-06-16 16:00")) || second.Value != 38 {
		t.Errorf("second alert %+v", second)
	}
	if want := []string{first.ID + "→ops", second.ID + "→ops"}; !slices.Equal(notifier.sent, want) {
		t.Errorf("sent %v, want %v", notifier.sent, want)
	}
	if len(res.Deliveries) != 2 || res.Deliveries[0].Alert != first.ID {
		t.Errorf("deliveries %+v", res.Deliveries)
	}

	// Again, over the same data: nothing new, nothing updated, nothing sent, nothing written.
	puts := store.puts
	res, err = e.Raise(context.Background(), dets)
	if err != nil || len(res.New) != 0 || len(res.Updated) != 0 || res.Unchanged != 4 || len(notifier.sent) != 2 || store.puts != puts {
		t.Fatalf("second run: %+v, %v, sent %v, puts %d→%d", res, err, notifier.sent, puts, store.puts)
	}

	// A newer point of the open episode updates it without a new alert or a message.
	res, _ = e.Raise(context.Background(), []trustwatch.Detection{det("stock-low", "metric.low", "2025-06-17 16:00", 37.5)})
	if len(res.New) != 0 || len(res.Updated) != 1 || res.Updated[0].ID != second.ID || res.Updated[0].Value != 37.5 || len(notifier.sent) != 2 {
		t.Errorf("update: %+v", res)
	}

	// Resolved: a finding within the cooldown is held back, a later one opens anew.
	if _, err := e.Resolve(context.Background(), second.ID); err != nil {
		t.Fatal(err)
	}
	res, _ = e.Raise(context.Background(), []trustwatch.Detection{
		det("stock-low", "metric.low", "2025-06-17 16:00", 37.5), // what it already holds
		det("stock-low", "metric.low", "2025-06-18 10:00", 37.0), // within 1 d of 06-17 16:00
		det("stock-low", "metric.low", "2025-06-19 17:00", 36.0), // beyond it
	})
	if res.Unchanged != 1 || res.Suppressed != 1 || len(res.New) != 1 || !res.New[0].Opened.Equal(at("2025-06-19 17:00")) {
		t.Errorf("after resolve: %+v", res)
	}
	if got := len(store.all()); got != 3 {
		t.Errorf("%d alerts stored, want 3", got)
	}
}

func TestDefaultCooldownBySeverity(t *testing.T) {
	daily := []trustwatch.Detection{
		det("r", "metric.low", "2025-06-12 16:00", 3), det("r", "metric.low", "2025-06-13 16:00", 2), det("r", "metric.low", "2025-06-14 16:00", 1),
	}
	tests := []struct {
		severity string
		series   string
		alerts   int
	}{
		{"critical", "", 3},         // 12 h: each day alerts again
		{"high", "", 1},             // 24 h: consecutive days are one episode
		{"", "", 1},                 // medium, 3 days
		{"critical", "mi.close", 1}, // a series rule's episode spans at least 4 days (weekends)
	}
	for _, tt := range tests {
		e := &alert.Engine{Store: newMemStore(), Rules: []trustwatch.Rule{{ID: "r", Series: tt.series, Detector: "low", Severity: tt.severity}}, Log: quiet()}
		res, err := e.Raise(context.Background(), daily)
		if err != nil || len(res.New) != tt.alerts {
			t.Errorf("%q: %d alerts, want %d (%v)", tt.severity, len(res.New), tt.alerts, err)
		}
		if tt.severity == "" && res.New[0].Severity != "medium" {
			t.Errorf("default severity %q", res.New[0].Severity)
		}
	}
}

func TestItemDetectionRules(t *testing.T) {
	three := 3.0
	rules := []trustwatch.Rule{
		{ID: "crash", Entity: "xiaomi", Detector: "volume.spike", Severity: "high", Notify: []string{"ops-feishu"}},
		{ID: "terms", Detector: "term", Severity: "low"},
		{ID: "mood", Detector: "sentiment.spike", Above: &three},
		{ID: "brakes", Detector: "aspect.spike", Aspect: "brake"},
		{ID: "stock", Series: "mi.close", Detector: "low"}, // a series rule never takes item detections
	}
	item := func(kind, entity, subject string, v float64, sev string) trustwatch.Detection {
		return trustwatch.Detection{Kind: kind, Entity: entity, Subject: subject, Time: at("2025-04-01 22:00"), Value: v, Severity: sev, Statement: kind}
	}
	tests := []struct {
		name     string
		det      trustwatch.Detection
		rules    []string // rule ids of the alerts
		severity string
		filtered int
	}{
		{"entity and detector match", item("volume.spike", "xiaomi", "", 9, "medium"), []string{"crash"}, "high", 0},
		{"another entity: builtin", item("volume.spike", "byd", "", 9, "low"), []string{"builtin:volume.spike"}, "low", 0},
		{"prefix before the dot", item("term.emerging", "leijun", "雷不群", 5, ""), []string{"terms"}, "low", 0},
		{"threshold admits", item("sentiment.spike", "xiaomi", "", 4, ""), []string{"mood"}, "medium", 0},
		{"threshold rejects: no alert", item("sentiment.spike", "xiaomi", "", 2, ""), nil, "", 1},
		{"aspect must be the subject", item("aspect.spike", "su7", "tyre", 2, "high"), []string{"builtin:aspect.spike"}, "high", 0},
		{"aspect matches", item("aspect.spike", "su7", "brake", 2, ""), []string{"brakes"}, "medium", 0},
		{"unknown kind: builtin, medium", item("claim.defaulting", "xiaomi", "c1", 0.8, ""), []string{"builtin:claim.defaulting"}, "medium", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := &fakeNotifier{}
			e := &alert.Engine{Store: newMemStore(), Rules: rules, Notifier: n, Log: quiet()}
			res, err := e.Raise(context.Background(), []trustwatch.Detection{tt.det})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, a := range res.New {
				got = append(got, a.Rule)
				if a.Severity != tt.severity || a.Kind != tt.det.Kind || a.Subject != tt.det.Subject || !a.Opened.Equal(tt.det.Time) {
					t.Errorf("alert %+v", a)
				}
			}
			if !slices.Equal(got, tt.rules) || res.Filtered != tt.filtered {
				t.Errorf("rules %v filtered %d, want %v %d", got, res.Filtered, tt.rules, tt.filtered)
			}
			if slices.Contains(tt.rules, "crash") != (len(n.sent) == 1) {
				t.Errorf("sent %v", n.sent)
			}
		})
	}
}

func TestRaiseDeliveryFailureIsReported(t *testing.T) {
	var hits int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
		w.WriteHeader(http.StatusInternalServerError)
	}))
	defer srv.Close()
	var slept []time.Duration
	n := &notify.Notifier{
		Channels: []trustwatch.Channel{{ID: "ops-feishu", Type: "feishu", URLEnv: "FEISHU_URL"}},
		Getenv:   func(k string) string { return map[string]string{"FEISHU_URL": srv.URL + "/hook/secret-token"}[k] },
		Sleep:    func(_ context.Context, d time.Duration) error { slept = append(slept, d); return nil },
		Log:      quiet(),
	}
	store := newMemStore()
	e := &alert.Engine{Store: store, Notifier: n, Log: quiet(),
		Rules: []trustwatch.Rule{{ID: "crash", Detector: "volume.spike", Notify: []string{"ops-feishu"}}}}
	res, err := e.Raise(context.Background(), []trustwatch.Detection{{Kind: "volume.spike", Entity: "xiaomi", Time: at("2025-04-01 22:00"), Statement: "声量激增"}})
	var ne *notify.Error
	if err == nil || !errors.As(err, &ne) || ne.Status != 500 || ne.Channel != "ops-feishu" || ne.Attempts != 3 {
		t.Fatalf("err %v", err)
	}
	if strings.Contains(err.Error(), "secret-token") {
		t.Errorf("the error leaks the URL: %v", err)
	}
	if hits != 3 || len(slept) != 2 || len(res.Deliveries) != 1 || res.Deliveries[0].Attempts != 3 || res.Deliveries[0].Error == "" {
		t.Errorf("hits %d slept %v deliveries %+v", hits, slept, res.Deliveries)
	}
	if len(res.New) != 1 || len(store.all()) != 1 {
		t.Errorf("the alert must be stored despite the failed delivery: %+v", res)
	}
}

func TestNotifyMaxAge(t *testing.T) {
	n := &fakeNotifier{}
	e := &alert.Engine{Store: newMemStore(), Notifier: n, Log: quiet(), NotifyMaxAge: 48 * time.Hour,
		Now:   func() time.Time { return at("2025-06-20 12:00") },
		Rules: []trustwatch.Rule{{ID: "r", Series: "mi.close", Detector: "low", Severity: "critical", Notify: []string{"ops"}}}}
	res, _ := e.Raise(context.Background(), []trustwatch.Detection{
		det("r", "metric.low", "2025-06-01 16:00", 40), // history: stored, not sent
		det("r", "metric.low", "2025-06-19 16:00", 39), // recent: sent
	})
	if len(res.New) != 2 || len(n.sent) != 1 || !strings.HasPrefix(n.sent[0], res.New[1].ID) {
		t.Errorf("new %d sent %v", len(res.New), n.sent)
	}
}

func TestAckResolve(t *testing.T) {
	store := newMemStore()
	now := at("2025-06-20 09:00")
	e := &alert.Engine{Store: store, Log: quiet(), Now: func() time.Time { return now }}
	res, _ := e.Raise(context.Background(), []trustwatch.Detection{det("r", "metric.low", "2025-06-12 16:00", 40)})
	id := res.New[0].ID
	a, err := e.Ack(context.Background(), id)
	if err != nil || a.Acked == nil || !a.Acked.Equal(now) || a.Resolved != nil {
		t.Fatalf("ack: %+v %v", a, err)
	}
	a, err = e.Resolve(context.Background(), id)
	if err != nil || a.Resolved == nil || !a.Resolved.Equal(now) {
		t.Fatalf("resolve: %+v %v", a, err)
	}
	if _, err := e.Ack(context.Background(), "nope"); trustwatch.ErrorCode(err) != trustwatch.ENOTFOUND {
		t.Errorf("ack unknown: %v", err)
	}
}

func TestSubSecondTimesAreStable(t *testing.T) {
	// A store that keeps whole seconds must not make a re-run look newer.
	store := newMemStore()
	e := &alert.Engine{Store: store, Log: quiet()}
	d := det("r", "metric.low", "2025-06-12 16:00", 40)
	d.Time = d.Time.Add(700 * time.Millisecond)
	res, _ := e.Raise(context.Background(), []trustwatch.Detection{d})
	if !res.New[0].Opened.Equal(at("2025-06-12 16:00")) {
		t.Errorf("opened %v", res.New[0].Opened)
	}
	res, _ = e.Raise(context.Background(), []trustwatch.Detection{d})
	if len(res.New)+len(res.Updated) != 0 {
		t.Errorf("re-run: %+v", res)
	}
}

// A term, claim or say-do finding is about a thing: found again on later
// days (a nickname bursting anew), it continues its alert instead of
// raising a new one.
func TestThingEpisodes(t *testing.T) {
	mk := func(kind, subject, when string) trustwatch.Detection {
		return trustwatch.Detection{Kind: kind, Entity: "leijun", Subject: subject, Time: at(when), Severity: "high", Statement: subject}
	}
	dets := []trustwatch.Detection{
		mk("term.nickname", "雷不群", "2025-05-18 00:00"),
		mk("term.nickname", "雷不群", "2025-06-03 00:00"),
		mk("term.nickname", "雷不群", "2025-06-14 00:00"),
		mk("term.nickname", "米粉", "2025-06-14 00:00"),
		mk("volume.spike", "", "2025-05-18 00:00"),
		mk("volume.spike", "", "2025-06-03 00:00"),
	}
	e := &alert.Engine{Store: newMemStore(), Log: quiet()}
	res, err := e.Raise(context.Background(), dets)
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, a := range res.New {
		count[a.Kind+" "+a.Subject]++
	}
	want := map[string]int{"term.nickname 雷不群": 1, "term.nickname 米粉": 1, "volume.spike ": 2}
	for k, n := range want {
		if count[k] != n {
			t.Errorf("%s: %d alerts, want %d (all: %v)", k, count[k], n, count)
		}
	}
}

// memDeliveries keeps delivery records in memory.
type memDeliveries struct{ recs []trustwatch.DeliveryRecord }

func (m *memDeliveries) PutDeliveries(_ context.Context, rs []trustwatch.DeliveryRecord) error {
	m.recs = append(m.recs, rs...)
	return nil
}
func (m *memDeliveries) FindDeliveries(context.Context, string) ([]trustwatch.DeliveryRecord, error) {
	return m.recs, nil
}
func (m *memDeliveries) CountDeliveries(context.Context) ([]trustwatch.DeliveryCount, error) {
	return nil, nil
}

func TestRaiseRecordsEveryAttempt(t *testing.T) {
	var hits int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
		if hits == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	now := at("2025-04-02 08:00")
	n := &notify.Notifier{
		Channels: []trustwatch.Channel{{ID: "ops", Type: "webhook", URLEnv: "HOOK"}, {ID: "quiet", Type: "webhook", URL: srv.URL, MinSeverity: "critical"}},
		Getenv:   func(k string) string { return map[string]string{"HOOK": srv.URL + "/hook/PLANTED-token"}[k] },
		Sleep:    func(context.Context, time.Duration) error { return nil },
		Now:      func() time.Time { return now },
		Log:      quiet(),
	}
	recs := &memDeliveries{}
	e := &alert.Engine{Store: newMemStore(), Notifier: n, Deliveries: recs, Log: quiet(), Now: func() time.Time { return now },
		Rules: []trustwatch.Rule{{ID: "crash", Detector: "volume.spike", Severity: "high", Notify: []string{"ops", "quiet"}}}}
	res, err := e.Raise(context.Background(), []trustwatch.Detection{{Kind: "volume.spike", Entity: "xiaomi", Time: at("2025-04-01 22:00"), Statement: "声量激增"}})
	if err != nil {
		t.Fatal(err)
	}
	id := res.New[0].ID
	want := []trustwatch.DeliveryRecord{
		{Subject: id, Channel: "ops", Type: "webhook", Attempt: 1, Time: now, State: "failed", Status: 503, Error: "HTTP 503 Service Unavailable"},
		{Subject: id, Channel: "ops", Type: "webhook", Attempt: 2, Time: now, State: "ok", Status: 200},
		{Subject: id, Channel: "quiet", Type: "webhook", Attempt: 0, Time: now, State: "skipped", Error: "severity high below min_severity critical"},
	}
	if !slices.Equal(recs.recs, want) {
		t.Errorf("records:\n%+v\nwant\n%+v", recs.recs, want)
	}
	for _, r := range recs.recs {
		if strings.Contains(r.Error, "PLANTED") {
			t.Errorf("a record holds the URL: %+v", r)
		}
	}
}
