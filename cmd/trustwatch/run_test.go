package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/sqlite"
)

// The end-to-end test of `trustwatch run`: a child process on a temporary
// directory of MediaCrawler output and a local feed, alerting a local
// webhook receiver.

// buildBinary builds trustwatch into a temporary directory, or skips.
func buildBinary(tb testing.TB) string {
	tb.Helper()
	bin := filepath.Join(tb.TempDir(), "trustwatch")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		tb.Skipf("cannot build the binary: %v\n%s", err, out)
	}
	return bin
}

// receiver is a webhook channel that records the alerts it receives.
type receiver struct {
	mu     sync.Mutex
	alerts []received
}

type received struct {
	trustwatch.Alert
	at time.Time
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body struct{ Alert trustwatch.Alert }
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		http.Error(w, err.Error(), 400)
		return
	}
	rc.mu.Lock()
	rc.alerts = append(rc.alerts, received{body.Alert, time.Now()})
	rc.mu.Unlock()
}

// first returns the first alert of kind (and subject, if given).
func (rc *receiver) first(kind, subject string) (received, bool) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	for _, a := range rc.alerts {
		if a.Kind == kind && (subject == "" || a.Subject == subject) {
			return a, true
		}
	}
	return received{}, false
}

// feed serves an RSS body that the test changes, with an ETag.
type feed struct {
	mu   sync.Mutex
	body string
	etag string
}

func (f *feed) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.Header.Get("If-None-Match") == f.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("ETag", f.etag)
	io.WriteString(w, f.body)
}

func (f *feed) set(etag string, titles ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>曜川新闻</title>`)
	for i, t := range titles {
		fmt.Fprintf(&b, `<item><title>%s</title><guid>n%d</guid><link>https://news.example/%d</link><pubDate>%s</pubDate></item>`,
			t, i, i, time.Now().Add(-time.Duration(i)*time.Minute).Format(time.RFC1123Z))
	}
	b.WriteString(`</channel></rss>`)
	f.body, f.etag = b.String(), etag
}

// child is a running `trustwatch run`.
type child struct {
	cmd    *exec.Cmd
	addr   string
	stderr *strings.Builder
	done   chan error
}

func startRun(t *testing.T, bin string, args ...string) *child {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"run", "--addr", "127.0.0.1:0"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, stderr: &strings.Builder{}, done: make(chan error, 1)}
	cmd.Stderr = &lockedWriter{w: c.stderr}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if u, ok := strings.CutPrefix(sc.Text(), "dashboard: "); ok {
			c.addr = strings.TrimSuffix(u, "/")
			break
		}
	}
	go io.Copy(io.Discard, stdout)
	go func() { c.done <- cmd.Wait() }()
	if c.addr == "" {
		t.Fatalf("run printed no address; stderr:\n%s", c.stderr)
	}
	return c
}

