package burst_test

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/detect/burst"
)

func TestPoissonTail(t *testing.T) {
	tests := []struct {
		name   string
		x      int
		lambda float64
		want   float64
	}{
		{"zero events always", 0, 3, 1},
		{"one or more at λ=1 is 1−e⁻¹", 1, 1, 0.6321206},
		{"three or more at λ=1", 3, 1, 1 - math.Exp(-1)*2.5},
		{"ten or more at λ=1", 10, 1, 1.1142547e-7},
		{"nothing expected", 1, 0, 0},
		{"below the mean: 1 − P(X≤7)", 8, 10, 1 - 0.2202206},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := burst.PoissonTail(tt.x, tt.lambda)
			if math.Abs(got-tt.want) > 1e-4*math.Max(tt.want, 1e-3) {
				t.Errorf("PoissonTail(%d, %g) = %.8g, want %.8g", tt.x, tt.lambda, got, tt.want)
			}
		})
	}
}

func TestThresholds(t *testing.T) {
	th := burst.DefaultThresholds
	vol := []struct {
		name string
		w    burst.Window
		want bool
	}{
		// expected (24+1)/12 = 2.08, ratio 14.4, p ≈ 1e-19
		{"30 in an hour after 2 an hour", burst.Window{Count: 30, Baseline: 24, Span: 12}, true},
		{"tiny numbers do not alarm", burst.Window{Count: 4, Baseline: 0, Span: 12}, false},
		// A handful against silence: five trending topics about a brand in
		// a day is how a crisis begins on the hot search.
		{"five after silence", burst.Window{Count: 5, Baseline: 0, Span: 14}, true},
		// ratio 25/(240/12+... ) = 25/20.1 = 1.2
		{"steady high volume", burst.Window{Count: 25, Baseline: 240, Span: 12}, false},
		// expected 1.08, ratio 9.2 but p: P(X≥10|1.08) ≈ 2e-7
		{"ten from silence", burst.Window{Count: 10, Baseline: 12, Span: 12}, true},
	}
	for _, tt := range vol {
		t.Run(tt.name, func(t *testing.T) {
			if got := th.VolumeSpike(tt.w); got != tt.want {
				t.Errorf("VolumeSpike(%+v) = %v (ratio %.2f, p %.2g), want %v", tt.w, got, tt.w.Ratio(), tt.w.PValue(), tt.want)
			}
		})
	}
	share := []struct {
		name string
		s    burst.Share
		want bool
	}{
		{"share jumps from 10% to 75%", burst.Share{Neg: 15, Total: 20, BaselineNeg: 12, BaselineTotal: 120}, true},
		{"few negatives do not alarm", burst.Share{Neg: 4, Total: 5, BaselineNeg: 1, BaselineTotal: 100}, false},
		// 12% vs 10%: significant on a big audience but a small rise
		{"two-point wobble", burst.Share{Neg: 1200, Total: 10000, BaselineNeg: 10000, BaselineTotal: 100000}, false},
		{"already negative audience", burst.Share{Neg: 14, Total: 20, BaselineNeg: 70, BaselineTotal: 100}, false},
	}
	for _, tt := range share {
		t.Run(tt.name, func(t *testing.T) {
			if got := th.SentimentSpike(tt.s); got != tt.want {
				t.Errorf("SentimentSpike(%+v) = %v (cur %.2f base %.2f p %.2g), want %v", tt.s, got, tt.s.CurrentShare(), tt.s.BaselineShare(), tt.s.PValue(), tt.want)
			}
		})
	}
}

// volumeStore serves hourly rollups and items from memory.
type volumeStore struct {
	trustwatch.ItemStore // unused methods panic
	points               map[[2]string][]trustwatch.VolumePoint
	items                []trustwatch.Item
	first                time.Time // the oldest stored item
}

func (s *volumeStore) Span(context.Context) (first, last time.Time, n int64, err error) {
	return s.first, s.first, 1, nil
}

// Volume serves one entity's (or aspect's) points; without either, the
// whole store's: every entity's points (the fixtures tag each item once).
func (s *volumeStore) Volume(_ context.Context, f trustwatch.VolumeFilter) ([]trustwatch.VolumePoint, error) {
	var out []trustwatch.VolumePoint
	for k, pts := range s.points {
		if k != [2]string{f.Entity, f.Aspect} && (f.Entity != "" || f.Aspect != "" || k[1] != "") {
			continue
		}
		for _, p := range pts {
			if !p.Period.Before(f.From) && p.Period.Before(f.To) {
				out = append(out, p)
			}
		}
	}
	return out, nil
}

