package aspect_test

import (
	"slices"
	"testing"

	"trustwatch"
	"trustwatch/aspect"
	"trustwatch/sentiment"
)

// hit is the part of an AspectHit the tables check.
type hit struct {
	aspect string
	label  trustwatch.Label
}

func hitsOf(hs []trustwatch.AspectHit) []hit {
	out := make([]hit, len(hs))
	for i, h := range hs {
		out[i] = hit{h.Aspect, h.Label}
	}
	return out
}

func TestFind(t *testing.T) {
	m := sentiment.Default()
	tests := []struct {
		name string
		text string
		want []hit
	}{
		{"negated complaint is positive", "刹车没问题", []hit{{"brakes", trustwatch.Positive}}},
		{"denied aspect is neutral", "不是刹车的问题", []hit{{"brakes", trustwatch.Neutral}}},
		{"praise", "刹车很灵，非常满意", []hit{{"brakes", trustwatch.Positive}}},
		{"problem word", "开了两个月就有异响", []hit{{"noise", trustwatch.Negative}}},
		{"negated problem word", "跑了一万公里没有异响", []hit{{"noise", trustwatch.Positive}}},
		{"several aspects, each its own clause", "外观设计很漂亮，但是车机经常黑屏，客服也不回复",
			[]hit{{"software", trustwatch.Negative}, {"service", trustwatch.Negative}, {"design", trustwatch.Positive}}},
		{"contrast without punctuation", "续航很满意但售后太差", []hit{{"battery", trustwatch.Positive}, {"service", trustwatch.Negative}}},
		{"gap pattern", "打了SOS电话等了六分钟才接通", []hit{{"service", trustwatch.Negative}}},
		{"design originality", "这车尾灯也太像保时捷了吧", []hit{{"design", trustwatch.Negative}}},
		{"marketing", "发布会上全是虚假宣传", []hit{{"marketing", trustwatch.Negative}}},
		{"no aspect", "今天天气不错", nil},
		{"case-insensitive ascii", "OTA升级以后车机很流畅", []hit{{"software", trustwatch.Positive}}},
	}
	order := aspect.Default().Aspects()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := hitsOf(aspect.Default().Find(tt.text, m))
			want := slices.Clone(tt.want)
			// Hits come in the lexicon's order.
			slices.SortFunc(want, func(a, b hit) int {
				return slices.Index(order, a.aspect) - slices.Index(order, b.aspect)
			})
			if !slices.Equal(got, want) {
				t.Errorf("Find(%q) = %v, want %v", tt.text, got, want)
			}
		})
	}
}

func TestFindClauseAndWord(t *testing.T) {
	hs := aspect.Default().Find("座椅很舒服。刹车盘缩小了，刹车变软", nil)
	if len(hs) != 1 {
		t.Fatalf("got %d hits, want 1: %v", len(hs), hs)
	}
	h := hs[0]
	// The strongest clause wins: the problem word "刹车变软", not "刹车盘缩小了".
	if h.Aspect != "brakes" || h.Label != trustwatch.Negative || h.Word != "刹车变软" || h.Clause != "刹车变软" {
		t.Errorf("hit = %+v, want brakes/neg from the clause 刹车变软", h)
	}
}

func TestWith(t *testing.T) {
	l, err := aspect.Default().With([]trustwatch.AspectDef{
		{ID: "seats", Name: "座椅", Words: []string{"座椅", "头枕"}},
		{ID: "brakes", Words: []string{"制动踏板"}},
		{ID: "price", Name: "定价", Words: []string{"落地价"}, Replace: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	ids := l.Aspects()
	if ids[len(ids)-1] != "seats" || l.Name("seats") != "座椅" {
		t.Errorf("added aspect: ids %v, name %q", ids, l.Name("seats"))
	}
	if got := l.Words("brakes"); !slices.Contains(got, "刹车") || !slices.Contains(got, "制动踏板") {
		t.Errorf("brakes words = %v, want the defaults plus 制动踏板", got)
	}
	if got := l.Words("price"); !slices.Equal(got, []string{"落地价"}) || l.Name("price") != "定价" {
		t.Errorf("price = %v %q, want only 落地价, named 定价", got, l.Name("price"))
	}
	tests := []struct {
		text string
		want []hit
	}{
		{"座椅太硬了，坐久了腰疼，很失望", []hit{{"seats", trustwatch.Negative}}},
		{"制动踏板很灵", []hit{{"brakes", trustwatch.Positive}}},
		{"价格太贵", nil}, // price's default words were replaced
		{"落地价太贵", []hit{{"price", trustwatch.Negative}}},
	}
	for _, tt := range tests {
		if got := hitsOf(l.Find(tt.text, nil)); !slices.Equal(got, tt.want) {
			t.Errorf("Find(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
	// The default lexicon is untouched.
	if slices.Contains(aspect.Default().Aspects(), "seats") || !slices.Contains(aspect.Default().Words("price"), "价格") {
		t.Error("With changed the default lexicon")
	}
}

func TestWithErrors(t *testing.T) {
	tests := []struct {
		name string
		def  trustwatch.AspectDef
	}{
		{"missing id", trustwatch.AspectDef{Words: []string{"x"}}},
		{"new aspect without words", trustwatch.AspectDef{ID: "seats"}},
		{"replace without words", trustwatch.AspectDef{ID: "price", Replace: true}},
		{"empty word", trustwatch.AspectDef{ID: "seats", Words: []string{" "}}},
		{"gap pattern without suffix", trustwatch.AspectDef{ID: "seats", Words: []string{"等了…"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := aspect.Default().With([]trustwatch.AspectDef{tt.def})
			if trustwatch.ErrorCode(err) != trustwatch.EINVALID {
				t.Errorf("err = %v, want EINVALID", err)
			}
		})
	}
}

func BenchmarkFind(b *testing.B) {
	l, m := aspect.Default(), sentiment.Default()
	text := "外观设计很漂亮，但是车机经常黑屏，客服也不回复，等了二十分钟才有人接，刹车倒是没问题"
	l.Find(text, m) // loads the model's dictionary outside the timing
	for b.Loop() {
		l.Find(text, m)
	}
}
