package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"trustwatch"
)

func testRollups(t *testing.T, open func(t *testing.T) trustwatch.Store) {
	ctx := context.Background()
	s := openWithFixture(t, open)
	type vp = trustwatch.VolumePoint
	day1, day2 := shanghai(3, 1, 0, 0), shanghai(3, 2, 0, 0)

	volumes := []struct {
		name string
		f    trustwatch.VolumeFilter
		want []vp
	}{
		{"days cut in Shanghai", trustwatch.VolumeFilter{By: trustwatch.Day}, []vp{
			{Period: day1, Count: 2, Pos: 1, Neg: 1},
			{Period: day2, Count: 3, Pos: 1, Neg: 1, Neu: 1},
		}},
		{"day is the default", trustwatch.VolumeFilter{}, []vp{
			{Period: day1, Count: 2, Pos: 1, Neg: 1},
			{Period: day2, Count: 3, Pos: 1, Neg: 1, Neu: 1},
		}},
		{"hours", trustwatch.VolumeFilter{By: trustwatch.Hour}, []vp{
			{Period: shanghai(3, 1, 23, 0), Count: 2, Pos: 1, Neg: 1},
			{Period: shanghai(3, 2, 0, 0), Count: 1, Neg: 1},
			{Period: shanghai(3, 2, 9, 0), Count: 2, Pos: 1, Neu: 1},
		}},
		{"entity", trustwatch.VolumeFilter{By: trustwatch.Day, Entity: "xiaomi"}, []vp{
			{Period: day1, Count: 2, Pos: 1, Neg: 1},
			{Period: day2, Count: 1, Neg: 1},
		}},
		{"platform", trustwatch.VolumeFilter{By: trustwatch.Day, Platform: "weibo"}, []vp{
			{Period: day1, Count: 2, Pos: 1, Neg: 1},
			{Period: day2, Count: 1, Neu: 1},
		}},
		{"kind", trustwatch.VolumeFilter{By: trustwatch.Day, Kind: trustwatch.KindPost}, []vp{
			{Period: day1, Count: 1, Neg: 1},
			{Period: day2, Count: 1, Neg: 1},
		}},
		{"entity, platform and kind", trustwatch.VolumeFilter{By: trustwatch.Hour, Entity: "su7", Platform: "douyin", Kind: trustwatch.KindReview}, []vp{
			{Period: shanghai(3, 2, 9, 0), Count: 1, Pos: 1},
		}},
		{"from, start included", trustwatch.VolumeFilter{By: trustwatch.Day, From: day2}, []vp{
			{Period: day2, Count: 3, Pos: 1, Neg: 1, Neu: 1},
		}},
		{"to, end excluded", trustwatch.VolumeFilter{By: trustwatch.Hour, To: shanghai(3, 2, 9, 0)}, []vp{
			{Period: shanghai(3, 1, 23, 0), Count: 2, Pos: 1, Neg: 1},
			{Period: shanghai(3, 2, 0, 0), Count: 1, Neg: 1},
		}},
		{"aspect: items mentioning it, a tie is negative", trustwatch.VolumeFilter{By: trustwatch.Day, Aspect: "brake"}, []vp{
			{Period: day1, Count: 1, Neg: 1},
			{Period: day2, Count: 1, Neg: 1},
		}},
		{"aspect of an entity", trustwatch.VolumeFilter{By: trustwatch.Day, Aspect: "brake", Entity: "su7"}, []vp{
			{Period: day1, Count: 1, Neg: 1},
		}},
		{"aspect praised", trustwatch.VolumeFilter{By: trustwatch.Hour, Aspect: "price"}, []vp{
			{Period: shanghai(3, 2, 0, 0), Count: 1, Pos: 1},
		}},
		{"nothing", trustwatch.VolumeFilter{By: trustwatch.Day, Entity: "nio"}, []vp{}},
	}
	checkVolumes := func(t *testing.T) {
		for _, tt := range volumes {
			t.Run(tt.name, func(t *testing.T) {
				got, err := s.Volume(ctx, tt.f)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(tt.want) {
					t.Fatalf("Volume = %+v; want %+v", got, tt.want)
				}
				for i := range got {
					if !got[i].Period.Equal(tt.want[i].Period) {
						t.Errorf("point %d: Period = %v; want %v", i, got[i].Period, tt.want[i].Period)
					}
					g, w := got[i], tt.want[i]
					g.Period, w.Period = time.Time{}, time.Time{}
					if g != w {
						t.Errorf("point %d: %+v; want %+v", i, g, w)
					}
				}
			})
		}
	}
	t.Run("Volume", checkVolumes)

	t.Run("ReputChangesNothing", func(t *testing.T) {
		if stored, dups, err := s.PutItems(ctx, fixture()); err != nil {
			t.Fatal(err)
		} else if stored != 0 || dups != 5 {
			t.Fatalf("re-put = %d stored, %d duplicates; want 0, 5", stored, dups)
		}
		checkVolumes(t)
	})

	t.Run("SumsEqualItems", func(t *testing.T) {
		more := fixture()
		for i := range more {
			more[i].ID += "-later"
			more[i].Time = more[i].Time.Add(36 * time.Hour)
		}
		if _, _, err := s.PutItems(ctx, more); err != nil {
			t.Fatal(err)
		}
		_, _, n, err := s.Span(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, by := range []trustwatch.Period{trustwatch.Hour, trustwatch.Day} {
			pts, err := s.Volume(ctx, trustwatch.VolumeFilter{By: by})
			if err != nil {
				t.Fatal(err)
			}
			var sum int64
			for _, p := range pts {
				sum += p.Count
			}
			if sum != n || n != 10 {
				t.Errorf("sum of %s volumes = %d, items = %d; want both 10", by, sum, n)
			}
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		for _, f := range []trustwatch.VolumeFilter{
			{By: "week"},
			{Aspect: "brake", Platform: "weibo"},
			{Aspect: "brake", Kind: trustwatch.KindPost},
		} {
			_, err := s.Volume(ctx, f)
			wantCode(t, err, trustwatch.EINVALID)
		}
	})
}

func testBreakdown(t *testing.T, open func(t *testing.T) trustwatch.Store) {
	ctx := context.Background()
	s := openWithFixture(t, open)
	type vb = trustwatch.VolumeBreakdown
	for _, tt := range []struct {
		name string
		by   string
		f    trustwatch.VolumeFilter
		want []vb
	}{
		{"platform, largest first", "platform", trustwatch.VolumeFilter{}, []vb{
			{Key: "weibo", Count: 3, Pos: 1, Neg: 1, Neu: 1},
			{Key: "douyin", Count: 1, Pos: 1},
			{Key: "xhs", Count: 1, Neg: 1},
		}},
		{"entity", "entity", trustwatch.VolumeFilter{}, []vb{
			{Key: "xiaomi", Count: 3, Pos: 1, Neg: 2},
			{Key: "su7", Count: 2, Pos: 1, Neg: 1},
			{Key: "leijun", Count: 1, Pos: 1},
		}},
		{"kind", "kind", trustwatch.VolumeFilter{}, []vb{
			{Key: "post", Count: 2, Neg: 2},
			{Key: "comment", Count: 1, Pos: 1},
			{Key: "news", Count: 1, Neu: 1},
			{Key: "review", Count: 1, Pos: 1},
		}},
		{"aspect", "aspect", trustwatch.VolumeFilter{}, []vb{
			{Key: "brake", Count: 2, Neg: 2},
			{Key: "design", Count: 1, Pos: 1},
			{Key: "price", Count: 1, Pos: 1},
		}},
		{"aspect of an entity", "aspect", trustwatch.VolumeFilter{Entity: "xiaomi"}, []vb{
			{Key: "brake", Count: 2, Neg: 2},
			{Key: "price", Count: 1, Pos: 1},
		}},
		{"entities mentioning an aspect", "entity", trustwatch.VolumeFilter{Aspect: "brake"}, []vb{
			{Key: "xiaomi", Count: 2, Neg: 2},
			{Key: "su7", Count: 1, Neg: 1},
		}},
		{"platform of an entity", "platform", trustwatch.VolumeFilter{Entity: "su7"}, []vb{
			{Key: "douyin", Count: 1, Pos: 1},
			{Key: "weibo", Count: 1, Neg: 1},
		}},
		{"platform over [from, to) to the hour", "platform", trustwatch.VolumeFilter{From: shanghai(3, 2, 0, 0), To: shanghai(3, 2, 9, 0)}, []vb{
			{Key: "xhs", Count: 1, Neg: 1},
		}},
		{"kind of a platform", "kind", trustwatch.VolumeFilter{Platform: "weibo"}, []vb{
			{Key: "comment", Count: 1, Pos: 1},
			{Key: "news", Count: 1, Neu: 1},
			{Key: "post", Count: 1, Neg: 1},
		}},
		{"nothing", "platform", trustwatch.VolumeFilter{Entity: "nio"}, []vb{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Breakdown(ctx, tt.by, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Breakdown(%s) =\n %+v\nwant\n %+v", tt.by, got, tt.want)
			}
		})
	}

	t.Run("ErrInvalid", func(t *testing.T) {
		for _, c := range []struct {
			by string
			f  trustwatch.VolumeFilter
		}{
			{"author", trustwatch.VolumeFilter{}},
			{"platform", trustwatch.VolumeFilter{Aspect: "brake"}},
			{"aspect", trustwatch.VolumeFilter{Platform: "weibo"}},
		} {
			_, err := s.Breakdown(ctx, c.by, c.f)
			wantCode(t, err, trustwatch.EINVALID)
		}
	})
}