func (s *volumeStore) Breakdown(context.Context, string, trustwatch.VolumeFilter) ([]trustwatch.VolumeBreakdown, error) {
	return []trustwatch.VolumeBreakdown{{Key: "brakes", Count: 1}}, nil
}

func (s *volumeStore) FindItems(_ context.Context, f trustwatch.ItemFilter) ([]trustwatch.Item, int, error) {
	var out []trustwatch.Item
	for _, it := range s.items {
		if (f.Entity == "" || slicesContains(it.Entities, f.Entity)) && (f.Label == "" || it.Sentiment == f.Label) &&
			!it.Time.Before(f.From) && it.Time.Before(f.To) {
			out = append(out, it)
		}
	}
	return out, len(out), nil
}

func slicesContains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func TestDetectSpikes(t *testing.T) {
	loc := trustwatch.DefaultLocation()
	now := time.Date(2025, 3, 12, 14, 20, 0, 0, loc)
	end := now.Truncate(time.Hour)
	st := &volumeStore{points: map[[2]string][]trustwatch.VolumePoint{}, first: end.Add(-15 * 24 * time.Hour)}
	// 15 days of steady hours, then a last hour that differs.
	for h := 15 * 24; h >= 1; h-- {
		at := end.Add(-time.Duration(h) * time.Hour)
		xm := trustwatch.VolumePoint{Period: at, Count: 2, Neu: 2}
		car := trustwatch.VolumePoint{Period: at, Count: 10, Neg: 1, Neu: 9}
		quiet := trustwatch.VolumePoint{Period: at}
		if h == 1 {
			xm = trustwatch.VolumePoint{Period: at, Count: 30, Neu: 30}
			car = trustwatch.VolumePoint{Period: at, Count: 20, Neg: 15, Neu: 5}
			quiet = trustwatch.VolumePoint{Period: at, Count: 4, Neg: 4}
		}
		st.points[[2]string{"xiaomi", ""}] = append(st.points[[2]string{"xiaomi", ""}], xm)
		st.points[[2]string{"su7", ""}] = append(st.points[[2]string{"su7", ""}], car)
		st.points[[2]string{"leijun", ""}] = append(st.points[[2]string{"leijun", ""}], quiet)
	}
	st.items = []trustwatch.Item{
		{ID: "n1", Time: end.Add(-30 * time.Minute), Entities: []string{"su7"}, Sentiment: trustwatch.Negative},
		{ID: "p1", Time: end.Add(-20 * time.Minute), Entities: []string{"su7"}, Sentiment: trustwatch.Positive},
		{ID: "x1", Time: end.Add(-10 * time.Minute), Entities: []string{"xiaomi"}},
	}
	w := &trustwatch.Watch{Entities: []trustwatch.Entity{
		{ID: "leijun", Name: "雷军", Kind: trustwatch.EntityPerson},
		{ID: "su7", Name: "SU7", Kind: trustwatch.EntityProduct},
		{ID: "xiaomi", Name: "小米", Kind: trustwatch.EntityBrand},
	}}
	got, err := burst.DetectSpikes(context.Background(), st, w, now, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		kind, entity, statement string
		evidence                []string
	}{
		{burst.KindSentimentSpike, "su7", "「SU7」负面占比上升：最近1小时（对比前12小时） 15/20 条负面（75%）", []string{"n1"}},
		{burst.KindVolumeSpike, "xiaomi", "「小米」声量激增：最近1小时（对比前12小时） 30 条，基线预期 2.1 条（14.4 倍", []string{"x1"}},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d detections %+v, want %d", len(got), got, len(want))
	}
	for i, w := range want {
		d := got[i]
		if d.Kind != w.kind || d.Entity != w.entity || !d.Time.Equal(end.Add(-time.Hour)) || !strings.HasPrefix(d.Statement, w.statement) {
			t.Errorf("detection %d = %s %s %v %q, want %s %s %v %q…", i, d.Kind, d.Entity, d.Time, d.Statement, w.kind, w.entity, end.Add(-time.Hour), w.statement)
		}
		var ids []string
		for _, e := range d.Evidence {
			ids = append(ids, e.ItemID)
		}
		if strings.Join(ids, ",") != strings.Join(w.evidence, ",") {
			t.Errorf("detection %d evidence = %v, want %v", i, ids, w.evidence)
		}
		if d.Value <= 3 {
			t.Errorf("detection %d surprise = %.2f, want above −log10(1e-3)", i, d.Value)
		}
	}
}

