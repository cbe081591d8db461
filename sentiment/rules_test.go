package sentiment

import (
	"testing"

	"trustwatch"
)

func TestBareTextsAreNeutral(t *testing.T) {
	// Texts without words of their own: the embedded model scored most of
	// these negative (「已转」 0.31, 「12345」 0.34, 「Repost」 0.43).
	for _, text := range []string{
		"转发微博",
		"已转",
		"转发了",
		"轉發微博",
		"Repost",
		"//@张三:转发微博",
		"//@张三: //@李四:",
		"//@曜川汽车官方: ",
		"12345",
		"2024 03 05",
		"http://t.cn/A6abcdE",
		"https://weibo.com/123 https://t.cn/x",
		"@张三 @李四",
		"@曜川汽车 转发了",
		"？？？",
	} {
		t.Run(text, func(t *testing.T) {
			l, p := Default().Classify(text)
			if l != trustwatch.Neutral || p != 0.5 {
				t.Errorf("Classify(%q) = %s %.3f, want neu 0.5", text, l, p)
			}
		})
	}
}

func TestOwnWordsAreJudged(t *testing.T) {
	// A repost with a comment of its own, or an emoticon alone, is an
	// opinion and keeps the model's label.
	for _, tc := range []struct {
		text string
		want trustwatch.Label
	}{
		{"转发了这条微博，太坑了", trustwatch.Negative},
		{"//@张三:售后太差了，再也不买", trustwatch.Negative},
		{"[赞]", trustwatch.Positive},
		{"好评[赞]", trustwatch.Positive},
		{"太好吃了哈哈", trustwatch.Positive},
		{"今天提车啦[赞]", trustwatch.Positive},
		{"[哈哈]笑死我了", trustwatch.Positive},
	} {
		t.Run(tc.text, func(t *testing.T) {
			if l, p := Default().Classify(tc.text); l != tc.want {
				t.Errorf("Classify(%q) = %s %.3f, want %s", tc.text, l, p, tc.want)
			}
		})
	}
}

func TestDecorationDoesNotRedeemAComplaint(t *testing.T) {
	// Before the rule the model called the first three positive
	// (0.89, 0.70, 0.77): the laughter and emoticons outweighed the words.
	for _, text := range []string{
		"哈哈…太离谱了",
		"刹车偏软[赞]",
		"服务太差了[哈哈]",
		"太离谱了😂",
		"呵呵呵，又跳票了",
	} {
		t.Run(text, func(t *testing.T) {
			l, p := Default().Classify(text)
			if l != trustwatch.Negative || p >= 0.5 {
				t.Errorf("Classify(%q) = %s %.3f, want neg below 0.5", text, l, p)
			}
		})
	}
}

func TestOwnText(t *testing.T) {
	for _, tc := range []struct {
		text     string
		laughter bool
		want     string
	}{
		{"刹车偏软[赞]", true, "刹车偏软 "},
		{"哈哈…太离谱了", true, " …太离谱了"},
		{"哈哈…太离谱了", false, "哈哈…太离谱了"},
		{"哈尔滨下雪了", true, "哈尔滨下雪了"},
		{"hhh笑 2333", true, " 笑  "},
		{"太离谱了😂😂", true, "太离谱了 "},
		{"👍🏻好", true, " 好"},
		{"//@张三:转发微博 http://t.cn/x", false, " 转发微博  "},
	} {
		if got := ownText(tc.text, tc.laughter); got != tc.want {
			t.Errorf("ownText(%q, %v) = %q, want %q", tc.text, tc.laughter, got, tc.want)
		}
	}
}

func TestOwnTokens(t *testing.T) {
	for _, tc := range []struct {
		text   string
		tokens []string
		want   []string
	}{
		// One 赞 came from the emoticon and goes; the other is the
		// author's own word and stays (the model scores a bag of words).
		{"赞同[赞]", []string{"赞", "同", "赞"}, []string{"同", "赞"}},
		{"哈哈…太离谱了", []string{"哈哈", "太", "离谱", "了"}, []string{"太", "离谱", "了"}},
		{"好", []string{"好"}, []string{"好"}},
	} {
		got := ownTokens(tc.text, tc.tokens)
		if len(got) != len(tc.want) {
			t.Errorf("ownTokens(%q) = %q, want %q", tc.text, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("ownTokens(%q) = %q, want %q", tc.text, got, tc.want)
				break
			}
		}
	}
}

func BenchmarkClassifyTokensDecorated(b *testing.B) {
	m := Default()
	text := "刹车偏软[赞]，售后说正常哈哈"
	tokens := Words(text)
	for b.Loop() {
		m.ClassifyTokens(text, tokens)
	}
}
