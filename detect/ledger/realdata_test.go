package ledger_test

import (
	"bufio"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"trustwatch/realdata"

	"gopkg.in/yaml.v3"

	"trustwatch"
	"trustwatch/detect/ledger"
)

// readHotSearch reads hot-search titles (TAB: date, [rank,] title, ...) as
// items, one per day and title, timed at midnight Beijing time.
func readHotSearch(t testing.TB, path string) []trustwatch.Item {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var r io.Reader = f
	titleCol := 1
	if strings.HasSuffix(path, ".gz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		r, titleCol = gz, 2
	}
	var items []trustwatch.Item
	sc := bufio.NewScanner(r)
	for line := 0; sc.Scan(); line++ {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) <= titleCol {
			continue
		}
		d, err := time.ParseInLocation("2006-01-02", cols[0], trustwatch.DefaultLocation())
		if err != nil {
			continue // the header
		}
		items = append(items, trustwatch.Item{
			ID: cols[0] + "#" + cols[titleCol], Platform: "weibo_hot", Title: cols[titleCol], Time: d,
		})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return items
}

func loadTestWatch(t testing.TB, name string) *trustwatch.Watch {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var w trustwatch.Watch
	if err := yaml.Unmarshal(b, &w); err != nil {
		t.Fatalf("testdata/%s: %v", name, err)
	}
	return &w
}

// TestHotSearchHoodClaim runs the ledger for the SU7 Ultra hood claim over
// the real hot-search titles: contradicting evidence around 2026-05-13
// ("法院认定存夸大宣传"), and none before the claim existed.
func TestHotSearchHoodClaim(t *testing.T) {
	w := loadTestWatch(t, "su7u_hood.yaml")
	c := w.Claims[0]
	for _, file := range []string{"weibo_hot_search/xiaomi_related_titles.tsv", "weibo_hot_search/weibo_hot_search_daily.tsv.gz"} {
		t.Run(filepath.Base(file), func(t *testing.T) {
			if testing.Short() && strings.HasSuffix(file, ".gz") {
				t.Skip("-short: skipping the full hot-search file (~6 s)")
			}
			items := readHotSearch(t, realdata.Path(t, file))
			// Everything, the claim's day included, so "before" is tested.
			ev, err := ledger.Options{}.Collect(w, c, items, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			var court *ledger.EvidenceItem
			for i, e := range ev {
				t.Logf("%s %-11s %.2f %s %v dup=%v", e.Time.Format("2006-01-02"), e.Stance, e.Weight, e.Text, e.Reasons, e.Duplicates)
				if e.Time.Before(c.Date.Time) {
					t.Errorf("evidence %q on %s is before the claim (%s)", e.Text, e.Time, c.Date.Format("2006-01-02"))
				}
				if strings.Contains(e.Text, "夸大宣传") {
					court = &ev[i]
				}
				if strings.Contains(e.Text, "iPhone") {
					t.Errorf("%q names no watched entity of the claim", e.Text)
				}
			}
			if court == nil || court.Stance != ledger.Contradicts || court.Time.Format("2006-01-02") != "2026-05-13" || len(court.Duplicates) != 1 {
				t.Fatalf("court ruling evidence = %+v, want contradicts on 2026-05-13 with its 05-14 copy", court)
			}
			row := ledger.Options{}.Account(w, c, ev, time.Date(2026, 5, 20, 0, 0, 0, 0, trustwatch.DefaultLocation()))
			t.Logf("row: hype %d charge %.2f r %.3f s %.3f E %.3f rep %.3f status %s (%s) n %d first %v top %v",
				row.Hype, row.Charge, row.R, row.S, row.E, row.Rep, row.Status, row.StatusNote, row.EvidenceCount, row.FirstContradiction, row.TopEvidence)
			if row.S <= 0 || row.FirstContradiction == nil || row.FirstContradiction.Format("2006-01-02") != "2026-05-13" {
				t.Errorf("row = %+v, want contradicting weight from 2026-05-13", row)
			}
			for _, d := range row.Daily {
				if d.Day.Before(time.Date(2026, 5, 13, 0, 0, 0, 0, trustwatch.DefaultLocation())) && d.S != 0 {
					t.Errorf("%s: s = %v before the first contradiction", d.Day.Format("2006-01-02"), d.S)
				}
			}
			// The court's finding is a ruling: the claim is defaulted from
			// its day and stays so as the headline is forgotten (s ≈ 0.33
			// by 06-30, 0.09 by 08-23), since nothing confirming repays it.
			if !court.Ruling {
				t.Errorf("court ruling evidence is not marked a ruling: %+v", court)
			}
			for _, tt := range []struct{ at, want, since string }{
				{"2026-05-12 23:59", ledger.StatusOpen, "2025-02-27"},
				{"2026-05-13 12:00", ledger.StatusDefaulted, "2026-05-13"},
				{"2026-06-30 00:00", ledger.StatusDefaulted, "2026-05-13"},
				{"2026-07-31 00:00", ledger.StatusDefaulted, "2026-05-13"},
				{"2026-08-23 23:59", ledger.StatusDefaulted, "2026-05-13"},
			} {
				at, err := time.ParseInLocation("2006-01-02 15:04", tt.at, trustwatch.DefaultLocation())
				if err != nil {
					t.Fatal(err)
				}
				row := ledger.Options{}.Account(w, c, ev, at)
				t.Logf("at %s: %s since %s (%s), s %.3f rep %.3f", tt.at, row.Status, row.StatusSince.Format("2006-01-02"), row.StatusNote, row.S, row.Rep)
				if row.Status != tt.want || row.StatusSince.Format("2006-01-02") != tt.since {
					t.Errorf("at %s: status %s since %s, want %s since %s", tt.at, row.Status, row.StatusSince.Format("2006-01-02"), tt.want, tt.since)
				}
			}
		})
	}
}

// BenchmarkCollect: one claim's evidence over the Xiaomi hot-search titles.
func BenchmarkCollect(b *testing.B) {
	w := loadTestWatch(b, "su7u_hood.yaml")
	items := readHotSearch(b, realdata.Path(b, "weibo_hot_search/xiaomi_related_titles.tsv"))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := (ledger.Options{}).Collect(w, w.Claims[0], items, time.Time{}); err != nil {
			b.Fatal(err)
		}
	}
}
