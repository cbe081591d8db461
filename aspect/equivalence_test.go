package aspect

import (
	"bufio"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"trustwatch"
	"trustwatch/realdata"
	"trustwatch/sentiment"
)

// findOld is Find as it was before the automaton: every pattern of every
// aspect looked for in every clause with strings.Index, after a check that
// the text holds the first character of some pattern. Find must give
// exactly its results.
func (l *Lexicon) findOld(text string, m *sentiment.Model) []trustwatch.AspectHit {
	first := map[rune]bool{}
	for _, a := range l.aspects {
		for _, p := range a.words {
			first[p.firstRune()] = true
		}
	}
	mentions := false
	// present holds the text's characters that begin some pattern: a
	// pattern whose first character is not among them cannot match.
	var present []rune
	for _, r := range text {
		if r = unicode.ToLower(r); first[r] {
			mentions = true
			if !slices.Contains(present, r) {
				present = append(present, r)
			}
		}
	}
	if !mentions {
		return nil
	}
	if m == nil {
		m = sentiment.Default()
	}
	clauses := splitClauses(text)
	lowered := make([]string, len(clauses))
	for i, c := range clauses {
		lowered[i] = strings.ToLower(c)
	}
	// The model is asked about each clause at most once, however many
	// aspects and words the clause mentions.
	type verdict struct {
		label trustwatch.Label
		p     float64
	}
	memo := make(map[string]verdict, len(clauses))
	classify := func(clause string) (trustwatch.Label, float64) {
		v, ok := memo[clause]
		if !ok {
			v.label, v.p = m.Classify(clause)
			memo[clause] = v
		}
		return v.label, v.p
	}
	var hits []trustwatch.AspectHit
	for _, a := range l.aspects {
		best, bestStrength := trustwatch.AspectHit{}, -1.0
		for ci, c := range clauses {
			lc := lowered[ci]
			for _, p := range a.words {
				if !slices.Contains(present, p.firstRune()) {
					continue
				}
				at, end := p.match(lc)
				if at < 0 {
					continue
				}
				label, strength := clauseSentiment(lc, at, end, p.problem, classify)
				if strength > bestStrength {
					best = trustwatch.AspectHit{Aspect: a.id, Label: label, Word: p.word, Clause: c}
					bestStrength = strength
				}
			}
		}
		if bestStrength >= 0 {
			hits = append(hits, best)
		}
	}
	return hits
}

// firstRune is the character a match of the pattern starts with.
func (p pattern) firstRune() rune {
	w := p.word
	if p.prefix != "" {
		w = p.prefix
	}
	r, _ := utf8.DecodeRuneInString(w)
	return r
}

