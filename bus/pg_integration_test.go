package bus_test

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"trustwatch"
	"trustwatch/bus"
	"trustwatch/ingest"
	"trustwatch/postgres"
	"trustwatch/segment"
	"trustwatch/sentiment"
)

// The PostgreSQL + NATS integration test (issue 12): two ingesters publish
// overlapping inputs, three workers write to one PostgreSQL store; one
// worker (a child process: this test binary run again with envPGDoomed
// set to the store's URL) is killed with SIGKILL after a batch's items are
// committed and before it is acked, and another has its NATS connection
// closed at the same point of a batch.
const envPGDoomed = "TRUSTWATCH_BUS_PG_DOOMED"

// pgServers returns TRUSTWATCH_PG and TRUSTWATCH_NATS, skipping t unless
// both are set and answer. Under CI a missing or silent server fails t:
// CI starts both, so not reaching them is a broken setup, not a reason
// to skip.
func pgServers(t *testing.T) (pgURL, natsURL string) {
	t.Helper()
	stop := t.Skipf
	if os.Getenv("CI") != "" {
		stop = t.Fatalf
	}
	pgURL, natsURL = os.Getenv("TRUSTWATCH_PG"), os.Getenv("TRUSTWATCH_NATS")
	if pgURL == "" || natsURL == "" {
		stop("the PostgreSQL + NATS integration test needs TRUSTWATCH_PG (postgres://USER@HOST:PORT/DB; .ci/postgres.sh) "+
			"and TRUSTWATCH_NATS (nats://HOST:PORT with JetStream; .ci/nats.sh): TRUSTWATCH_PG=%q TRUSTWATCH_NATS=%q", pgURL, natsURL)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, pgURL)
	if err != nil {
		stop("PostgreSQL at TRUSTWATCH_PG is not reachable: %v", err)
	}
	conn.Close(ctx)
	nc, err := nats.Connect(natsURL, nats.Timeout(2*time.Second))
	if err != nil {
		stop("nats-server at TRUSTWATCH_NATS=%s is not reachable: %v", natsURL, err)
	}
	nc.Close()
	return pgURL, natsURL
}

