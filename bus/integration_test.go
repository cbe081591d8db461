package bus_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/bus"
	"trustwatch/ingest"
	"trustwatch/segment"
	"trustwatch/sentiment"
)

// The doomed worker is this test binary run again with these variables: it
// commits its first batch, says so, and hangs before acking until the
// parent kills it with SIGKILL.
const (
	envDoomedDB  = "TRUSTWATCH_BUS_DOOMED_DB"
	ackWaitTests = 2 * time.Second
)

type hangAfterCommit struct {
	ingest.Store
	c bus.Committer
}

func (h hangAfterCommit) CommitSource(ctx context.Context, c trustwatch.SourceCommit) (int, int, error) {
	stored, dups, err := h.c.CommitSource(ctx, c)
	if err != nil {
		return stored, dups, err
	}
	fmt.Printf("committed %d\n", stored)
	select {} // killed here: committed, never acked
}

func TestDoomedWorkerProcess(t *testing.T) {
	path := os.Getenv(envDoomedDB)
	if path == "" {
		t.Skip("run by TestTwoPublishersThreeWorkers as a child process")
	}
	db := openDB(t, path)
	nc, js := connect(t, serverURL(t))
	w := &bus.Worker{NC: nc, JS: js, Store: hangAfterCommit{db, db}, Batch: 300, AckWait: ackWaitTests}
	t.Fatal(w.Run(context.Background()))
}

func analyzer(t testing.TB) *ingest.Analyzer {
	t.Helper()
	seg, err := segment.ForWatch(&trustwatch.Watch{})
	if err != nil {
		t.Fatal(err)
	}
	return &ingest.Analyzer{Matcher: segment.NewMatcher(seg, &trustwatch.Watch{}), Sentiment: sentiment.Default().ClassifyTokens}
}

// TestTwoPublishersThreeWorkers: two publishers send overlapping inputs at
// once, three workers share one SQLite file, one of them is killed with
// SIGKILL after committing a batch and before acking it. Every record must
// be stored once, the rollups must count exactly the stored items, and the
// quarantine must hold every broken line.
func TestTwoPublishersThreeWorkers(t *testing.T) {
	if os.Getenv(envDoomedDB) != "" {
		t.Skip("child process")
	}
	url := serverURL(t)
	freshStream(t, url)
	dir := t.TempDir()
	a, brokenA := writeItems(t, dir, "a.jsonl", 0, 2000)
	b, brokenB := writeItems(t, dir, "b.jsonl", 1000, 3000) // items 1000..1999 are in both
	const items = 3000
	broken := brokenA + brokenB
	dbPath := filepath.Join(dir, "shared.db")
	db := openDB(t, dbPath)
	ctx := context.Background()

	var pubs sync.WaitGroup
	sums := make([]ingest.Summary, 2)
	for i, p := range []string{a, b} {
		_, js := connect(t, url)
		pubs.Go(func() { sums[i] = publish(t, js, p) })
	}

	// Worker 1, in a child process, takes the first batch and is killed.
	child := exec.Command(os.Args[0], "-test.run=^TestDoomedWorkerProcess$", "-test.count=1")
	child.Env = append(os.Environ(), envDoomedDB+"="+dbPath)
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	child.Stderr = os.Stderr
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
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
	var line string
	select {
	case line = <-committed:
	case <-time.After(60 * time.Second):
		child.Process.Kill()
		t.Fatal("the doomed worker committed no batch within 60s")
	}
	if err := child.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	child.Wait()
	var killedStored int
	fmt.Sscanf(line, "committed %d", &killedStored)
	t.Logf("worker 1 killed after committing a batch (%d new items), before acking it", killedStored)

	// Workers 2 and 3 share one *sqlite.DB, with the real analysis.
	an := analyzer(t)
	wctx, stop := context.WithCancel(ctx)
	var ws []*bus.Worker
	var running sync.WaitGroup
	errs := make(chan error, 2)
	for range 2 {
		nc, js := connect(t, url)
		w := &bus.Worker{NC: nc, JS: js, Store: db, Analyzer: an, Batch: 300, AckWait: ackWaitTests}
		ws = append(ws, w)
		running.Go(func() { errs <- w.Run(wctx) })
	}
	pubs.Wait()
	for i, s := range sums {
		if s.Read != s.Stored+s.Duplicates+s.Quarantined || s.Failed != 0 {
			t.Errorf("publisher %d: %+v", i+1, s)
		}
	}
	// Between them the publishers sent each item once: the overlap went to
	// whichever was second, as a duplicate the server dropped.
	if got := sums[0].Stored + sums[1].Stored; got != items {
		t.Errorf("published %d items in all, want %d (duplicates %d, %d)", got, items, sums[0].Duplicates, sums[1].Duplicates)
	}

	_, js := connect(t, url)
	waitFor(t, 90*time.Second, func() bool {
		_, n, _ := db.FindQuarantine(ctx, trustwatch.QuarantineFilter{Limit: 1})
		_, _, stored, _ := db.Span(ctx)
		return stored == items && n == broken && streamMsgs(t, js) == 0
	})
	stop()
	running.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}

	var total bus.Stats
	for _, w := range ws {
		st := w.Stats()
		total.Stored += st.Stored
		total.Duplicates += st.Duplicates
		total.Redelivered += st.Redelivered
	}
	t.Logf("workers 2 and 3: %+v", total)
	// The killed worker's batch came back and was stored as duplicates.
	if total.Redelivered == 0 || total.Duplicates < int64(killedStored) {
		t.Errorf("redelivered %d, duplicates %d: the killed worker's batch of %d was not redelivered", total.Redelivered, total.Duplicates, killedStored)
	}
	if int(total.Stored)+killedStored != items {
		t.Errorf("stored %d by the workers + %d by the killed one, want %d", total.Stored, killedStored, items)
	}

	// Exactly once: every id is there, and the store holds no more rows.
	var ids []string
	for i := range items {
		ids = append(ids, fmt.Sprint(i))
	}
	found, n, err := db.FindItems(ctx, trustwatch.ItemFilter{IDs: ids, Limit: items + 1})
	if err != nil || n != items || len(found) != items {
		t.Fatalf("found %d (%d) of %d items: %v", len(found), n, items, err)
	}
	if _, all, _ := db.FindItems(ctx, trustwatch.ItemFilter{Limit: 1}); all != items {
		t.Errorf("store holds %d items, want %d", all, items)
	}
	analysed := 0
	for _, it := range found {
		if it.Sentiment != "" {
			analysed++
		}
	}
	// The killed worker stored its batch unanalysed; the rest went through
	// the analysis.
	if analysed < items-killedStored {
		t.Errorf("%d items have a sentiment, want at least %d", analysed, items-killedStored)
	}
	// Rollups are exact: the daily volume adds up to the item count.
	vol, err := db.Volume(ctx, trustwatch.VolumeFilter{By: trustwatch.Day})
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, p := range vol {
		sum += p.Count
	}
	if sum != items {
		t.Errorf("daily rollups sum to %d, want %d", sum, items)
	}
	qs, nq, err := db.FindQuarantine(ctx, trustwatch.QuarantineFilter{})
	if err != nil || nq != broken {
		t.Fatalf("quarantine holds %d, want %d: %v", nq, broken, err)
	}
	for _, q := range qs {
		if q.Line%501 != 0 || !strings.HasSuffix(q.File, ".jsonl") {
			t.Errorf("quarantined %s:%d (%s)", q.File, q.Line, q.Reason)
		}
	}
}
