package metric_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/detect/metric"
)

var sh = trustwatch.DefaultLocation()

// day returns midnight of the given day in Shanghai plus h hours.
func day(s string, h int) time.Time {
	t, err := time.ParseInLocation("2006-01-02", s, sh)
	if err != nil {
		panic(err)
	}
	return t.Add(time.Duration(h) * time.Hour)
}

func series(id string, kv ...any) []trustwatch.Point {
	var pts []trustwatch.Point
	for i := 0; i < len(kv); i += 2 {
		pts = append(pts, trustwatch.Point{Series: id, Time: day(kv[i].(string), 16), Value: toFloat(kv[i+1])})
	}
	return pts
}

func toFloat(v any) float64 {
	switch v := v.(type) {
	case int:
		return float64(v)
	case float64:
		return v
	}
	panic("bad value")
}

func f(v float64) *float64 { return &v }

func dur(s string) trustwatch.Duration {
	d, err := trustwatch.ParseDuration(s)
	if err != nil {
		panic(err)
	}
	return d
}

var closeDef = trustwatch.SeriesDef{ID: "mi.close", Entity: "xiaomi", Kind: trustwatch.SeriesPrice, Unit: "HKD"}

func TestDetect(t *testing.T) {
	stock := series("mi.close",
		"2024-11-05", 38.5, "2024-12-01", 45, "2025-01-10", 50, "2025-03-01", 55, "2025-05-01", 48, "2025-06-12", 39.8)
	followers := series("lei.followers",
		"2025-05-01", 2900000, "2025-05-15", 2700000, "2025-05-31", 2550000, "2025-06-02", 2540000)
	fansDef := trustwatch.SeriesDef{ID: "lei.followers", Entity: "leijun", Kind: trustwatch.SeriesFollowers, Name: "雷军微博粉丝"}
	sosDef := trustwatch.SeriesDef{ID: "sos.connect", Entity: "xiaomi", Kind: trustwatch.SeriesResponseSeconds, Unit: "秒"}

	tests := []struct {
		name       string
		pts        []trustwatch.Point
		def        trustwatch.SeriesDef
		rule       trustwatch.Rule
		loc        *time.Location
		times      []string // days (Shanghai) of the detections
		values     []float64
		statements []string // checked when set
	}{
		{
			name: "7-month low: the longest look-back, beyond the rule's 180d",
			pts:  stock, def: closeDef,
			rule:       trustwatch.Rule{ID: "stock-low", Detector: "low", Lookback: dur("180d")},
			times:      []string{"2025-06-12"},
			values:     []float64{39.8},
			statements: []string{"mi.close 收于 39.8 HKD，创 7 个月新低（2025-06-12；上次更低为 2024-11-05 的 38.5 HKD）"},
		},
		{
			name: "a look-back of 8 months does not hold",
			pts:  stock, def: closeDef,
			rule: trustwatch.Rule{ID: "stock-low", Detector: "low", Lookback: dur("250d")},
		},
		{
			name: "below threshold filters the lows",
			pts:  stock, def: closeDef,
			rule: trustwatch.Rule{ID: "stock-low", Detector: "low", Lookback: dur("180d"), Below: f(39)},
		},
		{
			name: "equal to an earlier low inside the look-back is not new",
			pts:  series("x", "2025-01-01", 50, "2025-02-01", 40, "2025-03-01", 45, "2025-03-10", 40),
			def:  trustwatch.SeriesDef{ID: "x"},
			rule: trustwatch.Rule{ID: "r", Detector: "low", Lookback: dur("60d")},
			// 2025-02-01: 40 < 50 but the data does not reach back 60 days;
			// 2025-03-10 equals 2025-02-01, which is inside the look-back.
		},
		{
			name: "all-time low when the data reaches back the look-back",
			pts:  series("x", "2025-01-01", 50, "2025-01-20", 52, "2025-02-01", 40, "2025-03-01", 45, "2025-03-10", 40),
			def:  trustwatch.SeriesDef{ID: "x"},
			rule: trustwatch.Rule{ID: "r", Detector: "low", Lookback: dur("30d")},
			// 2025-02-01: 40 < 50 and data reaches back 31 days → all-time low.
			// 2025-03-10: equal to 2025-02-01, 37 days back → 1-month low.
			times:  []string{"2025-02-01", "2025-03-10"},
			values: []float64{40, 40},
			statements: []string{
				"x 为 40，创有记录以来新低（2025-02-01；记录始于 2025-01-01，共 3 个点）",
				"x 为 40，创 1 个月新低（2025-03-10；上次持平为 2025-02-01 的 40）",
			},
		},
		{
			name: "equal to a low older than the look-back is a new low since then",
			pts:  series("x", "2025-01-01", 40, "2025-02-01", 45, "2025-02-20", 46, "2025-03-10", 40),
			def:  trustwatch.SeriesDef{ID: "x"},
			rule: trustwatch.Rule{ID: "r", Detector: "low", Lookback: dur("30d")},
			// 2025-02-01 has no point in its 30-day look-back (a gap): no statement.
			// 2025-03-10 − 2025-01-01 = 68 days: 2 whole months.
			times:      []string{"2025-03-10"},
			values:     []float64{40},
			statements: []string{"x 为 40，创 2 个月新低（2025-03-10；上次持平为 2025-01-01 的 40）"},
		},
		{
			name: "series starting mid-window: not enough data for an all-time low",
			pts:  series("x", "2025-03-01", 50, "2025-04-01", 40),
			def:  trustwatch.SeriesDef{ID: "x"},
			rule: trustwatch.Rule{ID: "r", Detector: "low", Lookback: dur("180d")},
		},
		{
			name: "one point",
			pts:  series("x", "2025-03-01", 50),
			def:  trustwatch.SeriesDef{ID: "x"},
			rule: trustwatch.Rule{ID: "r", Detector: "low"},
		},
		{
			name: "new high after a gap, in days",
			pts:  series("x", "2025-03-01", 50, "2025-03-02", 55, "2025-03-20", 52, "2025-03-21", 53),
			def:  trustwatch.SeriesDef{ID: "x", Unit: "单"},
			rule: trustwatch.Rule{ID: "r", Detector: "high", Lookback: dur("7d")},
			// 03-20: nothing in its 7-day look-back, no statement over the gap.
			// 03-21: previous ≥ 53 is 03-02 (55), 19 days back.
			times:      []string{"2025-03-21"},
			values:     []float64{53},
			statements: []string{"x 为 53 单，创 19 天新高（2025-03-21；上次更高为 2025-03-02 的 55 单）"},
		},
		{
			name: "time zone: the same instant is a different day in UTC",
			pts: []trustwatch.Point{
				{Series: "x", Time: time.Date(2025, 1, 1, 17, 0, 0, 0, time.UTC), Value: 40},
				{Series: "x", Time: time.Date(2025, 2, 20, 17, 0, 0, 0, time.UTC), Value: 45},
				{Series: "x", Time: time.Date(2025, 3, 9, 17, 0, 0, 0, time.UTC), Value: 39},
			},
			def:  trustwatch.SeriesDef{ID: "x"},
			rule: trustwatch.Rule{ID: "r", Detector: "low", Lookback: dur("30d")},
			loc:  time.UTC,
			// In Shanghai these are 2025-01-02 and 2025-03-10.
			times:      []string{"2025-03-10"},
			values:     []float64{39},
			statements: []string{"x 为 39，创有记录以来新低（2025-03-09；记录始于 2025-01-01，共 3 个点）"},
		},
		{
			name: "drawdown: each new trough beyond -10% until a new peak",
			pts: series("mi.close", "2025-01-01", 100, "2025-01-02", 120, "2025-01-03", 110, "2025-01-04", 100,
				"2025-01-05", 96, "2025-01-06", 100, "2025-01-07", 90, "2025-01-08", 130, "2025-01-09", 115),
			def:    closeDef,
			rule:   trustwatch.Rule{ID: "dd", Detector: "drawdown"},
			times:  []string{"2025-01-04", "2025-01-05", "2025-01-07", "2025-01-09"},
			values: []float64{-100.0 / 6, -20, -25, -15.0 / 1.3},
			statements: []string{
				"mi.close 较 2025-01-02 高点 120 HKD 回撤 16.7%（-20 HKD），现收于 100 HKD（2025-01-04）",
				"", "",
				"mi.close 较 2025-01-08 高点 130 HKD 回撤 11.5%（-15 HKD），现收于 115 HKD（2025-01-09）",
			},
		},
		{
			name: "drawdown with a rolling 2-day peak",
			pts:  series("x", "2025-01-01", 120, "2025-01-02", 100, "2025-01-03", 95, "2025-01-04", 90),
			def:  trustwatch.SeriesDef{ID: "x"},
			rule: trustwatch.Rule{ID: "dd", Detector: "drawdown", Lookback: dur("2d"), BelowPct: f(-10)},
			// 01-02: -16.7% from 120; 01-03: -20.8% from 120; 01-04: the peak is 100 (01-02), -10%.
			times:  []string{"2025-01-02", "2025-01-03", "2025-01-04"},
			values: []float64{-100.0 / 6, -25.0 / 1.2, -10},
		},
		{
			name: "change: -350,000 followers in 30 days; mid-window start skipped",
			pts:  followers, def: fansDef,
			rule:   trustwatch.Rule{ID: "fans", Detector: "change", Window: dur("30d"), Below: f(-300000)},
			times:  []string{"2025-05-31", "2025-06-02"},
			values: []float64{-350000, -360000},
			statements: []string{
				"雷军微博粉丝 30 天变化 -35万（-12.1%）：2025-05-01 为 290万 → 2025-05-31 为 255万",
				"雷军微博粉丝 1 个月变化 -36万（-12.4%）：2025-05-01 为 290万 → 2025-06-02 为 254万",
			},
		},
		{
			name: "change in percent",
			pts:  followers, def: fansDef,
			rule: trustwatch.Rule{ID: "fans", Detector: "change", Window: dur("14d"), BelowPct: f(-6)},
			// 05-15 vs 05-01: -6.90%; 05-31 vs 05-15: -5.56%; 06-02 vs 05-15 (≤ 05-19): -5.93%.
			times:  []string{"2025-05-15"},
			values: []float64{-200000},
		},
		{
			name: "change over a gap longer than twice the window is not a change in the window",
			pts:  series("x", "2025-01-01", 100, "2025-04-01", 10),
			def:  trustwatch.SeriesDef{ID: "x"},
			rule: trustwatch.Rule{ID: "r", Detector: "change", Window: dur("30d"), Below: f(-1)},
		},
		{
			name:  "daily change reaches back over a weekend",
			pts:   series("x", "2025-06-06", 100, "2025-06-09", 90),
			def:   trustwatch.SeriesDef{ID: "x"},
			rule:  trustwatch.Rule{ID: "r", Detector: "change", Window: dur("1d"), BelowPct: f(-5)},
			times: []string{"2025-06-09"}, values: []float64{-10},
			statements: []string{"x 3 天变化 -10（-10%）：2025-06-06 为 100 → 2025-06-09 为 90"},
		},
		{
			name: "anomaly: median/MAD z against the trailing window",
			pts: series("sos.connect", "2025-06-01", 60, "2025-06-02", 62, "2025-06-03", 58, "2025-06-04", 61,
				"2025-06-05", 59, "2025-06-06", 60, "2025-06-07", 63, "2025-06-08", 57, "2025-06-09", 360),
			def:  sosDef,
			rule: trustwatch.Rule{ID: "sos", Detector: "anomaly"},
			// 06-08: median 60, MAD 1, z = 0.6745·(−3) = −2.0. 06-09: median 60, MAD 1.5, z = 0.6745·300/1.5 = 134.9.
			times:      []string{"2025-06-09"},
			values:     []float64{360},
			statements: []string{"sos.connect 为 360 秒（2025-06-09），异常高于此前 30 天中位数 60 秒（稳健 z=134.9，基于此前 8 个点）"},
		},
		{
			name: "anomaly over equal values",
			pts: series("x", "2025-06-01", 60, "2025-06-02", 60, "2025-06-03", 60, "2025-06-04", 60,
				"2025-06-05", 60, "2025-06-06", 60, "2025-06-07", 60, "2025-06-08", 60, "2025-06-09", 30),
			def:        trustwatch.SeriesDef{ID: "x"},
			rule:       trustwatch.Rule{ID: "r", Detector: "anomaly"},
			times:      []string{"2025-06-09"},
			values:     []float64{30},
			statements: []string{"x 为 30（2025-06-09），异常低于此前 30 天中位数 60（此前 8 个点均为 60）"},
		},
		{
			name: "anomaly needs min_count trailing points in the window",
			pts: series("x", "2025-05-01", 60, "2025-06-03", 60, "2025-06-04", 61,
				"2025-06-05", 59, "2025-06-06", 60, "2025-06-07", 500),
			def:  trustwatch.SeriesDef{ID: "x"},
			rule: trustwatch.Rule{ID: "r", Detector: "anomaly", MinCount: 5},
		},
		{
			name: "anomaly one-sided threshold",
			pts: series("x", "2025-06-01", 60, "2025-06-02", 62, "2025-06-03", 58,
				"2025-06-04", 61, "2025-06-05", 0),
			def:  trustwatch.SeriesDef{ID: "x"},
			rule: trustwatch.Rule{ID: "r", Detector: "anomaly", MinCount: 4, Above: f(3)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := tt.loc
			if loc == nil {
				loc = sh
			}
			dets, err := metric.Detect(tt.pts, tt.def, tt.rule, loc)
			if err != nil {
				t.Fatal(err)
			}
			if len(dets) != len(tt.times) {
				for _, d := range dets {
					t.Logf("%s %v %s", d.Time.In(sh).Format(time.DateOnly), d.Value, d.Statement)
				}
				t.Fatalf("got %d detections, want %d", len(dets), len(tt.times))
			}
			for i, d := range dets {
				if got := d.Time.In(sh).Format(time.DateOnly); got != tt.times[i] {
					t.Errorf("detection %d: time %s, want %s", i, got, tt.times[i])
				}
				if math.Abs(d.Value-tt.values[i]) > 1e-9 {
					t.Errorf("detection %d: value %v, want %v", i, d.Value, tt.values[i])
				}
				if i < len(tt.statements) && tt.statements[i] != "" && d.Statement != tt.statements[i] {
					t.Errorf("detection %d:\n got %s\nwant %s", i, d.Statement, tt.statements[i])
				}
				if d.Rule != tt.rule.ID || d.Series != tt.def.ID || d.Entity != tt.def.Entity {
					t.Errorf("detection %d: rule/series/entity %q/%q/%q", i, d.Rule, d.Series, d.Entity)
				}
				if !strings.HasPrefix(d.Kind, "metric.") || len(d.Evidence) == 0 {
					t.Errorf("detection %d: kind %q, %d evidence", i, d.Kind, len(d.Evidence))
				}
			}
		})
	}
}

