package main

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/sqlite"
	"trustwatch/web"
)

// BenchmarkPushIngest measures sustained push ingest through the real
// handler, analysis and a file store: 8 clients (4 per core on 2 cores)
// POST bodies of 100 new canonical JSONL items each. It reports items/s
// and the 99th percentile of a POST's latency.
//
//	go test ./cmd/trustwatch -run '^$' -bench BenchmarkPushIngest -benchtime 400x -cpu 2
func BenchmarkPushIngest(b *testing.B) {
	const perBody = 100
	loc := trustwatch.DefaultLocation()
	w := &trustwatch.Watch{
		Entities: []trustwatch.Entity{{ID: "yaochuan", Kind: trustwatch.EntityBrand, Name: "曜川汽车", Aliases: []string{"曜川"}}},
		Sources:  []trustwatch.Source{{ID: "bench", Kind: trustwatch.SourcePush, TokenEnv: "TW_BENCH_TOKEN"}},
	}
	b.Setenv("TW_BENCH_TOKEN", "bench-token")
	db := sqlite.NewDB(filepath.Join(b.TempDir(), "bench.db"))
	db.Location = loc
	if err := db.Open(); err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	an, _, err := newAnalyzer(w)
	if err != nil {
		b.Fatal(err)
	}
	srv := &web.Server{Store: db, Watch: w, Location: loc, Logger: slog.New(slog.DiscardHandler),
		Auth: newAuthService(db, db, w), Access: db, Ingest: pushIngest(db, an, loc, nil)}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()

	var next atomic.Int64
	texts := []string{"曜川Y7高速刹车发软，4S店说正常", "客服电话一直打不通，等了半小时", "续航比宣传的少了三成", "新车交付很快，体验不错", "车机又死机了，OTA之后更糟"}
	body := func() []byte {
		var buf bytes.Buffer
		for range perBody {
			n := next.Add(1)
			fmt.Fprintf(&buf, `{"id":"b%d","platform":"weibo","kind":"comment","author":"u%d","text":"%s %d","time":"%s"}`+"\n",
				n, n%997, texts[n%int64(len(texts))], n, time.Date(2025, 5, 1, 0, 0, 0, 0, loc).Add(time.Duration(n)*time.Second).Format(time.RFC3339))
		}
		return buf.Bytes()
	}
	var mu sync.Mutex
	var lat []time.Duration
	b.SetParallelism(4) // × GOMAXPROCS (2) = 8 clients
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		client := &http.Client{}
		for pb.Next() {
			req, _ := http.NewRequest("POST", ts.URL+"/api/v1/ingest?source=bench", bytes.NewReader(body()))
			req.Header.Set("Authorization", "Bearer bench-token")
			req.Header.Set("Content-Type", "application/x-ndjson")
			t0 := time.Now()
			resp, err := client.Do(req)
			d := time.Since(t0)
			if err != nil {
				b.Error(err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
			mu.Lock()
			lat = append(lat, d)
			mu.Unlock()
		}
	})
	elapsed := time.Since(start)
	b.StopTimer()
	_, _, n, err := db.Span(b.Context())
	if err != nil || n != int64(len(lat)*perBody) {
		b.Fatalf("stored %d items, want %d (%v)", n, len(lat)*perBody, err)
	}
	slices.Sort(lat)
	b.ReportMetric(float64(n)/elapsed.Seconds(), "items/s")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
}