func TestMinHistory(t *testing.T) {
	for _, tt := range []struct {
		pair burst.SpanPair
		want time.Duration
	}{
		{burst.DefaultWindows[0], 24 * time.Hour},
		{burst.DefaultWindows[1], 7 * 24 * time.Hour},
		{burst.SpanPair{Window: 24 * time.Hour, Lookback: 60 * 24 * time.Hour}, 30 * 24 * time.Hour},
	} {
		if got := burst.MinHistory(tt.pair); got != tt.want {
			t.Errorf("MinHistory(%v) = %v, want %v", tt.pair, got, tt.want)
		}
	}
}

// TestNoSpikeWithoutBaseline: the same burst as in TestDetectSpikes raises
// nothing when the store began less than a day before it (the first day
// of a store never alarms), and is judged against the data there is when
// the store is younger than the look-back.
func TestNoSpikeWithoutBaseline(t *testing.T) {
	loc := trustwatch.DefaultLocation()
	now := time.Date(2025, 3, 12, 14, 20, 0, 0, loc)
	end := now.Truncate(time.Hour)
	w := &trustwatch.Watch{Entities: []trustwatch.Entity{{ID: "xiaomi", Name: "小米", Kind: trustwatch.EntityBrand}}}
	tests := []struct {
		name      string
		history   int // hours of steady data before the burst hour
		statement string
	}{
		{"first day of the store", 20, ""},
		// 30 h of 2 an hour: the hour window compares with 12 h (24 + 1
		// pseudo-event over 12 = 2.1 expected); the day window has 6 h
		// before it, under its 7 days.
		{"a day and a bit", 30, "「小米」声量激增：最近1小时（对比前12小时） 30 条，基线预期 2.1 条"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := &volumeStore{points: map[[2]string][]trustwatch.VolumePoint{}, first: end.Add(-time.Duration(tt.history+1) * time.Hour)}
			for h := tt.history + 1; h >= 1; h-- {
				p := trustwatch.VolumePoint{Period: end.Add(-time.Duration(h) * time.Hour), Count: 2, Neu: 2}
				if h == 1 {
					p.Count, p.Neu = 30, 30
				}
				st.points[[2]string{"xiaomi", ""}] = append(st.points[[2]string{"xiaomi", ""}], p)
			}
			got, err := burst.DetectSpikes(context.Background(), st, w, now, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tt.statement == "" {
				if len(got) != 0 {
					t.Fatalf("got %+v, want nothing without a baseline", got)
				}
				return
			}
			if len(got) != 1 || !strings.HasPrefix(got[0].Statement, tt.statement) {
				t.Fatalf("got %+v, want one detection %q…", got, tt.statement)
			}
		})
	}
}

