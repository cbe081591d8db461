package source

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/mmcdole/gofeed"

	"trustwatch"
	"trustwatch/ingest"
)

// Feed reads feed sources (RSS, Atom, JSON Feed) with a conditional GET.
type Feed struct {
	Store    Store
	Analyzer *ingest.Analyzer
	// Client makes the requests (http.DefaultClient when nil); Timeout
	// bounds each one (default 30s), MaxBody its body (default 10 MiB).
	Client  *http.Client
	Timeout time.Duration
	MaxBody int64
	// MaxBackoff caps the wait after failures (default 1h).
	MaxBackoff time.Duration
	Now        func() time.Time

	mu      sync.Mutex
	backoff map[string]backoff
}

type backoff struct {
	failures int
	until    time.Time
}

// Feed defaults.
const (
	DefaultTimeout    = 30 * time.Second
	DefaultMaxBody    = 10 << 20
	DefaultMaxBackoff = time.Hour
)

// Read fetches src.URL, unless it is backing off after failures (then the
// result is Skipped), and commits its new entries with the validators.
func (f *Feed) Read(ctx context.Context, src trustwatch.Source) Result {
	res := Result{SourceRound: trustwatch.SourceRound{Source: src.ID, Kind: trustwatch.SourceFeed}}
	now := clock(f.Now)
	f.mu.Lock()
	b := f.backoff[src.ID]
	f.mu.Unlock()
	if now.Before(b.until) {
		res.Skipped = true
		return res
	}
	err := f.fetch(ctx, src, &res)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.backoff == nil {
		f.backoff = map[string]backoff{}
	}
	if err == nil {
		delete(f.backoff, src.ID)
		return res
	}
	res.Err = err.Error()
	b.failures++
	wait := src.Interval.D() << (b.failures - 1)
	maxWait := f.MaxBackoff
	if maxWait <= 0 {
		maxWait = DefaultMaxBackoff
	}
	if wait <= 0 || wait > maxWait || b.failures > 30 {
		wait = maxWait
	}
	b.until = now.Add(wait)
	f.backoff[src.ID] = b
	return res
}

func (f *Feed) fetch(ctx context.Context, src trustwatch.Source, res *Result) error {
	state, err := f.Store.FeedState(ctx, src.ID)
	if err != nil {
		return err
	}
	timeout := f.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	rctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodGet, src.URL, nil)
	if err != nil {
		return err
	}
	req.Header.Set("User-Agent", "trustwatch")
	if state.ETag != "" {
		req.Header.Set("If-None-Match", state.ETag)
	}
	if state.LastModified != "" {
		req.Header.Set("If-Modified-Since", state.LastModified)
	}
	client := f.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotModified {
		return nil
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", src.URL, resp.Status)
	}
	limit := f.MaxBody
	if limit <= 0 {
		limit = DefaultMaxBody
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return fmt.Errorf("GET %s: %w", src.URL, err)
	}
	if int64(len(body)) > limit {
		return fmt.Errorf("GET %s: body over the %d-byte limit", src.URL, limit)
	}
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%s: %w", src.URL, err)
	}
	sc := trustwatch.SourceCommit{Feed: &trustwatch.FeedState{
		Source: src.ID, ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified"),
	}}
	platform := src.ID
	if u, err := url.Parse(src.URL); err == nil && platform == "" {
		platform = u.Hostname()
	}
	now := clock(f.Now).UTC()
	for i, e := range feed.Items {
		res.Read++
		it, err := feedItem(e, platform)
		if err != nil {
			raw := []byte(e.Title + "\n" + e.Link + "\n" + e.GUID)
			sc.Quarantine = append(sc.Quarantine, trustwatch.Quarantined{
				File: src.URL, Line: i + 1, Reason: err.Error(), Raw: raw, Time: now,
			})
			continue
		}
		it.Source = src.URL
		sc.Items = append(sc.Items, it)
	}
	return commit(ctx, f.Store, f.Analyzer, res, sc)
}

// feedItem turns a feed entry into a news item.
func feedItem(e *gofeed.Item, platform string) (trustwatch.Item, error) {
	it := trustwatch.Item{
		Platform: platform, Kind: trustwatch.KindNews, ID: e.GUID, URL: e.Link,
		Title: strings.TrimSpace(stripTags(e.Title)),
		Text:  strings.TrimSpace(stripTags(cmpOr(e.Content, e.Description))),
	}
	if it.ID == "" {
		it.ID = e.Link
	}
	switch {
	case e.PublishedParsed != nil:
		it.Time = e.PublishedParsed.UTC()
	case e.UpdatedParsed != nil:
		it.Time = e.UpdatedParsed.UTC()
	}
	if len(e.Authors) > 0 && e.Authors[0] != nil {
		it.Author = e.Authors[0].Name
	}
	return it, it.Validate()
}

func cmpOr(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	return b
}

// stripTags removes HTML tags and unescapes entities: feed bodies are HTML,
// items are text.
func stripTags(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '<':
			depth++
		case r == '>' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return html.UnescapeString(b.String())
}
