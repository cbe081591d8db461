package segment_test

import (
	"testing"

	"trustwatch/segment"
)

func TestLang(t *testing.T) {
	tests := []struct{ text, want string }{
		{"小米SU7刹车异响，雷总回应了", "zh"},
		{"小米汽車剎車異響，雷總回應了", "zh-Hant"},
		{"著名的刹车问题又来了，大家怎么看这件事情呢", "zh"}, // 著 alone would fold, the text is Simplified
		{"著名", "zh"},        // one foldable character is not enough
		{"剎車異響", "zh-Hant"}, // two are
		{"ブレーキの異音がひどい", "ja"},
		{"브레이크 소음이 심해요", "ko"},
		{"The brakes squeal after the update", "en"},
		{"SU7", ""}, // a model name is not a language
		{"12345 !!!", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := segment.Lang(tt.text); got != tt.want {
			t.Errorf("Lang(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}
