package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/results"
	"trustwatch/sqlite"
)

func TestRememberUntilItemsChange(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := &Server{Store: db}
	calls := 0
	get := func() int {
		v, err := remember(ctx, s, "k", func() (int, error) { calls++; return calls, nil })
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	put := func(id string) {
		it := trustwatch.Item{ID: id, Platform: "weibo", Kind: trustwatch.KindPost, Text: "刹车", Time: time.Unix(1740841800, 0)}
		if _, _, err := db.PutItems(ctx, []trustwatch.Item{it}); err != nil {
			t.Fatal(err)
		}
	}
	put("a")
	if a, b := get(), get(); a != 1 || b != 1 {
		t.Fatalf("computed %d then %d times, want once", a, b)
	}
	put("b") // new data: computed again
	if c := get(); c != 2 {
		t.Errorf("after a new item: value %d, want a fresh computation (2)", c)
	}
	put("b") // a duplicate changes nothing
	if d := get(); d != 2 {
		t.Errorf("after a duplicate: value %d, want the remembered 2", d)
	}
}

// savingStore counts the results the pages save: a page that found its
// result precomputed saves none.
type savingStore struct {
	*sqlite.DB
	saved []string
}

func (s *savingStore) SaveResult(ctx context.Context, key, version string, data []byte) error {
	s.saved = append(s.saved, key)
	return s.DB.SaveResult(ctx, key, version, data)
}

// TestPagesReadPrecomputedResults: after the Precomputer ran, a fresh
// server (nothing in memory) shows the ledger, a claim, a voice, the
// terms, the stories and the report without computing them; a ledger at
// another day and stories of another window are computed and saved.
func TestPagesReadPrecomputedResults(t *testing.T) {
	ctx := context.Background()
	sh := trustwatch.DefaultLocation()
	db, err := sqlite.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	day := func(d, h int) time.Time { return time.Date(2025, 3, d, h, 0, 0, 0, sh) }
	w := &trustwatch.Watch{
		Entities: []trustwatch.Entity{
			{ID: "yaochuan", Kind: trustwatch.EntityBrand, Name: "曜川汽车"},
			{ID: "chenglang", Kind: trustwatch.EntityPerson, Name: "程朗", Parent: "yaochuan", Accounts: []string{"程朗"}},
		},
		Claims: []trustwatch.Claim{{ID: "c1", Entity: "yaochuan", Text: "刹车最强", Date: trustwatch.Date{Time: day(1, 0)}, Subject: []string{"刹车"}}},
	}
	var items []trustwatch.Item
	for i, text := range []string{"曜川 刹车 软", "曜川 刹车 很稳", "程朗：刹车放心"} {
		items = append(items, trustwatch.Item{ID: fmt.Sprint("p", i), Platform: "weibo", Kind: trustwatch.KindPost, Author: []string{"甲", "乙", "程朗"}[i],
			Text: text, Time: day(2+i, 10), Entities: []string{"yaochuan"}})
	}
	if _, _, err := db.PutItems(ctx, items); err != nil {
		t.Fatal(err)
	}
	p := &results.Precomputer{Computer: results.Computer{Store: db, Watch: w, Location: sh}, Results: db}
	if _, err := p.Run(ctx); err != nil {
		t.Fatal(err)
	}
	store := &savingStore{DB: db}
	s := &Server{Store: store, Watch: w, Location: sh, Anonymous: trustwatch.RoleViewer, Logger: slog.New(slog.DiscardHandler)}
	h := s.Handler()
	for _, tt := range []struct {
		path  string
		saves int // results computed and saved by this request
	}{
		{"/ledger", 0},
		{"/claims/c1", 0},
		{"/voice/chenglang", 0},
		{"/report", 0},
		{"/terms", 0},
		{"/stories", 0},
		{"/ledger?at=2025-03-03", 1},
		{"/stories?from=2025-03-02", 1},
	} {
		t.Run(tt.path, func(t *testing.T) {
			store.saved = nil
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", tt.path, nil))
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			if len(store.saved) != tt.saves {
				t.Errorf("saved %q; want %d results saved", store.saved, tt.saves)
			}
		})
	}
}

// TestRememberComputesOnce: requests for the same result that arrive while
// it is computed wait for that computation instead of starting their own.
func TestRememberComputesOnce(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := &Server{Store: db}
	if _, err := remember(ctx, s, "warm-up", func() (int, error) { return 0, nil }); err != nil {
		t.Fatal(err)
	}
	version := mustVersion(t, s) // the basis is made by the first remember
	const n = 8
	var computed atomic.Int32
	release := make(chan struct{})
	var wg sync.WaitGroup
	got := make([]int, n)
	for i := range n {
		wg.Go(func() {
			v, err := remember(ctx, s, "slow", func() (int, error) {
				computed.Add(1)
				<-release
				return 42, nil
			})
			if err != nil {
				t.Error(err)
			}
			got[i] = v
		})
	}
	// Release the computation once every other request waits for it.
	for {
		s.memo.mu.Lock()
		c := s.memo.calls["slow@"+version]
		waiting := c != nil && c.waiters == n-1
		s.memo.mu.Unlock()
		if waiting {
			break
		}
		runtime.Gosched()
	}
	close(release)
	wg.Wait()
	if c := computed.Load(); c != 1 {
		t.Errorf("computed %d times for %d concurrent requests; want once", c, n)
	}
	for i, v := range got {
		if v != 42 {
			t.Errorf("request %d got %d; want 42", i, v)
		}
	}
}

func mustVersion(t *testing.T, s *Server) string {
	t.Helper()
	v, err := s.memo.basis.Version(context.Background(), s.Store)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestRememberServesLatestWhileComputing: while one version of a result is
// computed, a request for a newer version gets the newest value computed
// so far instead of starting a second computation; once none is in
// flight, a request computes its own version.
func TestRememberServesLatestWhileComputing(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := &Server{Store: db}
	put := func(id string) {
		it := trustwatch.Item{ID: id, Platform: "weibo", Kind: trustwatch.KindPost, Text: "刹车", Time: time.Unix(1740841800, 0)}
		if _, _, err := db.PutItems(ctx, []trustwatch.Item{it}); err != nil {
			t.Fatal(err)
		}
	}
	var computed atomic.Int32
	get := func(block chan struct{}) int {
		v, err := remember(ctx, s, "k", func() (int, error) {
			n := int(computed.Add(1))
			if block != nil {
				<-block
			}
			return n, nil
		})
		if err != nil {
			t.Error(err)
		}
		return v
	}
	put("a")
	if v := get(nil); v != 1 {
		t.Fatalf("first value %d, want 1", v)
	}
	put("b") // version 2, computed slowly
	release := make(chan struct{})
	second := make(chan int)
	go func() { second <- get(release) }()
	for computed.Load() < 2 {
		runtime.Gosched()
	}
	put("c") // version 3 while version 2 is computed
	if v := get(nil); v != 1 {
		t.Errorf("during the computation of version 2, version 3 got %d; want the latest value, 1", v)
	}
	close(release)
	if v := <-second; v != 2 {
		t.Errorf("version 2 got %d, want 2", v)
	}
	if v := get(nil); v != 3 {
		t.Errorf("version 3 after the computation got %d; want its own computation, 3", v)
	}
	if c := computed.Load(); c != 3 {
		t.Errorf("computed %d times, want 3 (one per version)", c)
	}
}