func TestDetectErrors(t *testing.T) {
	pts := series("x", "2025-01-01", 1, "2025-01-02", 2)
	for _, r := range []trustwatch.Rule{
		{ID: "r", Detector: "change"}, // no threshold
		{ID: "r", Detector: "sla"},    // not a metric detector
	} {
		_, err := metric.Detect(pts, trustwatch.SeriesDef{ID: "x"}, r, sh)
		if trustwatch.ErrorCode(err) != trustwatch.EINVALID {
			t.Errorf("%s: err %v, want EINVALID", r.Detector, err)
		}
	}
}

func TestUnsortedInput(t *testing.T) {
	pts := series("x", "2025-03-10", 40, "2025-02-20", 46, "2025-01-01", 40, "2025-02-01", 45)
	dets, err := metric.Detect(pts, trustwatch.SeriesDef{ID: "x"}, trustwatch.Rule{Detector: "low", Lookback: dur("30d")}, sh)
	if err != nil || len(dets) != 1 || !dets[0].Time.Equal(day("2025-03-10", 16)) {
		t.Fatalf("got %v, %v", dets, err)
	}
}

func TestPreviousBeyond(t *testing.T) {
	pts := series("x", "2025-01-01", 5, "2025-01-02", 3, "2025-01-03", 4, "2025-01-04", 3, "2025-01-05", 6, "2025-01-06", 2)
	low := metric.PreviousBeyond(pts, true)
	high := metric.PreviousBeyond(pts, false)
	wantLow := []int{-1, -1, 1, 1, 3, -1}
	wantHigh := []int{-1, 0, 0, 2, -1, 4}
	for i := range pts {
		if low[i] != wantLow[i] || high[i] != wantHigh[i] {
			t.Errorf("point %d: low %d high %d, want %d %d", i, low[i], high[i], wantLow[i], wantHigh[i])
		}
	}
}

