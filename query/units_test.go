package query

import (
	"reflect"
	"testing"
)

func TestIndexUnits(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"", nil},
		{"刹车", []string{"刹车", "车"}},
		{"车", []string{"车"}},
		{"小米su7刹车异响", []string{"小米", "米", "su7", "刹车", "车异", "异响", "响"}},
		{"刹车 异响", []string{"刹车", "车异", "异响", "响"}},
		{"su7 max, 好!", []string{"su7", "max", "好"}},
		{"[赞]", []string{"赞"}},
		{"2024年", []string{"2024", "年"}},
		{"!!! ？ 😀", nil},
	}
	for _, tt := range tests {
		if got := IndexUnits(tt.text); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("IndexUnits(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestPhraseUnits(t *testing.T) {
	tests := []struct {
		text   string
		units  []string
		prefix bool
	}{
		{"车", []string{"车"}, true},
		{"刹车", []string{"刹车"}, false},
		{"刹车异响", []string{"刹车", "车异", "异响"}, false},
		{"米su7", []string{"米", "su7"}, false},
		{"su7刹", []string{"su7", "刹"}, true},
		{"小米 su7", []string{"小米", "米", "su7"}, false},
		{"y7", []string{"y7"}, false},
	}
	for _, tt := range tests {
		got := PhraseUnits(tt.text)
		if got == nil || !reflect.DeepEqual(got.Units, tt.units) || got.Prefix != tt.prefix {
			t.Errorf("PhraseUnits(%q) = %+v, want %q prefix %v", tt.text, got, tt.units, tt.prefix)
		}
	}
	if got := PhraseUnits("，。!"); got != nil {
		t.Errorf("PhraseUnits of punctuation = %+v, want nil", got)
	}
}

// A phrase's units occur consecutively in the units of any text containing
// it: the property the stores' phrase queries rely on.
func TestPhraseInText(t *testing.T) {
	tests := []struct{ text, phrase string }{
		{"小米汽车刹车异响", "车刹"},
		{"小米汽车刹车异响", "刹车"},
		{"小米汽车刹车异响", "响"},
		{"小米汽车刹车异响", "小米汽车"},
		{"买了小米su7 max", "米su7"},
		{"买了小米su7 max", "su7 max"},
		{"刹车偏软", "刹车偏软"},
	}
	for _, tt := range tests {
		units, p := IndexUnits(tt.text), PhraseUnits(tt.phrase)
		if !containsRun(units, p) {
			t.Errorf("units of %q %q do not contain phrase %q %+v", tt.text, units, tt.phrase, p)
		}
	}
}

func containsRun(units []string, p *Text) bool {
	for i := 0; i+len(p.Units) <= len(units); i++ {
		ok := true
		for j, u := range p.Units {
			got := units[i+j]
			if j == len(p.Units)-1 && p.Prefix {
				ok = ok && len(got) >= len(u) && got[:len(u)] == u
			} else {
				ok = ok && got == u
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// FuzzIndexText checks the one-pass IndexText against the runs that
// PhraseUnits sees: the units of a text are its runs' units in order.
func FuzzIndexText(f *testing.F) {
	for _, s := range []string{"小米su7刹车异响", "刹车 异响", "a 车 b", "[赞]2024年", "\xff车"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var want []string
		eachRun(s, func(run string, cjk bool) {
			if cjk {
				want = appendCJK(want, []rune(run), true)
			} else {
				want = append(want, run)
			}
		})
		if got := IndexUnits(s); !reflect.DeepEqual(got, want) {
			t.Fatalf("IndexUnits(%q) = %q, want %q", s, got, want)
		}
	})
}
