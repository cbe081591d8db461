package segment_test

import (
	"testing"

	"trustwatch/segment"
)

func TestToSimplified(t *testing.T) {
	tests := []struct{ in, want string }{
		{"小米汽車剎車異響", "小米汽车刹车异响"},
		{"臺灣的後來發現", "台湾的后来发现"},
		{"豈有此理", "岂有此理"},       // a key the character dictionary's Get misses
		{"著名的乾隆皇帝", "著名的乾隆皇帝"}, // phrases keep what characters alone would fold
		{"简体字不变 su7", "简体字不变 su7"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := segment.ToSimplified(tt.in); got != tt.want {
			t.Errorf("ToSimplified(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// BenchmarkToSimplified is the cost folding adds to Normalize: a table
// lookup per character for Simplified text, OpenCC's conversion for text
// with Traditional characters.
func BenchmarkToSimplified(b *testing.B) {
	for _, bc := range []struct{ name, text string }{
		{"simplified", "小米汽车刹车异响，雷总回应了网友的质疑，说下一代会改进这个问题。我觉得还行吧，价格也可以接受。"},
		{"traditional", "小米汽車剎車異響，雷總回應了網友的質疑，說下一代會改進這個問題。我覺得還行吧，價格也可以接受。"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			segment.ToSimplified(bc.text)
			b.SetBytes(int64(len(bc.text)))
			for b.Loop() {
				segment.ToSimplified(bc.text)
			}
		})
	}
}