func TestRobustZ(t *testing.T) {
	tests := []struct {
		name   string
		sample []float64
		x      float64
		z, med float64
	}{
		{"odd", []float64{1, 2, 3, 4, 100}, 10, 0.6745 * 7 / 1, 3},
		{"even", []float64{57, 58, 59, 60, 60, 61, 62, 63}, 360, 0.6745 * 300 / 1.5, 60},
		{"mad zero", []float64{60, 60, 60, 60, 60, 70, 60}, 80, 20 / (1.253314 * 10.0 / 7), 60},
		{"all equal, same", []float64{5, 5, 5}, 5, 0, 5},
		{"all equal, above", []float64{5, 5, 5}, 6, math.Inf(1), 5},
	}
	for _, tt := range tests {
		z, med := metric.RobustZ(tt.sample, tt.x)
		if med != tt.med || (z != tt.z && math.Abs(z-tt.z) > 1e-9) {
			t.Errorf("%s: z=%v med=%v, want %v %v", tt.name, z, med, tt.z, tt.med)
		}
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		v    float64
		unit string
		want string
	}{
		{39.8, "HKD", "39.8 HKD"},
		{39.800001, "", "39.8"},
		{20000, "单", "2万 单"},
		{-350000, "", "-35万"},
		{-2.8e11, "HKD", "-2800亿 HKD"},
		{1234.5678, "", "1234.57"},
		{0, "", "0"},
		{-0.001, "", "0"},
	}
	for _, tt := range tests {
		if got := metric.Format(tt.v, tt.unit); got != tt.want {
			t.Errorf("Format(%v, %q) = %q, want %q", tt.v, tt.unit, got, tt.want)
		}
	}
	if got := metric.FormatPct(12.345); got != "+12.3%" {
		t.Errorf("FormatPct = %q", got)
	}
	if got := metric.FormatSigned(350000, ""); got != "+35万" {
		t.Errorf("FormatSigned = %q", got)
	}
}