type lockedWriter struct {
	mu sync.Mutex
	w  *strings.Builder
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (c *child) log() string {
	lw := c.cmd.Stderr.(*lockedWriter)
	lw.mu.Lock()
	defer lw.mu.Unlock()
	return lw.w.String()
}

// waitFor polls cond until it holds or timeout passes.
func waitFor(t *testing.T, c *child, timeout time.Duration, what string, cond func() bool) time.Time {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if cond() {
			return time.Now()
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("timed out after %v waiting for %s; log:\n%s", timeout, what, tail(c.log(), 3000))
	return time.Time{}
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// storeState is what must be the same after a kill and a restart.
type storeState struct {
	items   int64
	offsets map[string]int64
	quar    int
}

func readStore(t *testing.T, path string) storeState {
	t.Helper()
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	_, _, n, err := db.Span(ctx)
	if err != nil {
		t.Fatal(err)
	}
	files, err := db.SourceFiles(ctx, "crawl")
	if err != nil {
		t.Fatal(err)
	}
	st := storeState{items: n, offsets: map[string]int64{}}
	for p, f := range files {
		st.offsets[p] = f.Offset
	}
	_, st.quar, err = db.FindQuarantine(ctx, trustwatch.QuarantineFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// mediaCrawlerLine is one MediaCrawler Weibo comment line as its JSONL
// store appends it.
func mediaCrawlerLine(id int, at time.Time, text string) string {
	return fmt.Sprintf(`{"comment_id": "%d", "create_time": %d, "note_id": "5012345678", "content": %q, "user_id": "u%d", "nickname": "用户%d", "like_count": "3", "sub_comment_count": "0", "ip_location": "北京", "last_modify_ts": %d}`+"\n",
		id, at.Unix(), text, id%97, id%97, at.UnixMilli())
}

func appendFile(t *testing.T, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
}

const e2eInterval = 300 * time.Millisecond

func TestRunEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs it")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	data := filepath.Join(dir, "crawl")
	if err := os.Mkdir(data, 0o755); err != nil {
		t.Fatal(err)
	}
	hook := &receiver{}
	hookSrv := httptest.NewServer(hook)
	defer hookSrv.Close()
	news := &feed{}
	news.set(`"1"`, "曜川汽车发布会", "曜川回应质疑")
	feedSrv := httptest.NewServer(news)
	defer feedSrv.Close()

	watch := filepath.Join(dir, "trustwatch.yaml")
	os.WriteFile(watch, []byte(fmt.Sprintf(`entities:
  - id: yc
    kind: brand
    name: 曜川汽车
    aliases: [曜川]
sources:
  - id: crawl
    kind: dir
    path: %s
    interval: %s
    expect: 4s
  - id: news
    kind: feed
    url: %s
    interval: %s
    expect: 1h
  - id: weibo
    kind: push
    token_env: TW_E2E_PUSH_TOKEN
    expect: 1h
channels:
  - id: hook
    type: webhook
    url: %s
rules:
  - id: spikes
    detector: volume.spike
    notify: [hook]
  - id: crawl-silent
    detector: source.silent
    notify: [hook]
`, data, e2eInterval, feedSrv.URL, e2eInterval, hookSrv.URL)), 0o644)
	db := filepath.Join(dir, "t.db")
	args := []string{"--db", db, "--config", watch, "--first-day", "2s"}
	t.Setenv("TW_E2E_PUSH_TOKEN", "e2e-push-secret") // the child inherits it

	// History: two days of a comment every three hours, the baseline the
	// hourly spike needs.
	file := filepath.Join(data, "search_comments_"+time.Now().Format("2006-01-02")+".jsonl")
	end := time.Now().Truncate(time.Hour)
	id, baseline := 1, 0
	var hist strings.Builder
	for at := end.Add(-50 * time.Hour); at.Before(end.Add(-2 * time.Hour)); at = at.Add(3 * time.Hour) {
		hist.WriteString(mediaCrawlerLine(id, at, "曜川的车开了一年，还行"))
		id++
		baseline++
	}
	appendFile(t, file, hist.String())

	c := startRun(t, bin, args...)
	defer c.cmd.Process.Kill()
	count := func() int64 { return readStore(t, db).items }
	waitFor(t, c, 10*time.Second, "the history and the feed", func() bool { return count() == int64(baseline+2) })

	// A burst in the last hour, appended in three writes, one cut mid-line.
	var burst []string
	for i := range 30 {
		burst = append(burst, mediaCrawlerLine(id, end.Add(-50*time.Minute+time.Duration(i)*time.Minute), fmt.Sprintf("曜川刹车失灵第%d例，太吓人了", i)))
		id++
	}
	half := burst[15][:len(burst[15])/2]
	appendFile(t, file, strings.Join(burst[:15], "")+half)
	waitFor(t, c, 5*time.Second, "the complete lines of the burst", func() bool { return count() == int64(baseline+2+15) })
	time.Sleep(3 * e2eInterval) // rounds pass; the half line must wait
	if n := count(); n != int64(baseline+2+15) {
		t.Fatalf("%d items after a half line, want %d", n, baseline+2+15)
	}
	appendFile(t, file, burst[15][len(half):]+burst[16])
	written := time.Now()
	appendFile(t, file, strings.Join(burst[17:], ""))
	waitFor(t, c, 5*time.Second, "the whole burst", func() bool { return count() == int64(baseline+2+30) })
	spike := waitFor(t, c, e2eInterval+5*time.Second, "the spike alert at the webhook", func() bool {
		_, ok := hook.first("volume.spike", "")
		return ok
	})
	t.Logf("line appended → alert at the webhook: %v (interval %v)", spike.Sub(written).Round(time.Millisecond), e2eInterval)

	// The feed changes: only its new entry is stored.
	news.set(`"2"`, "曜川汽车发布会", "曜川回应质疑", "曜川宣布召回")
	waitFor(t, c, 5*time.Second, "the changed feed", func() bool { return count() == int64(baseline+2+30+1) })

	// The operations endpoints see the daemon: its rounds are counted and
	// the last one is recent.
	for path, want := range map[string]string{"/metrics": `trustwatch_source_items_total{`, "/readyz": ""} {
		resp, err := http.Get(c.addr + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
			t.Errorf("GET %s: %d %.300s", path, resp.StatusCode, body)
		}
	}

	// Push, as dataabc/weibo-crawler's post mode sends it (a GET with a
	// JSON body and an api-token header): without the token 401 and nothing
	// stored; with it, its three weibos once; a resend only duplicates.
	weibo, err := os.ReadFile("../../web/testdata/weibocrawler_post.json")
	if err != nil {
		t.Fatal(err)
	}
	push := func(token string) (int, map[string]any) {
		req, _ := http.NewRequest("GET", c.addr+"/api/v1/ingest?source=weibo", strings.NewReader(string(weibo)))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("api-token", token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var ans map[string]any
		json.NewDecoder(resp.Body).Decode(&ans)
		return resp.StatusCode, ans
	}
	before := count()
	if code, _ := push(""); code != http.StatusUnauthorized {
		t.Errorf("push without a token: %d, want 401", code)
	}
	if code, _ := push("wrong"); code != http.StatusUnauthorized {
		t.Errorf("push with a wrong token: %d, want 401", code)
	}
	if code, ans := push("e2e-push-secret"); code != 200 || ans["stored"] != float64(3) {
		t.Errorf("push: %d %v, want 200 and 3 stored", code, ans)
	}
	if code, ans := push("e2e-push-secret"); code != 200 || ans["stored"] != float64(0) || ans["duplicates"] != float64(3) {
		t.Errorf("push again: %d %v, want 3 duplicates", code, ans)
	}
	if n := count(); n != before+3 {
		t.Errorf("%d items after the pushes, want %d", n, before+3)
	}

	// The directory stops growing: source.silent reaches the webhook.
	silent := waitFor(t, c, 15*time.Second, "source.silent at the webhook", func() bool {
		_, ok := hook.first("source.silent", "crawl")
		return ok
	})
	t.Logf("source.silent %v after the last write (expect 4s)", silent.Sub(written).Round(time.Millisecond))
	if _, ok := hook.first("source.silent", "news"); ok {
		t.Error("source.silent for the feed, which expects an hour")
	}

	// kill -9 in the middle of a round, then a restart: the same store as
	// reading it all once.
	var more strings.Builder
	for i := range 3000 {
		more.WriteString(mediaCrawlerLine(id, end.Add(-30*24*time.Hour+time.Duration(i)*time.Minute), fmt.Sprintf("曜川老车主的第%d条评论", i)))
		id++
	}
	appendFile(t, file, more.String())
	time.Sleep(e2eInterval + 100*time.Millisecond)
	c.cmd.Process.Signal(syscall.SIGKILL)
	<-c.done
	killed := readStore(t, db)
	t.Logf("killed with %d of %d items stored", killed.items, baseline+2+30+1+3+3000)

	c = startRun(t, bin, args...)
	want := int64(baseline + 2 + 30 + 1 + 3 + 3000)
	waitFor(t, c, 30*time.Second, "every item after the restart", func() bool { return count() == want })
	time.Sleep(3 * e2eInterval)
	c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-c.done:
		if err != nil {
			t.Errorf("run after SIGTERM: %v; log:\n%s", err, tail(c.log(), 2000))
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not stop on SIGTERM")
	}
	st := readStore(t, db)
	fi, _ := os.Stat(file)
	if st.items != want || st.offsets[file] != fi.Size() || len(st.offsets) != 1 || st.quar != 0 {
		t.Errorf("after kill -9 and restart: %d items, offsets %v, %d quarantined; want %d items, offset %d, none",
			st.items, st.offsets, st.quar, want, fi.Size())
	}
	if !strings.Contains(c.log(), "source=crawl kind=dir read=") {
		t.Errorf("no round log line; log:\n%s", tail(c.log(), 2000))
	}
}

// TestServeWatch: `serve --watch` is the daemon: a file in a dir source
// is read without any ingest command.
func TestServeWatch(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "crawl")
	os.Mkdir(data, 0o755)
	appendFile(t, filepath.Join(data, "a.jsonl"), mediaCrawlerLine(1, time.Now().Add(-time.Hour), "曜川的车还行"))
	watch := filepath.Join(dir, "trustwatch.yaml")
	os.WriteFile(watch, []byte(fmt.Sprintf("entities:\n  - {id: yc, kind: brand, name: 曜川}\nsources:\n  - {id: crawl, path: %s, interval: 50ms}\n", data)), 0o644)
	db := filepath.Join(dir, "t.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	var errb lockedWriter
	errb.w = &strings.Builder{}
	go func() {
		done <- run(ctx, []string{"serve", "--watch", "--db", db, "--config", watch, "--addr", "127.0.0.1:0"}, strings.NewReader(""), pw, &errb)
		pw.Close()
	}()
	sc := bufio.NewScanner(pr)
	for sc.Scan() && !strings.HasPrefix(sc.Text(), "dashboard: ") {
	}
	go io.Copy(io.Discard, pr)
	deadline := time.Now().Add(10 * time.Second)
	for readStore(t, db).items != 1 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if code := <-done; code != exitOK {
		t.Errorf("serve --watch exited %d", code)
	}
	if st := readStore(t, db); st.items != 1 {
		errb.mu.Lock()
		defer errb.mu.Unlock()
		t.Fatalf("%d items stored by serve --watch, want 1; stderr:\n%s", st.items, errb.w)
	}
}
