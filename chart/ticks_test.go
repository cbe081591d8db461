package chart_test

import (
	"slices"
	"testing"
	"time"

	"trustwatch/chart"
)

func TestNiceTicks(t *testing.T) {
	tests := []struct {
		name   string
		lo, hi float64
		max    int
		want   []float64
	}{
		{"counts", 0, 97, 6, []float64{0, 20, 40, 60, 80, 100}},
		{"unit", 0, 1, 6, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
		{"net sentiment", -1, 1, 5, []float64{-1, -0.5, 0, 0.5, 1}},
		{"all zero", 0, 0, 5, []float64{0, 0.5, 1}},
		{"constant", 3, 3, 5, []float64{0, 1, 2, 3}},
		{"small fractions", 0.1, 0.3, 5, []float64{0.1, 0.15, 0.2, 0.25, 0.3}},
		{"large", 1234, 98765, 6, []float64{0, 20000, 40000, 60000, 80000, 100000}},
		{"negative, coarser step when too many", -37, 12, 6, []float64{-40, -20, 0, 20}},
		{"reversed", 10, 0, 6, []float64{0, 2, 4, 6, 8, 10}},
		{"max below 2", 0, 10, 1, []float64{0, 10}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := chart.NiceTicks(tt.lo, tt.hi, tt.max)
			if !slices.Equal(got, tt.want) {
				t.Errorf("NiceTicks(%v, %v, %d) = %v, want %v", tt.lo, tt.hi, tt.max, got, tt.want)
			}
		})
	}
}

func TestNiceStep(t *testing.T) {
	for _, tt := range []struct{ in, want float64 }{
		{0.3, 0.5}, {1, 1}, {1.01, 2}, {2.5, 5}, {7, 10}, {19506, 20000}, {0, 1},
	} {
		if got := chart.NiceStep(tt.in); got != tt.want {
			t.Errorf("NiceStep(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestFormatValue(t *testing.T) {
	for _, tt := range []struct {
		v, step float64
		want    string
	}{
		{0, 20, "0"},
		{100, 20, "100"},
		{5000, 1000, "5000"},
		{20000, 20000, "2万"},
		{15000, 5000, "1.5万"},
		{12000, 2000, "1.2万"},
		{3e8, 1e8, "3亿"},
		{0.25, 0.05, "0.25"},
		{-0.5, 0.5, "-0.5"},
	} {
		if got := chart.FormatValue(tt.v, tt.step); got != tt.want {
			t.Errorf("FormatValue(%v, %v) = %q, want %q", tt.v, tt.step, got, tt.want)
		}
	}
	if got := chart.FormatPercent(-0.5, 0.5); got != "-50%" {
		t.Errorf("FormatPercent(-0.5, 0.5) = %q, want -50%%", got)
	}
}

func TestTimeTicks(t *testing.T) {
	sh, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	day := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, sh) }
	tests := []struct {
		name     string
		from, to time.Time
		width    float64
		minStep  time.Duration
		want     []string
	}{
		{
			// Days are 20 px apart, "3月10日" is ~44 px wide: weekly ticks on Mondays.
			name: "a month, weekly", from: day(2024, 3, 1, 0), to: day(2024, 3, 31, 0), width: 600,
			want: []string{"3月4日", "3月11日", "3月18日", "3月25日"},
		},
		{
			name: "a day, every 3 hours", from: day(2024, 3, 1, 0), to: day(2024, 3, 2, 0), width: 480,
			want: []string{"3月1日", "03:00", "06:00", "09:00", "12:00", "15:00", "18:00", "21:00", "3月2日"},
		},
		{
			name: "half a year, every 2 months", from: day(2023, 11, 15, 0), to: day(2024, 5, 1, 0), width: 300,
			want: []string{"2024年1月", "3月", "5月"},
		},
		{
			name: "a week of daily buckets, daily", from: day(2024, 3, 1, 0), to: day(2024, 3, 7, 0), width: 600, minStep: 24 * time.Hour,
			want: []string{"3月1日", "3月2日", "3月3日", "3月4日", "3月5日", "3月6日", "3月7日"},
		},
		{
			name: "a week of hours, twice a day", from: day(2024, 3, 1, 0), to: day(2024, 3, 3, 0), width: 200,
			want: []string{"3月1日", "12:00", "3月2日", "12:00", "3月3日"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, tk := range chart.TimeTicks(tt.from, tt.to, sh, tt.width, 12, tt.minStep) {
				got = append(got, tk.Label)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("labels = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTimeTicksInLocation(t *testing.T) {
	// 2024-03-01T16:00Z is midnight on 2 March in Shanghai: the label
	// must follow the location, not UTC.
	sh, _ := time.LoadLocation("Asia/Shanghai")
	from := time.Date(2024, 3, 1, 16, 0, 0, 0, time.UTC)
	ticks := chart.TimeTicks(from, from.Add(6*24*time.Hour), sh, 600, 12, 24*time.Hour)
	if len(ticks) == 0 || ticks[0].Label != "3月2日" || !ticks[0].Time.Equal(from) {
		t.Fatalf("first tick = %+v, want 3月2日 at %v", ticks, from)
	}
}
