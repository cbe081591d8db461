package sqlite

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/query"
)

// TestFTSExpr checks the FTS5 expressions queries become: user text only
// ever inside FTS5 strings, FTS5's binary NOT, prefixes, NEAR.
func TestFTSExpr(t *testing.T) {
	for _, tt := range []struct {
		q, want string
		neg     bool
	}{
		{"刹车", `"刹车"`, false},
		{"刹车异响", `"刹车 车异 异响"`, false},
		{"车", `"车" *`, false},
		{`"su7 刹"`, `"su7 刹" *`, false},
		{"刹车 -y7", `(("刹车")) NOT (("y7"))`, false},
		{"-刹车 -y7", `("刹车") OR ("y7")`, true},
		{"刹车 OR -y7", `(("y7")) NOT (("刹车"))`, true},
		{"su7 NEAR/3 刹车", `NEAR("su7" "刹车", 3)`, false},
		{`"a*b" (x)`, `("a b") AND ("x")`, false},
	} {
		q, err := query.Parse(tt.q, query.Options{})
		if err != nil {
			t.Errorf("%s: %v", tt.q, err)
			continue
		}
		if got, neg := ftsExpr(q.Root); got != tt.want || neg != tt.neg {
			t.Errorf("ftsExpr(%s) = %s, %v; want %s, %v", tt.q, got, neg, tt.want, tt.neg)
		}
	}
}

func TestAspectLabel(t *testing.T) {
	for _, tt := range []struct {
		pos, neg int
		want     trustwatch.Label
	}{
		{0, 0, trustwatch.Neutral},
		{1, 0, trustwatch.Positive},
		{0, 1, trustwatch.Negative},
		{1, 1, trustwatch.Negative}, // a tie is bad news
		{2, 1, trustwatch.Positive},
		{1, 2, trustwatch.Negative},
	} {
		if got := aspectLabel(tt.pos, tt.neg); got != tt.want {
			t.Errorf("aspectLabel(%d pos, %d neg) = %s; want %s", tt.pos, tt.neg, got, tt.want)
		}
	}
}

func TestPeriodStarts(t *testing.T) {
	shanghai := trustwatch.DefaultLocation()
	kolkata := time.FixedZone("IST", 5*3600+1800)
	for _, tt := range []struct {
		name      string
		t         time.Time
		loc       *time.Location
		hour, day time.Time
	}{
		{"Shanghai evening", time.Date(2025, 3, 1, 15, 10, 0, 0, time.UTC), shanghai,
			time.Date(2025, 3, 1, 23, 0, 0, 0, shanghai), time.Date(2025, 3, 1, 0, 0, 0, 0, shanghai)},
		{"Shanghai after midnight, still yesterday in UTC", time.Date(2025, 3, 1, 16, 20, 0, 0, time.UTC), shanghai,
			time.Date(2025, 3, 2, 0, 0, 0, 0, shanghai), time.Date(2025, 3, 2, 0, 0, 0, 0, shanghai)},
		{"on the hour", time.Date(2025, 3, 2, 9, 0, 0, 0, shanghai), shanghai,
			time.Date(2025, 3, 2, 9, 0, 0, 0, shanghai), time.Date(2025, 3, 2, 0, 0, 0, 0, shanghai)},
		{"half-hour zone", time.Date(2025, 3, 1, 18, 45, 0, 0, time.UTC), kolkata,
			time.Date(2025, 3, 2, 0, 0, 0, 0, kolkata), time.Date(2025, 3, 2, 0, 0, 0, 0, kolkata)},
	} {
		hour, day := periodStarts(tt.t, tt.loc)
		if hour != tt.hour.Unix() || day != tt.day.Unix() {
			t.Errorf("%s: periodStarts = %v, %v; want %v, %v", tt.name,
				time.Unix(hour, 0).In(tt.loc), time.Unix(day, 0).In(tt.loc), tt.hour, tt.day)
		}
	}
}

func TestFormatError(t *testing.T) {
	db, err := Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	insert := `INSERT INTO events (id, time, entity, kind, title, text, url) VALUES ('e1', 1, '', '', '', '', '')`
	if _, err := db.db.Exec(insert); err != nil {
		t.Fatal(err)
	}
	_, err = db.db.Exec(insert)
	if code := trustwatch.ErrorCode(FormatError(err)); code != trustwatch.ECONFLICT {
		t.Errorf("duplicate key: code %q (%v); want %q", code, err, trustwatch.ECONFLICT)
	}
	if code := trustwatch.ErrorCode(wrap("op", err)); code != trustwatch.ECONFLICT {
		t.Errorf("wrapped duplicate key: code %q; want %q", code, trustwatch.ECONFLICT)
	}
	if got := FormatError(nil); got != nil {
		t.Errorf("FormatError(nil) = %v", got)
	}
}

