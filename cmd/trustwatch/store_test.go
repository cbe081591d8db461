package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"trustwatch"
	"trustwatch/postgres"
	"trustwatch/sqlite"
)

// pgURL returns a connection URL to a new empty schema of the server at
// TRUSTWATCH_PG (search_path set, dropped when t ends), as the postgres
// package's tests do; it skips t without a server, and fails it in CI.
func pgURL(t *testing.T) string {
	t.Helper()
	base := os.Getenv("TRUSTWATCH_PG")
	if base == "" {
		t.Skip("TRUSTWATCH_PG is not set (postgres://USER@HOST:PORT/DB; .ci/postgres.sh starts a server and sets it)")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("PostgreSQL at TRUSTWATCH_PG is not reachable: %v", err)
		}
		t.Skipf("PostgreSQL at TRUSTWATCH_PG is not reachable: %v", err)
	}
	defer conn.Close(ctx)
	buf := make([]byte, 6)
	rand.Read(buf)
	schema := "tw_cmd_" + hex.EncodeToString(buf)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
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

// spikeFixture writes a watch file with a volume-spike rule on 小米 and
// items: three posts a day for 20 days of May 2025, 80 negative ones
// from 8:00 to 11:19 on 21 May, and a last one on 22 May (the replay's last
// day ends at the newest item).
func spikeFixture(t *testing.T) (config, items string) {
	t.Helper()
	dir := t.TempDir()
	config, items = filepath.Join(dir, "trustwatch.yaml"), filepath.Join(dir, "items.jsonl")
	err := os.WriteFile(config, []byte(`timezone: Asia/Shanghai
entities:
  - {id: xiaomi, kind: brand, name: 小米, aliases: [xiaomi]}
rules:
  - {id: crash, entity: xiaomi, detector: volume.spike, severity: high}
`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	line := func(id string, at time.Time, text string) {
		fmt.Fprintf(&b, `{"id":%q,"platform":"weibo","kind":"post","author":"u%s","text":%q,"time":%q}`+"\n", id, id, text, at.Format(time.RFC3339))
	}
	loc := trustwatch.DefaultLocation()
	for d := range 20 {
		for i := range 3 {
			line(fmt.Sprintf("d%d-%d", d, i), time.Date(2025, 5, 1+d, 9+i, 0, 0, 0, loc), fmt.Sprintf("小米今天的新车第%d天第%d条", d, i))
		}
	}
	for i := range 80 {
		line(fmt.Sprintf("s%d", i), time.Date(2025, 5, 21, 8+i/20, i%20, 0, 0, loc), fmt.Sprintf("小米刹车失灵了吗 第%d条", i))
	}
	line("z", time.Date(2025, 5, 22, 10, 0, 0, 0, loc), "小米今天的新车")
	if err := os.WriteFile(items, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return config, items
}

// testCommands runs ingest, search, stats, analyze and alerts over the
// store db and checks what they print.
func testCommands(t *testing.T, db string) {
	config, items := spikeFixture(t)
	run := func(args ...string) string {
		t.Helper()
		code, out, errs := runCmd(t, append(args, "--db", db, "--config", config)...)
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", strings.Join(args, " "), code, errs)
		}
		return out
	}
	var sum ingestSummary
	if err := json.Unmarshal([]byte(run("ingest", "--json", items)), &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Read != 141 || sum.Stored != 141 || sum.Duplicates != 0 {
		t.Fatalf("ingest: %+v, want 141 read and stored", sum)
	}
	if out := run("ingest", items); !strings.Contains(out, "total: read 141, stored 0, duplicates 141") {
		t.Errorf("ingest again:\n%s", out)
	}

	var found []trustwatch.Item
	if err := json.Unmarshal([]byte(run("search", "刹车", "--json")), &found); err != nil {
		t.Fatal(err)
	}
	if len(found) == 0 {
		t.Fatalf("search 刹车 found nothing")
	}
	for _, it := range found {
		if !strings.HasPrefix(it.ID, "s") {
			t.Errorf("search 刹车 found %s: %q", it.ID, it.Text)
		}
	}
	if out := run("search", "刹车"); !strings.Contains(out, `80 items match "刹车"`) {
		t.Errorf("search 刹车 does not count 80 matches:\n%s", out)
	}

	out := run("stats", "--entity", "xiaomi", "--from", "2025-05-20", "--to", "2025-05-21")
	if !regexp.MustCompile(`(?m)^2025-05-20 +3 +3 +0 +0 `).MatchString(out) || !regexp.MustCompile(`(?m)^2025-05-21 +80 +0 +80 +0 `).MatchString(out) ||
		!regexp.MustCompile(`(?m)^total +83$`).MatchString(out) {
		t.Errorf("stats:\n%s", out)
	}

	out = run("analyze")
	if !strings.Contains(out, "alerts: 2 new") || !strings.Contains(out, "「小米」声量激增") || !strings.Contains(out, "「小米」负面占比上升") {
		t.Errorf("analyze:\n%s", out)
	}
	if out := run("analyze"); !strings.Contains(out, "alerts: 0 new") {
		t.Errorf("analyze again raised something:\n%s", out)
	}
	var as []trustwatch.Alert
	if err := json.Unmarshal([]byte(run("alerts", "--json")), &as); err != nil {
		t.Fatal(err)
	}
	rules := map[string]string{}
	for _, al := range as {
		rules[al.Rule] = al.ID
	}
	crash := rules["crash"]
	if len(as) != 2 || crash == "" || rules["builtin:sentiment.spike"] == "" {
		t.Fatalf("alerts: %+v", as)
	}
	if out := run("alerts", "ack", crash); !strings.Contains(out, crash) {
		t.Errorf("alerts ack:\n%s", out)
	}
	if out := run("alerts"); !regexp.MustCompile(crash + ` +high +acked `).MatchString(out) {
		t.Errorf("alerts after ack:\n%s", out)
	}
}

func TestCommandsSQLite(t *testing.T) {
	testCommands(t, filepath.Join(t.TempDir(), "tw.db"))
}

func TestCommandsPostgres(t *testing.T) {
	testCommands(t, pgURL(t))
}

// The commands that need more than trustwatch.Store work on PostgreSQL:
// users and tokens, and retag.
func TestPostgresCapabilities(t *testing.T) {
	db := pgURL(t)
	var out, errb strings.Builder
	code := run(context.Background(), []string{"user", "add", "ann", "--role", "admin", "--db", db}, strings.NewReader("secret-password\n"), &out, &errb)
	if code != exitOK {
		t.Fatalf("user add on postgres: exit %d, stderr %q", code, errb.String())
	}
	config, items := spikeFixture(t)
	if code, _, errs := runCmd(t, "ingest", "--db", db, "--config", config, items); code != exitOK {
		t.Fatal(errs)
	}
	for _, c := range []struct{ args, want string }{
		{"user list", "ann"},
		{"token list", ""},
		{"retag", "read "},
	} {
		code, out, errs := runCmd(t, append(strings.Fields(c.args), "--db", db, "--config", config)...)
		if code != exitOK || !strings.Contains(out, c.want) {
			t.Errorf("%s on postgres: exit %d, stdout %q, stderr %q, want %q in it", c.args, code, out, errs, c.want)
		}
	}
}

// TRUSTWATCH_DB is --db when the flag is not given.
func TestTrustwatchDBEnv(t *testing.T) {
	db := pgURL(t)
	t.Setenv("TRUSTWATCH_DB", db)
	t.Chdir(t.TempDir()) // so that a default trustwatch.db would be a new, empty file
	var out, errb strings.Builder
	if code := run(context.Background(), []string{"user", "add", "bo", "--role", "viewer"}, strings.NewReader("secret-password\n"), &out, &errb); code != exitOK {
		t.Fatalf("user add with TRUSTWATCH_DB: exit %d, %s", code, errb.String())
	}
	// The user is in PostgreSQL, where --db also finds it.
	if code, out, errs := runCmd(t, "user", "list", "--db", db); code != exitOK || !strings.Contains(out, "bo") {
		t.Errorf("user list --db PG after adding with TRUSTWATCH_DB: exit %d, %s %s", code, out, errs)
	}
	// The flag wins.
	file := filepath.Join(t.TempDir(), "tw.db")
	if code, out, errs := runCmd(t, "user", "list", "--db", file); code != exitOK || !strings.Contains(out, "no users") {
		t.Errorf("user list --db FILE with TRUSTWATCH_DB: exit %d, %s %s", code, out, errs)
	}
}

// Two stores over one PostgreSQL schema: one holds the detector lock at a
// time; a store of another schema has its own.
func TestPostgresDetectorLock(t *testing.T) {
	ctx := context.Background()
	u := pgURL(t)
	open := func(u string) *postgres.DB {
		db, err := postgres.Open(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	a, b, other := open(u), open(u), open(pgURL(t))
	unlock, ok, err := a.LockDetectors(ctx)
	if err != nil || !ok {
		t.Fatalf("first lock: ok %v, err %v", ok, err)
	}
	if _, ok, err := b.LockDetectors(ctx); err != nil || ok {
		t.Fatalf("second store, same schema, while held: ok %v, err %v; want refused", ok, err)
	}
	unlockOther, ok, err := other.LockDetectors(ctx)
	if err != nil || !ok {
		t.Fatalf("another schema: ok %v, err %v; want its own lock", ok, err)
	}
	unlockOther()

	// analyze refuses while another process holds the lock.
	config, items := spikeFixture(t)
	if code, _, errs := runCmd(t, "ingest", "--db", u, "--config", config, items); code != exitOK {
		t.Fatal(errs)
	}
	code, out, errs := runCmd(t, "analyze", "--db", u, "--config", config)
	if code != exitFail || !strings.Contains(errs, "another trustwatch process is running the detectors on this store") || out != "" {
		t.Errorf("analyze while locked: exit %d, stdout %q, stderr %q", code, out, errs)
	}

	unlock()
	unlockB, ok, err := b.LockDetectors(ctx)
	if err != nil || !ok {
		t.Fatalf("lock after unlock: ok %v, err %v", ok, err)
	}
	unlockB()
	if code, out, errs := runCmd(t, "analyze", "--db", u, "--config", config); code != exitOK || !strings.Contains(out, "alerts: 2 new") {
		t.Errorf("analyze after unlock: exit %d: %s %s", code, out, errs)
	}
}

// On SQLite too, analyze refuses while another holds the detector lock.
func TestSQLiteAnalyzeLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tw.db")
	st, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	unlock, ok, err := st.LockDetectors(context.Background())
	if err != nil || !ok {
		t.Fatalf("lock: ok %v, err %v", ok, err)
	}
	code, _, errs := runCmd(t, "analyze", "--db", path)
	if code != exitFail || !strings.Contains(errs, "trustwatch: analyze: another trustwatch process is running the detectors") {
		t.Errorf("analyze while locked: exit %d, %s", code, errs)
	}
	unlock()
	if code, _, errs := runCmd(t, "analyze", "--db", path); code != exitOK {
		t.Errorf("analyze after unlock: exit %d, %s", code, errs)
	}
}
