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
	Series:  []trustwatch.SeriesDef{{ID: "xiaomi.price", Entity: "xiaomi", Kind: "price", Unit: "HKD", Name: "小米集团股价"}},
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
		Title: "小米 信任报告", Now: time.Date(2025, 3, 8, 9, 0, 0, 0, shanghai)})
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
	{report.SectionAlerts, "期末仍有 4 条预警未关闭（严重 1，高 2，中 1；比期初多 2 条，期初 2 条）"},
	{report.SectionClaims, "承诺「超级安全」违约中：10 条证据中 7 条与之相反（高，承诺违约中；2025-03-03 开启，仍未关闭）"},
	{report.SectionAspects, "「刹车」负面占比由 20% 升至 50%（+30 个百分点；n=40，上期 n=40；误差 ±15 个百分点：数据少）"},
	{report.SectionAspects, "「轮胎」负面占比由 20% 升至 42%（+22 个百分点；n=12，上期 n=10；误差 ±24 个百分点：数据少）"},
	{report.SectionTerms, "新外号「雷不群」指向雷军：3 天内被提及 120 次（中，外号；2025-03-04 开启，仍未关闭）"},
	{report.SectionService, "批次 B7 缺陷率 12%，高于控制上限 8%（高，失控批次；2025-02-25 开启，仍未关闭）"},
	{report.SectionService, "SOS 响应 P90 为 360 s，超过 60 s 的目标（低，SLA 超标；2025-03-02 开启，2025-03-06 已解决）"},
	{report.SectionMarket, "xiaomi.price 收于 36.1 HKD，创 7 个月新低（严重，创新低；2025-03-05 开启，仍未关闭）"},
	{report.SectionSentiment, "「小米」负面占比由 33% 升至 38%（+5 个百分点；n=92，上期 n=90）"},
	{report.SectionSentiment, "全部条目负面占比由 34% 升至 36%（+2 个百分点；n=97，上期 n=95）"},
}

var held = []want{
	{report.SectionAlerts, "本期解决了 1 条更早开启的预警（中 1）"},
	{report.SectionAspects, "「客服」负面占比由 50% 降至 25%（-25 个百分点；n=40，上期 n=40；误差 ±15 个百分点：数据少）"},
	{report.SectionSentiment, "「雷军」负面占比由 40% 降至 0%（-40 个百分点；n=5，上期 n=5；误差 ±33 个百分点：数据少）"},
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
		"# 小米 信任报告\n\n本期 2025-03-01 至 2025-03-07，对比上期 2025-02-22 至 2025-02-28。生成于 2025-03-08 09:00。误差范围（95% Wilson 区间）超过 ±10 个百分点的占比都注明“数据少”。\n",
		"## 变坏的\n\n### 未解决的预警\n\n- 期末仍有 [4](http://localhost:8080/alerts/a3) 条预警未关闭（严重 [1](http://localhost:8080/alerts/a3)，",
		// Each figure links to the evidence of its own period.
		"「刹车」负面占比由 [20%](http://localhost:8080/items/b-prev-01) 升至 [50%](http://localhost:8080/items/b-cur-01)（[+30 个百分点](http://localhost:8080/items/b-cur-01)；[n=40](http://localhost:8080/items/b-cur-01)，上期 [n=40](http://localhost:8080/items/b-prev-01)；",
		"上期 [n=10](http://localhost:8080/items/t-prev-01)；误差 [±24 个百分点](http://localhost:8080/items/t-cur-01)：数据少） **数据少：±24 个百分点**",
		"批次 B7 缺陷率 [12%](http://localhost:8080/alerts/a5)，",
		"SOS 响应 P90 为 [360](http://localhost:8080/alerts/a4) s，",
		"## 全部数据\n\n### 预警\n\n期末仍未关闭、本期开启或本期解决的预警。\n\n| 严重 | 类型 | 实体 | 开启 | 解决 | 数值 | 说明 |\n",
		"| [严重](http://localhost:8080/alerts/a3) | 创新低 | 小米 | 2025-03-05 |  | [36.10](http://localhost:8080/alerts/a3) |",
		"[[1]](http://localhost:8080/alerts/a3) [[2]](http://localhost:8080/series/xiaomi.price)",
		"| [刹车](http://localhost:8080/items/b-cur-01) | [40](http://localhost:8080/items/b-cur-01) |",
	} {
		if !strings.Contains(md, s) {
			t.Errorf("markdown lacks %q", s)
		}
	}
	worse, held, tables := strings.Index(md, "\n## 变坏的\n"), strings.Index(md, "\n## 持平或变好的\n"), strings.Index(md, "\n## 全部数据\n")
	if worse < 0 || held < worse || tables < held {
		t.Errorf("parts at %d, %d, %d: want worse, then held or improved, then the full tables", worse, held, tables)
	}
}