func TestSpan(t *testing.T) {
	tests := []struct {
		from, to time.Time
		want     string
	}{
		{day("2024-11-05", 16), day("2025-06-12", 16), "7 个月"},
		{day("2024-11-12", 16), day("2025-06-12", 16), "7 个月"},
		{day("2024-11-12", 17), day("2025-06-12", 16), "6 个月"},
		{day("2025-01-31", 0), day("2025-03-31", 0), "2 个月"},
		{day("2025-01-31", 0), day("2025-02-28", 0), "28 天"},
		{day("2025-05-01", 16), day("2025-05-31", 16), "30 天"}, // not "1 month" by AddDate's normalisation
		{day("2025-03-01", 0), day("2025-03-20", 0), "19 天"},
		{day("2025-03-01", 0), day("2025-03-01", 5), "5 小时"},
	}
	for _, tt := range tests {
		if got := metric.Span(tt.from, tt.to, sh); got != tt.want {
			t.Errorf("Span(%v, %v) = %q, want %q", tt.from, tt.to, got, tt.want)
		}
	}
}

func BenchmarkDetectLow(b *testing.B) {
	pts := make([]trustwatch.Point, 5000)
	t0 := day("2010-01-01", 16)
	for i := range pts {
		pts[i] = trustwatch.Point{Series: "x", Time: t0.AddDate(0, 0, i), Value: 100 + 30*math.Sin(float64(i)/50) - float64(i)/100}
	}
	r := trustwatch.Rule{ID: "r", Detector: "low", Lookback: dur("180d")}
	for b.Loop() {
		if _, err := metric.Detect(pts, trustwatch.SeriesDef{ID: "x"}, r, sh); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDetectAnomaly(b *testing.B) {
	pts := make([]trustwatch.Point, 5000)
	t0 := day("2010-01-01", 16)
	for i := range pts {
		pts[i] = trustwatch.Point{Series: "x", Time: t0.AddDate(0, 0, i), Value: 60 + float64(i%7)}
	}
	r := trustwatch.Rule{ID: "r", Detector: "anomaly"}
	for b.Loop() {
		if _, err := metric.Detect(pts, trustwatch.SeriesDef{ID: "x"}, r, sh); err != nil {
			b.Fatal(err)
		}
	}
}