// TestSpikesFoldIntoTheirParent: the brand, its product and the product's
// brakes all jump in the same hour; that is one event, raised once on the
// brand, naming the rest.
func TestSpikesFoldIntoTheirParent(t *testing.T) {
	loc := trustwatch.DefaultLocation()
	now := time.Date(2025, 3, 12, 14, 20, 0, 0, loc)
	end := now.Truncate(time.Hour)
	st := &volumeStore{points: map[[2]string][]trustwatch.VolumePoint{}, first: end.Add(-15 * 24 * time.Hour)}
	for h := 15 * 24; h >= 1; h-- {
		at := end.Add(-time.Duration(h) * time.Hour)
		brand, car, brakes := int64(4), int64(2), int64(0)
		if h == 1 {
			brand, car, brakes = 60, 40, 30
		}
		st.points[[2]string{"xiaomi", ""}] = append(st.points[[2]string{"xiaomi", ""}], trustwatch.VolumePoint{Period: at, Count: brand, Neu: brand})
		st.points[[2]string{"su7", ""}] = append(st.points[[2]string{"su7", ""}], trustwatch.VolumePoint{Period: at, Count: car, Neu: car})
		st.points[[2]string{"su7", "brakes"}] = append(st.points[[2]string{"su7", "brakes"}], trustwatch.VolumePoint{Period: at, Count: brakes, Neu: brakes})
	}
	w := &trustwatch.Watch{Entities: []trustwatch.Entity{
		{ID: "xiaomi", Name: "小米", Kind: trustwatch.EntityBrand},
		{ID: "su7", Name: "SU7", Kind: trustwatch.EntityProduct, Parent: "xiaomi"},
	}}
	got, err := burst.DetectSpikes(context.Background(), st, w, now, []trustwatch.Rule{{Detector: burst.KindVolumeSpike}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Entity != "xiaomi" || got[0].Subject != "" ||
		!strings.HasSuffix(got[0].Statement, "；其中同时激增：SU7、SU7·brakes") {
		t.Fatalf("got %+v, want one spike on 小米 naming SU7 and its brakes", got)
	}
	// Without the brand's rule, the product's spike names its brakes.
	got, err = burst.DetectSpikes(context.Background(), st, w, now, []trustwatch.Rule{{Detector: burst.KindVolumeSpike, Entity: "su7"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Entity != "su7" {
		t.Fatalf("got %+v, want one spike on SU7", got)
	}
}

// TestNoSpikeAgainstAGap: items that carry only their day all sit at
// midnight; the hour after midnight is not a surge against the twelve
// empty hours before it, because the store itself held nothing then.
func TestNoSpikeAgainstAGap(t *testing.T) {
	loc := trustwatch.DefaultLocation()
	day := time.Date(2025, 3, 12, 0, 0, 0, 0, loc)
	st := &volumeStore{points: map[[2]string][]trustwatch.VolumePoint{}, first: day.AddDate(0, 0, -15)}
	for d := 15; d >= 0; d-- {
		n := int64(30)
		if d > 0 {
			n = 2
		}
		st.points[[2]string{"xiaomi", ""}] = append(st.points[[2]string{"xiaomi", ""}], trustwatch.VolumePoint{Period: day.AddDate(0, 0, -d), Count: n, Neu: n})
	}
	w := &trustwatch.Watch{Entities: []trustwatch.Entity{{ID: "xiaomi", Name: "小米", Kind: trustwatch.EntityBrand}}}
	hour, err := trustwatch.ParseDuration("1h")
	if err != nil {
		t.Fatal(err)
	}
	got, err := burst.DetectSpikes(context.Background(), st, w, day.Add(time.Hour), []trustwatch.Rule{{Detector: burst.KindVolumeSpike, Window: hour}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Fatalf("got %+v, want nothing against an empty store baseline", got)
	}
	// The day window sees the same 30 against 2 a day: a spike.
	got, err = burst.DetectSpikes(context.Background(), st, w, day.Add(time.Hour), []trustwatch.Rule{{Detector: burst.KindVolumeSpike}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !strings.Contains(got[0].Statement, "最近1天") {
		t.Fatalf("got %+v, want the daily spike", got)
	}
}

// TestTopicSpikes: a topic is an entity whose items are the ones its query
// matched, so a rule without an entity watches it too, and its spike is an
// alert about the topic: raised on its own, not folded into the brand
// whose items it shares (a topic has no parent).
func TestTopicSpikes(t *testing.T) {
	loc := trustwatch.DefaultLocation()
	now := time.Date(2025, 3, 12, 14, 20, 0, 0, loc)
	end := now.Truncate(time.Hour)
	st := &volumeStore{points: map[[2]string][]trustwatch.VolumePoint{}, first: end.Add(-15 * 24 * time.Hour)}
	for h := 15 * 24; h >= 1; h-- {
		at := end.Add(-time.Duration(h) * time.Hour)
		brand, topic := int64(4), int64(1)
		if h == 1 {
			brand, topic = 60, 40
		}
		st.points[[2]string{"xiaomi", ""}] = append(st.points[[2]string{"xiaomi", ""}], trustwatch.VolumePoint{Period: at, Count: brand, Neu: brand})
		st.points[[2]string{"brake-topic", ""}] = append(st.points[[2]string{"brake-topic", ""}], trustwatch.VolumePoint{Period: at, Count: topic, Neu: topic})
	}
	w := &trustwatch.Watch{Entities: []trustwatch.Entity{
		{ID: "xiaomi", Name: "小米", Kind: trustwatch.EntityBrand},
		{ID: "brake-topic", Name: "刹车", Kind: trustwatch.EntityTopic, Query: "刹车"},
	}}
	got, err := burst.DetectSpikes(context.Background(), st, w, now, []trustwatch.Rule{{Detector: burst.KindVolumeSpike}})
	if err != nil {
		t.Fatal(err)
	}
	var ents []string
	for _, d := range got {
		if d.Subject == "" {
			ents = append(ents, d.Entity)
		}
	}
	slices.Sort(ents)
	if !slices.Equal(ents, []string{"brake-topic", "xiaomi"}) {
		t.Fatalf("spikes on %v, want the brand and the topic apart (%+v)", ents, got)
	}
	// A rule naming the topic watches the topic only.
	got, err = burst.DetectSpikes(context.Background(), st, w, now, []trustwatch.Rule{{Detector: burst.KindVolumeSpike, Entity: "brake-topic"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 || got[0].Entity != "brake-topic" || !strings.Contains(got[0].Statement, "刹车") {
		t.Fatalf("got %+v, want a spike on the topic 刹车", got)
	}
}
