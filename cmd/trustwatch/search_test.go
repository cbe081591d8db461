package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func TestSearchQuery(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	if code, _, stderr := runCmd(t, "ingest", "--db", db, "--config", "testdata/watch.yaml", "testdata/items.jsonl"); code != exitOK {
		t.Fatalf("ingest: exit %d: %s", code, stderr)
	}
	search := func(q string) (int, []string, string) {
		code, out, stderr := runCmd(t, "search", "--db", db, "--config", "testdata/watch.yaml", "--json", q)
		var items []struct{ ID string }
		if code == exitOK {
			if err := json.Unmarshal([]byte(out), &items); err != nil {
				t.Fatalf("search %s: %v: %s", q, err, out)
			}
		}
		ids := []string{}
		for _, it := range items {
			ids = append(ids, it.ID)
		}
		return code, ids, stderr
	}

	// An unquoted run is cut like the text: 刹车异响 is 刹车 and 异响.
	if code, ids, stderr := search("刹车异响"); code != exitOK || strings.Join(ids, ",") != "a3" {
		t.Errorf("search 刹车异响 = exit %d, %v (%s); want a3", code, ids, stderr)
	}
	// Case and width are folded: ＳＵ７ is su7.
	if code, ids, stderr := search("ＳＵ７ 刹车"); code != exitOK || strings.Join(ids, ",") != "a2" {
		t.Errorf("search ＳＵ７ 刹车 = exit %d, %v (%s); want a2", code, ids, stderr)
	}

	// A syntax error is a usage error that points at the column.
	code, _, stderr := search("刹车 OR")
	want := "trustwatch: query: column 4: OR needs a term after it\n  刹车 OR\n       ^\n"
	if code != exitUsage || stderr != want {
		t.Errorf("search '刹车 OR' = exit %d, stderr %q; want exit %d, %q", code, stderr, exitUsage, want)
	}
	if code, _, stderr := search("likes:>many"); code != exitUsage || !strings.Contains(stderr, "column 7: a count is a whole number") {
		t.Errorf("search likes:>many = exit %d, %q", code, stderr)
	}
}
