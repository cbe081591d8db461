package sentiment

import (
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"trustwatch"
)

// The measurements of docs/sentiment.md's "Generalising to unseen domains":
// variants of features, regularisation and training that were tried, each
// trained without the corpus it is tested on. Helpers first, then the three
// tests, which run only with TRUSTWATCH_EXPERIMENTS set.

// lexicons are the shared data's NTUSD polarity words, negation words and
// degree adverbs, for the word-level lexicon variants (words in both
// polarity lists are dropped).
type lexicons struct {
	pos, neg, negator map[string]bool
	degree            map[string]float64
}

func loadLex(t *testing.T) *lexicons {
	dir := dataDir(t) + "/lexicons/"
	set := func(name string) map[string]bool {
		ws, err := ReadWordList(dir + name)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]bool{}
		for _, w := range ws {
			m[w] = true
		}
		return m
	}
	lx := &lexicons{pos: set("ntusd_positive.txt"), neg: set("ntusd_negative.txt"), negator: set("negation_words.txt"), degree: map[string]float64{}}
	for w := range lx.pos {
		if lx.neg[w] {
			delete(lx.pos, w)
			delete(lx.neg, w)
		}
	}
	ds, _ := ReadWordList(dir + "degree_adverbs.csv")
	for _, l := range ds {
		w, _, _ := strings.Cut(l, ",")
		lx.degree[w] = 1
	}
	return lx
}

