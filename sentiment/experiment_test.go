package sentiment

import (
	"fmt"
	"math"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-ego/gse"

	"trustwatch"
)

// The measurements behind docs/sentiment.md. They train dozens of models,
// so they run only when asked:
//
//	TRUSTWATCH_EXPERIMENTS=1 go test ./sentiment -run TestExperiments -v -timeout 30m

// naiveBayes is the baseline: SnowNLP's method, a multinomial Naive Bayes
// over segmented words with add-one smoothing.
type naiveBayes struct {
	logPrior [2]float64
	counts   [2]map[string]float64
	total    [2]float64
	vocab    float64
}

func trainNaiveBayes(exs []Example, cut func(string) []string) *naiveBayes {
	nb := &naiveBayes{counts: [2]map[string]float64{{}, {}}}
	var docs [2]float64
	vocab := map[string]bool{}
	for _, ex := range exs {
		c := 0
		switch ex.Label {
		case trustwatch.Positive:
			c = 1
		case trustwatch.Negative:
		default:
			continue
		}
		docs[c]++
		for _, w := range cut(ex.Text) {
			nb.counts[c][w]++
			nb.total[c]++
			vocab[w] = true
		}
	}
	nb.vocab = float64(len(vocab))
	for c := range 2 {
		nb.logPrior[c] = math.Log(docs[c] / (docs[0] + docs[1]))
	}
	return nb
}

func (nb *naiveBayes) pPos(words []string) float64 {
	var lp [2]float64
	for c := range 2 {
		lp[c] = nb.logPrior[c]
		for _, w := range words {
			lp[c] += math.Log((nb.counts[c][w] + 1) / (nb.total[c] + nb.vocab))
		}
	}
	return sigmoid(lp[1] - lp[0])
}

// wordCutter segments with gse's embedded dictionary, dropping spaces and
// punctuation, and caches the result: experiments cut the same texts often.
type wordCutter struct {
	seg   gse.Segmenter
	mu    sync.Mutex
	cache map[string][]string
}

func newWordCutter(tb testing.TB) *wordCutter {
	seg, err := gse.NewEmbed()
	if err != nil {
		tb.Fatal(err)
	}
	return &wordCutter{seg: seg, cache: map[string][]string{}}
}

func (wc *wordCutter) cutUncached(s string) []string {
	var out []string
	for _, w := range wc.seg.Cut(s, true) {
		if w = strings.TrimSpace(w); w != "" {
			out = append(out, w)
		}
	}
	return out
}

func (wc *wordCutter) cut(s string) []string {
	wc.mu.Lock()
	defer wc.mu.Unlock()
	if ws, ok := wc.cache[s]; ok {
		return ws
	}
	ws := wc.cutUncached(s)
	wc.cache[s] = ws
	return ws
}

func TestNaiveBayesBaseline(t *testing.T) {
	cut := func(s string) []string { return strings.Fields(s) }
	nb := trainNaiveBayes([]Example{
		{Text: "好 好 棒", Label: trustwatch.Positive},
		{Text: "差 差 烂", Label: trustwatch.Negative},
	}, cut)
	// P(好|pos) = 3/7, P(好|neg) = 1/7 with a vocabulary of 4: odds 3:1.
	if got := nb.pPos([]string{"好"}); math.Abs(got-0.75) > 1e-12 {
		t.Errorf("pPos(好) = %v, want 0.75", got)
	}
	if got := nb.pPos(nil); got != 0.5 {
		t.Errorf("pPos() = %v, want the prior 0.5", got)
	}
}

// binaryAccuracy scores p >= 0.5 against pos/neg gold labels.
func binaryAccuracy(exs []Example, p func(string) float64) float64 {
	var ok, n float64
	for _, ex := range exs {
		if ex.Label == trustwatch.Neutral {
			continue
		}
		n++
		if (p(ex.Text) >= 0.5) == (ex.Label == trustwatch.Positive) {
			ok++
		}
	}
	return ok / n
}

func foldSplit(exs []Example, k, folds int) (train, test []Example) {
	for i, ex := range exs {
		if i%folds == k {
			test = append(test, ex)
		} else {
			train = append(train, ex)
		}
	}
	return train, test
}

