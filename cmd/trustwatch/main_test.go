package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"trustwatch/realdata"
)

type ingestSummary struct {
	Read, Stored, Duplicates, Quarantined int
	Files                                 []struct {
		Path, Format, Encoding                string
		Read, Stored, Duplicates, Quarantined int
	}
}

func TestExitCodes(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"help", []string{"--help"}, exitOK},
		{"unknown flag", []string{"stats", "--nope"}, exitUsage},
		{"unknown command", []string{"frobnicate"}, exitUsage},
		{"missing argument", []string{"ingest", "--db", db}, exitUsage},
		{"bad --by", []string{"stats", "--db", db, "--by", "week"}, exitUsage},
		{"missing file fails the run", []string{"ingest", "--db", db, "does-not-exist.csv"}, exitFail},
		{"bad watch file fails the run", []string{"ingest", "--db", db, "--config", "testdata/items.jsonl", "testdata/items.jsonl"}, exitFail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if code, _, stderr := runCmd(t, tt.args...); code != tt.want {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.want, stderr)
			}
		})
	}
}

func TestIngestFixture(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	code, out, stderr := runCmd(t, "ingest", "--db", db, "--config", "testdata/watch.yaml", "--json", "testdata/items.jsonl")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var sum ingestSummary
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if sum.Read != 6 || sum.Stored != 3 || sum.Duplicates != 0 || sum.Quarantined != 3 {
		t.Errorf("summary = %+v, want read 6, stored 3, quarantined 3", sum)
	}
	if len(sum.Files) != 1 || sum.Files[0].Format != "items" || sum.Files[0].Encoding != "utf-8" {
		t.Errorf("files = %+v", sum.Files)
	}

	// The quarantine names the lines.
	_, out, _ = runCmd(t, "quarantine", "--db", db, "--json")
	var qs []struct {
		Line   int
		Reason string
	}
	if err := json.Unmarshal([]byte(out), &qs); err != nil {
		t.Fatal(err)
	}
	lines := map[int]bool{}
	for _, q := range qs {
		lines[q.Line] = true
	}
	if len(qs) != 3 || !lines[4] || !lines[5] || !lines[6] {
		t.Errorf("quarantine = %+v, want lines 4, 5, 6", qs)
	}

	// Search finds by word, through aliases kept whole.
	_, out, _ = runCmd(t, "search", "--db", db, "--config", "testdata/watch.yaml", "--json", "刹车")
	var items []struct {
		ID       string
		Text     string
		Entities []string
		Likes    int64
	}
	if err := json.Unmarshal([]byte(out), &items); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	ids := []string{}
	for _, it := range items {
		ids = append(ids, it.ID)
	}
	if strings.Join(ids, ",") != "a3,a2" {
		t.Errorf("search 刹车 = %v, want a3,a2 (newest first)", ids)
	}
	if len(items) == 2 && (items[1].Likes != 12000 || strings.Join(items[1].Entities, ",") != "su7,xiaomi") {
		t.Errorf("a2 = %+v, want 12000 likes and entities su7,xiaomi", items[1])
	}

	// Stats sums to what was stored, by day in Asia/Shanghai.
	_, out, _ = runCmd(t, "stats", "--db", db, "--by", "day", "--json")
	var rows []struct {
		Period string
		Count  int
	}
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Period != "2024-03-30" || rows[0].Count != 2 || rows[1].Count != 1 {
		t.Errorf("stats = %+v", rows)
	}
	_, out, _ = runCmd(t, "stats", "--db", db, "--by", "day", "--entity", "leijun", "--json")
	if !strings.Contains(out, `"count": 1`) {
		t.Errorf("leijun stats = %s", out)
	}

	// Re-ingesting stores nothing new and does not double the quarantine.
	_, out, _ = runCmd(t, "ingest", "--db", db, "--config", "testdata/watch.yaml", "--json", "testdata/items.jsonl")
	sum = ingestSummary{}
	json.Unmarshal([]byte(out), &sum)
	if sum.Stored != 0 || sum.Duplicates != 3 || sum.Quarantined != 3 {
		t.Errorf("second ingest = %+v", sum)
	}
	_, out, _ = runCmd(t, "quarantine", "--db", db, "--json")
	qs = nil
	json.Unmarshal([]byte(out), &qs)
	if len(qs) != 3 {
		t.Errorf("quarantine has %d records after re-ingest, want 3", len(qs))
	}
}

