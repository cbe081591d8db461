package analyze

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
		days     int // steps that close a day (terms run there)
		last     time.Time
	}{
		// Midnights of 03-02 and 03-03 close days; hours of 03-03 up to 15:00
		// follow; the data's end closes the partial day.
		{"partial last day", at(1, 10), at(3, 15), 3, at(3, 15)},
		// The end falls on a midnight: it is not replayed twice.
		{"ends at midnight", at(1, 10), at(3, 0), 2, at(3, 0)},
		{"nothing", at(3, 0), at(1, 0), 0, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			steps := replayTimes(tt.from, tt.to, loc)
			days := 0
			seen := map[time.Time]bool{}
			for i, s := range steps {
				if seen[s.at] {
					t.Errorf("step %d at %v repeated", i, s.at)
				}
				seen[s.at] = true
				if i > 0 && !steps[i-1].at.Before(s.at) {
					t.Errorf("steps out of order at %d", i)
				}
				if s.dayEnd {
					days++
				}
			}
			if days != tt.days {
				t.Errorf("%d day steps, want %d", days, tt.days)
			}
			if len(steps) > 0 && !steps[len(steps)-1].at.Equal(tt.last) {
				t.Errorf("last step %v, want %v", steps[len(steps)-1].at, tt.last)
			}
		})
	}
}