// equivalenceLexicons are the default lexicon and one extended as a watch
// file would: a new aspect, a gap pattern, upper-case Latin words, a word
// that is already another aspect's and one that is a prefix of another.
func equivalenceLexicons(t *testing.T) map[string]*Lexicon {
	t.Helper()
	ext, err := Default().With([]trustwatch.AspectDef{
		{ID: "seats", Name: "座椅", Words: []string{"座椅", "座椅加热", "等了*天", "Model Y"}},
		{ID: "brakes", Words: []string{"刹车", "ABS", "刹"}},
		{ID: "price", Words: []string{"续航"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return map[string]*Lexicon{"default": Default(), "extended": ext}
}

// trickyTexts are the cases the lexicon's rules turn on: negation before
// a word, words inside and overlapping other words, clause boundaries and
// contrast words between a word and its judgement, gap patterns, case,
// repeated words, and text that is not UTF-8.
var trickyTexts = []string{
	"", "刹车没问题", "不是刹车的问题", "没有异响", "异响", "刹车失灵", "刹车片和刹车盘都换了，刹车还是软",
	"刹，车", "刹车。失灵", "续航很满意但售后太差", "外观设计很漂亮，但是车机经常黑屏，客服也不回复，等了二十分钟才有人接，刹车倒是没问题",
	"等了分钟", "等了一二三四五六七分钟", "等了一二三四五六分钟", "等了等了三分钟", "等了三天 等了三十天",
	"ABS 工作正常", "OTA升级后死机", "HyperOS很流畅", "胎噪太大", "不满意的服务", "服务不满意", "价格不贵", "太贵了不值得",
	"座椅加热很舒服", "Model Y 的座椅", "model y座椅", "安全安全安全", "没没没没有异响", "但是但是刹车", "但刹车但续航但",
	"刹车\xff失灵", "\xe5\x88刹车", "ＡＢＳ很好", "刹车 abs ABS Abs", "车门打不开真的吓人，安全性太差",
	"售后踢皮球，投诉也没用，不回复", "降价背刺老车主，割韭菜", "续航虚标，充电太慢，电池鼓包",
}

// equivalenceTexts are trickyTexts and every line of the real corpora
// (labels and all: any text will do); -short takes 2,000 lines a file.
func equivalenceTexts(t *testing.T) []string {
	t.Helper()
	texts := slices.Clone(trickyTexts)
	for _, rel := range []string{
		"su7_launch_comments/weibo_comments.csv",
		"weibo_hot_search/xiaomi_related_titles.tsv",
		"emotion/nlpcc2013_weibo_emotion.csv",
		"emotion/covid19_weibo_emotion_labeled.csv",
		"sentiment/chnsenticorp_htl_all.csv",
		"sentiment/waimai_10k.csv",
		"sentiment/weibo_senti_100k_dev.tsv",
	} {
		f, err := os.Open(realdata.Path(t, rel))
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for n := 0; sc.Scan() && (!testing.Short() || n < 2000); n++ {
			texts = append(texts, sc.Text())
		}
		f.Close()
		if err := sc.Err(); err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
	}
	return texts
}

// TestFindAsBefore checks that Find gives findOld's hits, word for word
// and clause for clause, on the tricky texts and the real corpora.
func TestFindAsBefore(t *testing.T) {
	m := sentiment.Default()
	texts := equivalenceTexts(t)
	for name, l := range equivalenceLexicons(t) {
		t.Run(name, func(t *testing.T) {
			withHits, differ := 0, 0
			for _, text := range texts {
				got, want := l.Find(text, m), l.findOld(text, m)
				if len(want) > 0 {
					withHits++
				}
				if !reflect.DeepEqual(got, want) {
					if differ++; differ <= 5 {
						t.Errorf("Find(%q)\n got %+v\nwant %+v", text, got, want)
					}
				}
			}
			if differ > 0 {
				t.Fatalf("%d of %d texts differ", differ, len(texts))
			}
			// A run that finds nothing would compare nothing.
			if withHits < len(texts)/20 {
				t.Errorf("only %d of %d texts have hits", withHits, len(texts))
			}
			t.Logf("%d texts, %d with hits, all equal", len(texts), withHits)
		})
	}
}

// BenchmarkFindRealPosts runs Find and findOld over the real Weibo texts
// of the SU7 comments and the NLPCC emotion corpus; ns/op is per text.
//
//	go test -run X -bench FindRealPosts -benchmem ./aspect
func BenchmarkFindRealPosts(b *testing.B) {
	var texts []string
	for _, rel := range []string{"su7_launch_comments/weibo_comments.csv", "emotion/nlpcc2013_weibo_emotion.csv"} {
		data, err := os.ReadFile(realdata.Path(b, rel))
		if err != nil {
			b.Fatal(err)
		}
		texts = append(texts, strings.Split(string(data), "\n")...)
	}
	l, m := Default(), sentiment.Default()
	l.Find(texts[1], m) // the model's dictionary and the automaton, outside the timing
	for _, bb := range []struct {
		name string
		find func(string, *sentiment.Model) []trustwatch.AspectHit
	}{{"automaton", l.Find}, {"before", l.findOld}} {
		b.Run(bb.name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				bb.find(texts[i%len(texts)], m)
				i++
			}
		})
	}
}
