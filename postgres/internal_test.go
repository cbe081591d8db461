package postgres

import (
	"io/fs"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/query"
)

func mustMigrations(t *testing.T) []string {
	names, err := fs.Glob(migrationFS, "migration/*.sql")
	if err != nil || len(names) == 0 {
		t.Fatalf("migrations: %v, %v", names, err)
	}
	return names
}

func TestTsExpr(t *testing.T) {
	for _, tt := range []struct{ q, want string }{
		{"刹车", `('刹车')`},
		{"车", `('车':*)`},
		{"刹车异响", `('刹车' <-> '车异' <-> '异响')`},
		{"刹车 -y7", `(('刹车') & !('y7'))`},
		{"su7 NEAR/1 刹车", `(('su7') <1> ('刹车') | ('刹车') <1> ('su7') | ('su7') <2> ('刹车') | ('刹车') <2> ('su7'))`},
		{`"a'b\\c"`, `('a' <-> 'b' <-> 'c')`},
	} {
		q, err := query.Parse(tt.q, query.Options{})
		if err != nil {
			t.Errorf("%s: %v", tt.q, err)
			continue
		}
		if got := tsExpr(q.Root); got != tt.want {
			t.Errorf("tsExpr(%s) = %s; want %s", tt.q, got, tt.want)
		}
	}
}

func TestUnitsVector(t *testing.T) {
	for _, tt := range []struct{ text, want string }{
		{"刹车 刹车", `'刹车':1 '车刹':2 '刹车':3 '车':4`},
		{"SU7, 好!", `'su7':1 '好':2`},
		{"!!!", ``},
		{longWord() + " a", `'a':2`},
	} {
		if got := unitsVector(&trustwatch.Item{Text: tt.text}); got != tt.want {
			t.Errorf("unitsVector(%.20q) = %s; want %s", tt.text, got, tt.want)
		}
	}
}

func longWord() string {
	b := make([]byte, maxLexeme+1)
	for i := range b {
		b[i] = 'x'
	}
	return string(b)
}

func TestPartitionName(t *testing.T) {
	for _, tt := range []struct {
		t    time.Time
		want string
	}{
		{time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), "items_202503"},
		// 1 March 07:59 in Shanghai is still February in UTC.
		{time.Date(2025, 3, 1, 7, 59, 0, 0, time.FixedZone("CST", 8*3600)), "items_202502"},
		{time.Date(2025, 12, 31, 23, 59, 59, 0, time.UTC), "items_202512"},
	} {
		if got := partitionName(month(tt.t)); got != tt.want {
			t.Errorf("partition of %v = %s; want %s", tt.t, got, tt.want)
		}
	}
}
