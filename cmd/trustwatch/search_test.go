package main

import (
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// searchFixture ingests testdata/items.jsonl: a1 (03-30 12:22), a2
// (03-30 13:05, 刹车, 12000 likes) and a3 (03-31 08:00, 刹车).
func searchFixture(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "t.db")
	if code, _, stderr := runCmd(t, "ingest", "--db", db, "--config", "testdata/watch.yaml", "testdata/items.jsonl"); code != exitOK {
		t.Fatalf("ingest: exit %d: %s", code, stderr)
	}
	return db
}

func TestSearchExport(t *testing.T) {
	db := searchFixture(t)
	base := []string{"search", "--db", db, "--config", "testdata/watch.yaml"}

	t.Run("csv, all", func(t *testing.T) {
		code, out, stderr := runCmd(t, append(base, "--format", "csv", "--limit", "0", "刹车")...)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		body, ok := strings.CutPrefix(out, "\uFEFF")
		if !ok {
			t.Fatalf("no BOM: %q", out)
		}
		recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		// Oldest first; times in Asia/Shanghai.
		if len(recs) != 3 || recs[1][3] != "a2" || recs[1][0] != "2024-03-30T13:05:00+08:00" || recs[1][9] != "12000" || recs[1][4] != "a1" || recs[1][18] != "su7; xiaomi" ||
			recs[2][3] != "a3" || recs[2][7] != "<script>alert(1)</script>刹车异响" {
			t.Errorf("records = %q", recs)
		}
		if !strings.Contains(stderr, `wrote 2 of 2 items matching "刹车" to stdout`) {
			t.Errorf("stderr = %q", stderr)
		}
	})

	t.Run("csv, limit keeps the newest", func(t *testing.T) {
		code, out, stderr := runCmd(t, append(base, "--format", "csv", "--limit", "1", "刹车")...)
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\uFEFF"))).ReadAll()
		if code != exitOK || err != nil || len(recs) != 2 || recs[1][3] != "a3" {
			t.Errorf("exit %d, %v, records %q", code, err, recs)
		}
		if !strings.Contains(stderr, "wrote 1 of 2 items") || !strings.Contains(stderr, "the newest 1; --limit 0 for all") {
			t.Errorf("stderr = %q, want it to say the file was cut", stderr)
		}
	})

	t.Run("xlsx from --out's extension", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "brakes.xlsx")
		if code, _, stderr := runCmd(t, append(base, "--out", path, "--from", "2024-03-30", "--to", "2024-03-30", "刹车")...); code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		x, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		rows, _ := x.GetRows("items")
		q, _ := x.GetRows("query")
		meta := map[string]string{}
		for _, r := range q {
			if len(r) > 1 {
				meta[r[0]] = r[1]
			}
		}
		if len(rows) != 2 || rows[1][3] != "a2" {
			t.Errorf("items = %q, want a2 alone (03-30)", rows)
		}
		if meta["query"] != "刹车" || meta["from"] != "2024-03-30T00:00:00+08:00" || meta["to"] != "2024-03-31T00:00:00+08:00" || meta["rows"] != "1" || meta["truncated"] != "no" {
			t.Errorf("query sheet = %v", meta)
		}
	})

	t.Run("xlsx to a pipe", func(t *testing.T) {
		code, out, stderr := runCmd(t, append(base, "--format", "xlsx", "刹车")...)
		if code != exitOK || !strings.HasPrefix(out, "PK") {
			t.Errorf("exit %d (%s), output starts %q; want a zip", code, stderr, out[:min(len(out), 4)])
		}
	})

	t.Run("json stays", func(t *testing.T) {
		_, j1, _ := runCmd(t, append(base, "--json", "刹车")...)
		_, j2, _ := runCmd(t, append(base, "--format", "json", "刹车")...)
		if j1 != j2 || !strings.Contains(j1, `"id": "a3"`) {
			t.Errorf("--json %q and --format json %q differ", j1, j2)
		}
	})

	for _, args := range [][]string{{"--format", "csv", "--order", "engagement"}, {"--format", "pdf"}} {
		if code, _, stderr := runCmd(t, append(append(base, args...), "刹车")...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d (%s)", args, code, exitUsage, stderr)
		}
	}
}

func TestSearchQuery(t *testing.T) {
	db := searchFixture(t)
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

	// The examples of issue 13, tried as a new user would (newest first).
	for _, tt := range []struct{ q, want string }{
		{"刹车 -SU7", "a3"},
		{"刹车 SU7", "a2"},
		{`"刹车异响"`, "a3"},
		{"剎車異響", "a3"}, // Traditional finds Simplified
		{"车", "a3,a2"}, // a character finds the words it is part of
		{"刹车 OR 雷总", "a3,a2,a1"},
		{"kind:comment", "a2"},
		{"likes:>3000", "a2,a1"},
		{"刹车 NEAR/3 软", "a2"}, // 刹车 车有 有点 点软 软: three units between
		{"刹车 NEAR/2 软", ""},
	} {
		if code, ids, stderr := search(tt.q); code != exitOK || strings.Join(ids, ",") != tt.want {
			t.Errorf("search %s = exit %d, %v (%s); want %q", tt.q, code, ids, stderr, tt.want)
		}
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
