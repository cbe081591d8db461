package trustwatch_test

import (
	"testing"
	"time"

	"trustwatch"
)

func TestReplayTimes(t *testing.T) {
	loc := trustwatch.DefaultLocation()
	at := func(d, h int) time.Time { return time.Date(2025, 3, d, h, 0, 0, 0, loc) }
	tests := []struct {
		name     string
		from, to time.Time
		hourly   bool
		steps    int
		days     int // steps that close a day
		last     time.Time
	}{
		// Midnights of 03-02 and 03-03 close days; hours 01:00 … 14:00 of
		// 03-03 follow; the data's end closes the partial day.
		{"partial last day", at(1, 10), at(3, 15), true, 2 + 14 + 1, 3, at(3, 15)},
		{"days only", at(1, 10), at(3, 15), false, 3, 3, at(3, 15)},
		// The end falls on a midnight: it is not replayed twice.
		{"ends at midnight", at(1, 10), at(3, 0), true, 2, 2, at(3, 0)},
		{"nothing", at(3, 0), at(1, 0), true, 0, 0, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			steps := trustwatch.ReplayTimes(tt.from, tt.to, loc, tt.hourly)
			days := 0
			seen := map[time.Time]bool{}
			for i, s := range steps {
				if seen[s.At] {
					t.Errorf("step %d at %v repeated", i, s.At)
				}
				seen[s.At] = true
				if i > 0 && !steps[i-1].At.Before(s.At) {
					t.Errorf("steps out of order at %d", i)
				}
				if s.DayEnd {
					days++
				}
			}
			if len(steps) != tt.steps || days != tt.days {
				t.Errorf("%d steps, %d closing a day; want %d, %d", len(steps), days, tt.steps, tt.days)
			}
			if len(steps) > 0 && !steps[len(steps)-1].At.Equal(tt.last) {
				t.Errorf("last step %v, want %v", steps[len(steps)-1].At, tt.last)
			}
		})
	}
}
