package terms_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/detect/terms"
)

// brandScenario is 40 days of 60 ordinary posts from 2025-02-01, 3 a day
// about 小米. On day 35 two terms burst: 顶流妹, a celebrity's, in 40
// posts that mention no watched entity, and 断轴门, in 12 posts of which 9
// name 小米 and 3 are comments under a 小米 post that do not.
func brandScenario() (items []trustwatch.Item, start time.Time) {
	start = time.Date(2025, 2, 1, 0, 0, 0, 0, loc)
	g := lcg(9)
	for day := range 40 {
		for k := range 60 {
			at := start.AddDate(0, 0, day).Add(time.Duration(k) * 10 * time.Minute)
			text := sentence(&g)
			if k%20 == 0 {
				text = "小米" + verbs[g.next(len(verbs))] + "，" + tails[g.next(len(tails))]
			}
			items = append(items, trustwatch.Item{ID: fmt.Sprintf("d%02d-%03d", day, k), Time: at, Text: text})
		}
	}
	day35 := start.AddDate(0, 0, 35)
	for k := range 40 {
		items = append(items, trustwatch.Item{ID: fmt.Sprintf("star-%02d", k), Time: day35.Add(time.Duration(k) * 7 * time.Minute),
			Text: subjects[g.next(len(subjects))] + leads[g.next(len(leads))] + "顶流妹" + tails[g.next(len(tails))] + "，" + sentence(&g)})
	}
	for k := range 12 {
		it := trustwatch.Item{ID: fmt.Sprintf("axle-%02d", k), Time: day35.Add(time.Duration(k) * 11 * time.Minute),
			Text: subjects[g.next(len(subjects))] + leads[g.next(len(leads))] + "断轴门" + tails[g.next(len(tails))] + "，" + sentence(&g)}
		if k < 9 {
			it.Text = "小米" + verbs[g.next(len(verbs))] + "，" + it.Text
		} else {
			it.ParentID = "d35-000" // a 小米 post (k%20 == 0)
		}
		items = append(items, it)
	}
	slices.SortStableFunc(items, func(a, b trustwatch.Item) int { return a.Time.Compare(b.Time) })
	return items, start
}

var brandWatch = &trustwatch.Watch{Entities: []trustwatch.Entity{{ID: "xiaomi", Kind: trustwatch.EntityBrand, Name: "小米"}}}

// TestDetectScoped: of two terms bursting the same day, only the one about
// the watched brand is a detection; the celebrity's stays visible to
// Discover.
func TestDetectScoped(t *testing.T) {
	items, start := brandScenario()
	st := &memStore{items: items}
	now := start.AddDate(0, 0, 36)
	ds, err := terms.Detect(context.Background(), st, brandWatch, now, known)
	if err != nil {
		t.Fatal(err)
	}
	var subjects []string
	for _, d := range ds {
		subjects = append(subjects, d.Subject)
	}
	if len(ds) != 1 || ds[0].Subject != "断轴门" {
		t.Fatalf("detections %v, want 断轴门 alone", subjects)
	}
	d := ds[0]
	if d.Kind != terms.KindEmerging || d.Entity != "xiaomi" || !d.Time.Equal(start.AddDate(0, 0, 35)) {
		t.Errorf("detection = %+v, want term.emerging on xiaomi on day 35", d)
	}
	// In 小米's scope on day 35: the 3 ordinary 小米 posts, the 9 that name
	// it with the term and the 3 comments under d35-000: 12 of 15 have the
	// term; in the 30 background days 0 of 3·30 = 90.
	if want := "在提及小米的条目中当日 12/15 条，背景期 0/90 条"; !strings.Contains(d.Statement, want) {
		t.Errorf("statement %q lacks %q", d.Statement, want)
	}
	if len(d.Evidence) != 5 || !strings.HasPrefix(d.Evidence[0].ItemID, "axle-") {
		t.Errorf("evidence = %+v, want 5 items with the term", d.Evidence)
	}
	found, err := terms.Discover(context.Background(), st, brandWatch, terms.Options{From: start.AddDate(0, 0, 35), To: now, Known: known})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) == 0 || found[0].Term != "顶流妹" || found[0].About != nil {
		t.Errorf("Discover = %v, want 顶流妹 first, about no entity", termTexts(found))
	}
}

