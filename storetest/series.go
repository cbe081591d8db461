package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"trustwatch"
)

func testPoints(t *testing.T, open func(t *testing.T) trustwatch.Store) {
	ctx := context.Background()
	s := open(t)
	t1 := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	t2 := t1.Add(24 * time.Hour)
	pts := []trustwatch.Point{
		{Series: "xiaomi.price", Time: t1, Value: 50.5, Entity: "xiaomi", Unit: "HKD"},
		{Series: "xiaomi.price", Time: t2, Value: 48.25, Entity: "xiaomi", Unit: "HKD"},
		{Series: "su7.defects", Time: t1, Batch: "B2", Count: 4, Sample: 200, Entity: "su7"},
		{Series: "su7.defects", Time: t1, Batch: "B1", Count: 3, Sample: 100, Entity: "su7"},
	}
	put := func(pts []trustwatch.Point, stored, dups int) {
		t.Helper()
		s1, d1, err := s.PutPoints(ctx, pts)
		if err != nil {
			t.Fatal(err)
		}
		if s1 != stored || d1 != dups {
			t.Errorf("PutPoints = %d stored, %d duplicates; want %d, %d", s1, d1, stored, dups)
		}
	}
	points := func(f trustwatch.PointFilter) []trustwatch.Point {
		t.Helper()
		got, err := s.Points(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		for i := range got {
			if got[i].Time.Location() != time.UTC {
				t.Errorf("point time in %v; want UTC", got[i].Time.Location())
			}
		}
		return got
	}

	put(pts, 4, 0)
	put(pts, 0, 4)

	if got := points(trustwatch.PointFilter{Series: "su7.defects"}); !reflect.DeepEqual(got, []trustwatch.Point{pts[3], pts[2]}) {
		t.Errorf("defect points = %+v; want batches B1, B2", got)
	}
	if got := points(trustwatch.PointFilter{Series: "xiaomi.price", From: t2}); !reflect.DeepEqual(got, []trustwatch.Point{pts[1]}) {
		t.Errorf("points from t2 = %+v; want %+v", got, pts[1])
	}
	if got := points(trustwatch.PointFilter{Series: "xiaomi.price", To: t2}); !reflect.DeepEqual(got, []trustwatch.Point{pts[0]}) {
		t.Errorf("points to t2 = %+v; want %+v", got, pts[0])
	}

	t.Run("Replace", func(t *testing.T) {
		changed := pts[0]
		changed.Value = 51
		put([]trustwatch.Point{changed, pts[1]}, 1, 1)
		want := []trustwatch.Point{changed, pts[1]}
		if got := points(trustwatch.PointFilter{Series: "xiaomi.price"}); !reflect.DeepEqual(got, want) {
			t.Errorf("after replace = %+v; want %+v", got, want)
		}
	})

	t.Run("SeriesIDs", func(t *testing.T) {
		got, err := s.SeriesIDs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"su7.defects", "xiaomi.price"}; !reflect.DeepEqual(got, want) {
			t.Errorf("SeriesIDs = %q; want %q", got, want)
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		_, _, err := s.PutPoints(ctx, []trustwatch.Point{{Time: t1, Value: 1}})
		wantCode(t, err, trustwatch.EINVALID)
		_, _, err = s.PutPoints(ctx, []trustwatch.Point{{Series: "x", Value: 1}})
		wantCode(t, err, trustwatch.EINVALID)
	})
}
