package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/sqlite"
)

// termsStore writes a store: bgDays days of everyday chatter before
// 2025-03-20, then on 2025-03-20 the chatter and 8 posts each with labubu
// (a single Latin word: no split, so its cohesion was once +Inf) and
// 撕拉片, neither ever seen before (background count 0).
func termsStore(t *testing.T, bgDays int) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "tw.db")
	st, err := sqlite.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	loc := trustwatch.DefaultLocation()
	chatter := []string{"今天天气不错出去走走", "下午开会讨论新的方案", "周末去公园跑步锻炼身体", "晚饭吃了面条和饺子", "这个城市的交通太堵了", "明天早上要早点起床"}
	leads := []string{"刚买了", "朋友送的", "终于抢到", "排队买", "又看到", "想要"}
	day := time.Date(2025, 3, 20, 0, 0, 0, 0, loc)
	var items []trustwatch.Item
	for d := -bgDays; d <= 0; d++ {
		for i := range 30 {
			items = append(items, trustwatch.Item{ID: fmt.Sprintf("c%d-%d", d+bgDays, i), Platform: "weibo", Kind: trustwatch.KindPost,
				Text: chatter[(i+d+bgDays)%len(chatter)], Time: day.AddDate(0, 0, d).Add(time.Duration(i) * 20 * time.Minute)})
		}
	}
	for i := range 8 {
		items = append(items, trustwatch.Item{ID: fmt.Sprintf("n%d", i), Platform: "weibo", Kind: trustwatch.KindPost,
			Text: leads[i%len(leads)] + "labubu，" + leads[(i+3)%len(leads)] + "撕拉片" + chatter[i%len(chatter)], Time: day.Add(time.Duration(10+i) * time.Hour)})
	}
	if _, _, err := st.PutItems(context.Background(), items); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestTermsJSONZeroBackground: terms never seen before encode as JSON, and
// every number in it is finite (JSON cannot carry an infinity; the
// command once failed with "json: unsupported value: +Inf").
func TestTermsJSONZeroBackground(t *testing.T) {
	db := termsStore(t, 10)
	code, out, errs := runCmd(t, "terms", "--db", db, "--from", "2025-03-20", "--to", "2025-03-20", "--min-count", "3", "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if strings.Contains(errs, "not enough data") {
		t.Errorf("10 background days reported as not enough: %s", errs)
	}
	var found []map[string]any
	if err := json.Unmarshal([]byte(out), &found); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	seen := map[string]map[string]any{}
	for _, tm := range found {
		seen[tm["term"].(string)] = tm
	}
	for _, term := range []string{"labubu", "撕拉片"} {
		tm, ok := seen[term]
		if !ok {
			t.Fatalf("%s not found in %s", term, out)
		}
		if tm["background_count"].(float64) != 0 || tm["score"].(float64) <= 0 {
			t.Errorf("%s: background %v score %v, want 0 and a positive score", term, tm["background_count"], tm["score"])
		}
	}
	if c := seen["labubu"]["cohesion"].(float64); c != 0 {
		t.Errorf("labubu cohesion %v, want 0 (a single word has no split)", c)
	}
}

// TestTermsNotEnoughData: on a store with a day and a half of history the
// command says why a rise cannot be judged, in text and (on stderr) in
// JSON mode.
func TestTermsNotEnoughData(t *testing.T) {
	db := termsStore(t, 1)
	code, out, errs := runCmd(t, "terms", "--db", db, "--from", "2025-03-20", "--to", "2025-03-20", "--min-count", "3")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if want := "not enough data: the background has items on 1 day(s), at least 7 are needed"; !strings.Contains(out, want) {
		t.Errorf("output lacks %q:\n%s", want, out)
	}
	code, out, errs = runCmd(t, "terms", "--db", db, "--from", "2025-03-20", "--to", "2025-03-20", "--json")
	if code != exitOK || !strings.Contains(errs, "not enough data") {
		t.Errorf("json: exit %d, stderr %q; want the note on stderr", code, errs)
	}
	var found []json.RawMessage
	if err := json.Unmarshal([]byte(out), &found); err != nil {
		t.Errorf("json output does not parse: %v: %s", err, out)
	}
	code, out, _ = runCmd(t, "terms", "--db", db, "--from", "2025-04-01", "--to", "2025-04-01")
	if code != exitOK || !strings.Contains(out, "not enough data: no items in the window") {
		t.Errorf("empty window: exit %d, output %q", code, out)
	}
}
