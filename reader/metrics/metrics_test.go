package metrics_test

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/reader/metrics"
	"trustwatch/reader/record"
)

func summary(t *testing.T, file string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	err = metrics.Parse(bytes.NewReader(b), record.Config{}, func(r record.Record) error {
		if r.Err != nil {
			out = append(out, r.Err.Error())
			return nil
		}
		p := r.Point
		out = append(out, fmt.Sprintf("line %d: %s %s %g %s %s %g/%g %s", r.Line, p.Series, p.Time.In(trustwatch.DefaultLocation()).Format(time.DateTime), p.Value, p.Entity, p.Unit, p.Count, p.Sample, p.Batch))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(out, "\n")
}

func TestParse(t *testing.T) {
	tests := []struct {
		file, want string
	}{
		{"price.csv", strings.Join([]string{
			"line 2: xiaomi_price 2024-03-28 00:00:00 45.1 xiaomi HKD 0/0 ",
			"line 3: xiaomi_price 2024-03-29 00:00:00 44.35 xiaomi HKD 0/0 ",
			"metrics: line 4: missing time",
			`metrics: line 5: unparseable value "abc"`,
			"metrics: line 6: missing series",
		}, "\n")},
		{"defects.jsonl", strings.Join([]string{
			"line 1: su7_panel_gap 2024-04-01 00:00:00 0.015   3/200 B0401",
			"line 2: su7_panel_gap 2024-04-02 00:00:00 0.02   5/250 B0402",
			"metrics: line 3: sample must be positive",
			"line 4: followers 2024-03-30 12:00:00 2.4e+07 leijun  0/0 ",
		}, "\n")},
	}
	for _, tt := range tests {
		if got := summary(t, tt.file); got != tt.want {
			t.Errorf("%s: got\n%s\nwant\n%s", tt.file, got, tt.want)
		}
	}
}

func TestHeaderNeedsValue(t *testing.T) {
	err := metrics.Parse(strings.NewReader("series,time\nx,2024-01-01\n"), record.Config{}, func(record.Record) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "needs series, time and value") {
		t.Errorf("err = %v", err)
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"price.csv", "defects.jsonl"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = metrics.Parse(bytes.NewReader(b), record.Config{Now: time.Unix(1711800000, 0)}, func(r record.Record) error {
			if (r.Err == nil) == (r.Point == nil) {
				t.Fatalf("record at line %d: point %v and error %v", r.Line, r.Point, r.Err)
			}
			return nil
		})
	})
}
