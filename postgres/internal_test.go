package postgres

import (
	"io/fs"
	"reflect"
	"testing"
	"time"
)

func mustMigrations(t *testing.T) []string {
	names, err := fs.Glob(migrationFS, "migration/*.sql")
	if err != nil || len(names) == 0 {
		t.Fatalf("migrations: %v, %v", names, err)
	}
	return names
}

func TestTsQuery(t *testing.T) {
	for _, tt := range []struct {
		name, q, want string
		ok            bool
	}{
		{"one word", "刹车", `'刹车'`, true},
		{"all words", "刹车 雷总", `'刹车' & '雷总'`, true},
		{"spaces", "  雷总 \t 刹车 ", `'雷总' & '刹车'`, true},
		{"ascii folded", "SU7", `'su7'`, true},
		{"split at ascii punctuation", "su7-max", `'su7' & 'max'`, true},
		{"quotes are never syntax", `a'b\c`, `'a' & 'b' & 'c'`, true},
		{"tsquery operators are words or nothing", "!x | y & (z)", `'x' & 'y' & 'z'`, true},
		{"only punctuation", "， ！", "", false},
		{"empty", "", "", false},
		{"nul", "a\x00b", `'a' & 'b'`, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tsQuery(tt.q)
			if got != tt.want || ok != tt.ok {
				t.Errorf("tsQuery(%q) = %q, %v; want %q, %v", tt.q, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestLexemes(t *testing.T) {
	for _, tt := range []struct {
		name   string
		tokens []string
		want   []string
	}{
		{"kept as they are", []string{"小米", "刹车"}, []string{"小米", "刹车"}},
		{"ascii folded", []string{"SU7"}, []string{"su7"}},
		{"split like the ascii tokenizer", []string{"a.b", "--"}, []string{"a", "b"}},
		{"non-ascii punctuation is a word", []string{"，"}, []string{"，"}},
		{"too long for a lexeme", []string{longWord()}, []string{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := lexemes(tt.tokens); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("lexemes(%q) = %q; want %q", tt.tokens, got, tt.want)
			}
		})
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
