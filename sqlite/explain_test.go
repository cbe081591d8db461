package sqlite

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/web"
)

// explainWatch names the entities of the generated store.
var explainWatch = &trustwatch.Watch{
	Entities: []trustwatch.Entity{
		{ID: "yaochuan", Kind: trustwatch.EntityBrand, Name: "曜川汽车"},
		{ID: "y9", Kind: trustwatch.EntityProduct, Name: "曜川Y9", Parent: "yaochuan"},
		{ID: "chenglang", Kind: trustwatch.EntityPerson, Name: "程朗", Parent: "yaochuan", Accounts: []string{"程朗"}},
		{ID: "rival", Kind: trustwatch.EntityCompetitor, Name: "对手汽车"},
	},
	Claims: []trustwatch.Claim{{ID: "y9-brake", Entity: "y9", Text: "曜川Y9 刹车最稳", Subject: []string{"刹车"},
		Date: trustwatch.Date{Time: time.Date(2025, 1, 5, 0, 0, 0, 0, trustwatch.DefaultLocation())}}},
}

// explainItems makes n items over two years (the default windows are
// weeks: a few per cent of them, as in a real store): posts and their replies (every
// fifth item replies to the post before it), a few authors, entities,
// aspects and labels, texts from a small vocabulary so that searches match
// many of them.
func explainItems(n int) []trustwatch.Item {
	words := []string{"刹车", "口罩", "续航", "异响", "车机", "售后", "发布会", "降价", "召回", "好评"}
	platforms := []string{"weibo", "xhs", "douyin"}
	labels := []trustwatch.Label{trustwatch.Positive, trustwatch.Negative, trustwatch.Neutral}
	start := time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC)
	items := make([]trustwatch.Item, n)
	for i := range items {
		it := trustwatch.Item{
			ID:        fmt.Sprintf("e%06d", i),
			Platform:  platforms[i%3],
			Kind:      trustwatch.KindPost,
			Text:      fmt.Sprintf("%s %s 第%d条", words[i%10], words[(i/10)%10], i),
			Time:      start.Add(time.Duration(int64(i)*730*24*3600/int64(n)) * time.Second),
			Sentiment: labels[i%3],
			PPos:      0.5,
			Likes:     int64(i % 97),
		}
		if i%7 == 0 {
			it.Author = fmt.Sprintf("作者%d", i%50)
		}
		if i%5 == 4 {
			it.Kind, it.ParentID = trustwatch.KindComment, fmt.Sprintf("e%06d", i-1)
		}
		switch i % 4 {
		case 0:
			it.Entities = []string{"y9", "yaochuan"}
		case 1:
			it.Entities = []string{"rival"}
		}
		if i%11 == 0 {
			it.Author, it.Entities = "程朗", []string{"chenglang", "yaochuan"}
		}
		if i%3 == 0 {
			it.Aspects = []trustwatch.AspectHit{{Aspect: "brakes", Label: it.Sentiment, Word: "刹车", Clause: it.Text}}
		}
		items[i] = it
	}
	return items
}

// bigTables are the tables that grow with the items: reading one of them
// whole on a page is a full scan.
var bigTables = []string{"items", "item_entities", "item_aspects", "item_tags", "rollups", "aspect_rollups"}

