package story

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"trustwatch"
)

// ownText is the part of an item's text that its author wrote: the
// "//@name: …" chain a Weibo repost carries is someone else's words, and
// links, @mentions and [emoticons] say nothing about the story.
func ownText(it *trustwatch.Item) string {
	text := it.FullText()
	if i := strings.Index(text, "//@"); i >= 0 {
		text = text[:i]
	}
	var b strings.Builder
	b.Grow(len(text))
	for i := 0; i < len(text); {
		rest := text[i:]
		switch {
		case strings.HasPrefix(rest, "http://") || strings.HasPrefix(rest, "https://"):
			i += skipUntil(rest, isSpace)
		case rest[0] == '@' || strings.HasPrefix(rest, "＠"):
			i += skipUntil(rest, endsMention)
		case rest[0] == '[':
			if n := emoticonLen(rest); n > 0 {
				i += n
				b.WriteByte(' ')
				continue
			}
			b.WriteByte('[')
			i++
		default:
			_, size := utf8.DecodeRuneInString(rest)
			b.WriteString(rest[:size])
			i += size
		}
	}
	return b.String()
}

// skipUntil returns the length of s's prefix before the first rune (after
// the first) for which stop is true.
func skipUntil(s string, stop func(rune) bool) int {
	for i, r := range s {
		if i > 0 && stop(r) {
			return i
		}
	}
	return len(s)
}

func isSpace(r rune) bool { return unicode.IsSpace(r) }

// endsMention reports whether r ends an @name: space or punctuation
// (names hold letters, digits, _ and -).
func endsMention(r rune) bool {
	return unicode.IsSpace(r) || (unicode.IsPunct(r) && r != '_' && r != '-') || unicode.IsSymbol(r)
}

// emoticonLen is the length of a Weibo-style emoticon ("[doge]", "[允悲]")
// at the start of s, 0 when s does not start with one.
func emoticonLen(s string) int {
	end := strings.IndexByte(s, ']')
	if end < 2 || utf8.RuneCountInString(s[1:end]) > 6 || strings.ContainsAny(s[1:end], "[ \n") {
		return 0
	}
	return end + 1
}

// normalised is the exact-match key of a short text: its letters and
// digits, lower-cased, so that 「同感！」 and 「同感」 are the same text.
func normalised(text string) string {
	var b strings.Builder
	for _, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// contentWords are words that say what a text is about: words is the item's
// segmentation; stop words and pieces without a letter or digit go.
func contentWords(words []string) []string {
	out := make([]string, 0, len(words))
	for _, w := range words {
		w = strings.ToLower(strings.TrimSpace(w))
		if w == "" || stopWords[w] || !hasLetterOrDigit(w) {
			continue
		}
		out = append(out, w)
	}
	return out
}

func hasLetterOrDigit(w string) bool {
	for _, r := range w {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// fallbackWords cuts text without a segmenter, for callers that have
// none: a run of Latin letters and digits is a word, a run of Han
// characters gives each character with the next (or a lone character
// alone). It is coarser than segmented words, never used when Cut is set.
func fallbackWords(text string) []string {
	var out []string
	var run []rune
	han := false
	flush := func() {
		switch {
		case len(run) == 0:
		case !han:
			out = append(out, strings.ToLower(string(run)))
		case len(run) == 1:
			out = append(out, string(run))
		default:
			for i := 0; i+1 < len(run); i++ {
				out = append(out, string(run[i:i+2]))
			}
		}
		run = run[:0]
	}
	for _, r := range text {
		isHan := unicode.Is(unicode.Han, r)
		if !isHan && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush()
			continue
		}
		if len(run) > 0 && isHan != han {
			flush()
		}
		han = isHan
		run = append(run, r)
	}
	flush()
	return out
}

// stopWords say nothing about what a post is about: function words,
// fillers, the words of a bare repost, the openers people put before
// anything ("说实话", "讲真"), and emoticon names typed without brackets
// ("（doge）").
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
		的 了 是 我 你 他 她 它 我们 你们 他们 她们 这 那 这个 那个 这些 那些 这样 那样
		就 也 都 还 又 在 和 与 及 跟 或 或者 吧 吗 呢 啊 呀 哦 嗯 哈 哈哈 哈哈哈 哈哈哈哈 啦 么 嘛 哇
		什么 怎么 怎么样 为什么 一个 一下 有 没有 没 不 很 太 真 真的 就是 说 看 去 来 会 能 要 把 被 给 让 对 从 到 啥 而 但 但是
		因为 所以 如果 然后 已经 还是 可以 这么 那么 自己 大家 今天 现在 之 其 等 着 过 得 地 个 些 上 下 里 中
		转 转发 转发微博 已转 转发了 微博 回复 评论 视频 图片 全文 网页链接 展开 收起
		说实话 讲真 刚看到 朋友们 我来说两句 路过 唉 真的假的 确实 同感 说得对
		doge 允悲 二哈 笑cry
		the a an and or of to is are in on at for it this that rt via`) {
		m[w] = true
	}
	return m
}()
