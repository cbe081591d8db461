package terms_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/detect/terms"
)

var loc = trustwatch.DefaultLocation()

// Sentence material for the synthetic corpus: every post joins a subject, a
// verb phrase and a tail chosen by a fixed pseudo-random walk, so ordinary
// n-grams recur at steady rates in varied company.
var (
	subjects = []string{"今天", "网友", "记者", "车主", "我们", "大家", "朋友", "媒体", "用户", "专家", "邻居", "同事"}
	verbs    = []string{"去看了新车", "讨论续航问题", "吐槽售后服务", "晒出提车照片", "关注电池安全", "比较价格配置", "聊起智能驾驶", "抱怨等车太久", "说起刹车盘", "分享试驾体验", "质疑宣传数据", "夸了内饰做工"}
	tails    = []string{"真的", "太难了", "怎么看", "还行吧", "有点意外", "说实话", "笑死", "无语", "值得吗", "期待", "破防了", "离谱"}
	leads    = []string{"说", "骂", "笑", "又是", "还是", "叫他", "这个", "那个", "就是"}
	places   = []string{"在", "去", "进", "建", "到", "住进", "离开", "参观"}
)

// lcg is a small deterministic generator for test material.
type lcg uint64

func (g *lcg) next(n int) int {
	*g = *g*6364136223846793005 + 1442695040888963407
	return int(uint64(*g)>>33) % n
}

func sentence(g *lcg) string {
	return subjects[g.next(len(subjects))] + verbs[g.next(len(verbs))] + "，" + tails[g.next(len(tails))]
}

// scenario builds 40 days of 60 ordinary posts a day from 2025-02-01; the
// nickname 雷不群 appears on day 34 (2 posts), rises on day 35 (25) and
// day 36 (60), in varied company, a third of the time beside 雷军.
func scenario() (docs []terms.Doc, start time.Time) {
	start = time.Date(2025, 2, 1, 0, 0, 0, 0, loc)
	g := lcg(7)
	rise := map[int]int{34: 2, 35: 25, 36: 60}
	for day := range 40 {
		for k := range 60 + rise[day] {
			at := start.AddDate(0, 0, day).Add(time.Duration(k) * 10 * time.Minute)
			text := sentence(&g)
			if k >= 60 {
				text = subjects[g.next(len(subjects))] + leads[g.next(len(leads))] + "雷不群" + tails[g.next(len(tails))] + "，" + sentence(&g)
				if k%3 == 0 {
					text = "雷军" + verbs[g.next(len(verbs))] + "，" + text
				}
			} else if k%20 == 0 {
				text = "雷军" + verbs[g.next(len(verbs))] + "，" + tails[g.next(len(tails))]
			}
			docs = append(docs, terms.Doc{ID: fmt.Sprintf("d%02d-%03d", day, k), Time: at, Text: text})
		}
	}
	return docs, start
}

var watch = &trustwatch.Watch{Entities: []trustwatch.Entity{
	{ID: "xiaomi", Kind: trustwatch.EntityBrand, Name: "小米"},
	{ID: "leijun", Kind: trustwatch.EntityPerson, Name: "雷军", Aliases: []string{"雷总"}},
}}

// known is a stand-in dictionary: it knows the ordinary words of the
// corpus, not the nickname.
func known(w string) bool {
	for _, list := range [][]string{subjects, verbs, tails, leads} {
		for _, s := range list {
			if strings.Contains(s, w) {
				return true
			}
		}
	}
	return false
}

