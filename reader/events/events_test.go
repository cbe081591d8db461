package events_test

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/reader/events"
	"trustwatch/reader/record"
)

var shanghai = trustwatch.DefaultLocation()

func TestParse(t *testing.T) {
	day := func(y, m, d, h int) time.Time { return time.Date(y, time.Month(m), d, h, 0, 0, 0, shanghai) }
	tests := []struct {
		file, want string
	}{
		{"events.jsonl", strings.Join([]string{
			"line 1: " + events.HashID(day(2024, 8, 1, 0), "xiaomi", "lawsuit", "起诉博主侵犯名誉权") + " 2024-08-01 00:00 xiaomi lawsuit 起诉博主侵犯名誉权",
			"line 2: ev-2 2024-09-10 10:00 xiaomi jurisdiction_objection 提出管辖权异议",
			`events: line 3: unknown kind "boycott" (want lawsuit, jurisdiction_objection, recall, apology, price_cut, statement, other)`,
			"events: line 4: missing entity",
		}, "\n")},
		{"events.csv", strings.Join([]string{
			"line 2: " + events.HashID(day(2025, 1, 15, 0), "xiaomi", "recall", "召回部分 SU7") + " 2025-01-15 00:00 xiaomi recall 召回部分 SU7",
			"events: line 3: missing title",
		}, "\n")},
	}
	for _, tt := range tests {
		b, err := os.ReadFile("testdata/" + tt.file)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		err = events.Parse(bytes.NewReader(b), record.Config{}, func(r record.Record) error {
			if r.Err != nil {
				out = append(out, r.Err.Error())
				return nil
			}
			e := r.Event
			out = append(out, fmt.Sprintf("line %d: %s %s %s %s %s", r.Line, e.ID, e.Time.In(shanghai).Format("2006-01-02 15:04"), e.Entity, e.Kind, e.Title))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(out, "\n"); got != tt.want {
			t.Errorf("%s: got\n%s\nwant\n%s", tt.file, got, tt.want)
		}
	}
}

func TestHashIDIsStable(t *testing.T) {
	tm := time.Date(2024, 8, 1, 0, 0, 0, 0, shanghai)
	a, b := events.HashID(tm, "xiaomi", "lawsuit", "t"), events.HashID(tm, "xiaomi", "lawsuit", "t")
	if a != b || len(a) != 24 || a[0] != 'e' || a == events.HashID(tm, "xiaomi", "recall", "t") {
		t.Errorf("HashID %q %q", a, b)
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"events.jsonl", "events.csv"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = events.Parse(bytes.NewReader(b), record.Config{Now: time.Unix(1711800000, 0)}, func(r record.Record) error {
			if (r.Err == nil) == (r.Event == nil) {
				t.Fatalf("record at line %d: event %v and error %v", r.Line, r.Event, r.Err)
			}
			return nil
		})
	})
}
