package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sync"
	"time"

	"trustwatch/watchfile"
)

// Budgets the issue sets for every page.
const (
	warmBudget = 300 * time.Millisecond
	coldBudget = time.Second
	// loadBudget is issue 15's: p95 warm with 4 clients at 1M items.
	loadBudget = 200 * time.Millisecond
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "pagetimes:", err)
		os.Exit(1)
	}
}

func run() error {
	db := flag.String("db", "", "store to serve (default: build the demo store in a temporary directory)")
	config := flag.String("config", "", "watch file of -db")
	bin := flag.String("bin", "", "trustwatch binary (default: go build ./cmd/trustwatch)")
	n := flag.Int("n", 30, "warm requests per page (per client with -clients)")
	clients := flag.Int("clients", 1, "concurrent clients of the warm requests; above 1 the cold requests are skipped and the table has p99")
	search := flag.String("q", "刹车", "the search of the search page and the items API")
	only := flag.String("pages", "", "measure only the pages whose path matches this regular expression")
	proxy := flag.Bool("proxy", true, "with -clients, serve with --trusted-proxy 127.0.0.1 and send each client's own X-Forwarded-For; false for a binary from before the per-client limits (issue 15), which lacks the flag")
	flag.Parse()
	ctx := context.Background()

	tmp, err := os.MkdirTemp("", "pagetimes-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if *bin == "" {
		*bin = filepath.Join(tmp, "trustwatch")
		fmt.Fprintln(os.Stderr, "building trustwatch …")
		if out, err := exec.Command("go", "build", "-o", *bin, "./cmd/trustwatch").CombinedOutput(); err != nil {
			return fmt.Errorf("go build: %v\n%s", err, out)
		}
	}
	if *db == "" {
		dir := filepath.Join(tmp, "demo")
		fmt.Fprintln(os.Stderr, "building the demo store in", dir, "…")
		if out, err := exec.Command(*bin, "demo", "--no-serve", "--dir", dir).CombinedOutput(); err != nil {
			return fmt.Errorf("trustwatch demo: %v\n%s", err, out)
		}
		*db, *config = filepath.Join(dir, "demo.db"), filepath.Join(dir, "trustwatch.yaml")
	}
	srv := server{bin: *bin, db: *db, config: *config, behindProxy: *clients > 1 && *proxy}

	// The pages, with the ids they need from the watch file and the API.
	first, err := srv.start(ctx)
	if err != nil {
		return err
	}
	pages, err := pagesOf(first.base, *config, *search)
	first.stop()
	if err != nil {
		return err
	}
	if *only != "" {
		re, err := regexp.Compile(*only)
		if err != nil {
			return err
		}
		pages = slices.DeleteFunc(pages, func(p page) bool { return !re.MatchString(p.path) })
	}

	results := make([]timing, len(pages))
	for i, p := range pages {
		results[i] = timing{page: p}
		if *clients > 1 {
			continue // under load only the warm figures are measured
		}
		s, err := srv.start(ctx)
		if err != nil {
			return err
		}
		results[i].cold, err = s.get(p.path)
		s.stop()
		if err != nil {
			return fmt.Errorf("%s cold: %w", p.path, err)
		}
	}
	s, err := srv.start(ctx)
	if err != nil {
		return err
	}
	defer s.stop()
	for i, p := range pages {
		if _, err := s.get(p.path); err != nil { // the cold one, in this process
			return err
		}
		ds, err := s.load(p.path, *clients, *n)
		if err != nil {
			return fmt.Errorf("%s warm: %w", p.path, err)
		}
		slices.Sort(ds)
		results[i].p50, results[i].p95, results[i].p99 = quantile(ds, 0.50), quantile(ds, 0.95), quantile(ds, 0.99)
	}
	if *clients > 1 {
		printLoadTable(os.Stdout, results, *clients, *n)
		for _, r := range results {
			if r.p95 > loadBudget {
				return errors.New("some pages are over budget")
			}
		}
		return nil
	}
	printTable(os.Stdout, results, *n)
	for _, r := range results {
		if r.cold > coldBudget || r.p95 > warmBudget {
			return errors.New("some pages are over budget")
		}
	}
	return nil
}

