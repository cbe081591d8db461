package digest_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/digest"
	"trustwatch/notify"
	"trustwatch/sqlite"
)

var cst = trustwatch.DefaultLocation()

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, cst)
	if err != nil {
		panic(err)
	}
	return t
}

func TestLatest(t *testing.T) {
	daily := trustwatch.Digest{ID: "d", Every: "daily", At: "08:30"}
	weekly := trustwatch.Digest{ID: "w", Every: "weekly", Weekday: "mon", At: "09:00"}
	friday := trustwatch.Digest{ID: "f", Every: "weekly", Weekday: "fri"} // 08:00 by default
	tests := []struct {
		name     string
		d        trustwatch.Digest
		now      string
		from, to string
	}{
		{"daily before its time", daily, "2025-06-12 08:29", "2025-06-10 00:00", "2025-06-11 00:00"},
		{"daily at its time", daily, "2025-06-12 08:30", "2025-06-11 00:00", "2025-06-12 00:00"},
		{"daily late at night", daily, "2025-06-12 23:59", "2025-06-11 00:00", "2025-06-12 00:00"},
		{"daily across a month", daily, "2025-07-01 09:00", "2025-06-30 00:00", "2025-07-01 00:00"},
		// 2025-06-16 is a Monday.
		{"weekly on its day before its time", weekly, "2025-06-16 08:59", "2025-06-02 00:00", "2025-06-09 00:00"},
		{"weekly on its day at its time", weekly, "2025-06-16 09:00", "2025-06-09 00:00", "2025-06-16 00:00"},
		{"weekly mid-week", weekly, "2025-06-19 12:00", "2025-06-09 00:00", "2025-06-16 00:00"},
		{"weekly on friday", friday, "2025-06-16 09:00", "2025-06-06 00:00", "2025-06-13 00:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := digest.Latest(tt.d, at(tt.now), cst)
			if err != nil {
				t.Fatal(err)
			}
			if !p.From.Equal(at(tt.from)) || !p.To.Equal(at(tt.to)) || p.Key != tt.from[:10] {
				t.Errorf("Latest at %s = %s [%s, %s); want [%s, %s)", tt.now, p.Key, p.From, p.To, tt.from, tt.to)
			}
			if p.Due.After(at(tt.now)) {
				t.Errorf("due %s after now", p.Due)
			}
		})
	}
}

// sender records what it was asked to send and fails the channels in fail.
type sender struct {
	sent []string // channel: title
	msgs []notify.Message
	fail map[string]int // channel → how many more sends fail
}

func (s *sender) SendMessage(_ context.Context, m notify.Message, ids []string) []trustwatch.Delivery {
	var out []trustwatch.Delivery
	for _, id := range ids {
		d := trustwatch.Delivery{Channel: id, Type: "webhook", Attempts: 1}
		if s.fail[id] > 0 {
			s.fail[id]--
			d.Err = errors.New("503")
		} else {
			s.sent = append(s.sent, id+": "+m.Title)
			s.msgs = append(s.msgs, m)
		}
		out = append(out, d)
	}
	return out
}

func newDigests(db *sqlite.DB, s *sender, ds ...trustwatch.Digest) *digest.Digests {
	w := &trustwatch.Watch{Digests: ds, BaseURL: "https://tw.example.com/",
		Channels: []trustwatch.Channel{{ID: "ops", Type: "webhook"}, {ID: "mail", Type: "email"}}}
	return &digest.Digests{Store: db, Sent: db, Deliveries: db, Watch: w, Sender: s, Location: cst}
}