func TestFindNickname(t *testing.T) {
	docs, start := scenario()
	day35, day36 := start.AddDate(0, 0, 35), start.AddDate(0, 0, 36)
	var win, bg []terms.Doc
	for _, d := range docs {
		switch {
		case !d.Time.Before(day35) && d.Time.Before(day36.AddDate(0, 0, 1)):
			win = append(win, d)
		case d.Time.Before(day35):
			bg = append(bg, d)
		}
	}
	got, err := terms.Find(terms.Docs(win), terms.Docs(bg), watch, terms.Options{From: day35, To: day36.AddDate(0, 0, 1), Known: known, Top: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 || got[0].Term != "雷不群" {
		t.Fatalf("top terms = %v, want 雷不群 first", termTexts(got))
	}
	top := got[0]
	if !top.New || top.Count != 85 || top.BackgroundCount != 2 || !top.Nickname || top.LinkedEntity != "leijun" {
		t.Errorf("雷不群 = new %v count %d bg %d nickname %v linked %q; want new, 85, 2, nickname of leijun",
			top.New, top.Count, top.BackgroundCount, top.Nickname, top.LinkedEntity)
	}
	if want := start.AddDate(0, 0, 34); !top.FirstSeen.Equal(want.Add(600 * time.Minute)) {
		t.Errorf("first seen %v, want day 34 at 10:00 (the first rise post)", top.FirstSeen)
	}
	reasons := strings.Join(top.LinkReasons, " | ")
	for _, want := range []string{"与「雷军」共用「雷」", "化用岳不群（伪君子）", "按帖子的 PMI"} {
		if !strings.Contains(reasons, want) {
			t.Errorf("link reasons %q lack %q", reasons, want)
		}
	}
	if top.Burst == nil || !top.Burst.Start.Equal(day35) || !top.Burst.End.Equal(day36) {
		t.Errorf("burst = %+v, want %s..%s", top.Burst, day35.Format("01-02"), day36.Format("01-02"))
	}
	// Daily: 30 context days and the 2 window days; the last three are 2, 25, 60.
	if n := len(top.Daily); n != 32 {
		t.Fatalf("daily has %d days, want 32", n)
	}
	if c := top.Daily; c[29].Count != 2 || c[30].Count != 25 || c[31].Count != 60 || c[31].Docs != 120 {
		t.Errorf("last daily = %+v, want 2, 25, 60 of 120", c[29:])
	}
	if len(top.Examples) != 5 || !strings.HasPrefix(top.Examples[0], "d35-") {
		t.Errorf("examples = %v, want 5 posts from day 35", top.Examples)
	}
	for _, tm := range got {
		if tm.Term != "雷不群" && strings.Contains("雷不群", tm.Term) {
			t.Errorf("fragment %q kept beside 雷不群", tm.Term)
		}
	}
}

func TestFindCollapsesOverlaps(t *testing.T) {
	g := lcg(3)
	var docs []terms.Doc
	// 60 posts with the term among 600 without: cohesion of 方舱医院 is
	// about N/60 for N characters, so the corpus must not be tiny.
	for k := range 660 {
		text := sentence(&g)
		if k%11 == 0 {
			text = subjects[g.next(len(subjects))] + places[g.next(len(places))] + "方舱医院" + tails[g.next(len(tails))] + "，" + text
		}
		docs = append(docs, terms.Doc{ID: fmt.Sprint(k), Time: time.Date(2022, 4, 1, k%24, 0, 0, 0, loc), Text: text})
	}
	got, err := terms.Find(terms.Docs(docs), nil, nil, terms.Options{Top: 100})
	if err != nil {
		t.Fatal(err)
	}
	texts := termTexts(got)
	if !slices.Contains(texts, "方舱医院") {
		t.Fatalf("terms = %v, want 方舱医院", texts)
	}
	for _, frag := range []string{"方舱", "方舱医", "舱医院", "医院", "在方舱医院"} {
		if slices.Contains(texts, frag) {
			t.Errorf("terms = %v: fragment %q not collapsed into 方舱医院", texts, frag)
		}
	}
}

func TestFindNewOnly(t *testing.T) {
	docs, start := scenario()
	opt := terms.Options{From: start.AddDate(0, 0, 36), To: start.AddDate(0, 0, 37), Known: known, NewOnly: true}
	var win, bg []terms.Doc
	for _, d := range docs {
		if d.Time.Before(opt.From) {
			bg = append(bg, d)
		} else if d.Time.Before(opt.To) {
			win = append(win, d)
		}
	}
	got, err := terms.Find(terms.Docs(win), terms.Docs(bg), watch, opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, tm := range got {
		if !tm.New {
			t.Errorf("NewOnly returned known term %q", tm.Term)
		}
	}
	if len(got) == 0 || got[0].Term != "雷不群" {
		t.Errorf("NewOnly terms = %v, want 雷不群 first", termTexts(got))
	}
}

func termTexts(ts []terms.Term) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Term)
	}
	return out
}

