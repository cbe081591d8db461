package terms

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"trustwatch/realdata"

	"trustwatch"
)

// loadHotSearch reads the daily hot-search archive: one Doc per row, dated
// at midnight Beijing time.
func loadHotSearch(t testing.TB) []Doc {
	t.Helper()
	f, err := os.Open(realdata.Path(t, "weibo_hot_search/weibo_hot_search_daily.tsv.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	loc := trustwatch.DefaultLocation()
	var docs []Doc
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for line := 0; sc.Scan(); line++ {
		fs := strings.Split(sc.Text(), "\t")
		if line == 0 || len(fs) < 3 {
			continue
		}
		day, err := time.ParseInLocation("2006-01-02", fs[0], loc)
		if err != nil {
			t.Fatalf("hot search line %d: %v", line+1, err)
		}
		docs = append(docs, Doc{ID: fs[0] + "#" + fs[1], Time: day, Text: fs[2]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return docs
}

// monthWindow splits docs (in time order) into the month starting at from
// and everything before it.
func monthWindow(docs []Doc, from time.Time) (window, background []Doc) {
	to := from.AddDate(0, 1, 0)
	for i, d := range docs {
		if !d.Time.Before(from) {
			j := i
			for j < len(docs) && docs[j].Time.Before(to) {
				j++
			}
			return docs[i:j], docs[:i]
		}
	}
	return nil, docs
}

// TestHotSearchReport prints the top terms of the months named in
// TRUSTWATCH_TERMS_MONTHS (e.g. "2024-12,2025-04"), each against all the
// months before it: the run behind docs/terms.md.
func TestHotSearchReport(t *testing.T) {
	months := os.Getenv("TRUSTWATCH_TERMS_MONTHS")
	if months == "" {
		t.Skip("set TRUSTWATCH_TERMS_MONTHS=2024-12,... to print the monthly report")
	}
	docs := loadHotSearch(t)
	loc := trustwatch.DefaultLocation()
	for _, m := range strings.Split(months, ",") {
		from, err := time.ParseInLocation("2006-01", strings.TrimSpace(m), loc)
		if err != nil {
			t.Fatal(err)
		}
		win, bg := monthWindow(docs, from)
		start := time.Now()
		terms, err := Find(Docs(win), Docs(bg), nil, Options{From: from, To: from.AddDate(0, 1, 0), Top: topN(), MinCount: 3})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("== %s: %d titles, background %d (%.1fs)\n", m, len(win), len(bg), time.Since(start).Seconds())
		for i, tm := range terms {
			b := ""
			if tm.Burst != nil {
				b = fmt.Sprintf("%s..%s %.1f", tm.Burst.Start.Format("01-02"), tm.Burst.End.Format("01-02"), tm.Burst.Weight)
			}
			fmt.Printf("%2d %-12s n=%-4d bg=%-5d first=%s coh=%.0f L=%.2f R=%.2f surge=%.2f score=%.1f burst=%s\n",
				i+1, tm.Term, tm.Count, tm.BackgroundCount, tm.FirstSeen.Format("2006-01-02"), tm.Cohesion, tm.LeftEntropy, tm.RightEntropy, tm.Surge, tm.Score, b)
		}
	}
}

func topN() int {
	var n int
	if _, err := fmt.Sscan(os.Getenv("TRUSTWATCH_TERMS_TOP"), &n); err != nil || n <= 0 {
		return 30
	}
	return n
}

// millionPosts streams 1,000,000 synthetic posts built from the hot-search
// archive: post k joins five consecutive titles from position k·5 + pass
// (cycling through the archive, six passes, each pass shifted by one title
// so that no post repeats) with "，", and takes the time of its first
// title: posts of about 60 characters of real Weibo language, each title
// seen about 6 times. keep selects the posts by time.
func millionPosts(titles []Doc, keep func(time.Time) bool) Source {
	return func(fn func(*Doc) error) error {
		var b strings.Builder
		var d Doc
		for k := range 1_000_000 {
			first := titles[(k*5+k*5/len(titles))%len(titles)]
			if !keep(first.Time) {
				continue
			}
			b.Reset()
			for j := range 5 {
				if j > 0 {
					b.WriteString("，")
				}
				b.WriteString(titles[(k*5+j+k*5/len(titles))%len(titles)].Text)
			}
			d = Doc{ID: "p" + strconv.Itoa(k), Time: first.Time, Text: b.String()}
			if err := fn(&d); err != nil {
				return err
			}
		}
		return nil
	}
}

// TestMillionPosts is the benchmark of docs/terms.md: discovery over a
// million posts. Run with TRUSTWATCH_TERMS_1M=1 under /usr/bin/time -v.
func TestMillionPosts(t *testing.T) {
	if os.Getenv("TRUSTWATCH_TERMS_1M") == "" {
		t.Skip("set TRUSTWATCH_TERMS_1M=1 to run discovery over a million posts")
	}
	titles := loadHotSearch(t)
	loc := trustwatch.DefaultLocation()
	from := time.Date(2025, 1, 1, 0, 0, 0, 0, loc)
	all := func(time.Time) bool { return true }
	if os.Getenv("TRUSTWATCH_TERMS_1M") != "split" {
		start := time.Now()
		terms, err := Find(millionPosts(titles, all), nil, nil, Options{Top: 50})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("all 1M posts as window: %d terms in %.1fs\n", len(terms), time.Since(start).Seconds())
		return
	}
	start := time.Now()
	terms, err := Find(millionPosts(titles, func(t time.Time) bool { return !t.Before(from) }),
		millionPosts(titles, func(t time.Time) bool { return t.Before(from) }), nil,
		Options{Top: 50, From: from, To: time.Date(2026, 9, 1, 0, 0, 0, 0, loc)})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("1M posts: window from 2025 vs background before: %d terms in %.1fs\n", len(terms), time.Since(start).Seconds())
	for i, tm := range terms[:min(10, len(terms))] {
		fmt.Printf("%2d %s %d/%d\n", i+1, tm.Term, tm.Count, tm.BackgroundCount)
	}
}

// TestHotSearchDays prints the top terms of the days named in
// TRUSTWATCH_TERMS_DAYS (e.g. "2024-12-09"), each against the 30 days
// before it: how Detect sees the archive.
func TestHotSearchDays(t *testing.T) {
	days := os.Getenv("TRUSTWATCH_TERMS_DAYS")
	if days == "" {
		t.Skip("set TRUSTWATCH_TERMS_DAYS=2024-12-09,... to print the daily report")
	}
	docs := loadHotSearch(t)
	loc := trustwatch.DefaultLocation()
	for _, s := range strings.Split(days, ",") {
		from, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(s), loc)
		if err != nil {
			t.Fatal(err)
		}
		to, bgFrom := from.AddDate(0, 0, 1), from.AddDate(0, 0, -30)
		var win, bg []Doc
		for _, d := range docs {
			if !d.Time.Before(bgFrom) && d.Time.Before(from) {
				bg = append(bg, d)
			} else if !d.Time.Before(from) && d.Time.Before(to) {
				win = append(win, d)
			}
		}
		terms, err := Find(Docs(win), Docs(bg), nil, Options{From: from, To: to, Top: topN(), MinCount: 2})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("== %s: %d titles, background %d\n", s, len(win), len(bg))
		for i, tm := range terms {
			fmt.Printf("%2d %-12s n=%-3d bg=%-4d first=%s\n", i+1, tm.Term, tm.Count, tm.BackgroundCount, tm.FirstSeen.Format("2006-01-02"))
		}
	}
}