// TestDashboardQueryPlans serves every page and API endpoint of the
// dashboard over a store of 100,000 items, records each query the store
// runs for them, and asks SQLite for its plan: none may read one of the
// tables that grow with the items whole (SCAN without an index) when an
// index exists. A new query on the dashboard path is checked by being
// there.
func TestDashboardQueryPlans(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a store of 100,000 items")
	}
	ctx := context.Background()
	db := NewDB(":memory:")
	db.Logger = slog.New(slog.DiscardHandler)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	items := explainItems(100_000)
	if _, _, err := db.PutItems(ctx, items); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.PutQuarantine(ctx, []trustwatch.Quarantined{{File: "bad.csv", Line: 3, Reason: "no time", Raw: []byte("x")}}); err != nil {
		t.Fatal(err)
	}
	// The statistics a long-lived store has (Close runs PRAGMA optimize).
	if _, err := db.db.ExecContext(ctx, `ANALYZE`); err != nil {
		t.Fatal(err)
	}

	type recorded struct {
		query string
		args  []any
		pages []string
	}
	var mu sync.Mutex
	seen := map[string]*recorded{}
	page := ""
	db.readQuery = func(q string, args []any) {
		mu.Lock()
		defer mu.Unlock()
		r := seen[q]
		if r == nil {
			r = &recorded{query: q, args: slices.Clone(args)}
			seen[q] = r
		}
		if !slices.Contains(r.pages, page) {
			r.pages = append(r.pages, page)
		}
	}
	s := &web.Server{Store: db, Watch: explainWatch, Anonymous: trustwatch.RoleViewer, Logger: slog.New(slog.DiscardHandler)}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	reply := items[9] // e000009 replies to e000008
	paths := []string{
		"/", "/search?q=" + url.QueryEscape("刹车"), "/search?q=" + url.QueryEscape("口罩 续航") + "&page=3",
		"/search?entity=y9&platform=weibo&label=neg", "/search?aspect=brakes&order=engagement",
		"/items/" + reply.ParentID, "/items/" + reply.ID, "/entities/yaochuan", "/entities/chenglang",
		"/alerts", "/stories", "/compare", "/aspects", "/series", "/ledger", "/claims/y9-brake",
		"/voice/chenglang", "/terms", "/report", "/quarantine",
		"/api/v1/items", "/api/v1/items?q=" + url.QueryEscape("刹车") + "&limit=50", "/api/v1/items/" + reply.ID,
		"/api/v1/volume", "/api/v1/volume?entity=yaochuan&by=hour", "/api/v1/sentiment", "/api/v1/aspects",
		"/api/v1/entities", "/api/v1/alerts", "/api/v1/ledger", "/api/v1/terms", "/api/v1/quarantine",
		"/export.csv?q=" + url.QueryEscape("刹车"),
	}
	for _, p := range paths {
		mu.Lock()
		page = p
		mu.Unlock()
		resp, err := http.Get(ts.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: status %d", p, resp.StatusCode)
		}
	}
	db.readQuery = nil
	if len(seen) < 10 {
		t.Fatalf("recorded %d queries: the recorder misses the store's reads", len(seen))
	}
	for _, r := range seen {
		plan, err := explain(ctx, db, r.query, r.args)
		if err != nil {
			t.Errorf("EXPLAIN QUERY PLAN %s: %v", r.query, err)
			continue
		}
		if scans := fullScans(r.query, plan); len(scans) > 0 {
			t.Errorf("full scan of %s on %s\nquery: %s\nargs: %v\nplan:\n%s", strings.Join(scans, ", "), strings.Join(r.pages, " "), r.query, r.args, strings.Join(plan, "\n"))
		}
	}
}

// explain returns the details of the query plan's rows.
func explain(ctx context.Context, db *DB, query string, args []any) ([]string, error) {
	rows, err := db.db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return nil, err
		}
		plan = append(plan, detail)
	}
	return plan, rows.Err()
}

var (
	scanRow  = regexp.MustCompile(`^SCAN (\w+)(.*)$`)
	tableRef = regexp.MustCompile(`\b(` + strings.Join(bigTables, "|") + `)(?:\s+AS)?\s+(\w+)`)
)

