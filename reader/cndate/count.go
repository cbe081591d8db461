package cndate

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ParseCount reads a count as Chinese sites show it: "1,234", "1.2万",
// "3.5w", "10万+", "2亿", "1.5k". A blank count, and the placeholders
// crawlers write for a missing one ("None", "null", "-", "NaN"), are 0.
func ParseCount(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if n, ok := plainCount(s); ok {
		return n, nil
	}
	switch s {
	case "", "None", "none", "null", "NULL", "nil", "-", "--", "NaN", "nan", "N/A":
		return 0, nil
	}
	t := strings.TrimSpace(strings.TrimRight(s, "+"))
	t = strings.ReplaceAll(t, ",", "")
	t = strings.ReplaceAll(t, "，", "")
	t = strings.ReplaceAll(t, " ", "")
	mult := 1.0
	for _, u := range countUnits {
		if rest, ok := strings.CutSuffix(t, u.suffix); ok {
			t, mult = rest, u.mult
			break
		}
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 || f*mult > math.MaxInt64/2 {
		return 0, fmt.Errorf("unparseable count %q", s)
	}
	return int64(math.Round(f * mult)), nil
}

var countUnits = []struct {
	suffix string
	mult   float64
}{
	{"万", 1e4},
	{"w", 1e4},
	{"W", 1e4},
	{"亿", 1e8},
	{"千", 1e3},
	{"k", 1e3},
	{"K", 1e3},
}

// plainCount is the fast path for a bare non-negative integer.
func plainCount(s string) (int64, bool) {
	if s == "" || len(s) > 18 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}
