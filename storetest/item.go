package storetest

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"trustwatch"
)

// sameItem reports how got differs from want: times must be the same
// instant and in UTC; everything else equal.
func sameItem(t *testing.T, got, want trustwatch.Item) {
	t.Helper()
	if !got.Time.Equal(want.Time) {
		t.Errorf("item %s: Time = %v; want %v", want.ID, got.Time, want.Time)
	}
	if got.Time.Location() != time.UTC {
		t.Errorf("item %s: Time in %v; want UTC", want.ID, got.Time.Location())
	}
	got.Time, want.Time = time.Time{}, time.Time{}
	// Words are indexed for search, not kept: a store returns no Tokens.
	if got.Tokens != nil {
		t.Errorf("item %s: Tokens = %q; a store returns none", want.ID, got.Tokens)
	}
	want.Tokens = nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("item %s:\n got %+v\nwant %+v", want.ID, got, want)
	}
}

func testItems(t *testing.T, open func(t *testing.T) trustwatch.Store) {
	ctx := context.Background()

	t.Run("RoundTrip", func(t *testing.T) {
		s := openWithFixture(t, open)
		for _, want := range fixture() {
			got, err := s.ItemByID(ctx, want.ID)
			if err != nil {
				t.Fatal(err)
			}
			sameItem(t, *got, want)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		s := openWithFixture(t, open)
		_, err := s.ItemByID(ctx, "nope")
		wantCode(t, err, trustwatch.ENOTFOUND)
	})

	t.Run("Dedupe", func(t *testing.T) {
		s := open(t)
		fx := fixture()
		otherPlatform := fx[0]
		otherPlatform.Platform = "xhs" // same id, another platform: another item
		for _, tt := range []struct {
			name         string
			items        []trustwatch.Item
			stored, dups int
			total        int
		}{
			{"twice in one batch", []trustwatch.Item{fx[0], fx[1], fx[0]}, 2, 1, 2},
			{"again with new ones", fx, 3, 2, 5},
			{"all again", fx, 0, 5, 5},
			{"same id on another platform", []trustwatch.Item{otherPlatform}, 1, 0, 6},
			{"empty batch", nil, 0, 0, 6},
		} {
			stored, dups, err := s.PutItems(ctx, tt.items)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			if stored != tt.stored || dups != tt.dups {
				t.Errorf("%s: PutItems = %d stored, %d duplicates; want %d, %d", tt.name, stored, dups, tt.stored, tt.dups)
			}
			if _, n, err := s.FindItems(ctx, trustwatch.ItemFilter{}); err != nil {
				t.Fatal(err)
			} else if n != tt.total {
				t.Errorf("%s: %d items stored; want %d", tt.name, n, tt.total)
			}
		}
	})

	t.Run("RepeatedEntity", func(t *testing.T) {
		s := open(t)
		it := fixture()[1]
		it.Entities = []string{"xiaomi", "leijun", "xiaomi"}
		if _, _, err := s.PutItems(ctx, []trustwatch.Item{it}); err != nil {
			t.Fatal(err)
		}
		got, err := s.ItemByID(ctx, it.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"xiaomi", "leijun"}; !reflect.DeepEqual(got.Entities, want) {
			t.Errorf("Entities = %q; want %q", got.Entities, want)
		}
		pts, err := s.Volume(ctx, trustwatch.VolumeFilter{By: trustwatch.Day, Entity: "xiaomi"})
		if err != nil {
			t.Fatal(err)
		}
		if len(pts) != 1 || pts[0].Count != 1 {
			t.Errorf("xiaomi volume = %+v; want one day counting 1", pts)
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		s := open(t)
		noID := fixture()[0]
		noID.ID = ""
		noTime := fixture()[0]
		noTime.Time = time.Time{}
		for _, it := range []trustwatch.Item{noID, noTime} {
			_, _, err := s.PutItems(ctx, []trustwatch.Item{fixture()[1], it})
			wantCode(t, err, trustwatch.EINVALID)
		}
		if _, n, err := s.FindItems(ctx, trustwatch.ItemFilter{}); err != nil {
			t.Fatal(err)
		} else if n != 0 {
			t.Errorf("%d items stored from invalid batches; want 0 (a batch is all or nothing)", n)
		}
	})

	t.Run("Span", func(t *testing.T) {
		s := open(t)
		first, last, n, err := s.Span(ctx)
		if err != nil {
			t.Fatal(err)
		} else if !first.IsZero() || !last.IsZero() || n != 0 {
			t.Errorf("empty Span = %v, %v, %d; want zero times and 0", first, last, n)
		}
		if _, _, err := s.PutItems(ctx, fixture()); err != nil {
			t.Fatal(err)
		}
		first, last, n, err = s.Span(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !first.Equal(shanghai(3, 1, 23, 10)) || !last.Equal(shanghai(3, 2, 9, 30)) || n != 5 {
			t.Errorf("Span = %v, %v, %d; want 2025-03-01 23:10, 2025-03-02 09:30 (+08), 5", first, last, n)
		}
	})
}

func testItemFilters(t *testing.T, open func(t *testing.T) trustwatch.Store) {
	ctx := context.Background()
	s := openWithFixture(t, open)
	for _, tt := range []struct {
		name  string
		f     trustwatch.ItemFilter
		want  []string
		total int
	}{
		{"all, newest first", trustwatch.ItemFilter{}, []string{"a5", "a4", "a3", "a2", "a1"}, 5},
		{"entity", trustwatch.ItemFilter{Entity: "xiaomi"}, []string{"a3", "a2", "a1"}, 3},
		{"platform", trustwatch.ItemFilter{Platform: "weibo"}, []string{"a5", "a2", "a1"}, 3},
		{"kind", trustwatch.ItemFilter{Kind: trustwatch.KindComment}, []string{"a2"}, 1},
		{"author", trustwatch.ItemFilter{Author: "用户B"}, []string{"a3"}, 1},
		{"parent", trustwatch.ItemFilter{ParentID: "a1"}, []string{"a2"}, 1},
		{"label", trustwatch.ItemFilter{Label: trustwatch.Negative}, []string{"a3", "a1"}, 2},
		{"aspect", trustwatch.ItemFilter{Aspect: "brake"}, []string{"a3", "a1"}, 2},
		{"ids", trustwatch.ItemFilter{IDs: []string{"a1", "a4", "nope"}}, []string{"a4", "a1"}, 2},
		{"from to, to excluded", trustwatch.ItemFilter{From: shanghai(3, 2, 0, 0), To: shanghai(3, 2, 9, 30)}, []string{"a4", "a3"}, 2},
		{"unknown entity", trustwatch.ItemFilter{Entity: "nio"}, []string{}, 0},

		{"word", trustwatch.ItemFilter{Query: "刹车"}, []string{"a3", "a1"}, 2},
		{"another word", trustwatch.ItemFilter{Query: "雷总"}, []string{"a3", "a2"}, 2},
		{"all words", trustwatch.ItemFilter{Query: "刹车 雷总"}, []string{"a3"}, 1},
		{"words, extra spaces", trustwatch.ItemFilter{Query: "  雷总   刹车 "}, []string{"a3"}, 1},
		{"case folded", trustwatch.ItemFilter{Query: "su7"}, []string{"a1"}, 1},
		{"a character finds the word it begins", trustwatch.ItemFilter{Query: "刹"}, []string{"a3", "a1"}, 2},
		{"a character inside a word", trustwatch.ItemFilter{Query: "车"}, []string{"a3", "a1"}, 2},
		{"phrase", trustwatch.ItemFilter{Query: `"刹车失灵"`}, []string{"a1"}, 1},
		{"OR is an operator", trustwatch.ItemFilter{Query: "刹车 OR 加油"}, []string{"a3", "a2", "a1"}, 3},
		{"words and filters", trustwatch.ItemFilter{Query: "刹车", Entity: "su7", Label: trustwatch.Negative}, []string{"a1"}, 1},

		{"oldest first", trustwatch.ItemFilter{Order: "time_asc"}, []string{"a1", "a2", "a3", "a4", "a5"}, 5},
		{"most engaged first, ties newest first", trustwatch.ItemFilter{Order: "engagement"}, []string{"a3", "a2", "a1", "a5", "a4"}, 5},
		{"page", trustwatch.ItemFilter{Offset: 1, Limit: 2}, []string{"a4", "a3"}, 5},
		{"page past the end", trustwatch.ItemFilter{Offset: 4, Limit: 2}, []string{"a1"}, 5},
		{"page of a filter", trustwatch.ItemFilter{Entity: "xiaomi", Order: "time_asc", Limit: 2}, []string{"a1", "a2"}, 3},
	} {
		t.Run(tt.name, func(t *testing.T) {
			items, n, err := s.FindItems(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(items); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("FindItems = %q; want %q", got, tt.want)
			}
			if n != tt.total {
				t.Errorf("total = %d; want %d", n, tt.total)
			}
		})
	}

	t.Run("items are complete", func(t *testing.T) {
		items, _, err := s.FindItems(ctx, trustwatch.ItemFilter{IDs: []string{"a3"}})
		if err != nil {
			t.Fatal(err)
		} else if len(items) != 1 {
			t.Fatalf("found %d items; want 1", len(items))
		}
		sameItem(t, items[0], fixture()[2])
	})

	t.Run("ErrInvalidQuery", func(t *testing.T) {
		for _, q := range []string{`"刹车`, "!!! ？", "likes:>x"} {
			_, _, err := s.FindItems(ctx, trustwatch.ItemFilter{Query: q})
			wantCode(t, err, trustwatch.EINVALID)
		}
	})

	t.Run("ErrInvalidOrder", func(t *testing.T) {
		_, _, err := s.FindItems(ctx, trustwatch.ItemFilter{Order: "random"})
		wantCode(t, err, trustwatch.EINVALID)
	})
}

func testEachItem(t *testing.T, open func(t *testing.T) trustwatch.Store) {
	ctx := context.Background()
	s := openWithFixture(t, open)
	for _, tt := range []struct {
		name string
		f    trustwatch.ItemFilter
		want []string
	}{
		{"all, oldest first", trustwatch.ItemFilter{}, []string{"a1", "a2", "a3", "a4", "a5"}},
		{"order is ignored", trustwatch.ItemFilter{Order: "engagement"}, []string{"a1", "a2", "a3", "a4", "a5"}},
		{"filter", trustwatch.ItemFilter{Entity: "xiaomi"}, []string{"a1", "a2", "a3"}},
		{"words", trustwatch.ItemFilter{Query: "雷总"}, []string{"a2", "a3"}},
		{"page", trustwatch.ItemFilter{Entity: "xiaomi", Offset: 1, Limit: 1}, []string{"a2"}},
		{"none", trustwatch.ItemFilter{Platform: "bilibili"}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			err := s.EachItem(ctx, tt.f, func(it *trustwatch.Item) error {
				got = append(got, it.ID)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("EachItem visited %q; want %q", got, tt.want)
			}
		})
	}

	t.Run("items are complete", func(t *testing.T) {
		fx := fixture()
		i := 0
		err := s.EachItem(ctx, trustwatch.ItemFilter{}, func(it *trustwatch.Item) error {
			sameItem(t, *it, fx[i])
			i++
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})

	t.Run("error stops", func(t *testing.T) {
		stop := errors.New("stop")
		calls := 0
		err := s.EachItem(ctx, trustwatch.ItemFilter{}, func(*trustwatch.Item) error {
			calls++
			return stop
		})
		if !errors.Is(err, stop) {
			t.Errorf("EachItem error = %v; want the callback's", err)
		}
		if calls != 1 {
			t.Errorf("callback ran %d times after returning an error; want 1", calls)
		}
	})
}
