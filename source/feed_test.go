package source_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/source"
)

func rss(items ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>newsroom</title>`)
	for i, it := range items {
		fmt.Fprintf(&b, `<item><title>%s</title><link>https://news.example/%d</link><guid>g%d</guid><description>&lt;p&gt;%s&lt;/p&gt;</description><pubDate>Sat, 30 Mar 2024 10:%02d:00 +0800</pubDate></item>`, it, i, i, it, i)
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

// feedServer serves body with an ETag, answers 304 to a matching
// If-None-Match, and fails with status when it is set.
type feedServer struct {
	mu     sync.Mutex
	body   string
	etag   string
	status int
	hits   int
	cond   int // requests that carried If-None-Match
}

func (s *feedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hits++
	if s.status != 0 {
		http.Error(w, "boom", s.status)
		return
	}
	if r.Header.Get("If-None-Match") != "" {
		s.cond++
		if r.Header.Get("If-None-Match") == s.etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	w.Header().Set("ETag", s.etag)
	w.Write([]byte(s.body))
}

func (s *feedServer) set(f func(*feedServer)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s)
}

func TestFeed(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	fs := &feedServer{body: rss("曜川汽车发布新车", "曜川回应刹车问题"), etag: `"v1"`}
	srv := httptest.NewServer(fs)
	defer srv.Close()
	now := time.Date(2024, 3, 30, 12, 0, 0, 0, time.UTC)
	f := &source.Feed{Store: db, MaxBody: 4096, Now: func() time.Time { return now }}
	src := trustwatch.Source{ID: "newsroom", Kind: "feed", URL: srv.URL, Interval: trustwatch.Duration(time.Minute)}

	type want struct {
		read, stored int
		err          string
		skipped      bool
		hits         int
	}
	steps := []struct {
		name    string
		advance time.Duration
		change  func(*feedServer)
		want    want
	}{
		{"first fetch stores every entry", 0, nil, want{read: 2, stored: 2, hits: 1}},
		{"same ETag: 304, nothing read", time.Minute, nil, want{hits: 2}},
		{"changed feed: only the new entry is stored", time.Minute, func(s *feedServer) {
			s.body, s.etag = rss("曜川汽车发布新车", "曜川回应刹车问题", "曜川召回两千辆"), `"v2"`
		}, want{read: 3, stored: 1, hits: 3}},
		{"500 fails", time.Minute, func(s *feedServer) { s.status = 500 }, want{err: "500", hits: 4}},
		{"backing off one interval: skipped", 30 * time.Second, nil, want{skipped: true, hits: 4}},
		{"after one interval: tried, fails again", 31 * time.Second, nil, want{err: "500", hits: 5}},
		{"second failure waits two intervals", 90 * time.Second, nil, want{skipped: true, hits: 5}},
		{"oversized body fails", 31 * time.Second, func(s *feedServer) {
			s.status, s.etag = 0, `"v3"`
			s.body = rss(strings.Repeat("很长的标题", 400))
		}, want{err: "limit", hits: 6}},
	}
	for _, s := range steps {
		now = now.Add(s.advance)
		if s.change != nil {
			fs.set(s.change)
		}
		res := f.Read(ctx, src)
		got := want{read: res.Read, stored: res.Stored, skipped: res.Skipped, hits: fs.hits}
		if s.want.err != "" && strings.Contains(res.Err, s.want.err) {
			got.err = s.want.err
		} else {
			got.err = res.Err
		}
		if got != s.want {
			t.Errorf("%s: got %+v, want %+v", s.name, got, s.want)
		}
	}
	if fs.cond == 0 {
		t.Error("no conditional GET was made")
	}
	items, _, err := db.FindItems(ctx, trustwatch.ItemFilter{Order: "time_asc"})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 3 {
		t.Fatalf("%d items, want 3", len(items))
	}
	it := items[0]
	if it.Platform != "newsroom" || it.Kind != trustwatch.KindNews || it.ID != "g0" || it.Text != "曜川汽车发布新车" ||
		!it.Time.Equal(time.Date(2024, 3, 30, 2, 0, 0, 0, time.UTC)) || it.URL != "https://news.example/0" {
		t.Errorf("first item = %+v", it)
	}
}
