package ingest_test

import (
	"slices"
	"testing"

	"trustwatch"
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
