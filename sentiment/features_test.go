package sentiment

import "testing"

func TestScanCounts(t *testing.T) {
	tests := []struct {
		name string
		text string
		maxN int
		want int
	}{
		{"empty", "", 3, 0},
		{"two runes", "好吃", 3, 3},           // 2 unigrams + 1 bigram
		{"three runes", "很好吃", 3, 6},        // 3 + 2 + 1
		{"unigrams only", "很好吃", 1, 3},      //
		{"punctuation run", "好吃！！！", 3, 13}, // 5 + 4 + 3 runes n-grams, 1 run
		{"emoticon kept whole", "[泪]", 3, 1},
		{"emoticon is a boundary", "好[泪]吃", 3, 3}, // 好, [泪], 吃: no bigram across it
		{"bracket that is no emoticon", "[a b]", 3, 6},
		{"mention dropped", "@张三: 好", 3, 1},
		{"repost chain dropped", "好//@李四:坏", 3, 2},
		{"url dropped", "http://t.cn/abc好", 3, 1},
		{"spaces cut n-grams", "好 吃", 3, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := scanner{maxN: tt.maxN}.scan(tt.text, func(uint64) {})
			if got != tt.want {
				t.Errorf("scan(%q) = %d features, want %d", tt.text, got, tt.want)
			}
		})
	}
}

func TestScanNormalises(t *testing.T) {
	hashes := func(s string) []uint64 {
		var hs []uint64
		scanner{maxN: 3}.scan(s, func(h uint64) { hs = append(hs, h) })
		return hs
	}
	same := [][2]string{
		{"ＡＢＣ！", "abc!"}, // full width and case
		{"等了15分钟", "等了99分钟"},
		{"好…", "好."},
	}
	for _, p := range same {
		a, b := hashes(p[0]), hashes(p[1])
		if len(a) != len(b) {
			t.Fatalf("%q and %q: %d and %d features", p[0], p[1], len(a), len(b))
		}
		for i := range a {
			if a[i] != b[i] {
				t.Errorf("%q and %q differ at feature %d", p[0], p[1], i)
			}
		}
	}
	if a, b := hashes("[好]"), hashes("好"); a[0] == b[0] {
		t.Error("the emoticon [好] hashes like the character 好")
	}
}

func TestLexiconFeatures(t *testing.T) {
	sc := scanner{maxN: 1, lex: buildLexicon([]string{"满意"}, []string{"失望", "糟糕"})}
	count := func(s string) int { return sc.scan(s, func(uint64) {}) }
	tests := []struct {
		text string
		want int
	}{
		{"很满意", 3 + 1},
		{"不满意", 3 + 1},
		{"好糟糕啊失望", 6 + 2},
		{"满", 1},
	}
	for _, tt := range tests {
		if got := count(tt.text); got != tt.want {
			t.Errorf("scan(%q) = %d, want %d", tt.text, got, tt.want)
		}
	}
	// Negation gives a different feature.
	last := func(s string) uint64 {
		var h uint64
		sc.scan(s, func(x uint64) { h = x })
		return h
	}
	if last("很满意") == last("不满意") {
		t.Error("negated lexicon hit hashes like the plain one")
	}
	if l := buildLexicon([]string{"好"}, nil); len(l) != 0 {
		t.Errorf("one-character words must be ignored, got %d", len(l))
	}
}

func TestStripEmoticons(t *testing.T) {
	tests := []struct{ in, want string }{
		{"好开心[哈哈][爱你]", "好开心"},
		{"[泪]又加班", "又加班"},
		{"数组a[1]", "数组a"},
		{"[不是 表情]", "[不是 表情]"},
		{"[]空", "[]空"},
		{"没有括号", "没有括号"},
		{"未闭合[泪", "未闭合[泪"},
	}
	for _, tt := range tests {
		if got := StripEmoticons(tt.in); got != tt.want {
			t.Errorf("StripEmoticons(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzScan(f *testing.F) {
	for _, s := range []string{"好吃！！！", "[泪]@a: http://x 好", "//@", "[", "h", "\xff\xfe"} {
		f.Add(s)
	}
	sc := scanner{maxN: 3, lex: buildLexicon([]string{"满意"}, nil)}
	f.Fuzz(func(t *testing.T, s string) {
		n := sc.scan(s, func(uint64) {})
		if n < 0 || n > 4*len(s)+1 {
			t.Errorf("scan(%q) = %d features", s, n)
		}
		if out := StripEmoticons(s); len(out) > len(s) {
			t.Errorf("StripEmoticons grew %q", s)
		}
	})
}