func TestMigrations(t *testing.T) {
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) == 0 || ms[0].Version != 1 {
		t.Fatalf("migrations = %+v; want the first to be version 1", ms)
	}
	for i := 1; i < len(ms); i++ {
		if ms[i].Version <= ms[i-1].Version {
			t.Errorf("migrations out of order: %+v", ms)
		}
	}
}

// FuzzItemQuery checks that no query text is FTS syntax: any query
// searches, or is refused as EINVALID.
func FuzzItemQuery(f *testing.F) {
	for _, s := range []string{"刹车", `"刹车`, "a OR b", "NEAR(a b)", "col:word", "*", "^a", "a + b", "(", "\x00", "雷总 -刹车"} {
		f.Add(s)
	}
	db, err := Open(":memory:")
	if err != nil {
		f.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	items := []trustwatch.Item{{ID: "1", Text: "x", Time: time.Unix(1, 0), Tokens: []string{"刹车", "雷总", "a", "b"}}}
	if _, _, err := db.PutItems(ctx, items); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, q string) {
		if _, _, err := db.FindItems(ctx, trustwatch.ItemFilter{Query: q}); err != nil && trustwatch.ErrorCode(err) != trustwatch.EINVALID {
			t.Errorf("FindItems(%q): %v", q, err)
		}
	})
}

func TestCeilUnix(t *testing.T) {
	base := time.Unix(1740841800, 0)
	for _, tt := range []struct {
		t    time.Time
		want int64
	}{
		{base, 1740841800},
		{base.Add(time.Nanosecond), 1740841801}, // To = last + 1ns includes last
		{base.Add(-time.Nanosecond), 1740841800},
	} {
		if got := ceilUnix(tt.t); got != tt.want {
			t.Errorf("ceilUnix(%v) = %d, want %d", tt.t, got, tt.want)
		}
	}
}

func TestSplitSource(t *testing.T) {
	for _, tt := range []struct {
		src  string
		file string
		line int64
	}{
		{"data/a.csv:12", "data/a.csv", 12},
		{`C:\data\a.csv:3`, `C:\data\a.csv`, 3},
		{"a.csv", "a.csv", 0},
		{"a.csv:007", "a.csv:007", 0}, // not a line as joinSource writes one
		{"x:+3", "x:+3", 0},
		{"x:0", "x:0", 0},
	} {
		file, line := splitSource(tt.src)
		if file != tt.file || line != tt.line {
			t.Errorf("splitSource(%q) = %q, %d; want %q, %d", tt.src, file, line, tt.file, tt.line)
		}
		if got := joinSource(file, line); got != tt.src {
			t.Errorf("joinSource(splitSource(%q)) = %q", tt.src, got)
		}
	}
}

// newestVersion is the version of the newest embedded migration.
func newestVersion(t *testing.T) int {
	ms, err := migrations()
	if err != nil || len(ms) == 0 {
		t.Fatal(err)
	}
	return ms[len(ms)-1].Version
}

func TestRoundEstimate(t *testing.T) {
	for _, tt := range []struct {
		in   float64
		want int
	}{{0, 0}, {7.4, 7}, {99.5, 100}, {1234, 1200}, {1250, 1300}, {98765, 99000}, {1006068, 1000000}} {
		if got := roundEstimate(tt.in); got != tt.want {
			t.Errorf("roundEstimate(%v) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

// Every connection gets the page cache asked for, and 32,000 KiB when
// none is.
func TestCacheKiB(t *testing.T) {
	for _, tt := range []struct{ set, want int }{{0, -32000}, {BulkWriteCacheKiB, -2000}, {1234, -1234}} {
		db := NewDB(t.TempDir() + "/cache.db")
		db.CacheKiB = tt.set
		if err := db.Open(); err != nil {
			t.Fatal(err)
		}
		// Two connections at once, so the second is not the first reused.
		ctx := context.Background()
		c1, err := db.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		c2, err := db.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range []*sql.Conn{c1, c2} {
			var got int
			if err := c.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("CacheKiB %d: connection %d has cache_size %d, want %d", tt.set, i, got, tt.want)
			}
		}
		c1.Close()
		c2.Close()
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