func TestExperiments(t *testing.T) {
	if os.Getenv("TRUSTWATCH_EXPERIMENTS") == "" {
		t.Skip("set TRUSTWATCH_EXPERIMENTS=1 to run the measurements of docs/sentiment.md")
	}
	c, err := LoadCorpora(dataDir(t))
	if err != nil {
		t.Fatal(err)
	}
	wc := newWordCutter(t)
	const l2 = 1e-5 // chosen by the shipped recipe's leave-one-corpus-out CV
	opt := TrainOptions{Seed: 1, L2: l2}
	lr := func(train []Example, o TrainOptions) func(string) float64 {
		m, err := Train(train, o)
		if err != nil {
			t.Fatal(err)
		}
		return m.PPos
	}
	nbp := func(train []Example) func(string) float64 {
		nb := trainNaiveBayes(train, wc.cut)
		return func(s string) float64 { return nb.pPos(wc.cut(s)) }
	}

	// 1. 10-fold cross-validation per corpus: the mix with the corpus's
	// other nine folds ("mix"), and the corpus's nine folds alone ("alone").
	fmt.Println("\n### 10-fold cross-validation (binary accuracy)")
	fmt.Println("| corpus | LR mix | LR alone | NB mix | NB alone |\n|---|---|---|---|---|")
	type cvCase struct {
		name  string
		exs   []Example
		strip bool
		drop  func(*mix)
	}
	for _, cc := range []cvCase{
		{"ChnSentiCorp", c.Hotel, false, func(m *mix) { m.hotel = false }},
		{"waimai_10k", c.Waimai, false, func(m *mix) { m.waimai = false }},
		{"weibo_senti dev, with emoticons", c.Weibo, false, func(m *mix) { m.weibo = false }},
		{"weibo_senti dev, emoticons stripped", c.Weibo, true, func(m *mix) { m.weibo = false }},
	} {
		var acc [4]float64
		mx := shippedMix
		cc.drop(&mx)
		rest, _ := mx.examples(c)
		for k := range 10 {
			train, test := foldSplit(cc.exs, k, 10)
			if cc.name[:5] == "weibo" {
				for i := range train {
					if i%shippedMix.stripWeibo == 0 {
						train[i].Text = StripEmoticons(train[i].Text)
					}
				}
			}
			if cc.strip {
				for i := range test {
					test[i].Text = StripEmoticons(test[i].Text)
				}
			}
			alone := balanced("x", train)
			both := append(append([]Example(nil), rest...), alone...)
			acc[0] += binaryAccuracy(test, lr(both, opt)) / 10
			acc[1] += binaryAccuracy(test, lr(alone, opt)) / 10
			acc[2] += binaryAccuracy(test, nbp(both)) / 10
			acc[3] += binaryAccuracy(test, nbp(alone)) / 10
		}
		fmt.Printf("| %s | %.4f | %.4f | %.4f | %.4f |\n", cc.name, acc[0], acc[1], acc[2], acc[3])
	}

	// 2. Leave one corpus out: the model never sees the test domain.
	fmt.Println("\n### Unseen corpus (trained on the other corpora; binary accuracy)")
	fmt.Println("| variant | ChnSentiCorp | waimai_10k | train s |\n|---|---|---|---|")
	pos, _ := ReadWordList(dataDir(t) + "/lexicons/ntusd_positive.txt")
	neg, _ := ReadWordList(dataDir(t) + "/lexicons/ntusd_negative.txt")
	variants := []struct {
		name string
		mx   mix
		opt  TrainOptions
		nb   bool
	}{
		{"char-only model shipped before: LR, char 1-3 + emoticons + punct, 2^20, all corpora, half Weibo stripped", shippedMix, opt, false},
		{"NB baseline over gse words, same corpora", shippedMix, opt, true},
		{"char 1-2", shippedMix, TrainOptions{Seed: 1, L2: l2, MaxN: 2}, false},
		{"char 1", shippedMix, TrainOptions{Seed: 1, L2: l2, MaxN: 1}, false},
		{"+ gse words", shippedMix, TrainOptions{Seed: 1, L2: l2, cut: wc.cut}, false},
		{"+ NTUSD lexicon hits", shippedMix, TrainOptions{Seed: 1, L2: l2, PositiveWords: pos, NegativeWords: neg}, false},
		{"NB-LR (NB-scaled features)", shippedMix, TrainOptions{Seed: 1, L2: l2, NBScale: true}, false},
		{"dim 2^18", shippedMix, TrainOptions{Seed: 1, L2: l2, Dim: 1 << 18}, false},
		{"dim 2^22", shippedMix, TrainOptions{Seed: 1, L2: l2, Dim: 1 << 22}, false},
		{"Weibo emoticons never stripped", mix{hotel: true, waimai: true, weibo: true, nlpcc: true, covid: true}, opt, false},
		{"Weibo emoticons always stripped", mix{hotel: true, waimai: true, weibo: true, nlpcc: true, covid: true, stripWeibo: 1}, opt, false},
		{"reviews only (hotel + waimai)", mix{hotel: true, waimai: true}, opt, false},
		{"without COVID-19", mix{hotel: true, waimai: true, weibo: true, nlpcc: true, stripWeibo: 2}, opt, false},
		{"without weibo_senti", mix{hotel: true, waimai: true, nlpcc: true, covid: true}, opt, false},
	}
	for _, v := range variants {
		var acc [2]float64
		start := time.Now()
		for i, test := range [][]Example{c.Hotel, c.Waimai} {
			mx := v.mx
			if i == 0 {
				mx.hotel = false
			} else {
				mx.waimai = false
			}
			train, _ := mx.examples(c)
			if v.nb {
				acc[i] = binaryAccuracy(test, nbp(train))
			} else {
				acc[i] = binaryAccuracy(test, lr(train, v.opt))
			}
		}
		fmt.Printf("| %s | %.4f | %.4f | %.1f |\n", v.name, acc[0], acc[1], time.Since(start).Seconds()/2)
	}

	// 3. The cost of cut: docs/s of features with and without segmentation.
	texts := make([]string, 0, len(c.Waimai))
	for _, ex := range c.Waimai {
		texts = append(texts, ex.Text)
	}
	m := Default()
	start := time.Now()
	for _, s := range texts {
		m.PPos(s)
	}
	charRate := float64(len(texts)) / time.Since(start).Seconds()
	start = time.Now()
	for _, s := range texts {
		wc.cutUncached(s)
	}
	segRate := float64(len(texts)) / time.Since(start).Seconds()
	fmt.Printf("\n### Cost of words on waimai_10k texts\n| step | docs/s |\n|---|---|\n| classify with char features (shipped) | %.0f |\n| gse segmentation alone | %.0f |\n", charRate, segRate)

	// 4. The neutral band: cap on polar texts called neutral vs macro-F1 on
	// NLPCC's held-out quarter, and the neutral share on unseen reviews.
	fmt.Println("\n### Neutral band (calibrated on NLPCC rows 2/4, measured on rows 3/4)")
	fmt.Println("| max polar neutral | band | NLPCC held-out macro-F1 | NLPCC neutral share | unseen waimai: neutral share | accuracy by label |\n|---|---|---|---|---|---|")
	held, _ := Rows(c.NLPCC, NLPCCHeldOutRow)
	mx := shippedMix
	mx.waimai = false
	train, cal := mx.examples(c)
	base, err := Train(train, opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, capShare := range []float64{0.02, 0.05, 0.1, 0.2, 1} {
		mb := *base
		lo, hi, _ := calibrateBand(&mb, cal, capShare)
		mb.lo, mb.hi = float32(lo), float32(hi)
		rn := Evaluate(&mb, held)
		rw := Evaluate(&mb, c.Waimai)
		fmt.Printf("| %.2f | (%.2f, %.2f) | %.4f | %.4f | %.4f | %.4f |\n", capShare, lo, hi, rn.MacroF1, rn.NeutralShare, rw.NeutralShare, rw.Accuracy)
	}
}