// isWordTok reports whether a segmenter piece is a word, not punctuation.
func isWordTok(w string) bool {
	for _, r := range w {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// hits returns a token per polarity word among toks: "L+" or "L-", with "n"
// when a negation word came before it in the clause (an odd number of
// negations flips it) and "d" after a degree adverb. Punctuation ends the
// clause; each token is repeated scale times.
func (lx *lexicons) hits(toks []string, scale int) []string {
	var out []string
	negated, degree := false, false
	for _, w := range toks {
		if !isWordTok(w) {
			negated, degree = false, false
			continue
		}
		if lx.negator[w] {
			negated = !negated
			continue
		}
		if lx.degree[w] > 0 {
			degree = true
			continue
		}
		pol := 0
		if lx.pos[w] {
			pol = 1
		} else if lx.neg[w] {
			pol = -1
		}
		if pol == 0 {
			continue
		}
		tag := "L+"
		if pol < 0 {
			tag = "L-"
		}
		if negated {
			tag += "n"
		}
		if degree {
			tag += "d"
		}
		for range scale {
			out = append(out, tag)
		}
		negated, degree = false, false
	}
	return out
}

// result is a binary accuracy at p_pos 0.5, at the best threshold for the
// test set (oracle: how much a per-domain bias could recover) and the recall
// of each class.
type result struct{ acc, oracle, recPos, recNeg float64 }

// measure scores p on the pos and neg examples of exs.
func measure(exs []Example, p func(string) float64) result {
	type sp struct {
		p   float64
		pos bool
	}
	var s []sp
	var r result
	var np, nn, okp, okn float64
	for _, ex := range exs {
		if ex.Label == trustwatch.Neutral {
			continue
		}
		q := p(ex.Text)
		pos := ex.Label == trustwatch.Positive
		s = append(s, sp{q, pos})
		if pos {
			np++
			if q >= 0.5 {
				okp++
			}
		} else {
			nn++
			if q < 0.5 {
				okn++
			}
		}
	}
	r.acc = (okp + okn) / (np + nn)
	r.recPos, r.recNeg = okp/np, okn/nn
	slices.SortFunc(s, func(a, b sp) int {
		if a.p < b.p {
			return -1
		}
		if a.p > b.p {
			return 1
		}
		return 0
	})
	// threshold between sorted items: below -> neg
	ok := np // all predicted pos
	best := ok
	for _, x := range s {
		if x.pos {
			ok--
		} else {
			ok++
		}
		best = max(best, ok)
	}
	r.oracle = best / (np + nn)
	return r
}

// transform rewrites a featurized dataset (train and test alike).
type transform func(d *dataset)

// filterIdx keeps the features of d for which keep is true.
func filterIdx(d *dataset, keep func(j uint32) bool) {
	var idx []uint32
	off := []int{0}
	for i := range d.y {
		for _, j := range d.idx[d.off[i]:d.off[i+1]] {
			if keep(j) {
				idx = append(idx, j)
			}
		}
		off = append(off, len(idx))
	}
	d.idx, d.off = idx, off
}

// agreementMask keeps buckets whose polarity agrees in at least k groups and
// disagrees in none.
func agreementMask(d *dataset, dim int, k int, minCount float64, ratio float64) []bool {
	gid := map[string]int{}
	for _, g := range d.group {
		if _, ok := gid[g]; !ok {
			gid[g] = len(gid)
		}
	}
	G := len(gid)
	pos := make([][]float32, G)
	neg := make([][]float32, G)
	tp, tn := make([]float64, G), make([]float64, G)
	for g := range G {
		pos[g], neg[g] = make([]float32, dim), make([]float32, dim)
	}
	for i := range d.y {
		g := gid[d.group[i]]
		c, t := neg[g], &tn[g]
		if d.y[i] == 1 {
			c, t = pos[g], &tp[g]
		}
		for _, j := range d.idx[d.off[i]:d.off[i+1]] {
			c[j] += float32(d.wt[i])
			*t += d.wt[i]
		}
	}
	keep := make([]bool, dim)
	for j := range dim {
		var up, down int
		for g := range G {
			p, n := float64(pos[g][j]), float64(neg[g][j])
			if p+n < minCount {
				continue
			}
			fp, fn := (p+0.5)/tp[g], (n+0.5)/tn[g]
			switch {
			case fp > ratio*fn:
				up++
			case fn > ratio*fp:
				down++
			}
		}
		keep[j] = (up >= k && down == 0) || (down >= k && up == 0)
	}
	return keep
}

// evalDataset returns p_pos of row i of d under weights w and bias b.
func evalDataset(d *dataset, w []float32, b float64) func(i int) float64 {
	return func(i int) float64 {
		var z float64
		for _, j := range d.idx[d.off[i]:d.off[i+1]] {
			z += float64(w[j])
		}
		return sigmoid(z*d.scale[i] + b)
	}
}

// measureD is measure over the rows of a featurized dataset.
func measureD(d *dataset, p func(int) float64) result {
	exs := make([]Example, len(d.y))
	ps := map[string]float64{}
	for i := range d.y {
		key := fmt.Sprint(i)
		exs[i] = Example{Text: key, Label: trustwatch.Negative}
		if d.y[i] == 1 {
			exs[i].Label = trustwatch.Positive
		}
		ps[key] = p(i)
	}
	return measure(exs, func(s string) float64 { return ps[s] })
}

// fitGroupBias is fit with one bias per group; it returns the mean bias.
func fitGroupBias(d *dataset, rows []int, opt TrainOptions, l2 float64, seed uint64) ([]float32, float64) {
	dim := opt.Dim
	gid := map[string]int{}
	for _, g := range d.group {
		if _, ok := gid[g]; !ok {
			gid[g] = len(gid)
		}
	}
	bs := make([]float64, len(gid))
	avgBs := make([]float64, len(gid))
	v := make([]float64, dim)
	avg := make([]float64, dim)
	s, nAvg := 1.0, 0
	var norm float64
	for _, i := range rows {
		n := float64(d.off[i+1] - d.off[i])
		norm += n * d.scale[i] * d.scale[i]
	}
	norm /= float64(len(rows))
	eta0 := 0.5 / max(norm, 1e-9)
	order := slices.Clone(rows)
	g := &rng{s: seed}
	t := 0.0
	for epoch := 0; epoch < opt.Epochs; epoch++ {
		g.shuffle(order)
		for _, i := range order {
			eta := eta0 / (1 + l2*eta0*t)
			t++
			feats := d.idx[d.off[i]:d.off[i+1]]
			sc := d.scale[i]
			gi := gid[d.group[i]]
			var z float64
			for _, j := range feats {
				z += v[j]
			}
			z = z*s*sc + bs[gi]
			grad := (sigmoid(z) - d.y[i]) * d.wt[i]
			s *= 1 - eta*l2
			c := eta * grad * sc / s
			for _, j := range feats {
				v[j] -= c
			}
			bs[gi] -= eta * grad
		}
		if epoch >= opt.Epochs/2 {
			for j := range avg {
				avg[j] += s * v[j]
			}
			for k := range bs {
				avgBs[k] += bs[k]
			}
			nAvg++
		}
	}
	w := make([]float32, dim)
	for j := range w {
		w[j] = float32(avg[j] / float64(nAvg))
	}
	var mb float64
	for k := range avgBs {
		mb += avgBs[k] / float64(nAvg)
	}
	return w, mb / float64(len(avgBs))
}

// TestTransferExperiments measures the variants of docs/sentiment.md's
// "Generalising to unseen domains" on corpora left out of training:
//
//	TRUSTWATCH_EXPERIMENTS=1 go test ./sentiment -run TestTransferExperiments -v -timeout 30m
func TestTransferExperiments(t *testing.T) {
	if os.Getenv("TRUSTWATCH_EXPERIMENTS") == "" {
		t.Skip("set TRUSTWATCH_EXPERIMENTS=1 to run the measurements of docs/sentiment.md")
	}
	dir := dataDir(t)
	c, err := LoadCorpora(dir)
	if err != nil {
		t.Fatal(err)
	}
	cut := cachedWords()
	lx := loadLex(t)
	pos, _ := ReadWordList(dir + "/" + positiveLexicon)
	neg, _ := ReadWordList(dir + "/" + negativeLexicon)
	tokLex := func(s string) []string { return lx.hits(cut(s), 1) }
	wordsTokLex := func(s string) []string { return append(slices.Clone(cut(s)), lx.hits(cut(s), 1)...) }
	bigrams := func(s string) []string {
		ws := cut(s)
		out := slices.Clone(ws)
		for i := 1; i < len(ws); i++ {
			out = append(out, ws[i-1]+"\x00"+ws[i])
		}
		return out
	}
	lexScore := func(s string) float64 {
		var z float64
		for _, h := range lx.hits(cut(s), 1) {
			pol := 1.0
			if h[1] == '-' {
				pol = -1
			}
			if strings.Contains(h, "n") {
				pol = -pol
			}
			z += pol
		}
		return sigmoid(z)
	}
	binaryFeatures := func(d *dataset) transform {
		return func(d *dataset) {
			var idx []uint32
			off := []int{0}
			for i := range d.y {
				f := slices.Clone(d.idx[d.off[i]:d.off[i+1]])
				slices.Sort(f)
				f = slices.Compact(f)
				idx = append(idx, f...)
				off = append(off, len(idx))
				d.scale[i] = 1 / math.Sqrt(float64(len(f)))
			}
			d.idx, d.off = idx, off
		}
	}
	agree := func(d *dataset) transform {
		keep := agreementMask(d, 1<<20, 2, 3, 1)
		return func(d *dataset) { filterIdx(d, func(j uint32) bool { return keep[j] }) }
	}
	lexOpt := func(l2 float64) TrainOptions {
		return TrainOptions{Seed: 1, L2: l2, cut: cut, PositiveWords: pos, NegativeWords: neg}
	}
	type variant struct {
		name      string
		opt       TrainOptions
		prep      func(d *dataset) transform // feature selection or rescaling, fitted on train
		groupBias bool                       // one bias per corpus, their mean at test time
		reviewWt  float64                    // weight of the review corpora (default 1)
		ensemble  bool                       // average p_pos with the lexicon score
	}
	vs := []variant{
		{name: "char 1-3 (shipped before), L2 1e-5", opt: TrainOptions{Seed: 1, L2: 1e-5}},
		{name: "char, L2 3e-5", opt: TrainOptions{Seed: 1, L2: 3e-5}},
		{name: "char, L2 1e-4", opt: TrainOptions{Seed: 1, L2: 1e-4}},
		{name: "char + words", opt: TrainOptions{Seed: 1, L2: 1e-5, cut: cut}},
		{name: "char + words + word bigrams", opt: TrainOptions{Seed: 1, L2: 1e-5, cut: bigrams}},
		{name: "char + NTUSD hits (negation by 不没无…)", opt: TrainOptions{Seed: 1, L2: 1e-5, PositiveWords: pos, NegativeWords: neg}},
		{name: "char + NTUSD hits, L2 3e-5 (--words=false)", opt: TrainOptions{Seed: 1, L2: 3e-5, PositiveWords: pos, NegativeWords: neg}},
		{name: "char + NTUSD on words, negation scope + degree", opt: TrainOptions{Seed: 1, L2: 1e-5, cut: tokLex}},
		{name: "char + words + NTUSD on words, negation scope + degree", opt: TrainOptions{Seed: 1, L2: 1e-5, cut: wordsTokLex}},
		{name: "char + words + NTUSD hits, L2 1e-5", opt: lexOpt(1e-5)},
		{name: "**char + words + NTUSD hits, L2 3e-5 (shipped)**", opt: lexOpt(3e-5)},
		{name: "char + words + NTUSD hits, L2 1e-4", opt: lexOpt(1e-4)},
		{name: "char, averaged with the NTUSD score (ensemble)", opt: TrainOptions{Seed: 1, L2: 1e-5}, ensemble: true},
		{name: "char + words + NTUSD hits, averaged with the NTUSD score", opt: lexOpt(3e-5), ensemble: true},
		{name: "char, only n-grams of one sign in >= 2 corpora", opt: TrainOptions{Seed: 1, L2: 1e-5}, prep: agree},
		{name: "char, one bias per corpus", opt: TrainOptions{Seed: 1, L2: 1e-5}, groupBias: true},
		{name: "char, binary (deduplicated) features", opt: TrainOptions{Seed: 1, L2: 1e-5}, prep: binaryFeatures},
		{name: "char, reviews weighted x2", opt: TrainOptions{Seed: 1, L2: 1e-5}, reviewWt: 2},
		{name: "char, reviews weighted x0.5", opt: TrainOptions{Seed: 1, L2: 1e-5}, reviewWt: 0.5},
	}
	only := os.Getenv("TRUSTWATCH_ONLY")
	fmt.Println("\n### Unseen corpus: binary accuracy (best threshold in brackets)")
	fmt.Println("| variant | ChnSentiCorp | waimai_10k | weibo_senti, stripped | s |\n|---|---|---|---|---|")
	for _, v := range vs {
		if only != "" && !strings.Contains(v.name, only) {
			continue
		}
		start := time.Now()
		var rs [3]result
		stripped := make([]Example, len(c.Weibo))
		for i, ex := range c.Weibo {
			ex.Text = StripEmoticons(ex.Text)
			stripped[i] = ex
		}
		for i, test := range [][]Example{c.Hotel, c.Waimai, stripped} {
			mx := shippedMix
			switch i {
			case 0:
				mx.hotel = false
			case 1:
				mx.waimai = false
			case 2:
				mx.weibo = false
			}
			train, _ := mx.examples(c)
			for k := range train {
				if v.reviewWt != 0 && (train[k].Group == "hotel" || train[k].Group == "waimai") {
					train[k].Weight *= v.reviewWt
				}
			}
			opt := v.opt
			if err := opt.defaults(); err != nil {
				t.Fatal(err)
			}
			m := &Model{maxN: opt.MaxN, dim: uint32(opt.Dim), words: opt.cut != nil, cut: opt.cut, lex: buildLexicon(opt.PositiveWords, opt.NegativeWords)}
			d := featurize(train, m)
			td := featurize(balanced("test", test), m)
			if v.prep != nil {
				tr := v.prep(d)
				tr(d)
				tr(td)
			}
			rows := make([]int, len(d.y))
			for i := range rows {
				rows[i] = i
			}
			var w []float32
			var b float64
			if v.groupBias {
				w, b = fitGroupBias(d, rows, opt, opt.L2, 1)
			} else {
				w, b = fit(d, rows, opt, opt.L2, 1)
			}
			if v.ensemble {
				m.weights, m.bias = w, float32(b)
				rs[i] = measure(test, func(s string) float64 { return (m.PPos(s) + lexScore(s)) / 2 })
				continue
			}
			rs[i] = measureD(td, evalDataset(td, w, b))
		}
		fmt.Printf("| %s | %.4f (%.4f) | %.4f (%.4f) | %.4f (%.4f) | %.0f |\n", v.name,
			rs[0].acc, rs[0].oracle, rs[1].acc, rs[1].oracle, rs[2].acc, rs[2].oracle, time.Since(start).Seconds())
	}
	r := [2]result{measure(c.Hotel, lexScore), measure(c.Waimai, lexScore)}
	fmt.Printf("| NTUSD score alone (no training) | %.4f (%.4f) | %.4f (%.4f) | | |\n", r[0].acc, r[0].oracle, r[1].acc, r[1].oracle)
}

// TestTransferCrossValidation is the 10-fold cross-validation of the shipped
// recipe against the character-only model it replaced:
//
//	TRUSTWATCH_EXPERIMENTS=1 go test ./sentiment -run TestTransferCrossValidation -v -timeout 30m
func TestTransferCrossValidation(t *testing.T) {
	if os.Getenv("TRUSTWATCH_EXPERIMENTS") == "" {
		t.Skip("set TRUSTWATCH_EXPERIMENTS=1 to run the measurements of docs/sentiment.md")
	}
	dir := dataDir(t)
	c, err := LoadCorpora(dir)
	if err != nil {
		t.Fatal(err)
	}
	cut := cachedWords()
	pos, _ := ReadWordList(dir + "/" + positiveLexicon)
	neg, _ := ReadWordList(dir + "/" + negativeLexicon)
	models := []TrainOptions{
		{Seed: 1, L2: 1e-5},
		{Seed: 1, L2: 3e-5, cut: cut, PositiveWords: pos, NegativeWords: neg},
	}
	fmt.Println("\n### 10-fold cross-validation, mix (binary accuracy)")
	fmt.Println("| corpus | char 1-3, L2 1e-5 (before) | char + words + NTUSD, L2 3e-5 (shipped) |\n|---|---|---|")
	for _, cc := range []struct {
		name  string
		exs   []Example
		strip bool
		drop  func(*mix)
	}{
		{"ChnSentiCorp", c.Hotel, false, func(m *mix) { m.hotel = false }},
		{"waimai_10k", c.Waimai, false, func(m *mix) { m.waimai = false }},
		{"weibo_senti dev, emoticons stripped", c.Weibo, true, func(m *mix) { m.weibo = false }},
	} {
		mx := shippedMix
		cc.drop(&mx)
		rest, _ := mx.examples(c)
		var acc [2]float64
		for k := range 10 {
			train, test := foldSplit(cc.exs, k, 10)
			if cc.strip {
				for i := range train {
					if i%shippedMix.stripWeibo == 0 {
						train[i].Text = StripEmoticons(train[i].Text)
					}
				}
				for i := range test {
					test[i].Text = StripEmoticons(test[i].Text)
				}
			}
			both := append(slices.Clone(rest), balanced("x", train)...)
			for j, opt := range models {
				m, err := Train(both, opt)
				if err != nil {
					t.Fatal(err)
				}
				acc[j] += binaryAccuracy(test, m.PPos) / 10
			}
		}
		fmt.Printf("| %s | %.4f | %.4f |\n", cc.name, acc[0], acc[1])
	}
}

// TestTransferBand measures the neutral band of the shipped recipe on review
// corpora it has not seen:
//
//	TRUSTWATCH_EXPERIMENTS=1 go test ./sentiment -run TestTransferBand -v
func TestTransferBand(t *testing.T) {
	if os.Getenv("TRUSTWATCH_EXPERIMENTS") == "" {
		t.Skip("set TRUSTWATCH_EXPERIMENTS=1 to run the measurements of docs/sentiment.md")
	}
	dir := dataDir(t)
	c, err := LoadCorpora(dir)
	if err != nil {
		t.Fatal(err)
	}
	pos, _ := ReadWordList(dir + "/" + positiveLexicon)
	neg, _ := ReadWordList(dir + "/" + negativeLexicon)
	opt := TrainOptions{Seed: 1, L2: 3e-5, Words: true, PositiveWords: pos, NegativeWords: neg}
	held, _ := Rows(c.NLPCC, NLPCCHeldOutRow)
	fmt.Println("\n### Neutral band of the shipped recipe (calibrated on NLPCC rows 2/4)")
	fmt.Println("| unseen corpus | max polar neutral | band | unseen: neutral share | unseen: accuracy by label | unseen: binary accuracy | NLPCC held-out macro-F1 |\n|---|---|---|---|---|---|---|")
	for i, test := range [][]Example{c.Hotel, c.Waimai} {
		mx := shippedMix
		name := "ChnSentiCorp"
		if i == 0 {
			mx.hotel = false
		} else {
			mx.waimai = false
			name = "waimai_10k"
		}
		train, cal := mx.examples(c)
		base, err := Train(train, opt)
		if err != nil {
			t.Fatal(err)
		}
		for _, capShare := range []float64{0.02, 0.05, 0.1} {
			mb := *base
			lo, hi, _ := calibrateBand(&mb, cal, capShare)
			mb.lo, mb.hi = float32(lo), float32(hi)
			r := Evaluate(&mb, test)
			rn := Evaluate(&mb, held)
			fmt.Printf("| %s | %.2f | (%.2f, %.2f) | %.4f | %.4f | %.4f | %.4f |\n", name, capShare, lo, hi, r.NeutralShare, r.Accuracy, r.BinaryAccuracy, rn.MacroF1)
		}
	}
}
