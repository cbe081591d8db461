package sqlite_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/sqlite"
	"trustwatch/storetest"
)

// dump keeps the test databases in a directory to inspect them afterwards.
var dump = flag.String("dump", "", "keep the file databases of the tests in `dir`")

// MustOpenDB returns a new in-memory store, closed when tb ends.
func MustOpenDB(tb testing.TB) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(":memory:")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { MustCloseDB(tb, db) })
	return db
}

// MustOpenFileDB returns a new store in a file under a temporary directory
// (or -dump), closed when tb ends.
func MustOpenFileDB(tb testing.TB) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(tempPath(tb))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { MustCloseDB(tb, db) })
	return db
}

// MustCloseDB closes db and fails tb on error.
func MustCloseDB(tb testing.TB, db *sqlite.DB) {
	tb.Helper()
	if err := db.Close(); err != nil {
		tb.Fatal(err)
	}
}

// tempPath names a database file for tb.
func tempPath(tb testing.TB) string {
	dir := tb.TempDir()
	if *dump != "" {
		dir = *dump
		if err := os.MkdirAll(dir, 0o755); err != nil {
			tb.Fatal(err)
		}
	}
	return filepath.Join(dir, filepath.Base(tb.Name())+".db")
}

func TestStore(t *testing.T) {
	t.Run("Memory", func(t *testing.T) {
		storetest.TestStore(t, func(t *testing.T) trustwatch.Store { return MustOpenDB(t) })
	})
	t.Run("File", func(t *testing.T) {
		storetest.TestStore(t, func(t *testing.T) trustwatch.Store { return MustOpenFileDB(t) })
	})
}

