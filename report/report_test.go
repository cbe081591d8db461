package report_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/report"
	"trustwatch/sqlite"
)

var (
	shanghai = trustwatch.DefaultLocation()
	from     = time.Date(2025, 3, 1, 0, 0, 0, 0, shanghai)
	to       = time.Date(2025, 3, 8, 0, 0, 0, 0, shanghai)
)

var watch = &trustwatch.Watch{
	Entities: []trustwatch.Entity{
		{ID: "xiaomi", Kind: trustwatch.EntityBrand, Name: "小米"},
		{ID: "leijun", Kind: trustwatch.EntityPerson, Name: "雷军", Parent: "xiaomi"},
	},
	Aspects: []trustwatch.AspectDef{{ID: "brakes", Name: "刹车"}, {ID: "tyres", Name: "轮胎"}, {ID: "service", Name: "客服"}},
}

// fixtureStore opens an in-memory store holding testdata: 192 items over
// the period and the one before it, seven alerts and a price series.
func fixtureStore(t testing.TB) trustwatch.Store {
	t.Helper()
	db, err := sqlite.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()

	var items []trustwatch.Item
	readJSONL(t, "items.jsonl", func(dec func(any) error) {
		var it trustwatch.Item
		if err := dec(&it); err != nil {
			t.Fatal(err)
		}
		items = append(items, it)
	})
	if n, _, err := db.PutItems(ctx, items); err != nil || n != len(items) {
		t.Fatalf("PutItems: %d of %d stored, %v", n, len(items), err)
	}
	var pts []trustwatch.Point
	readJSONL(t, "points.jsonl", func(dec func(any) error) {
		var p trustwatch.Point
		if err := dec(&p); err != nil {
			t.Fatal(err)
		}
		pts = append(pts, p)
	})
	if _, _, err := db.PutPoints(ctx, pts); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join("testdata", "alerts.json"))
	if err != nil {
		t.Fatal(err)
	}
	var alerts []trustwatch.Alert
	if err := json.Unmarshal(raw, &alerts); err != nil {
		t.Fatal(err)
	}
	for i := range alerts {
		if err := db.PutAlert(ctx, &alerts[i]); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func readJSONL(t testing.TB, name string, fn func(dec func(any) error)) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Bytes()
		fn(func(v any) error { return json.Unmarshal(line, v) })
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
}