type page struct{ name, path string }

type timing struct {
	page
	cold, p50, p95, p99 time.Duration
}

// quantile is the nearest-rank quantile of sorted durations.
func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.999999) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// pagesOf lists every page the users have, over the store served at base.
func pagesOf(base, config, search string) ([]page, error) {
	w, err := watchfile.Load(config)
	if err != nil {
		return nil, err
	}
	pages := []page{{"概览", "/"}}
	for _, e := range w.Entities {
		if e.Kind == "brand" {
			pages = append(pages, page{"实体 " + e.Name, "/entities/" + url.PathEscape(e.ID)})
		}
	}
	pages = append(pages, page{"预警", "/alerts"})
	var alerts struct {
		Alerts []struct {
			ID string `json:"id"`
		} `json:"alerts"`
	}
	if err := getJSON(base+"/api/v1/alerts?limit=1", &alerts); err != nil {
		return nil, err
	}
	if len(alerts.Alerts) > 0 {
		pages = append(pages, page{"一条预警", "/alerts/" + url.PathEscape(alerts.Alerts[0].ID)})
	}
	var items struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	if err := getJSON(base+"/api/v1/items?limit=1&q="+url.QueryEscape(search), &items); err != nil {
		return nil, err
	}
	if len(items.Items) > 0 {
		pages = append(pages, page{"一条条目", "/items/" + url.PathEscape(items.Items[0].ID)})
	}
	pages = append(pages, page{"信用账本", "/ledger"})
	for _, c := range w.Claims {
		pages = append(pages, page{"承诺 " + c.ID, "/claims/" + url.PathEscape(c.ID)})
	}
	for _, e := range w.Entities {
		if len(e.Accounts) > 0 {
			pages = append(pages, page{"话术 " + e.Name, "/voice/" + url.PathEscape(e.ID)})
		}
	}
	pages = append(pages, page{"事件", "/stories"})
	if path, err := firstLink(base+"/stories", "/stories/"); err != nil {
		return nil, err
	} else if path != "" {
		pages = append(pages, page{"最大的事件", path})
	}
	pages = append(pages,
		page{"新词", "/terms"},
		page{"报告", "/report"},
		page{"搜索", "/search?q=" + url.QueryEscape(search)},
		page{"事件", "/stories"},
		page{"竞品对比", "/compare"},
		page{"指标", "/series"},
	)
	if len(w.Series) > 0 {
		pages = append(pages, page{"指标 " + w.Series[0].ID, "/series/" + url.PathEscape(w.Series[0].ID)})
	}
	pages = append(pages,
		page{"方面", "/aspects"},
		page{"隔离区", "/quarantine"},
		page{"API 条目", "/api/v1/items?q=" + url.QueryEscape(search) + "&limit=50"},
		page{"API 条目（最新）", "/api/v1/items?limit=50"},
		page{"API 声量", "/api/v1/volume"},
		page{"API 情感", "/api/v1/sentiment"},
		page{"API 方面", "/api/v1/aspects"},
		page{"API 预警", "/api/v1/alerts"},
		page{"API 账本", "/api/v1/ledger"},
	)
	return pages, nil
}

// firstLink is the path of the first link under prefix in the page at u,
// without its query ("" if none): /stories lists the largest story first,
// and without a window its page opens on the default one.
func firstLink(u, prefix string) (string, error) {
	resp, err := http.Get(u)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	m := regexp.MustCompile(`href="(` + regexp.QuoteMeta(prefix) + `[^"?#]+)[?#"]`).FindSubmatch(body)
	if m == nil {
		return "", nil
	}
	return html.UnescapeString(string(m[1])), nil
}