// memStore serves items from memory in time order.
type memStore struct {
	trustwatch.ItemStore // other methods are not used
	items                []trustwatch.Item
}

func (s *memStore) EachItem(_ context.Context, f trustwatch.ItemFilter, fn func(*trustwatch.Item) error) error {
	for i := range s.items {
		it := &s.items[i]
		if it.Time.Before(f.From) || !f.To.IsZero() && !it.Time.Before(f.To) {
			continue
		}
		if f.Entity != "" && !slices.Contains(it.Entities, f.Entity) {
			continue
		}
		if err := fn(it); err != nil {
			return err
		}
	}
	return nil
}

func (s *memStore) Span(context.Context) (time.Time, time.Time, int64, error) {
	if len(s.items) == 0 {
		return time.Time{}, time.Time{}, 0, nil
	}
	return s.items[0].Time, s.items[len(s.items)-1].Time, int64(len(s.items)), nil
}

// TestDetectCatchesTheRightDay runs Detect at the end of each day: the
// nickname must be raised first on day 35, when it rises, not on day 34
// when it appears twice.
func TestDetectCatchesTheRightDay(t *testing.T) {
	docs, start := scenario()
	st := &memStore{}
	for _, d := range docs {
		st.items = append(st.items, trustwatch.Item{ID: d.ID, Time: d.Time, Text: d.Text})
	}
	first := -1
	var caught trustwatch.Detection
	for day := 30; day < 40 && first < 0; day++ {
		now := start.AddDate(0, 0, day+1)
		ds, err := terms.Detect(context.Background(), st, watch, now, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			if d.Kind == terms.KindNickname && d.Subject == "雷不群" {
				first, caught = day, d
			}
		}
	}
	if first != 35 {
		t.Fatalf("nickname first raised on day %d, want 35", first)
	}
	if caught.Entity != "leijun" || !caught.Time.Equal(start.AddDate(0, 0, 35)) || caught.Severity != trustwatch.SeverityHigh {
		t.Errorf("detection = %+v, want entity leijun, time day 35, severity high", caught)
	}
	// The burst starts on day 34 (3月7日): 2 of 62 posts is far above the
	// base rate, and one day of entry costs less than it explains.
	if want := "新词「雷不群」3月7日起爆发，疑似指向雷军的绰号：当日 25 条，背景期日均 0.1 条"; !strings.HasPrefix(caught.Statement, want) {
		t.Errorf("statement = %q, want prefix %q", caught.Statement, want)
	}
	if len(caught.Evidence) != 5 || caught.Evidence[0].ItemID != "d35-060" {
		t.Errorf("evidence = %+v, want the day's first 5 posts with the nickname from d35-060", caught.Evidence)
	}
}

func BenchmarkFind(b *testing.B) {
	docs, start := scenario()
	opt := terms.Options{From: start.AddDate(0, 0, 35), To: start.AddDate(0, 0, 37)}
	var win, bg []terms.Doc
	for _, d := range docs {
		if d.Time.Before(opt.From) {
			bg = append(bg, d)
		} else {
			win = append(win, d)
		}
	}
	for b.Loop() {
		if _, err := terms.Find(terms.Docs(win), terms.Docs(bg), watch, opt); err != nil {
			b.Fatal(err)
		}
	}
}
