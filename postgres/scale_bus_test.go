package postgres

import (
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/nats-io/nats.go/jetstream"

	"trustwatch"
	"trustwatch/bus"
	"trustwatch/ingest"
	"trustwatch/reader"
)

// TestScaleBus is docs/benchmarks.md's bus benchmark with the workers
// writing to PostgreSQL: for each worker count in TRUSTWATCH_PG_BUS (e.g.
// "1,2"), a fresh schema and a fresh stream, the workers (bus.Worker, each
// with its own connection and pool, in this process) started first, then
// the archive published as `ingest --bus` publishes it, timed until the
// store holds every distinct item. It needs TRUSTWATCH_PG and
// TRUSTWATCH_NATS:
//
//	bash .ci/postgres.sh bash -c '. .ci/nats.sh; TRUSTWATCH_PG_BUS=1,2 \
//	  go test -run "^TestScaleBus$" -v -timeout 0 ./postgres/'
func TestScaleBus(t *testing.T) {
	spec := os.Getenv("TRUSTWATCH_PG_BUS")
	if spec == "" {
		t.Skip("TRUSTWATCH_PG_BUS is not set (worker counts, e.g. 1,2)")
	}
	natsURL := os.Getenv("TRUSTWATCH_NATS")
	if natsURL == "" {
		t.Skip("TRUSTWATCH_NATS is not set (nats://HOST:PORT of a server with JetStream)")
	}
	path := scaleArchive(t)
	const want = 718186 // distinct items of the archive (docs/benchmarks.md)
	an := scaleAnalyzer(t, &trustwatch.Watch{})
	for _, s := range strings.Split(spec, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 {
			t.Fatalf("TRUSTWATCH_PG_BUS: %q", s)
		}
		t.Run(strconv.Itoa(n)+"workers", func(t *testing.T) { scaleBus(t, natsURL, path, an, n, want) })
	}
}

func scaleBus(t *testing.T, natsURL, path string, an *ingest.Analyzer, workers, want int) {
	ctx := context.Background()
	url := newSchema(t)
	probe := mustOpen(t, url)

	nc, js, err := bus.Connect(ctx, natsURL, "scale publisher")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	// A fresh stream: the last run's message ids would be dropped as
	// duplicates within the 2 h window.
	if err := js.DeleteStream(ctx, bus.StreamName); err != nil && !errors.Is(err, jetstream.ErrStreamNotFound) {
		t.Fatal(err)
	}
	if err := bus.EnsureStream(ctx, js); err != nil {
		t.Fatal(err)
	}

	in := &ingest.Ingester{Store: &bus.Publisher{JS: js}, Options: reader.Options{Format: reader.FormatCSV, Map: map[string]string{"text": "title", "time": "date"}}}
	var sum ingest.Summary
	// Split: publish everything first, then start the workers, so that the
	// workers' CPU (this process's) and the server's are theirs alone.
	split := os.Getenv("TRUSTWATCH_PG_BUS_SPLIT") != ""
	if split {
		t0 := time.Now()
		if sum, err = in.Ingest(ctx, []string{path}, nil); err != nil {
			t.Fatal(err)
		}
		t.Logf("published before the workers start: %.1f s", time.Since(t0).Seconds())
	}
	cpu0, srv0 := cpuTime(), serverCPU(ctx, t, probe)

	wctx, stop := context.WithCancel(ctx)
	defer stop()
	var wg sync.WaitGroup
	ws := make([]*bus.Worker, workers)
	errs := make([]error, workers)
	start := time.Now()
	for i := range ws {
		wnc, wjs, err := bus.Connect(ctx, natsURL, "scale worker")
		if err != nil {
			t.Fatal(err)
		}
		defer wnc.Close()
		ws[i] = &bus.Worker{NC: wnc, JS: wjs, Store: mustOpen(t, url), Analyzer: an, Batch: 2000}
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = ws[i].Run(wctx) }()
	}
	if !split {
		if sum, err = in.Ingest(ctx, []string{path}, nil); err != nil {
			t.Fatal(err)
		}
	}
	published := time.Since(start)
	var n int64
	for {
		if err := probe.pool.QueryRow(ctx, `SELECT count(*) FROM items`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n >= int64(want) {
			break
		}
		if time.Since(start) > time.Hour {
			t.Fatalf("after an hour the store holds %d of %d", n, want)
		}
		time.Sleep(500 * time.Millisecond)
	}
	all := time.Since(start)
	cpu, srv := cpuTime()-cpu0, serverCPU(ctx, t, probe)-srv0
	stop()
	wg.Wait()
	for i, w := range ws {
		if errs[i] != nil {
			t.Errorf("worker %d: %v", i, errs[i])
		}
		t.Logf("worker %d: %+v", i, w.Stats())
	}
	t.Logf("%d workers: %+v published in %.1f s; all %d stored in %.1f s: %.0f stored items/s",
		workers, sum, published.Seconds(), n, all.Seconds(), float64(n)/all.Seconds())
	t.Logf("CPU while consuming: this process (workers%s) %.1f s, %.0f items/cpu-s; PostgreSQL %.1f s, %.0f items/server-cpu-s",
		map[bool]string{false: " and publisher"}[split], cpu.Seconds(), float64(n)/cpu.Seconds(), srv.Seconds(), float64(n)/srv.Seconds())
	if n != int64(want) {
		t.Errorf("stored %d, want %d", n, want)
	}
}

// serverCPU is the CPU time of the PostgreSQL server's processes that
// pg_stat_activity lists (backends and background processes), read from
// /proc: the server must run on this machine. Backends that ended between
// two readings are missing from the difference.
func serverCPU(ctx context.Context, t *testing.T, db *DB) time.Duration {
	rows, err := db.pool.Query(ctx, `SELECT pid FROM pg_stat_activity`)
	if err != nil {
		t.Fatal(err)
	}
	pids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		t.Fatal(err)
	}
	var ticks int64
	for _, pid := range pids {
		b, err := os.ReadFile("/proc/" + strconv.Itoa(int(pid)) + "/stat")
		if err != nil {
			continue
		}
		// The fields after the command (which may hold spaces) in ")".
		f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
		u, _ := strconv.ParseInt(f[11], 10, 64)
		s, _ := strconv.ParseInt(f[12], 10, 64)
		ticks += u + s
	}
	return time.Duration(ticks) * time.Second / 100 // USER_HZ, 100 on Linux
}