// TestDetectNeedsHistory: the nickname of scenario() bursts on days 35
// and 36. On a store whose items begin on day 28, day 35 has 7 background
// days and the nickname is raised on it; from day 29, day 35 has only 6 and
// Detect is silent until day 36.
func TestDetectNeedsHistory(t *testing.T) {
	docs, start := scenario()
	tests := []struct {
		firstDay int
		raised   []int // days with a detection, of 30..39
	}{
		{28, []int{35, 36}},
		{29, []int{36}},
		{34, nil},
	}
	for _, tt := range tests {
		st := &memStore{}
		for _, d := range docs {
			if !d.Time.Before(start.AddDate(0, 0, tt.firstDay)) {
				st.items = append(st.items, trustwatch.Item{ID: d.ID, Time: d.Time, Text: d.Text})
			}
		}
		var raised []int
		for day := 30; day < 40; day++ {
			ds, err := terms.Detect(context.Background(), st, watch, start.AddDate(0, 0, day+1), nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(ds) > 0 {
				raised = append(raised, day)
			}
		}
		if !slices.Equal(raised, tt.raised) {
			t.Errorf("store from day %d: detections on days %v, want %v", tt.firstDay, raised, tt.raised)
		}
	}
}

// TestNicknameExclusions: a term that is another watched person's name,
// or a dictionary word, is never linked as a nickname, though it shares a
// sound or a character with the person and rises with them; a real
// nickname in the same corpus still is. 俞敏洪 sounds like 董宇辉 (俞~宇)
// and 回应 shares nothing but co-occurs, so only 董不群 is a nickname.
func TestNicknameExclusions(t *testing.T) {
	g := lcg(4)
	day := time.Date(2025, 7, 1, 0, 0, 0, 0, loc)
	var win []terms.Doc
	for k := range 600 {
		text := sentence(&g)
		switch {
		case k < 40:
			text = "董宇辉" + verbs[g.next(len(verbs))] + "，" + subjects[g.next(len(subjects))] + leads[g.next(len(leads))] + "俞敏洪" + tails[g.next(len(tails))]
		case k < 80:
			text = "董宇辉" + verbs[g.next(len(verbs))] + "，" + subjects[g.next(len(subjects))] + leads[g.next(len(leads))] + "董不群" + tails[g.next(len(tails))]
		case k < 120:
			text = "董宇辉" + verbs[g.next(len(verbs))] + "，" + subjects[g.next(len(subjects))] + leads[g.next(len(leads))] + "辉回应" + tails[g.next(len(tails))]
		}
		win = append(win, terms.Doc{ID: fmt.Sprint(k), Time: day.Add(time.Duration(k) * time.Minute), Text: text})
	}
	w := &trustwatch.Watch{Entities: []trustwatch.Entity{
		{ID: "dongyuhui", Kind: trustwatch.EntityPerson, Name: "董宇辉"},
		{ID: "yuminhong", Kind: trustwatch.EntityPerson, Name: "俞敏洪"},
	}}
	dict := func(s string) bool { return s == "辉回应" || known(s) }
	got, err := terms.Find(terms.Docs(win), nil, w, terms.Options{Top: 100, Known: dict})
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]terms.Term{}
	for _, tm := range got {
		by[tm.Term] = tm
	}
	if tm := by["董不群"]; !tm.Nickname || tm.LinkedEntity != "dongyuhui" || len(tm.LinkExamples) == 0 {
		t.Errorf("董不群 = nickname %v of %q, examples %v; want a nickname of dongyuhui with evidence; terms %v",
			tm.Nickname, tm.LinkedEntity, tm.LinkExamples, termTexts(got))
	}
	for _, s := range []string{"俞敏洪", "辉回应"} {
		tm, ok := by[s]
		if !ok {
			t.Errorf("%s not found: the test proves nothing; terms %v", s, termTexts(got))
		}
		if tm.Nickname {
			t.Errorf("%s is a nickname of %s: %q", s, tm.LinkedEntity, tm.LinkReasons)
		}
	}
}

// FuzzFindFinite: whatever the texts and however thin the background
// (none, or one without any of the window's terms), every float Find
// reports is finite and the terms encode as JSON.
func FuzzFindFinite(f *testing.F) {
	f.Add("labubu labubu 小米su7 [doge]", "", 3)
	f.Add("雷不群又来了，yu7", "今天天气不错", 1)
	f.Add("deepseek，deepseek！撕拉片", "别的话题", 0)
	f.Fuzz(func(t *testing.T, window, background string, days int) {
		days = max(0, days%10)
		var win, bg []terms.Doc
		day := time.Date(2025, 3, 10, 0, 0, 0, 0, loc)
		for k := range 8 {
			win = append(win, terms.Doc{ID: fmt.Sprint("w", k), Time: day.Add(time.Duration(k) * time.Hour), Text: window + fmt.Sprint(k%3), Thread: "w0", Entities: []string{"leijun"}})
		}
		for d := range days {
			bg = append(bg, terms.Doc{ID: fmt.Sprint("b", d), Time: day.AddDate(0, 0, -1-d), Text: background})
		}
		r, err := terms.FindResult(terms.Docs(win), terms.Docs(bg), watch, terms.Options{MinCount: 2, From: day, To: day.AddDate(0, 0, 1), MinCohesion: 1e-9, MinFreedom: 1e-9})
		if err != nil {
			t.Fatal(err)
		}
		for _, tm := range r.Terms {
			assertFinite(t, tm.Term, reflect.ValueOf(tm))
		}
		if _, err := json.Marshal(r.Terms); err != nil {
			t.Fatal(err)
		}
	})
}

func assertFinite(t *testing.T, path string, v reflect.Value) {
	t.Helper()
	if v.Type() == reflect.TypeFor[time.Time]() {
		return
	}
	switch v.Kind() {
	case reflect.Float32, reflect.Float64:
		if f := v.Float(); math.IsNaN(f) || math.IsInf(f, 0) {
			t.Fatalf("%s = %v", path, f)
		}
	case reflect.Pointer:
		if !v.IsNil() {
			assertFinite(t, path, v.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			assertFinite(t, path+"."+v.Type().Field(i).Name, v.Field(i))
		}
	case reflect.Slice:
		for i := range v.Len() {
			assertFinite(t, fmt.Sprintf("%s[%d]", path, i), v.Index(i))
		}
	}
}

func BenchmarkFindScoped(b *testing.B) {
	items, start := brandScenario()
	var win, bg []terms.Doc
	from := start.AddDate(0, 0, 35)
	for _, it := range items {
		d := terms.Doc{ID: it.ID, Time: it.Time, Text: it.Text, Thread: it.ParentID}
		if it.Time.Before(from) {
			bg = append(bg, d)
		} else if it.Time.Before(from.AddDate(0, 0, 1)) {
			win = append(win, d)
		}
	}
	opt := terms.Options{From: from, To: from.AddDate(0, 0, 1), Scoped: true, NewOnly: true, Top: 20}
	for b.Loop() {
		if _, err := terms.Find(terms.Docs(win), terms.Docs(bg), brandWatch, opt); err != nil {
			b.Fatal(err)
		}
	}
}