// pgSchema creates an empty schema, dropped when t ends, and returns base
// with search_path set to it, as the postgres package's tests do.
func pgSchema(t *testing.T, base string) string {
	t.Helper()
	ctx := context.Background()
	buf := make([]byte, 6)
	rand.Read(buf)
	schema := "tw_bus_" + hex.EncodeToString(buf)
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if os.Getenv("TRUSTWATCH_PG_KEEP") != "" {
			t.Logf("kept schema %s", schema)
			return
		}
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Error(err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func openPG(t *testing.T, url string) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// The watch the workers analyse with: two entities, so that the
// per-entity rollups have something to count.
var pgWatch = &trustwatch.Watch{Entities: []trustwatch.Entity{
	{ID: "xiaomi", Kind: trustwatch.EntityBrand, Name: "小米"},
	{ID: "huawei", Kind: trustwatch.EntityBrand, Name: "华为"},
}}

func pgAnalyzer() (*ingest.Analyzer, error) {
	seg, err := segment.ForWatch(pgWatch)
	if err != nil {
		return nil, err
	}
	return &ingest.Analyzer{Matcher: segment.NewMatcher(seg, pgWatch), Sentiment: sentiment.Default().ClassifyTokens}, nil
}

var pgPlatforms = []string{"weibo", "douyin"}

// pgItem is item i of the inputs: ids are unique per platform, the times
// cross a month boundary (two partitions) and many days, the texts
// mention zero, one or two entities with varied sentiment.
func pgItem(i int) (platform, id, line string) {
	platform, id = pgPlatforms[i%2], fmt.Sprint(i/2)
	texts := []string{"续航太差了 客服不回复", "小米手机很好用 推荐", "华为和小米 发布会今天开始", "华为 屏幕碎了 售后太慢"}
	base := time.Date(2026, 3, 25, 0, 0, 0, 0, time.UTC)
	line = fmt.Sprintf(`{"id":%q,"platform":%q,"kind":"post","author":"u%d","text":"第%d条 %s","time":%q}`,
		id, platform, i%41, i, texts[i%len(texts)], base.Add(time.Duration(i)*7*time.Minute).Format(time.RFC3339))
	return platform, id, line
}

// writePGItems writes items lo..hi-1 as JSONL with a broken line after
// every 400th item, and returns the path and the broken lines' numbers.
func writePGItems(t *testing.T, dir, name string, lo, hi int) (string, []int) {
	t.Helper()
	var b strings.Builder
	var broken []int
	n := 0
	for i := lo; i < hi; i++ {
		_, _, line := pgItem(i)
		b.WriteString(line + "\n")
		n++
		if i%400 == 399 {
			b.WriteString(`{"id":"broken` + fmt.Sprint(i) + "\n")
			n++
			broken = append(broken, n)
		}
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, broken
}

// afterItems calls fn after each batch of items the store committed, on
// either path the worker takes: CommitSource when the store has it, the
// separate writes (PutItems among them) otherwise.
func afterItems(db *postgres.DB, fn func(stored int)) ingest.Store {
	if c, ok := any(db).(bus.Committer); ok {
		return hookCommit{db, c, fn}
	}
	return hookPutItems{db, fn}
}

type hookPutItems struct {
	ingest.Store
	fn func(int)
}

func (h hookPutItems) PutItems(ctx context.Context, items []trustwatch.Item) (int, int, error) {
	stored, dups, err := h.Store.PutItems(ctx, items)
	if err == nil {
		h.fn(stored)
	}
	return stored, dups, err
}

type hookCommit struct {
	ingest.Store
	c  bus.Committer
	fn func(int)
}

func (h hookCommit) CommitSource(ctx context.Context, c trustwatch.SourceCommit) (int, int, error) {
	stored, dups, err := h.c.CommitSource(ctx, c)
	if err == nil {
		h.fn(stored)
	}
	return stored, dups, err
}

// TestPGDoomedWorkerProcess is the worker TestPGTwoIngestersThreeWorkers
// kills: it commits its first batch (unanalysed), says so, and hangs
// before acking it.
func TestPGDoomedWorkerProcess(t *testing.T) {
	dbURL := os.Getenv(envPGDoomed)
	if dbURL == "" {
		t.Skip("run by TestPGTwoIngestersThreeWorkers as a child process")
	}
	db := openPG(t, dbURL)
	nc, js := connect(t, os.Getenv("TRUSTWATCH_NATS"))
	store := afterItems(db, func(stored int) {
		fmt.Printf("committed %d\n", stored)
		select {} // SIGKILLed here: committed, never acked
	})
	// No analysis: loading the dictionary takes seconds, and the batch it
	// commits unanalysed shows which items it stored.
	w := &bus.Worker{NC: nc, JS: js, Store: store, Batch: 300, AckWait: ackWaitTests}
	t.Fatal(w.Run(context.Background()))
}

// TestPGTwoIngestersThreeWorkers: two ingesters publish overlapping inputs
// at once; three workers write to one PostgreSQL store: worker 1 (a child
// process) is killed with SIGKILL after committing a batch and before
// acking it; worker 2's NATS connection is closed after it commits a batch
// and before it acks it, and worker 2 comes back on a new connection, as a
// supervisor would restart it; worker 3 runs throughout. Then every record
// must be stored exactly once, every rollup must equal a count(*) of the
// items, and the quarantine must hold every broken input once.
func TestPGTwoIngestersThreeWorkers(t *testing.T) {
	if os.Getenv(envPGDoomed) != "" {
		t.Skip("child process")
	}
	pgBase, natsURL := pgServers(t)
	start := time.Now()
	ctx := context.Background()
	// The analyzer's dictionary loads (seconds) while the rest starts.
	var an *ingest.Analyzer
	analyzerErr := make(chan error, 1)
	go func() {
		var err error
		an, err = pgAnalyzer()
		analyzerErr <- err
	}()
	freshStream(t, natsURL)
	dbURL := pgSchema(t, pgBase)
	db := openPG(t, dbURL) // migrates the schema before any worker opens it

	const lo, overlap, hi = 0, 1500, 3600 // a: [0,2500), b: [1000,3600)
	dir := t.TempDir()
	a, brokenA := writePGItems(t, dir, "a.jsonl", lo, 2500)
	b, brokenB := writePGItems(t, dir, "b.jsonl", 2500-overlap, hi)
	const items = hi - lo
	wantQuarantine := map[string]bool{}
	for _, n := range brokenA {
		wantQuarantine[fmt.Sprintf("%s:%d", a, n)] = true
	}
	for _, n := range brokenB {
		wantQuarantine[fmt.Sprintf("%s:%d", b, n)] = true
	}

	// Worker 1, in a child process, starts first so that it takes a batch.
	child := exec.Command(os.Args[0], "-test.run=^TestPGDoomedWorkerProcess$", "-test.count=1")
	child.Env = append(os.Environ(), envPGDoomed+"="+dbURL)
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	child.Stderr = os.Stderr
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	childDone := false
	t.Cleanup(func() {
		if !childDone {
			child.Process.Kill()
			child.Wait()
		}
	})
	committed := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "committed ") {
				committed <- sc.Text()
			}
		}
		close(committed)
	}()

	// The ingesters, at once, each on its own connection.
	var pubs sync.WaitGroup
	sums := make([]ingest.Summary, 2)
	for i, p := range []string{a, b} {
		_, js := connect(t, natsURL)
		pubs.Go(func() { sums[i] = publish(t, js, p) })
	}
	// And a message no worker can decode: the bus quarantines it.
	_, js := connect(t, natsURL)
	if _, err := js.Publish(ctx, bus.ItemSubject("weibo"), []byte("{not json"), jetstream.WithMsgID("garbage:1")); err != nil {
		t.Fatal(err)
	}

	var line string
	select {
	case line = <-committed:
	case <-time.After(30 * time.Second):
		t.Fatal("the doomed worker committed no batch within 30s")
	}
	if err := child.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	child.Wait()
	childDone = true
	var killedStored int
	fmt.Sscanf(line, "committed %d", &killedStored)
	t.Logf("%v: worker 1 (pid %d) SIGKILLed after committing a batch (%d new items), before acking it", time.Since(start), child.Process.Pid, killedStored)

	// Workers 2 and 3 in this process, one *postgres.DB each, as separate
	// processes would have. storedByWorkers adds up what the store said it
	// stored anew, batch by batch, including batches never acked.
	if err := <-analyzerErr; err != nil {
		t.Fatal(err)
	}
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	var storedByWorkers atomic.Int64
	var running sync.WaitGroup
	var ws []*bus.Worker
	var mu sync.Mutex
	errs := make(chan error, 3)
	startWorker := func(name string, fn func(stored int, nc *nats.Conn)) {
		nc, js := connect(t, natsURL)
		store := afterItems(openPG(t, dbURL), func(stored int) {
			storedByWorkers.Add(int64(stored))
			if fn != nil {
				fn(stored, nc)
			}
		})
		w := &bus.Worker{NC: nc, JS: js, Store: store, Analyzer: an, Batch: 300, AckWait: ackWaitTests, Threads: 1}
		mu.Lock()
		ws = append(ws, w)
		mu.Unlock()
		running.Go(func() {
			if err := w.Run(wctx); err != nil {
				errs <- fmt.Errorf("%s: %w", name, err)
			}
		})
	}
	var cut sync.Once
	connKilled := make(chan int, 1)
	startWorker("worker 2", func(stored int, nc *nats.Conn) {
		if stored == 0 {
			return // a batch of quarantine records only: wait for items
		}
		cut.Do(func() {
			nc.Close() // committed; the acks cannot be sent
			connKilled <- stored
		})
	})
	startWorker("worker 3", nil)

	var cutStored int
	select {
	case cutStored = <-connKilled:
	case <-time.After(30 * time.Second):
		t.Fatal("worker 2 committed no batch within 30s")
	}
	select {
	case err := <-errs:
		if !errors.Is(err, nats.ErrConnectionClosed) || !strings.HasPrefix(err.Error(), "worker 2:") {
			t.Fatalf("after its connection was closed: %v, want worker 2 to fail with %v", err, nats.ErrConnectionClosed)
		}
		t.Logf("%v: worker 2's NATS connection closed after it committed a batch (%d new items): %v", time.Since(start), cutStored, err)
	case <-time.After(10 * time.Second):
		t.Fatal("worker 2 went on after its connection was closed")
	}
	startWorker("worker 2 (restarted)", nil)

	pubs.Wait()
	for i, s := range sums {
		if s.Read != s.Stored+s.Duplicates+s.Quarantined || s.Failed != 0 {
			t.Errorf("ingester %d: %+v", i+1, s)
		}
	}
	// The overlap went to whichever ingester was second, as duplicates
	// the stream's window dropped.
	if got, dups := sums[0].Stored+sums[1].Stored, sums[0].Duplicates+sums[1].Duplicates; got != items || dups != overlap {
		t.Errorf("published %d items, %d dropped as duplicates; want %d and %d", got, dups, items, overlap)
	}

	t.Logf("%v: ingesters done", time.Since(start))
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	count := func(query string, args ...any) int {
		t.Helper()
		var n int
		if err := conn.QueryRow(ctx, query, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		return n
	}
	wantQ := len(wantQuarantine) + 1 // + the undecodable message
	deadline := time.Now().Add(40 * time.Second)
	for count(`SELECT count(*) FROM items`) < items || count(`SELECT count(*) FROM quarantine`) < wantQ || streamMsgs(t, js) != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("not drained within 40s: %d of %d items, %d of %d quarantined, %d messages left",
				count(`SELECT count(*) FROM items`), items, count(`SELECT count(*) FROM quarantine`), wantQ, streamMsgs(t, js))
		}
		select {
		case err := <-errs:
			t.Fatal(err)
		case <-time.After(100 * time.Millisecond):
		}
	}
	t.Logf("%v: drained", time.Since(start))
	stop()
	running.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	var total bus.Stats
	for _, w := range ws {
		st := w.Stats()
		total.Messages += st.Messages
		total.Batches += st.Batches
		total.Quarantined += st.Quarantined
		total.Stored += st.Stored
		total.Duplicates += st.Duplicates
		total.Redelivered += st.Redelivered
	}
	t.Logf("workers 2, 2 restarted, 3 (acked batches): %+v", total)
	// The two batches never acked came back, and their items were then
	// duplicates.
	if total.Redelivered < 2 || total.Duplicates < int64(killedStored+cutStored) {
		t.Errorf("redelivered %d, duplicates %d: the unacked batches (%d and %d new items) were not redelivered",
			total.Redelivered, total.Duplicates, killedStored, cutStored)
	}
	// Exactly once at the writes: the store called each item new once.
	if got := int(storedByWorkers.Load()) + killedStored; got != items {
		t.Errorf("the store reported %d items stored anew (%d by the killed worker), want %d", got, killedStored, items)
	}

	// Exactly once in the tables: each identity once, and no other.
	if n := count(`SELECT count(*) FROM items`); n != items {
		t.Errorf("items holds %d rows, want %d", n, items)
	}
	if n := count(`SELECT count(DISTINCT (platform, id)) FROM items`); n != items {
		t.Errorf("items holds %d distinct identities, want %d", n, items)
	}
	if n := count(`SELECT count(*) FROM item_ids`); n != items {
		t.Errorf("item_ids holds %d rows, want %d", n, items)
	}
	want := map[string]bool{}
	for i := lo; i < hi; i++ {
		p, id, _ := pgItem(i)
		want[p+":"+id] = true
	}
	rows, err := conn.Query(ctx, `SELECT platform || ':' || id FROM items`)
	if err != nil {
		t.Fatal(err)
	}
	got, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range got {
		if !want[k] {
			t.Errorf("stored %s, which was never published (or twice)", k)
		}
		delete(want, k)
	}
	if len(want) != 0 {
		t.Errorf("%d items missing from the store", len(want))
	}
	if _, n, err := db.FindItems(ctx, trustwatch.ItemFilter{Limit: 1}); err != nil || n != items {
		t.Errorf("FindItems counts %d items, want %d: %v", n, items, err)
	}
	// The killed worker's items were stored unanalysed, and only they:
	// their redelivery found them stored.
	if n := count(`SELECT count(*) FROM items WHERE sentiment = '' OR length(words) = 0`); n != killedStored {
		t.Errorf("%d items were stored unanalysed, want the killed worker's %d", n, killedStored)
	}

	// Rollups are exact: for every platform and entity (and all), the
	// daily volumes are the items counted per day by count(*), and the
	// breakdowns agree with count(*) per group and sentiment.
	zone := trustwatch.DefaultLocation().String()
	for _, platform := range append([]string{""}, pgPlatforms...) {
		for _, entity := range []string{"", "xiaomi", "huawei"} {
			vol, err := db.Volume(ctx, trustwatch.VolumeFilter{By: trustwatch.Day, Platform: platform, Entity: entity})
			if err != nil {
				t.Fatal(err)
			}
			rows, err := conn.Query(ctx, `SELECT (time AT TIME ZONE $1)::date::text, count(*), count(*) FILTER (WHERE sentiment = 'pos'),
					count(*) FILTER (WHERE sentiment = 'neg'), count(*) FILTER (WHERE sentiment = 'neu')
				FROM items WHERE ($2 = '' OR platform = $2) AND ($3 = '' OR $3 = ANY (entities)) GROUP BY 1 ORDER BY 1`,
				zone, platform, entity)
			if err != nil {
				t.Fatal(err)
			}
			days, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (string, error) {
				var day string
				var n, pos, neg, neu int64
				err := r.Scan(&day, &n, &pos, &neg, &neu)
				return fmt.Sprintf("%s %d %d %d %d", day, n, pos, neg, neu), err
			})
			if err != nil {
				t.Fatal(err)
			}
			var fromRollups []string
			var sum int64
			for _, p := range vol {
				fromRollups = append(fromRollups, fmt.Sprintf("%s %d %d %d %d", p.Period.Format(time.DateOnly), p.Count, p.Pos, p.Neg, p.Neu))
				sum += p.Count
			}
			if strings.Join(fromRollups, "\n") != strings.Join(days, "\n") {
				t.Errorf("platform %q entity %q: daily rollups (day count pos neg neu)\n%s\nwant, by count(*),\n%s",
					platform, entity, strings.Join(fromRollups, "\n"), strings.Join(days, "\n"))
			}
			if platform == "" && entity == "" && sum != items {
				t.Errorf("daily rollups sum to %d, want %d", sum, items)
			}
			if entity != "" && sum == 0 {
				t.Errorf("platform %q entity %q: no items counted", platform, entity)
			}
		}
	}
	for by, query := range map[string]string{
		"platform": `SELECT platform AS k, count(*), count(*) FILTER (WHERE sentiment = 'pos'), count(*) FILTER (WHERE sentiment = 'neg') FROM items GROUP BY k`,
		"entity":   `SELECT e AS k, count(*), count(*) FILTER (WHERE sentiment = 'pos'), count(*) FILTER (WHERE sentiment = 'neg') FROM items, unnest(entities) e GROUP BY k`,
	} {
		bd, err := db.Breakdown(ctx, by, trustwatch.VolumeFilter{By: trustwatch.Day})
		if err != nil {
			t.Fatal(err)
		}
		var fromRollups []string
		for _, g := range bd {
			fromRollups = append(fromRollups, fmt.Sprintf("%s %d %d %d", g.Key, g.Count, g.Pos, g.Neg))
		}
		rows, err := conn.Query(ctx, query)
		if err != nil {
			t.Fatal(err)
		}
		groups, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (string, error) {
			var k string
			var n, pos, neg int64
			err := r.Scan(&k, &n, &pos, &neg)
			return fmt.Sprintf("%s %d %d %d", k, n, pos, neg), err
		})
		if err != nil {
			t.Fatal(err)
		}
		sort.Strings(fromRollups)
		sort.Strings(groups)
		if strings.Join(fromRollups, " | ") != strings.Join(groups, " | ") {
			t.Errorf("breakdown by %s (key count pos neg): %v, want by count(*) %v", by, fromRollups, groups)
		}
	}
	hourly, err := db.Volume(ctx, trustwatch.VolumeFilter{By: trustwatch.Hour})
	if err != nil {
		t.Fatal(err)
	}
	var hourSum int64
	for _, p := range hourly {
		hourSum += p.Count
	}
	if hourSum != items {
		t.Errorf("hourly rollups sum to %d, want %d", hourSum, items)
	}

	// The quarantine holds every broken line, and the undecodable message,
	// once each.
	qs, nq, err := db.FindQuarantine(ctx, trustwatch.QuarantineFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if nq != wantQ || len(qs) != wantQ || count(`SELECT count(*) FROM quarantine`) != wantQ {
		t.Errorf("quarantine holds %d (%d read), want %d", nq, len(qs), wantQ)
	}
	garbage := 0
	for _, q := range qs {
		k := fmt.Sprintf("%s:%d", q.File, q.Line)
		switch {
		case wantQuarantine[k]:
			delete(wantQuarantine, k)
		case q.File == "bus:"+bus.ItemSubject("weibo") && string(q.Raw) == "{not json":
			garbage++
		default:
			t.Errorf("quarantined %s (%s), planted no such line, or twice", k, q.Reason)
		}
	}
	if len(wantQuarantine) != 0 || garbage != 1 {
		t.Errorf("broken lines missing from the quarantine: %v; undecodable message kept %d times, want 1", wantQuarantine, garbage)
	}
	t.Logf("%d items stored once, %d quarantined, rollups exact, in %v", items, wantQ, time.Since(start).Round(time.Millisecond))
}
