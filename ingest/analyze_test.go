package ingest_test

import (
	"slices"
	"testing"

	"trustwatch"
	"trustwatch/query"
)

// Traditional text is analysed as its Simplified form: the entity is found
// and the aspect complaint seen, and the item says it is Traditional.
func TestAnalyzeTraditional(t *testing.T) {
	a := analyzerFor(t, watchV2)
	tests := []struct {
		name, text, lang, wantLang string
		entity                     string
	}{
		{"traditional", "小米汽車剎車異響，雷總怎麼說", "", "zh-Hant", "xiaomi"},
		{"simplified", "小米汽车刹车异响，雷总怎么说", "", "zh", "xiaomi"},
		{"source language kept", "小米汽車剎車異響，雷總", "zh-HK", "zh-HK", "xiaomi"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it := trustwatch.Item{Text: tt.text, Lang: tt.lang}
			a.Analyze(&it)
			if it.Lang != tt.wantLang {
				t.Errorf("Lang = %q, want %q", it.Lang, tt.wantLang)
			}
			if !slices.Contains(it.Entities, tt.entity) || !slices.Contains(it.Entities, "leijun") {
				t.Errorf("Entities = %q, want %s and leijun", it.Entities, tt.entity)
			}
			if it.Sentiment != trustwatch.Negative {
				t.Errorf("Sentiment = %q, want neg for a brake noise complaint", it.Sentiment)
			}
		})
	}
}

// Analysis keeps the normalised text it read, so that the store indexes
// exactly the units a search of the same words looks for: the title and
// text joined, full-width folded, Traditional made Simplified, markup gone.
func TestAnalyzeKeepsNormalized(t *testing.T) {
	a := analyzerFor(t, watchV2)
	tests := []struct {
		name, title, text, want string
	}{
		{"text only", "", "小米ＳＵ７刹车", "小米su7刹车"},
		{"title and text", "雷總回應", "<b>剎車</b> 異響&amp;", "雷总回应 刹车 异响&"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it := trustwatch.Item{Title: tt.title, Text: tt.text}
			a.Analyze(&it)
			if it.Normalized != tt.want {
				t.Errorf("Normalized = %q, want %q", it.Normalized, tt.want)
			}
			if got := query.ItemIndexText(&it); got != query.ItemIndexText(&trustwatch.Item{Title: tt.title, Text: tt.text}) {
				t.Errorf("index text of the analysed item %q differs from that of the raw one", got)
			}
		})
	}
}
