package cndate_test

import (
	"testing"
	"time"

	"trustwatch/reader/cndate"
)

var shanghai = mustLoad("Asia/Shanghai")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// now is a fixed clock: 2024-03-30 12:00:00 in Shanghai.
var now = time.Date(2024, 3, 30, 12, 0, 0, 0, shanghai)

func TestParseTime(t *testing.T) {
	sh := func(y, mo, d, h, mi, s int) time.Time { return time.Date(y, time.Month(mo), d, h, mi, s, 0, shanghai) }
	tests := []struct {
		name string
		in   string
		want time.Time
	}{
		{"dash seconds", "2024-03-30 12:22:33", sh(2024, 3, 30, 12, 22, 33)},
		{"dash minutes", "2024-03-30 12:22", sh(2024, 3, 30, 12, 22, 0)},
		{"dash date", "2024-03-30", sh(2024, 3, 30, 0, 0, 0)},
		{"slash short", "2024/3/30 12:22", sh(2024, 3, 30, 12, 22, 0)},
		{"slash seconds", "2024/3/5 8:02:09", sh(2024, 3, 5, 8, 2, 9)},
		{"slash date", "2024/3/5", sh(2024, 3, 5, 0, 0, 0)},
		{"chinese", "2024年3月30日 12:22", sh(2024, 3, 30, 12, 22, 0)},
		{"chinese date", "2024年3月30日", sh(2024, 3, 30, 0, 0, 0)},
		{"rfc3339 utc", "2024-03-30T04:22:33Z", sh(2024, 3, 30, 12, 22, 33)},
		{"rfc3339 offset", "2024-03-30T12:22:33+08:00", sh(2024, 3, 30, 12, 22, 33)},
		{"naive T", "2024-03-30T12:22:33", sh(2024, 3, 30, 12, 22, 33)},
		{"fraction", "2024-03-30 12:22:33.500", sh(2024, 3, 30, 12, 22, 33).Add(500 * time.Millisecond)},
		{"unix seconds", "1711772553", sh(2024, 3, 30, 12, 22, 33)},
		{"unix millis", "1711772553000", sh(2024, 3, 30, 12, 22, 33)},
		{"unix float", "1711772553.0", sh(2024, 3, 30, 12, 22, 33)},
		{"yyyymmdd", "20240330", sh(2024, 3, 30, 0, 0, 0)},
		{"weibo api", "Sat Mar 30 12:22:33 +0800 2024", sh(2024, 3, 30, 12, 22, 33)},
		{"just now", "刚刚", now},
		{"minutes ago", "3分钟前", now.Add(-3 * time.Minute)},
		{"hours ago", "2小时前", now.Add(-2 * time.Hour)},
		{"seconds ago", "30秒前", now.Add(-30 * time.Second)},
		{"days ago", "2天前", now.Add(-48 * time.Hour)},
		{"yesterday", "昨天 08:00", sh(2024, 3, 29, 8, 0, 0)},
		{"today", "今天 08:00", sh(2024, 3, 30, 8, 0, 0)},
		{"this year", "01-02 15:04", sh(2024, 1, 2, 15, 4, 0)},
		{"spaces", "  2024-03-30 12:22  ", sh(2024, 3, 30, 12, 22, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := cndate.ParseTime(tt.in, shanghai, now)
			if err != nil {
				t.Fatalf("ParseTime(%q): %v", tt.in, err)
			}
			if !got.Equal(tt.want) {
				t.Errorf("ParseTime(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseTimeErrors(t *testing.T) {
	for _, in := range []string{"", "yesterday-ish", "2024-13-01", "2024-02-30", "2024-03-30 25:00", "12:22", "abc分钟前", "2024-03-30 12:22 junk"} {
		if got, err := cndate.ParseTime(in, shanghai, now); err == nil {
			t.Errorf("ParseTime(%q) = %v, want an error", in, got)
		}
	}
	_, err := cndate.ParseTime("not a time", shanghai, now)
	if err == nil || err.Error() != `unparseable time "not a time"` {
		t.Errorf("error = %v, want unparseable time \"not a time\"", err)
	}
}

func TestParseCount(t *testing.T) {
	tests := []struct {
		in   string
		want int64
	}{
		{"", 0},
		{"0", 0},
		{"1234", 1234},
		{"1,234", 1234},
		{"1.2万", 12000},
		{"3.5w", 35000},
		{"10万+", 100000},
		{"2亿", 200000000},
		{"1.5k", 1500},
		{" 42 ", 42},
		{"12.0", 12},
		{"None", 0},
		{"null", 0},
		{"-", 0},
	}
	for _, tt := range tests {
		got, err := cndate.ParseCount(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseCount(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{"abc", "-5", "1.2亿万", "万"} {
		if got, err := cndate.ParseCount(in); err == nil {
			t.Errorf("ParseCount(%q) = %d, want an error", in, got)
		}
	}
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2024-03-30 12:22:33", "2024/3/30 12:22", "2024年3月30日 12:22", "1711772553000", "Sat Mar 30 12:22:33 +0800 2024", "昨天 08:00", "3分钟前", "01-02 15:04", "2024-03-30T12:22:33.123456789+08:00", "1711772553.5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := cndate.ParseTime(s, shanghai, now)
		if err == nil && got.IsZero() {
			t.Errorf("ParseTime(%q) returned the zero time without an error", s)
		}
	})
}

func FuzzParseCount(f *testing.F) {
	for _, s := range []string{"1.2万", "10万+", "1,234", "3.5w", "None", "", "1e400", "-0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := cndate.ParseCount(s)
		if err == nil && n < 0 {
			t.Errorf("ParseCount(%q) = %d, negative", s, n)
		}
	})
}

func BenchmarkParseTime(b *testing.B) {
	for b.Loop() {
		if _, err := cndate.ParseTime("2024/3/30 12:22", shanghai, now); err != nil {
			b.Fatal(err)
		}
	}
}
