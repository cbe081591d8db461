package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"trustwatch"
)

func testEvents(t *testing.T, open func(t *testing.T) trustwatch.Store) {
	ctx := context.Background()
	s := open(t)
	day := func(d int) time.Time { return time.Date(2025, 3, d, 2, 0, 0, 0, time.UTC) }
	evs := []trustwatch.Event{
		{ID: "e1", Time: day(5), Entity: "xiaomi", Kind: trustwatch.EventRecall, Title: "召回", URL: "https://example.com/e1"},
		{ID: "e2", Time: day(1), Entity: "xiaomi", Kind: trustwatch.EventLawsuit, Title: "起诉博主", Text: "名誉权"},
		{ID: "e3", Time: day(9), Entity: "nio", Kind: trustwatch.EventLawsuit, Title: "诉讼"},
	}
	put := func(evs []trustwatch.Event, stored, dups int) {
		t.Helper()
		s1, d1, err := s.PutEvents(ctx, evs)
		if err != nil {
			t.Fatal(err)
		}
		if s1 != stored || d1 != dups {
			t.Errorf("PutEvents = %d stored, %d duplicates; want %d, %d", s1, d1, stored, dups)
		}
	}
	put(evs, 3, 0)
	put(evs, 0, 3)

	for _, tt := range []struct {
		name string
		f    trustwatch.EventFilter
		want []trustwatch.Event
	}{
		{"all, oldest first", trustwatch.EventFilter{}, []trustwatch.Event{evs[1], evs[0], evs[2]}},
		{"entity", trustwatch.EventFilter{Entity: "xiaomi"}, []trustwatch.Event{evs[1], evs[0]}},
		{"kind", trustwatch.EventFilter{Kind: trustwatch.EventLawsuit}, []trustwatch.Event{evs[1], evs[2]}},
		{"from to", trustwatch.EventFilter{From: day(5), To: day(9)}, []trustwatch.Event{evs[0]}},
		{"none", trustwatch.EventFilter{Entity: "byd"}, []trustwatch.Event{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.FindEvents(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("FindEvents =\n %+v\nwant\n %+v", got, tt.want)
			}
		})
	}

	t.Run("Replace", func(t *testing.T) {
		fixed := evs[0]
		fixed.Title = "召回 3 万辆"
		put([]trustwatch.Event{fixed}, 1, 0)
		got, err := s.FindEvents(ctx, trustwatch.EventFilter{Kind: trustwatch.EventRecall})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, []trustwatch.Event{fixed}) {
			t.Errorf("after replace = %+v; want %+v", got, fixed)
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		_, _, err := s.PutEvents(ctx, []trustwatch.Event{{Time: day(1)}})
		wantCode(t, err, trustwatch.EINVALID)
	})
}