func TestIngestSU7Comments(t *testing.T) {
	path := realdata.Path(t, "su7_launch_comments/weibo_comments.csv")
	db := filepath.Join(t.TempDir(), "su7.db")
	args := []string{"ingest", "--db", db, "--config", "testdata/watch.yaml", "--format", "csv",
		"--map", "text=content,time=date,author=author_hash,likes=likecount", "--json", path}
	code, out, stderr := runCmd(t, args...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var first ingestSummary
	json.Unmarshal([]byte(out), &first)
	// 4,573 rows, 465 of them empty (README of the data set).
	if first.Read != 4573 || first.Quarantined != 465 || first.Stored+first.Duplicates != 4108 {
		t.Errorf("first ingest = %+v", first)
	}
	code, out, _ = runCmd(t, args...)
	var second ingestSummary
	json.Unmarshal([]byte(out), &second)
	if code != exitOK || second.Stored != 0 || second.Duplicates != 4108 {
		t.Errorf("second ingest = %+v, want 0 stored and 4108 duplicates", second)
	}
	_, out, _ = runCmd(t, "stats", "--db", db, "--by", "day", "--json")
	var rows []struct{ Count int }
	json.Unmarshal([]byte(out), &rows)
	total := 0
	for _, r := range rows {
		total += r.Count
	}
	if total != first.Stored {
		t.Errorf("stats by day sum to %d, stored %d", total, first.Stored)
	}
	_, out, _ = runCmd(t, "search", "--db", db, "--config", "testdata/watch.yaml", "--limit", "0", "--json", "雷总")
	var items []struct{ Text string }
	json.Unmarshal([]byte(out), &items)
	if len(items) < 50 {
		t.Errorf("search 雷总 found %d items", len(items))
	}
	for _, it := range items {
		if !strings.Contains(strings.ToLower(it.Text), "雷总") {
			t.Errorf("search 雷总 returned %q", it.Text)
			break
		}
	}
}

// Without a PATH, ingest reads the watch file's sources, each with its own
// format and map, relative to the watch file.
func TestIngestWatchSources(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	code, out, stderr := runCmd(t, "ingest", "--db", db, "--config", "testdata/watch-sources.yaml", "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var sum ingestSummary
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatal(err)
	}
	if len(sum.Files) != 2 || sum.Files[0].Format != "items" || sum.Files[1].Format != "csv" ||
		sum.Read != 8 || sum.Stored != 4 || sum.Quarantined != 4 {
		t.Errorf("summary = %+v", sum)
	}
	if code, _, _ := runCmd(t, "ingest", "--db", db, "--config", "testdata/watch.yaml"); code != exitUsage {
		t.Errorf("no PATH and no sources: exit %d, want %d", code, exitUsage)
	}
}

// TestDemoServes runs the demo on a small scale and drives the real server.
func TestDemoServes(t *testing.T) {
	if testing.Short() {
		t.Skip("demo end-to-end test is slow")
	}
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	var errb bytes.Buffer
	go func() {
		done <- run(ctx, []string{"demo", "--dir", dir, "--scale", "0.1", "--addr", "127.0.0.1:0"}, strings.NewReader(""), pw, &errb)
		pw.Close()
	}()
	var base string
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		if u, ok := strings.CutPrefix(sc.Text(), "dashboard: "); ok {
			base = strings.TrimSuffix(u, "/")
			break
		}
	}
	go io.Copy(io.Discard, pr)
	if base == "" {
		t.Fatalf("demo printed no address; stderr: %s", errb.String())
	}
	client := &http.Client{Timeout: 30 * time.Second}
	get := func(path string) string {
		t.Helper()
		resp, err := client.Get(base + path)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %s: %s", path, resp.Status, b)
		}
		return string(b)
	}
	for path, want := range map[string]string{
		"/":                  "曜川汽车",
		"/search?q=刹车":       "刹车",
		"/entities/yaochuan": "曜川汽车",
		"/aspects":           "刹车",
		"/healthz":           "ok",
	} {
		if body := get(path); !strings.Contains(body, want) {
			t.Errorf("GET %s lacks %q", path, want)
		}
	}
	var items struct {
		Items []json.RawMessage `json:"items"`
		Total int               `json:"total"`
	}
	if err := json.Unmarshal([]byte(get("/api/v1/items?limit=5")), &items); err != nil || len(items.Items) != 5 || items.Total < 4000 {
		t.Errorf("api items: %v, %d items of %d", err, len(items.Items), items.Total)
	}
	var vol []json.RawMessage
	body := get("/api/v1/volume?entity=yaochuan&by=day&from=2025-03-03&to=2025-07-01")
	if err := json.Unmarshal([]byte(body), &vol); err != nil {
		var wrapped struct{ Points []json.RawMessage }
		if err2 := json.Unmarshal([]byte(body), &wrapped); err2 != nil {
			t.Fatalf("api volume: %v: %.200s", err, body)
		}
		vol = wrapped.Points
	}
	if len(vol) < 100 {
		t.Errorf("api volume has %d days, want about 120", len(vol))
	}
	cancel()
	if code := <-done; code != exitOK {
		t.Errorf("demo exited %d: %s", code, errb.String())
	}
}
