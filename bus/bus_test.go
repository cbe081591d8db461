package bus_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"trustwatch"
	"trustwatch/bus"
	"trustwatch/ingest"
	"trustwatch/reader"
	"trustwatch/sqlite"
)

// serverURL is the nats-server the tests use (TRUSTWATCH_NATS, started by
// .ci/nats.sh); the tests skip without one. They share the server's one
// stream, so they must not run in parallel, and each begins by deleting it.
func serverURL(t testing.TB) string {
	t.Helper()
	url := os.Getenv("TRUSTWATCH_NATS")
	if url == "" {
		t.Skip("TRUSTWATCH_NATS is not set: the bus tests need a nats-server with JetStream (nats-server -js; .ci/nats.sh starts one)")
	}
	nc, err := nats.Connect(url, nats.Timeout(2*time.Second))
	if err != nil {
		t.Skipf("TRUSTWATCH_NATS=%s is not reachable: %v", url, err)
	}
	nc.Close()
	return url
}

// freshStream empties the server of the stream and its consumer.
func freshStream(t testing.TB, url string) {
	t.Helper()
	nc, js := connect(t, url)
	defer nc.Close()
	if err := js.DeleteStream(context.Background(), bus.StreamName); err != nil && !errors.Is(err, jetstream.ErrStreamNotFound) {
		t.Fatal(err)
	}
	if err := bus.EnsureStream(context.Background(), js); err != nil {
		t.Fatal(err)
	}
}

func connect(t testing.TB, url string) (*nats.Conn, jetstream.JetStream) {
	t.Helper()
	nc, js, err := bus.Connect(context.Background(), url, t.Name())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	return nc, js
}

func openDB(t testing.TB, path string) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// writeItems writes items lo..hi-1 as canonical JSONL, with a broken line
// after every 500th item, and returns the path and the broken line count.
func writeItems(t testing.TB, dir, name string, lo, hi int) (string, int) {
	t.Helper()
	var b strings.Builder
	broken := 0
	base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := lo; i < hi; i++ {
		fmt.Fprintf(&b, `{"id":"%d","platform":"weibo","kind":"comment","author":"u%d","text":"第%d条 续航太差了 客服不回复","time":%q}`+"\n",
			i, i%37, i, base.Add(time.Duration(i)*7*time.Minute).Format(time.RFC3339))
		if i%500 == 499 {
			b.WriteString("{broken\n")
			broken++
		}
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, broken
}

func publish(t testing.TB, js jetstream.JetStream, paths ...string) ingest.Summary {
	t.Helper()
	in := &ingest.Ingester{Store: &bus.Publisher{JS: js}, Options: reader.Options{Format: "items"}, BatchSize: 700}
	sum, err := in.Ingest(context.Background(), paths, nil)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

func streamMsgs(t testing.TB, js jetstream.JetStream) uint64 {
	t.Helper()
	s, err := js.Stream(context.Background(), bus.StreamName)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Msgs
}

func TestPublishDedupesWithinTheWindow(t *testing.T) {
	url := serverURL(t)
	freshStream(t, url)
	_, js := connect(t, url)
	path, broken := writeItems(t, t.TempDir(), "a.jsonl", 0, 1000)

	sum := publish(t, js, path)
	if sum.Read != 1000+broken || sum.Stored != 1000 || sum.Duplicates != 0 || sum.Quarantined != broken {
		t.Errorf("first publish = %+v", sum)
	}
	// The same file again: every record is a duplicate the server dropped.
	sum = publish(t, js, path)
	if sum.Stored != 0 || sum.Duplicates != 1000 {
		t.Errorf("second publish = %+v", sum)
	}
	if n := streamMsgs(t, js); n != uint64(1000+broken) {
		t.Errorf("stream holds %d messages, want %d", n, 1000+broken)
	}
}

// failingStore fails every commit: the batch must not be acked.
type failingStore struct{ *sqlite.DB }

func (failingStore) CommitSource(context.Context, trustwatch.SourceCommit) (int, int, error) {
	return 0, 0, errors.New("disk full")
}

func TestWorkerAcksOnlyAfterCommit(t *testing.T) {
	url := serverURL(t)
	freshStream(t, url)
	_, js := connect(t, url)
	path, broken := writeItems(t, t.TempDir(), "a.jsonl", 0, 600)
	publish(t, js, path)
	db := openDB(t, filepath.Join(t.TempDir(), "w.db"))

	nc1, js1 := connect(t, url)
	w := &bus.Worker{NC: nc1, JS: js1, Store: failingStore{db}, Batch: 200, AckWait: time.Second}
	if err := w.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("Run = %v, want the store's error", err)
	}
	if st := w.Stats(); st.Messages != 0 {
		t.Errorf("failed worker acked %d messages", st.Messages)
	}

	// A healthy worker gets the unacked batch again after AckWait.
	nc2, js2 := connect(t, url)
	ctx, cancel := context.WithCancel(context.Background())
	w2 := &bus.Worker{NC: nc2, JS: js2, Store: db, Batch: 200, AckWait: time.Second}
	done := make(chan error, 1)
	go func() { done <- w2.Run(ctx) }()
	waitFor(t, 20*time.Second, func() bool { _, _, n, _ := db.Span(ctx); return n == 600 })
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	st := w2.Stats()
	if st.Stored != 600 || st.Quarantined != int64(broken) || st.Redelivered == 0 {
		t.Errorf("worker stats = %+v, want 600 stored, %d quarantined, some redelivered", st, broken)
	}
	if n := streamMsgs(t, js); n != 0 {
		t.Errorf("%d messages left in the work queue after the acks", n)
	}
}

func waitFor(t testing.TB, d time.Duration, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("not done within %v", d)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