func TestOpen(t *testing.T) {
	ctx := context.Background()

	t.Run("MigrationsOnceOnReopen", func(t *testing.T) {
		path := tempPath(t)
		items := []trustwatch.Item{{ID: "x1", Platform: "weibo", Text: "刹车", Tokens: []string{"刹车"}, Time: time.Unix(1740841800, 0)}}
		for round := range 3 {
			db, err := sqlite.Open(path)
			if err != nil {
				t.Fatalf("open %d: %v", round, err)
			}
			if v, err := db.SchemaVersion(ctx); err != nil {
				t.Fatal(err)
			} else if want := newestMigration(t); v != want {
				t.Errorf("open %d: schema version %d; want %d (the newest migration)", round, v, want)
			}
			stored, dups, err := db.PutItems(ctx, items)
			if err != nil {
				t.Fatal(err)
			}
			if wantStored := map[bool]int{true: 1, false: 0}[round == 0]; stored != wantStored || dups != 1-wantStored {
				t.Errorf("open %d: PutItems = %d stored, %d duplicates; want %d, %d", round, stored, dups, wantStored, 1-wantStored)
			}
			if found, n, err := db.FindItems(ctx, trustwatch.ItemFilter{Query: "刹车"}); err != nil {
				t.Fatal(err)
			} else if n != 1 || found[0].ID != "x1" {
				t.Errorf("open %d: search found %d items; want x1", round, n)
			}
			MustCloseDB(t, db)
		}
	})

	t.Run("WAL", func(t *testing.T) {
		path := tempPath(t)
		db, err := sqlite.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer MustCloseDB(t, db)
		if _, _, err := db.PutQuarantine(ctx, []trustwatch.Quarantined{{File: "a", Line: 1, Reason: "r"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(path + "-wal"); err != nil {
			t.Errorf("no write-ahead log beside the database: %v", err)
		}
	})

	t.Run("ErrNoPath", func(t *testing.T) {
		if _, err := sqlite.Open(""); err == nil {
			t.Error("Open(\"\") succeeded; want an error")
		}
	})
}

// TestDB_Now checks that times the store fills in come from DB.Now.
func TestDB_Now(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)
	db := sqlite.NewDB(":memory:")
	db.Now = func() time.Time { return now }
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer MustCloseDB(t, db)

	if _, _, err := db.PutQuarantine(ctx, []trustwatch.Quarantined{{File: "a", Line: 1, Reason: "r"}}); err != nil {
		t.Fatal(err)
	}
	if qs, _, err := db.FindQuarantine(ctx, trustwatch.QuarantineFilter{}); err != nil {
		t.Fatal(err)
	} else if !qs[0].Time.Equal(now) {
		t.Errorf("quarantine time = %v; want %v", qs[0].Time, now)
	}

	a := &trustwatch.Alert{ID: "a1", Rule: "r", Severity: trustwatch.SeverityHigh}
	if err := db.PutAlert(ctx, a); err != nil {
		t.Fatal(err)
	}
	if !a.Opened.Equal(now) || !a.Updated.Equal(now) {
		t.Errorf("opened, updated = %v, %v; want %v", a.Opened, a.Updated, now)
	}
	got, err := db.UpdateAlert(ctx, "a1", trustwatch.AlertUpdate{Ack: true, Resolve: true})
	if err != nil {
		t.Fatal(err)
	}
	if got.Acked == nil || !got.Acked.Equal(now) || got.Resolved == nil || !got.Resolved.Equal(now) {
		t.Errorf("acked, resolved = %v, %v; want %v", got.Acked, got.Resolved, now)
	}
}

// TestDB_Location checks that day rollups follow DB.Location, and are
// rebuilt when a database is reopened in another zone.
func TestDB_Location(t *testing.T) {
	ctx := context.Background()
	path := tempPath(t)
	// Shanghai 23:10 and 23:40 on 1 March, 00:20 on 2 March: two days there,
	// one day (15:10, 15:40, 16:20 on 1 March) in UTC.
	items := []trustwatch.Item{
		{ID: "a", Text: "a", Time: time.Date(2025, 3, 1, 15, 10, 0, 0, time.UTC), Sentiment: trustwatch.Negative},
		{ID: "b", Text: "b", Time: time.Date(2025, 3, 1, 15, 40, 0, 0, time.UTC), Sentiment: trustwatch.Positive},
		{ID: "c", Text: "c", Time: time.Date(2025, 3, 1, 16, 20, 0, 0, time.UTC), Sentiment: trustwatch.Negative},
	}
	shanghai := trustwatch.DefaultLocation()
	for _, tt := range []struct {
		name   string
		loc    *time.Location
		counts []int64
		first  time.Time
	}{
		{"default zone", nil, []int64{2, 1}, time.Date(2025, 3, 1, 0, 0, 0, 0, shanghai)},
		{"reopened in UTC", time.UTC, []int64{3}, time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)},
		{"back in Shanghai", shanghai, []int64{2, 1}, time.Date(2025, 3, 1, 0, 0, 0, 0, shanghai)},
	} {
		db := sqlite.NewDB(path)
		db.Location = tt.loc
		if err := db.Open(); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.PutItems(ctx, items); err != nil {
			t.Fatal(err)
		}
		pts, err := db.Volume(ctx, trustwatch.VolumeFilter{By: trustwatch.Day})
		if err != nil {
			t.Fatal(err)
		}
		var counts []int64
		for _, p := range pts {
			counts = append(counts, p.Count)
		}
		if !reflect.DeepEqual(counts, tt.counts) || !pts[0].Period.Equal(tt.first) {
			t.Errorf("%s: days %v from %v; want %v from %v", tt.name, counts, pts[0].Period, tt.counts, tt.first)
		}
		MustCloseDB(t, db)
	}
}

// TestPutItems_Concurrent writes overlapping batches from several
// goroutines to one file: every item is stored exactly once.
func TestPutItems_Concurrent(t *testing.T) {
	ctx := context.Background()
	db := MustOpenFileDB(t)
	const writers, per = 4, 300
	var wg sync.WaitGroup
	stored := make([]int, writers)
	errs := make([]error, writers)
	for w := range writers {
		wg.Go(func() {
			// Writer w puts items [w*per/2, w*per/2+per): each overlaps the next.
			stored[w], _, errs[w] = db.PutItems(ctx, benchItems(w*per/2, per))
		})
	}
	wg.Wait()
	total := 0
	for w := range writers {
		if errs[w] != nil {
			t.Fatal(errs[w])
		}
		total += stored[w]
	}
	want := (writers-1)*per/2 + per
	if total != want {
		t.Errorf("stored %d in all; want %d distinct items", total, want)
	}
	pts, err := db.Volume(ctx, trustwatch.VolumeFilter{By: trustwatch.Hour})
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, p := range pts {
		sum += p.Count
	}
	if sum != int64(want) {
		t.Errorf("hourly volumes sum to %d; want %d", sum, want)
	}
}

// newestMigration is the version of the newest file in migration/, so that
// a new migration does not have to edit the tests that check it ran.
func newestMigration(t *testing.T) int {
	t.Helper()
	names, err := filepath.Glob("migration/*.sql")
	if err != nil || len(names) == 0 {
		t.Fatalf("no migrations: %v", err)
	}
	newest := 0
	for _, n := range names {
		v, err := strconv.Atoi(strings.SplitN(filepath.Base(n), "_", 2)[0])
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		newest = max(newest, v)
	}
	return newest
}