func openDB(t *testing.T) *sqlite.DB {
	db, err := sqlite.Open(t.TempDir() + "/tw.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestTickDailyAcrossRestarts(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	d := trustwatch.Digest{ID: "daily", Every: "daily", At: "08:30", Channels: []string{"ops"}}
	s := &sender{}
	steps := []struct {
		now     string
		restart bool
		want    []string // what this tick sends
	}{
		{now: "2025-06-12 08:00", want: []string{"ops: trustwatch 日报 2025-06-10"}}, // never sent: the latest due
		{now: "2025-06-12 08:10"},
		{now: "2025-06-12 08:29", restart: true},
		{now: "2025-06-12 08:30", want: []string{"ops: trustwatch 日报 2025-06-11"}},
		{now: "2025-06-12 08:31"},
		{now: "2025-06-12 20:00", restart: true},
		// Down for three days: the missed ones are sent, oldest first.
		{now: "2025-06-15 09:00", restart: true, want: []string{"ops: trustwatch 日报 2025-06-12", "ops: trustwatch 日报 2025-06-13", "ops: trustwatch 日报 2025-06-14"}},
		{now: "2025-06-15 09:05"},
	}
	g := newDigests(db, s, d)
	for _, st := range steps {
		if st.restart {
			g = newDigests(db, s, d)
		}
		before := len(s.sent)
		if err := g.Tick(ctx, at(st.now)); err != nil {
			t.Fatalf("%s: %v", st.now, err)
		}
		if got := s.sent[before:]; strings.Join(got, "|") != strings.Join(st.want, "|") {
			t.Errorf("%s: sent %q; want %q", st.now, got, st.want)
		}
	}
	recs, err := db.FindDeliveries(ctx, "digest:daily:2025-06-11")
	if err != nil || len(recs) != 1 || recs[0].State != "ok" || recs[0].Channel != "ops" {
		t.Errorf("delivery records %+v, %v", recs, err)
	}
	// The bot's summary links to the report of that day.
	if m := s.msgs[1]; !strings.Contains(m.Text, "完整报告：https://tw.example.com/report?from=2025-06-11&to=2025-06-11") || m.HTML != "" {
		t.Errorf("summary:\n%s", m.Text)
	}
}

func TestTickWeekly(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	d := trustwatch.Digest{ID: "weekly", Every: "weekly", Weekday: "mon", At: "09:00", Channels: []string{"mail"}}
	s := &sender{}
	g := newDigests(db, s, d)
	for _, now := range []string{"2025-06-16 08:59", "2025-06-16 09:00", "2025-06-17 09:00", "2025-06-22 23:59", "2025-06-23 09:00", "2025-06-23 10:00"} {
		if err := g.Tick(ctx, at(now)); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{
		"mail: trustwatch 周报 2025-06-02 至 2025-06-08",
		"mail: trustwatch 周报 2025-06-09 至 2025-06-15",
		"mail: trustwatch 周报 2025-06-16 至 2025-06-22",
	}
	if strings.Join(s.sent, "|") != strings.Join(want, "|") {
		t.Errorf("sent %q; want %q", s.sent, want)
	}
	// E-mail gets the report itself as HTML.
	if m := s.msgs[0]; !strings.Contains(m.HTML, "<html") || !strings.Contains(m.HTML, "信任报告") && !strings.Contains(m.HTML, "周报") {
		t.Errorf("e-mail HTML: %.300s", m.HTML)
	}
}

func TestTickRetriesAFailedChannelOnly(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	d := trustwatch.Digest{ID: "daily", Every: "daily", At: "08:30", Channels: []string{"ops", "mail"}}
	s := &sender{fail: map[string]int{"ops": 1}}
	g := newDigests(db, s, d)
	ticks := []struct {
		now     string
		wantErr bool
		want    string
	}{
		{"2025-06-12 08:30", true, "mail: trustwatch 日报 2025-06-11"},
		{"2025-06-12 08:40", false, ""}, // ops waits RetryAfter; mail is done
		{"2025-06-12 08:46", false, "ops: trustwatch 日报 2025-06-11"},
		{"2025-06-12 09:00", false, ""},
	}
	for _, tt := range ticks {
		before := len(s.sent)
		err := g.Tick(ctx, at(tt.now))
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: err %v; want error %v", tt.now, err, tt.wantErr)
		}
		if got := strings.Join(s.sent[before:], "|"); got != tt.want {
			t.Errorf("%s: sent %q; want %q", tt.now, got, tt.want)
		}
	}
	recs, _ := db.FindDeliveries(ctx, "digest:daily:2025-06-11")
	if got := fmt.Sprint(len(recs)); got != "3" {
		t.Errorf("%d delivery records (ops failed, mail ok, ops ok); got %+v", len(recs), recs)
	}
}