func getJSON(u string, v any) error {
	resp, err := http.Get(u)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// server starts trustwatch serve processes over one store. behindProxy
// makes the server trust this process as a reverse proxy, so that each
// load client is a client of its own (X-Forwarded-For) for the per-client
// limits, as users behind a proxy are.
type server struct {
	bin, db, config string
	behindProxy     bool
}

type process struct {
	cmd  *exec.Cmd
	base string
}

// start starts a fresh process and waits until it answers /healthz.
func (s server) start(ctx context.Context) (*process, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	args := []string{"serve", "--db", s.db, "--config", s.config, "--addr", addr, "--anonymous-read"}
	if s.behindProxy {
		args = append(args, "--trusted-proxy", "127.0.0.1")
	}
	cmd := exec.CommandContext(ctx, s.bin, args...)
	cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &process{cmd: cmd, base: "http://" + addr}
	for range 600 {
		if resp, err := http.Get(p.base + "/healthz"); err == nil {
			resp.Body.Close()
			return p, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	p.stop()
	return nil, fmt.Errorf("trustwatch serve on %s did not answer in 30 s", addr)
}

func (p *process) stop() {
	_ = p.cmd.Process.Signal(os.Interrupt)
	_ = p.cmd.Wait()
}

// httpClient keeps a connection per concurrent client alive, as browsers
// do (http.DefaultClient keeps two per host).
var httpClient = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}

// get requests path and returns the time to the last byte of the body.
func (p *process) get(path string) (time.Duration, error) {
	return p.getAs("", path)
}

// getAs is get for the client at address client (X-Forwarded-For; none
// when empty).
func (p *process) getAs(client, path string) (time.Duration, error) {
	req, err := http.NewRequest("GET", p.base+path, nil)
	if err != nil {
		return 0, err
	}
	if client != "" {
		req.Header.Set("X-Forwarded-For", client)
	}
	start := time.Now()
	resp, err := httpClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return 0, err
	}
	d := time.Since(start)
	if resp.StatusCode != http.StatusOK {
		return d, fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return d, nil
}

// load requests path n times from each of clients concurrent clients
// and returns every request's time.
func (p *process) load(path string, clients, n int) ([]time.Duration, error) {
	ds := make([]time.Duration, clients*n)
	errs := make([]error, clients)
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			for j := range n {
				d, err := p.getAs(fmt.Sprintf("192.0.2.%d", c+1), path)
				if err != nil {
					errs[c] = err
					return
				}
				ds[c*n+j] = d
			}
		})
	}
	wg.Wait()
	return ds, errors.Join(errs...)
}

func printLoadTable(w io.Writer, ts []timing, clients, n int) {
	fmt.Fprintf(w, "| 页面 | 路径 | 热 p50 | 热 p95 | 热 p99（%d 个客户端 × %d 次） | 达标（p95 ≤ 200 ms） |\n|---|---|--:|--:|--:|---|\n", clients, n)
	for _, t := range ts {
		ok := "是"
		if t.p95 > loadBudget {
			ok = "**否**"
		}
		fmt.Fprintf(w, "| %s | `%s` | %s | %s | %s | %s |\n", t.name, t.path, ms(t.p50), ms(t.p95), ms(t.p99), ok)
	}
}

func printTable(w io.Writer, ts []timing, n int) {
	fmt.Fprintf(w, "| 页面 | 路径 | 冷（首个请求） | 热 p50 | 热 p95（n=%d） | 达标 |\n|---|---|--:|--:|--:|---|\n", n)
	for _, t := range ts {
		ok := "是"
		if t.cold > coldBudget || t.p95 > warmBudget {
			ok = "**否**"
		}
		fmt.Fprintf(w, "| %s | `%s` | %s | %s | %s | %s |\n", t.name, t.path, ms(t.cold), ms(t.p50), ms(t.p95), ok)
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.0f ms", float64(d.Microseconds())/1000) }
