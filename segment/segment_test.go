package segment_test

import (
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"trustwatch"
	"trustwatch/segment"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"full-width Latin and digits", "ＳＵ７　Ｕｌｔｒａ", "su7 ultra"},
		{"full-width punctuation", "太棒了！！", "太棒了!!"},
		{"white space runs", "  雷总\t\n辛苦了  ", "雷总 辛苦了"},
		{"html tags and entities", `<a href="/n/x">@小米</a>&amp;雷总<br/>好`, "@小米&雷总 好"},
		{"img alt keeps emoticon", `太贵了<img alt="[怒]" src="x.png">`, "太贵了[怒]"},
		{"script dropped", `好<script>alert(1)</script>车`, "好车"},
		{"literal less-than kept", "价格<30万", "价格<30万"},
		{"zero-width space", "雷\u200b总", "雷总"},
		{"empty", "", ""},
		{"traditional folded", "小米汽車剎車異響", "小米汽车刹车异响"},
		{"traditional phrase kept by its dictionary", "乾隆年間頭髮很乾", "乾隆年间头发很干"},
		{"simplified unchanged", "著名的刹车问题", "著名的刹车问题"},
		{"compatibility ideograph", "\uf900", "岂"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := segment.Normalize(tt.in); got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

var watch = &trustwatch.Watch{Entities: []trustwatch.Entity{
	{ID: "xiaomi", Kind: trustwatch.EntityBrand, Name: "小米", Aliases: []string{"xiaomi", "小米汽车"}},
	{ID: "leijun", Kind: trustwatch.EntityPerson, Name: "雷军", Aliases: []string{"雷总"}, Parent: "xiaomi"},
	{ID: "su7", Kind: trustwatch.EntityProduct, Name: "小米SU7", Aliases: []string{"SU7", "SU7 Ultra"}, Parent: "xiaomi"},
}}

var matcher = sync.OnceValue(func() *segment.Matcher {
	seg, err := segment.ForWatch(watch)
	if err != nil {
		panic(err)
	}
	return segment.NewMatcher(seg, watch)
})

func TestAnalyze(t *testing.T) {
	tests := []struct {
		name       string
		text       string
		wantTokens []string // must all be present as whole tokens
		wantEnts   []string
	}{
		{"user words stay whole", "小米SU7强势破圈太火爆了，雷总得抓紧提高产能啊", []string{"小米su7", "雷总", "产能"}, []string{"leijun", "su7", "xiaomi"}},
		{"latin alias with space", "SU7 Ultra 的刹车不行", []string{"su7 ultra", "刹车"}, []string{"su7", "xiaomi"}},
		{"full-width alias", "ＳＵ７交付太慢", []string{"su7"}, []string{"su7", "xiaomi"}},
		{"latin alias not inside a longer code", "su70 是另一个型号", nil, nil},
		{"brand not inside another word", "今天喝了小米粥", nil, nil},
		{"no entity", "刹车有点软", []string{"刹车"}, nil},
	}
	m := matcher()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := m.Analyze(tt.text)
			have := map[string]bool{}
			for _, tok := range a.Tokens {
				have[tok] = true
				if strings.TrimSpace(tok) == "" {
					t.Errorf("blank token in %q", a.Tokens)
				}
			}
			for _, w := range tt.wantTokens {
				if !have[w] {
					t.Errorf("token %q missing from %q", w, a.Tokens)
				}
			}
			if !reflect.DeepEqual(a.Entities, tt.wantEnts) {
				t.Errorf("entities = %q, want %q", a.Entities, tt.wantEnts)
			}
		})
	}
}

func TestKnown(t *testing.T) {
	seg, err := segment.ForWatch(watch)
	if err != nil {
		t.Fatal(err)
	}
	for w, want := range map[string]bool{"刹车": true, "雷总": true, "雷不群": false, "小米su7": true} {
		if got := seg.Known(w); got != want {
			t.Errorf("Known(%q) = %v, want %v", w, got, want)
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"<a href=x>雷总</a>", "ＳＵ７", "<script>", "价格<30万", "&amp;&#x4e00;", "\xff\xfe", "小米汽車剎車異響", "乾隆頭髮"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := segment.Normalize(s)
		if again := segment.Normalize(n); again != n {
			t.Fatalf("not idempotent: %q → %q → %q", s, n, again)
		}
		if strings.Contains(n, "  ") {
			t.Fatalf("double space in %q", n)
		}
	})
}

func BenchmarkAnalyze(b *testing.B) {
	m := matcher()
	text := "感觉这次黑稿不太多，看来车圈还是更干净一些！小米SU7回忆～雷总辛苦了 感谢您为大家做了一辆Dream car"
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		m.Analyze(text)
	}
}

func BenchmarkNormalize(b *testing.B) {
	text := "感觉这次黑稿不太多，看来车圈还是更干净一些！小米SU7回忆～雷总辛苦了 感谢您为大家做了一辆Dream car"
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		segment.Normalize(text)
	}
}

// A topic's name is a label: an item is the topic's when the topic's query
// matches it (ingest), never because its text contains the name.
func TestTopicNameIsNoMention(t *testing.T) {
	w := &trustwatch.Watch{Entities: append(slices.Clone(watch.Entities),
		trustwatch.Entity{ID: "brakes", Kind: trustwatch.EntityTopic, Name: "刹车", Query: "刹车 OR 刹停"})}
	seg, err := segment.ForWatch(w)
	if err != nil {
		t.Fatal(err)
	}
	a := segment.NewMatcher(seg, w).Analyze("小米的刹车有点软")
	if want := []string{"xiaomi"}; !reflect.DeepEqual(a.Entities, want) {
		t.Errorf("entities = %q, want %q", a.Entities, want)
	}
}