func build(t testing.TB, baseURL string) *report.Report {
	t.Helper()
	r, err := report.Build(context.Background(), fixtureStore(t), watch, report.Options{From: from, To: to, BaseURL: baseURL,
		Title: "小米 trust report", Now: time.Date(2025, 3, 8, 9, 0, 0, 0, shanghai)})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

type want struct{ section, sentence string }

// firstPage is what the fixtures must put on the first page, in order,
// worked out by hand from testdata:
//   - alerts open on 8 March: a1 high, a2 medium, a3 critical, a5 high (4);
//     open on 1 March: a5 and a6 (2);
//   - brakes: 8/40 = 20% negative before, 20/40 = 50% now;
//     tyres: 2/10 = 20% before, 5/12 = 41.7% now (+21.7 pts);
//   - 小米 (brakes, tyres, service items): 30/90 = 33.3% → 35/92 = 38.0%
//     (+4.7); all items add 雷军's 2/5 and 0/5: 32/95 = 33.7% → 35/97 =
//     36.1% (+2.4), so 小米 comes first.
var firstPage = []want{
	{report.SectionAlerts, "4 alerts open at the end of the period (1 critical, 2 high, 1 medium; +2 since its start, when 2 were open)."},
	{report.SectionClaims, "Claim 「超级安全」 is defaulting: 7 of 10 evidence items contradict it (high, claim.defaulting; opened 2025-03-03, still open)."},
	{report.SectionAspects, "Negative share of 刹车 rose from 20% to 50% (+30 pts; n=40, before n=40)."},
	{report.SectionAspects, "Negative share of 轮胎 rose from 20% to 42% (+22 pts; n=12, before n=10; n<30: little data)."},
	{report.SectionTerms, "New nickname 「雷不群」 linked to 雷军: 120 mentions in 3 days (medium, term.nickname; opened 2025-03-04, still open)."},
	{report.SectionService, "Batch B7 defect rate 12% is above the upper control limit of 8% (high, spc.out_of_control; opened 2025-02-25, still open)."},
	{report.SectionService, "SOS response p90 of 360 s exceeds the 60 s target (low, sla.breach; opened 2025-03-02, resolved 2025-03-06)."},
	{report.SectionMarket, "Share price 36.1 HKD is a 7-month low (critical, metric.low; opened 2025-03-05, still open)."},
	{report.SectionSentiment, "Negative share of items about 小米 rose from 33% to 38% (+5 pts; n=92, before n=90)."},
	{report.SectionSentiment, "Negative share of all items rose from 34% to 36% (+2 pts; n=97, before n=95)."},
}

var held = []want{
	{report.SectionAlerts, "1 alert opened earlier was resolved in the period (1 medium)."},
	{report.SectionAspects, "Negative share of 客服 fell from 50% to 25% (-25 pts; n=40, before n=40)."},
	{report.SectionSentiment, "Negative share of items about 雷军 fell from 40% to 0% (-40 pts; n=5, before n=5; n<30: little data)."},
}

func TestBuild(t *testing.T) {
	r := build(t, "")
	check := func(name string, got []report.Finding, want []want) {
		t.Helper()
		for i := range max(len(got), len(want)) {
			switch {
			case i >= len(got):
				t.Errorf("%s[%d]: missing, want %q", name, i, want[i].sentence)
			case i >= len(want):
				t.Errorf("%s[%d]: unexpected %q", name, i, got[i].Sentence)
			case got[i].Section != want[i].section || got[i].Sentence != want[i].sentence:
				t.Errorf("%s[%d]:\n got %s: %q\nwant %s: %q", name, i, got[i].Section, got[i].Sentence, want[i].section, want[i].sentence)
			}
		}
	}
	check("worse", r.Worse, firstPage)
	check("held", r.Held, held)

	for _, f := range r.Findings() {
		if len(f.Evidence) == 0 {
			t.Errorf("%s %q: no evidence", f.ID, f.Sentence)
		}
	}
	tyres := r.Worse[3]
	if !tyres.LittleData || tyres.N != 12 || tyres.Change == nil || *tyres.Change < 21.6 || *tyres.Change > 21.7 {
		t.Errorf("tyres: little %v n %d change %v, want little data, n=12, +21.67 pts", tyres.LittleData, tyres.N, tyres.Change)
	}
	// The evidence of a rising complaint is the complaints themselves.
	for _, l := range r.Worse[2].Evidence {
		if it := r.Items[l.ID]; it == nil || it.Sentiment != trustwatch.Negative || !strings.HasPrefix(it.ID, "b-cur-") {
			t.Errorf("brakes evidence %s: want a negative brakes item of the period, got %+v", l.ID, it)
		}
	}
	if pts := r.Series["xiaomi.price"]; len(pts) != 12 {
		t.Errorf("price series in the report: %d points, want the 12 of both periods (from 22 February)", len(pts))
	}
}

func TestBuildInvalidPeriod(t *testing.T) {
	_, err := report.Build(context.Background(), fixtureStore(t), watch, report.Options{From: to, To: from})
	if trustwatch.ErrorCode(err) != trustwatch.EINVALID {
		t.Errorf("err = %v, want EINVALID", err)
	}
}

func TestMarkdown(t *testing.T) {
	r := build(t, "http://localhost:8080/")
	var buf bytes.Buffer
	if err := r.Markdown(&buf); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	for _, s := range []string{
		"## What got worse\n\n### Open alerts\n\n- [4](http://localhost:8080/alerts/a3) alerts open",
		"Negative share of 刹车 rose from [20%](http://localhost:8080/items/b-cur-01)",
		"**little data: n=12**",
		"[[1]](http://localhost:8080/alerts/a3) [[2]](http://localhost:8080/series/xiaomi.price)",
		"| [刹车](http://localhost:8080/items/b-cur-01) | [40](http://localhost:8080/items/b-cur-01) |",
	} {
		if !strings.Contains(md, s) {
			t.Errorf("markdown lacks %q", s)
		}
	}
	if strings.Index(md, "## What got worse") > strings.Index(md, "## What held or improved") {
		t.Error("held comes before worse")
	}
}
