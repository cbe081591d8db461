package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const noWatchWarning = "no watch file (--config), so no entity will be tagged; `trustwatch retag --config FILE`"

func TestIngestWarnsWithoutWatchFile(t *testing.T) {
	dir := t.TempDir()
	metrics := filepath.Join(dir, "stock.csv")
	if err := os.WriteFile(metrics, []byte("series,time,value\nstock,2025-03-01,10\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		args []string
		warn bool
	}{
		{"items without a watch file", []string{"testdata/items.jsonl"}, true},
		{"items with a watch file", []string{"--config", "testdata/watch.yaml", "testdata/items.jsonl"}, false},
		{"metrics are never tagged", []string{"--format", "metrics", metrics}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "t.db")
			code, _, stderr := runCmd(t, append([]string{"ingest", "--db", db}, tt.args...)...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if got := strings.Contains(stderr, noWatchWarning); got != tt.warn {
				t.Errorf("warned %v, want %v; stderr %q", got, tt.warn, stderr)
			}
			if tt.warn && strings.Count(stderr, "\n") != 1 {
				t.Errorf("the warning is not one line: %q", stderr)
			}
		})
	}
}

// TestRetagCmd ingests without a watch file, retags with one, then with
// the alias 雷总 removed.
func TestRetagCmd(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	if code, _, stderr := runCmd(t, "ingest", "--db", db, "testdata/items.jsonl"); code != exitOK {
		t.Fatalf("ingest: exit %d: %s", code, stderr)
	}
	searchIDs := func(q string) string {
		t.Helper()
		code, out, stderr := runCmd(t, "search", "--db", db, "--config", "testdata/watch.yaml", "--json", q)
		if code != exitOK {
			t.Fatalf("search: exit %d: %s", code, stderr)
		}
		var items []struct{ ID string }
		if err := json.Unmarshal([]byte(out), &items); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		var ids []string
		for _, it := range items {
			ids = append(ids, it.ID)
		}
		return strings.Join(ids, ",")
	}
	entityTotal := func(entity string) int {
		t.Helper()
		_, out, _ := runCmd(t, "stats", "--db", db, "--entity", entity, "--json")
		var rows []struct{ Count int }
		if err := json.Unmarshal([]byte(out), &rows); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		n := 0
		for _, r := range rows {
			n += r.Count
		}
		return n
	}
	// Without the watch file nothing was tagged; search reads the text's
	// units, so it finds 雷总 all the same.
	if got := searchIDs("雷总"); got != "a1" {
		t.Errorf("search 雷总 before retag = %q; want a1", got)
	}
	if n := entityTotal("xiaomi"); n != 0 {
		t.Errorf("xiaomi before retag: %d items", n)
	}

	code, out, stderr := runCmd(t, "retag", "--db", db, "--config", "testdata/watch.yaml")
	if code != exitOK {
		t.Fatalf("retag: exit %d: %s", code, stderr)
	}
	// a1 "雷总辛苦了，小米SU7真不错": leijun, su7, xiaomi; a2 "SU7 的刹车有点软":
	// su7, xiaomi; a3 names nobody.
	for _, line := range []string{"read 3 items:", "2 with other entities than before", "leijun", "0 → 1", "xiaomi"} {
		if !strings.Contains(out, line) {
			t.Errorf("retag output lacks %q:\n%s", line, out)
		}
	}
	if got := searchIDs("雷总"); got != "a1" {
		t.Errorf("search 雷总 after retag = %q; want a1", got)
	}
	for entity, want := range map[string]int{"xiaomi": 2, "su7": 2, "leijun": 1} {
		if n := entityTotal(entity); n != want {
			t.Errorf("%s after retag: %d items; want %d", entity, n, want)
		}
	}

	// Again: nothing changes.
	code, out, stderr = runCmd(t, "retag", "--db", db, "--config", "testdata/watch.yaml", "--json")
	if code != exitOK {
		t.Fatalf("second retag: exit %d: %s", code, stderr)
	}
	var sum struct {
		Read, Changed   int
		EntitiesChanged int `json:"entities_changed"`
	}
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if sum.Read != 3 || sum.Changed != 0 || sum.EntitiesChanged != 0 {
		t.Errorf("second retag = %+v; want 3 read, nothing changed", sum)
	}

	// The alias removed: a1 no longer counts for leijun.
	watch, err := os.ReadFile("testdata/watch.yaml")
	if err != nil {
		t.Fatal(err)
	}
	noAlias := filepath.Join(t.TempDir(), "watch.yaml")
	if err := os.WriteFile(noAlias, []byte(strings.Replace(string(watch), "aliases: [雷总], ", "", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, stderr := runCmd(t, "retag", "--db", db, "--config", noAlias); code != exitOK || !strings.Contains(out, "1 → 0") {
		t.Fatalf("retag without the alias: exit %d: %s%s", code, out, stderr)
	}
	if n := entityTotal("leijun"); n != 0 {
		t.Errorf("leijun after the alias was removed: %d items; want 0", n)
	}

	if code, _, _ := runCmd(t, "retag", "--db", db); code != exitUsage {
		t.Errorf("retag without --config: exit %d; want %d", code, exitUsage)
	}
}