// fullScans names the big tables a plan reads whole: "SCAN t" without
// an index, or with one when the query has no LIMIT (COUNT(*) walks all of
// an index) or has a WHERE (a walk of an index in its order that filters as
// it goes may read all of it before it finds LIMIT rows). Only the newest
// items of everything, walking the time index down to a LIMIT, scan well;
// and a walk the query asks for by name (INDEXED BY: findItems walks the
// time index when it has counted more matches than ItemFilter.Estimate,
// so that a page of them comes after a few rows for each).
func fullScans(query string, plan []string) []string {
	alias := map[string]string{}
	for _, t := range bigTables {
		alias[t] = t
	}
	for _, m := range tableRef.FindAllStringSubmatch(query, -1) {
		if !slices.Contains([]string{"WHERE", "ON", "JOIN", "USING", "GROUP", "ORDER", "LIMIT", "WITH"}, strings.ToUpper(m[2])) {
			alias[m[2]] = m[1]
		}
	}
	// The source path of every item read is a lookup by primary key.
	q := strings.ReplaceAll(query, sourcePathColumn, "")
	limited := strings.Contains(q, " LIMIT ")
	filtered := strings.Contains(q, " WHERE ") && !strings.Contains(q, " INDEXED BY ")
	var scans []string
	for _, row := range plan {
		m := scanRow.FindStringSubmatch(row)
		if m == nil {
			continue
		}
		table, big := alias[m[1]]
		if big && (!strings.Contains(m[2], "INDEX") || !limited || filtered) {
			scans = append(scans, table)
		}
	}
	return scans
}

const sourcePathColumn = "(SELECT s.path FROM sources s WHERE s.id = i.source_file)"

func TestFullScans(t *testing.T) {
	tests := []struct {
		name, query string
		plan        []string
		want        []string
	}{
		{"scan of items", `SELECT COUNT(*) FROM items`, []string{"SCAN items"}, []string{"items"}},
		{"scan through an alias", `SELECT i.pk FROM items i WHERE i.likes > 3`, []string{"SCAN i"}, []string{"items"}},
		{"index walk to a limit", `SELECT i.pk FROM items i ORDER BY time LIMIT 5`, []string{"SCAN i USING INDEX items_time"}, nil},
		{"index walk with the source path", `SELECT (SELECT s.path FROM sources s WHERE s.id = i.source_file) FROM items i ORDER BY time LIMIT 5`,
			[]string{"SCAN i USING INDEX items_time", "CORRELATED SCALAR SUBQUERY 1", "SEARCH s USING INTEGER PRIMARY KEY (rowid=?)"}, nil},
		{"filtering index walk", `SELECT i.pk FROM items i WHERE i.parent_id = ? ORDER BY time LIMIT 5`, []string{"SCAN i USING INDEX items_time"}, []string{"items"}},
		{"count over an index", `SELECT COUNT(*) FROM items`, []string{"SCAN items USING COVERING INDEX items_time"}, []string{"items"}},
		{"min, max and count at once", `SELECT MIN(time), MAX(time), COUNT(*) FROM items`, []string{"SCAN items USING COVERING INDEX items_time"}, []string{"items"}},
		{"a walk asked for", `SELECT i.pk FROM items i INDEXED BY items_time WHERE i.pk IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ?) ORDER BY i.time DESC LIMIT 20`,
			[]string{"SCAN i USING COVERING INDEX items_time", "LIST SUBQUERY 2", "SCAN items_fts VIRTUAL TABLE INDEX 0:M1"}, nil},
		{"min alone", `SELECT MIN(time) FROM items`, []string{"SEARCH items USING COVERING INDEX items_time"}, nil},
		{"search", `SELECT pk FROM items i WHERE i.time > ?`, []string{"SEARCH i USING INDEX items_time (time>?)"}, nil},
		{"a small table", `SELECT path FROM sources`, []string{"SCAN sources"}, nil},
		{"the FTS table", `SELECT rowid FROM items_fts WHERE items_fts MATCH ?`, []string{"SCAN items_fts VIRTUAL TABLE INDEX 0:M1"}, nil},
		{"a subquery's scan", `SELECT * FROM (SELECT i.pk AS pk FROM items i) AS p`, []string{"CO-ROUTINE p", "SCAN i"}, []string{"items"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fullScans(tt.query, tt.plan); !slices.Equal(got, tt.want) {
				t.Errorf("fullScans = %q, want %q", got, tt.want)
			}
		})
	}
}
