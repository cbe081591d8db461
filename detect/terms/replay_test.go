package terms_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/detect/terms"
	"trustwatch/sqlite"
)

// replayStore is a SQLite store with the nickname scenario (雷不群 rising
// on days 35 and 36), the brand scenario under ids of its own (断轴门 on
// day 35, about 小米) and, on days 20–39, a comment at local midnight
// under the previous day's 小米 post, so that scopes inherited from a root
// cross day boundaries and the background's edges.
func replayStore(t *testing.T) (*sqlite.DB, time.Time) {
	t.Helper()
	docs, start := scenario()
	var items []trustwatch.Item
	for _, d := range docs {
		items = append(items, trustwatch.Item{ID: d.ID, Platform: "weibo", Time: d.Time, Text: d.Text})
	}
	brand, _ := brandScenario()
	for _, it := range brand {
		it.ID, it.Platform = "b"+it.ID, "weibo"
		if it.ParentID != "" {
			it.ParentID = "b" + it.ParentID
		}
		items = append(items, it)
	}
	for day := 20; day < 40; day++ {
		items = append(items, trustwatch.Item{
			ID: fmt.Sprintf("mid-%02d", day), Platform: "weibo", Time: start.AddDate(0, 0, day),
			ParentID: fmt.Sprintf("bd%02d-000", day-1), Text: "断轴门又来了，" + tails[day%len(tails)],
		})
	}
	slices.SortStableFunc(items, func(a, b trustwatch.Item) int { return a.Time.Compare(b.Time) })
	db, err := sqlite.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if stored, _, err := db.PutItems(context.Background(), items); err != nil || stored != len(items) {
		t.Fatalf("stored %d of %d: %v", stored, len(items), err)
	}
	return db, start
}

// TestReplayAsDetectEachDay checks the replay (days read once and kept)
// against the full computation: Detect at the end of every day, reading
// its window and background from the store, with the same rule for
// nicknames. Detections must be equal in every field.
func TestReplayAsDetectEachDay(t *testing.T) {
	db, start := replayStore(t)
	ctx := context.Background()
	for _, tt := range []struct {
		name     string
		from, to time.Time
	}{
		// 12:00 on day 35 is the time of its 13th post with 雷不群.
		{"days 25 to 35, ending at noon", start.AddDate(0, 0, 25), start.AddDate(0, 0, 35).Add(12 * time.Hour)},
		{"days 30 to 39, ending mid-day", start.AddDate(0, 0, 30), start.AddDate(0, 0, 39).Add(13*time.Hour + 30*time.Second)},
		{"every day, from before the first item", start.AddDate(0, 0, -2), start.AddDate(0, 0, 40)},
		{"one day", start.AddDate(0, 0, 35), start.AddDate(0, 0, 36)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := trustwatch.DetectInput{Items: db, Watch: watch, Location: loc, From: tt.from, To: tt.to, Known: known}
			got, err := terms.Detector{}.Detect(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			var want []trustwatch.Detection
			nickname := map[string]bool{}
			for _, step := range trustwatch.ReplayTimes(in.From, in.To, in.Location, false) {
				ds, err := terms.Detect(ctx, db, in.Watch, step.At, in.Known)
				if err != nil {
					t.Fatal(err)
				}
				for _, d := range ds {
					nickname[d.Subject] = nickname[d.Subject] || d.Kind == terms.KindNickname
				}
				want = append(want, ds...)
			}
			want = slices.DeleteFunc(want, func(d trustwatch.Detection) bool { return d.Kind == terms.KindEmerging && nickname[d.Subject] })
			if !reflect.DeepEqual(got, want) {
				t.Errorf("replay differs from Detect each day:\n got %s\nwant %s", subjectsOf(got), subjectsOf(want))
			}
			// The terms of the scenarios must be found, or nothing was
			// compared.
			if len(want) == 0 {
				t.Errorf("no detections to compare")
			}
			for _, s := range []string{"雷不群", "断轴门"} {
				if tt.name != "every day, from before the first item" {
					break
				}
				if !slices.ContainsFunc(want, func(d trustwatch.Detection) bool { return d.Subject == s }) {
					t.Errorf("no detection of %s in %s", s, subjectsOf(want))
				}
			}
		})
	}
}

func subjectsOf(ds []trustwatch.Detection) string {
	var out []string
	for _, d := range ds {
		out = append(out, fmt.Sprintf("%s %s %s %.3f ev%d", d.Time.Format("01-02"), d.Kind, d.Subject, d.Value, len(d.Evidence)))
	}
	return fmt.Sprint(out)
}
