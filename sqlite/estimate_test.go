package sqlite_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"trustwatch"
)

// A search with Estimate counts exactly up to it and estimates a larger
// total (an Estimate under 100 only stops the count); the page of items is
// the same as without an estimate.
func TestFindItems_Estimate(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	// 3,000 items, every third about brakes (1,000), spread evenly in
	// the order they are stored, their times shuffled against it.
	start := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	var items []trustwatch.Item
	for i := range 3000 {
		text := "续航 不错"
		if i%3 == 0 {
			text = "刹车 偏软"
		}
		items = append(items, trustwatch.Item{ID: fmt.Sprint("p", i), Platform: "weibo", Kind: trustwatch.KindPost, Text: text,
			Time: start.Add(time.Duration((i*7919)%3000) * time.Minute)})
	}
	if _, _, err := db.PutItems(ctx, items); err != nil {
		t.Fatal(err)
	}
	exact, total, err := db.FindItems(ctx, trustwatch.ItemFilter{Query: "刹车", Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	if total != 1000 {
		t.Fatalf("exact total %d, want 1000", total)
	}
	tests := []struct {
		name     string
		estimate int
		lo, hi   int // the total's bounds
	}{
		{"no estimate", 0, 1000, 1000},
		{"limit above the matches: exact", 5000, 1000, 1000},
		{"limit at the matches: exact", 1000, 1000, 1000},
		{"estimated past 100", 100, 900, 1100},
		{"below 100 the count stops past it", 10, 11, 11},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, total, err := db.FindItems(ctx, trustwatch.ItemFilter{Query: "刹车", Limit: 20, Estimate: tt.estimate})
			if err != nil {
				t.Fatal(err)
			}
			if total < tt.lo || total > tt.hi {
				t.Errorf("total %d, want %d … %d", total, tt.lo, tt.hi)
			}
			ids := func(its []trustwatch.Item) []string {
				var s []string
				for _, it := range its {
					s = append(s, it.ID)
				}
				return s
			}
			if !slices.Equal(ids(got), ids(exact)) {
				t.Errorf("page %v, want the newest matches %v", ids(got), ids(exact))
			}
		})
	}
}

// A caller that does not use the total (Estimate below 0) gets the items
// and no count.
func TestFindItems_SkipCount(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	start := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	var items []trustwatch.Item
	for i := range 30 {
		items = append(items, trustwatch.Item{ID: fmt.Sprint("p", i), Platform: "weibo", Kind: trustwatch.KindPost, Text: "刹车", Time: start.Add(time.Duration(i) * time.Hour)})
	}
	if _, _, err := db.PutItems(ctx, items); err != nil {
		t.Fatal(err)
	}
	got, total, err := db.FindItems(ctx, trustwatch.ItemFilter{Query: "刹车", Limit: 3, Estimate: -1})
	if err != nil {
		t.Fatal(err)
	}
	if total != 0 || len(got) != 3 || got[0].ID != "p29" {
		t.Errorf("total %d, %d items from %v; want no total and the 3 newest from p29", total, len(got), got)
	}
}
