package trustwatch_test

import (
	"strings"
	"testing"
	"time"

	"trustwatch"
)

func TestHashID(t *testing.T) {
	at := time.Date(2024, 3, 30, 12, 22, 0, 0, time.UTC)
	a := trustwatch.HashID("weibo", "甲", at, "雷总辛苦了")
	if a != trustwatch.HashID("weibo", "甲", at, "雷总辛苦了") {
		t.Fatal("not deterministic")
	}
	// 1711801320 = 0x660803e8: the id leads with the time.
	if len(a) != 24 || !strings.HasPrefix(a, "h660803e8") {
		t.Errorf("HashID = %q, want h660803e8 followed by 15 hex digits", a)
	}
	for _, b := range []string{
		trustwatch.HashID("xhs", "甲", at, "雷总辛苦了"),
		trustwatch.HashID("weibo", "乙", at, "雷总辛苦了"),
		trustwatch.HashID("weibo", "甲", at.Add(time.Second), "雷总辛苦了"),
		trustwatch.HashID("weibo", "甲", at, "雷总辛苦了!"),
	} {
		if b == a {
			t.Errorf("different items share the id %s", a)
		}
	}
	// Later items sort after earlier ones.
	if later := trustwatch.HashID("weibo", "甲", at.Add(time.Hour), "x"); later <= a {
		t.Errorf("%s does not sort after %s", later, a)
	}
}

func TestValidate(t *testing.T) {
	at := time.Date(2024, 3, 30, 12, 22, 0, 0, time.UTC)
	tests := []struct {
		name string
		it   trustwatch.Item
		want string // error message, "" for none
	}{
		{"text and time", trustwatch.Item{Text: "x", Time: at}, ""},
		{"title only", trustwatch.Item{Title: "x", Time: at}, ""},
		{"no text", trustwatch.Item{Text: "  ", Time: at}, "missing text"},
		{"no time", trustwatch.Item{Text: "x"}, "missing time"},
		{"bad kind", trustwatch.Item{Text: "x", Time: at, Kind: "tweet"}, `unknown kind "tweet"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.it.Validate()
			if got := trustwatch.ErrorMessage(err); got != tt.want {
				t.Fatalf("error %q, want %q", got, tt.want)
			}
			if err == nil && (tt.it.Kind != trustwatch.KindPost || tt.it.ID == "") {
				t.Errorf("defaults not filled: kind %q, id %q", tt.it.Kind, tt.it.ID)
			}
		})
	}
}

func TestOldestTime(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2025, 5, d, 0, 0, 0, 0, time.UTC) }
	for _, tt := range []struct {
		items []trustwatch.Item
		want  time.Time
	}{
		{nil, time.Time{}},
		{[]trustwatch.Item{{Time: day(3)}, {Time: day(1)}, {Time: day(2)}}, day(1)},
		{[]trustwatch.Item{{Time: day(2)}}, day(2)},
	} {
		if got := trustwatch.OldestTime(tt.items); !got.Equal(tt.want) {
			t.Errorf("OldestTime(%v) = %v, want %v", tt.items, got, tt.want)
		}
	}
}
