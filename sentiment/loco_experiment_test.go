package sentiment

import (
	"bufio"
	"cmp"
	"compress/gzip"
	"fmt"
	"math"
	"math/bits"
	"os"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"trustwatch"
)

// The leave-one-corpus-out harness of docs/sentiment.md ("One harness for
// every variant"). Each variant is trained five times, each time without the
// corpus it is then tested on, and test rows whose text also occurs in the
// training examples are dropped first:
//
//	TRUSTWATCH_EXPERIMENTS=1 go test ./sentiment -run TestLOCOHarness -v -timeout 60m
//
// TRUSTWATCH_ONLY=substring runs only the variants whose name contains it.

// locoFold is one held-out corpus: the mix without it, and its test rows.
type locoFold struct {
	name string
	drop func(*mix) // nil: the full mix (NLPCC's held-out quarter is never trained on)
	test func(*Corpora) []Example
}

var locoFolds = []locoFold{
	{"hotel", func(m *mix) { m.hotel = false }, func(c *Corpora) []Example { return c.Hotel }},
	{"waimai", func(m *mix) { m.waimai = false }, func(c *Corpora) []Example { return c.Waimai }},
	{"weibo stripped", func(m *mix) { m.weibo = false }, func(c *Corpora) []Example {
		out := make([]Example, len(c.Weibo))
		for i, ex := range c.Weibo {
			ex.Text = StripEmoticons(ex.Text)
			out[i] = ex
		}
		return out
	}},
	{"covid", func(m *mix) { m.covid = false }, func(c *Corpora) []Example { return c.COVID }},
	{"nlpcc 3/4", nil, func(c *Corpora) []Example {
		held, _ := Rows(c.NLPCC, NLPCCHeldOutRow)
		return held
	}},
}

// dedupKey is what "the same row" means when test rows that also occur in
// training are dropped: the text without emoticons, spaces and the variants
// normRune folds.
func dedupKey(text string) string {
	var b strings.Builder
	for _, r := range StripEmoticons(text) {
		if unicode.IsSpace(r) {
			continue
		}
		b.WriteRune(normRune(r))
	}
	return b.String()
}

// withoutTrainRows returns the pos and neg rows of test whose dedupKey is
// not among train's, and how many were dropped.
func withoutTrainRows(test, train []Example) ([]Example, int) {
	seen := make(map[string]bool, len(train))
	for _, ex := range train {
		seen[dedupKey(ex.Text)] = true
	}
	var out []Example
	dropped := 0
	for _, ex := range test {
		if ex.Label == trustwatch.Neutral {
			continue
		}
		if seen[dedupKey(ex.Text)] {
			dropped++
			continue
		}
		out = append(out, ex)
	}
	return out, dropped
}

// scorer is a trained variant: p_pos of a text given its words.
type scorer interface {
	pPos(text string, words []string) float64
	sizeBytes() int
}

// lrScorer is a linear Model scored without the rules of rules.go, so that
// variants compare as models.
type lrScorer struct{ m *Model }

func (s lrScorer) pPos(text string, words []string) float64 {
	z, n := s.m.score(text, words)
	if n == 0 {
		return 0.5
	}
	return sigmoid(z)
}

func (s lrScorer) sizeBytes() int { return 40 + 4*int(s.m.dim) + 9*len(s.m.lex) + 4 }

// locoVariant trains a scorer on the examples of one fold.
type locoVariant struct {
	name  string
	train func(t *testing.T, train []Example) scorer
	// priorEM re-estimates the test domain's class prior from its unlabelled
	// texts (Saerens et al. 2002) and shifts p_pos to it: transductive, it
	// sees the test texts though not their labels.
	priorEM bool
}

// emPrior is the EM estimate of the positive share of texts scored ps by a
// model trained on balanced classes, and the ps adjusted to it.
func emPrior(ps []float64) (float64, []float64) {
	prior := 0.5
	adj := make([]float64, len(ps))
	for range 100 {
		var sum float64
		for i, p := range ps {
			a := prior * p
			adj[i] = a / (a + (1-prior)*(1-p))
			sum += adj[i]
		}
		next := sum / float64(len(ps))
		if math.Abs(next-prior) < 1e-6 {
			break
		}
		prior = next
	}
	return prior, adj
}

// locoEnv is what the variants share: the corpora, a word cache and the lexicon.
type locoEnv struct {
	c        *Corpora
	cut      func(string) []string
	pos, neg []string
	lx       *lexicons
	dir      string
	titles   []string // distinct hot-search titles, loaded on first use
}

func newLOCOEnv(t *testing.T) *locoEnv {
	dir := dataDir(t)
	c, err := LoadCorpora(dir)
	if err != nil {
		t.Fatal(err)
	}
	cut := cachedWords()
	pos, err := ReadWordList(dir + "/" + positiveLexicon)
	if err != nil {
		t.Fatal(err)
	}
	neg, err := ReadWordList(dir + "/" + negativeLexicon)
	if err != nil {
		t.Fatal(err)
	}
	return &locoEnv{c: c, cut: cut, pos: pos, neg: neg, lx: loadLex(t), dir: dir}
}

// hotSearchTitles returns every third distinct title of the hot-search
// corpus (MIT), the unlabelled text of the self-training and word-cluster
// variants.
func (e *locoEnv) hotSearchTitles(t *testing.T) []string {
	if e.titles != nil {
		return e.titles
	}
	f, err := os.Open(e.dir + "/weibo_hot_search/weibo_hot_search_daily.tsv.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(zr)
	seen := map[string]bool{}
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 3 || cols[0] == "date" || seen[cols[2]] {
			continue
		}
		seen[cols[2]] = true
		if len(seen)%3 == 0 {
			e.titles = append(e.titles, cols[2])
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return e.titles
}

// lr is a variant that trains the shipped recipe with opt changed by edit.
func (e *locoEnv) lr(name string, edit func(*TrainOptions)) locoVariant {
	return locoVariant{name: name, train: func(t *testing.T, train []Example) scorer {
		opt := TrainOptions{Seed: 1, L2: 3e-5, cut: e.cut, PositiveWords: e.pos, NegativeWords: e.neg}
		if edit != nil {
			edit(&opt)
		}
		m, err := Train(train, opt)
		if err != nil {
			t.Fatal(err)
		}
		return lrScorer{m}
	}}
}

// locoRow is one variant's figures.
type locoRow struct {
	acc            []float64 // per fold, binary accuracy at p_pos 0.5
	oracle         []float64 // per fold, at the test set's best threshold
	docsPerSec, mb float64
}

// runLOCO measures v on every fold; docs/s is one core scoring the unseen
// waimai texts with fresh segmentation (the cost classify pays).
func (e *locoEnv) runLOCO(t *testing.T, v locoVariant) locoRow {
	var row locoRow
	for _, f := range locoFolds {
		mx := shippedMix
		if f.drop != nil {
			f.drop(&mx)
		}
		train, _ := mx.examples(e.c)
		test, _ := withoutTrainRows(f.test(e.c), train)
		s := v.train(t, train)
		p := func(text string) float64 { return s.pPos(text, e.cut(text)) }
		if v.priorEM {
			ps := make([]float64, len(test))
			for i, ex := range test {
				ps[i] = p(ex.Text)
			}
			_, adj := emPrior(ps)
			byText := map[string]float64{}
			for i, ex := range test {
				byText[ex.Text] = adj[i]
			}
			p = func(text string) float64 { return byText[text] }
		}
		r := measure(test, p)
		row.acc = append(row.acc, r.acc)
		row.oracle = append(row.oracle, r.oracle)
		if f.name == "waimai" {
			texts := make([]string, 0, len(test))
			for _, ex := range test {
				texts = append(texts, ex.Text)
			}
			// Collect the training garbage first: a collection during the
			// loop would count its CPU time against the model.
			runtime.GC()
			start := processCPU()
			for _, text := range texts {
				s.pPos(text, Words(text))
			}
			row.docsPerSec = float64(len(texts)) / (processCPU() - start).Seconds()
			row.mb = float64(s.sizeBytes()) / 1e6
		}
	}
	return row
}

// processCPU is the CPU time this process has used: on the shared machine
// it measures the work far more steadily than the wall clock.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func mean(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// printLOCO writes the table header and returns a function printing a row.
func printLOCO() func(name string, r locoRow) {
	var names []string
	for _, f := range locoFolds {
		names = append(names, f.name)
	}
	fmt.Printf("\n| variant | %s | review mean | all mean | docs per CPU-second | MB |\n|---|%s---|---|---|---|\n",
		strings.Join(names, " | "), strings.Repeat("---|", len(names)))
	return func(name string, r locoRow) {
		var cells []string
		for i := range r.acc {
			cells = append(cells, fmt.Sprintf("%.4f (%.4f)", r.acc[i], r.oracle[i]))
		}
		fmt.Printf("| %s | %s | %.4f | %.4f | %.0f | %.1f |\n", name, strings.Join(cells, " | "),
			mean(r.acc[:2]), mean(r.acc), r.docsPerSec, r.mb)
	}
}

func TestLOCOHarness(t *testing.T) {
	if os.Getenv("TRUSTWATCH_EXPERIMENTS") == "" {
		t.Skip("set TRUSTWATCH_EXPERIMENTS=1 to run the measurements of docs/sentiment.md")
	}
	e := newLOCOEnv(t)
	for _, f := range locoFolds {
		mx := shippedMix
		if f.drop != nil {
			f.drop(&mx)
		}
		train, _ := mx.examples(e.c)
		test, dropped := withoutTrainRows(f.test(e.c), train)
		fmt.Printf("fold %s: %d test rows, %d dropped as also in training\n", f.name, len(test), dropped)
	}
	vs := e.variants()
	only := os.Getenv("TRUSTWATCH_ONLY")
	row := printLOCO()
	for _, v := range vs {
		if only != "" && !strings.Contains(v.name, only) {
			continue
		}
		start := time.Now()
		r := e.runLOCO(t, v)
		row(v.name, r)
		t.Logf("%s: %.0f s", v.name, time.Since(start).Seconds())
	}
}

// nbInterpolated adds beta times the Naive Bayes log-count ratios of a
// text's features (scaled like the LR's) to the LR's score.
type nbInterpolated struct {
	lrScorer
	ratio []float64
	beta  float64
}

func (s nbInterpolated) pPos(text string, words []string) float64 {
	z, n := s.m.score(text, words)
	if n == 0 {
		return 0.5
	}
	var nb float64
	mask := uint64(s.m.dim - 1)
	s.m.scanner().scan(text, func(h uint64) { nb += s.ratio[h&mask] })
	for _, w := range words {
		nb += s.ratio[hashString(kindWord, w)&mask]
	}
	return sigmoid(z + s.beta*nb/math.Sqrt(float64(n)))
}

func (e *locoEnv) nbInterp(name string, beta float64) locoVariant {
	base := e.lr("", nil)
	return locoVariant{name: name, train: func(t *testing.T, train []Example) scorer {
		s := base.train(t, train).(lrScorer)
		d := featurize(train, s.m)
		rows := make([]int, len(d.y))
		for i := range rows {
			rows[i] = i
		}
		return nbInterpolated{s, nbRatios(d, rows, s.m.Dim()), beta}
	}}
}

// selfTrained trains the shipped recipe, labels the hot-search titles with
// it, adds the perClass most confident of each class (at least conf) as a
// corpus of their own and trains again.
func (e *locoEnv) selfTrained(name string, perClass int, conf float64) locoVariant {
	base := e.lr("", nil)
	return locoVariant{name: name, train: func(t *testing.T, train []Example) scorer {
		s := base.train(t, train).(lrScorer)
		type scored struct {
			text string
			p    float64
		}
		var all []scored
		for _, title := range e.hotSearchTitles(t) {
			all = append(all, scored{title, s.pPos(title, e.cut(title))})
		}
		slices.SortStableFunc(all, func(a, b scored) int { return cmp.Compare(a.p, b.p) })
		var pseudo []Example
		for i := 0; i < perClass && i < len(all) && all[i].p <= 1-conf; i++ {
			pseudo = append(pseudo, Example{Text: all[i].text, Label: trustwatch.Negative})
		}
		for i := len(all) - 1; i >= len(all)-perClass && i >= 0 && all[i].p >= conf; i-- {
			pseudo = append(pseudo, Example{Text: all[i].text, Label: trustwatch.Positive})
		}
		return base.train(t, append(slices.Clone(train), balanced("pseudo", pseudo)...))
	}}
}

// cachedWords is Words remembering what it cut: the variants of an
// experiment cut the same texts many times.
func cachedWords() func(string) []string {
	cache := map[string][]string{}
	return func(s string) []string {
		if w, ok := cache[s]; ok {
			return w
		}
		w := Words(s)
		cache[s] = w
		return w
	}
}

// lengthScaled is a linear model whose document vector is divided by
// n^exp instead of √n (n features).
type lengthScaled struct {
	lrScorer
	exp float64
}

func (s lengthScaled) pPos(text string, words []string) float64 {
	z, n := s.m.score(text, words)
	if n == 0 {
		return 0.5
	}
	lin := (z - float64(s.m.bias)) * math.Sqrt(float64(n))
	return sigmoid(lin/math.Pow(float64(n), s.exp) + float64(s.m.bias))
}

func (e *locoEnv) lengthScaled(name string, exp float64) locoVariant {
	return locoVariant{name: name, train: func(t *testing.T, train []Example) scorer {
		m := &Model{maxN: 3, dim: 1 << 20, words: true, cut: e.cut, lex: buildLexicon(e.pos, e.neg)}
		opt := TrainOptions{Seed: 1, L2: 3e-5}
		if err := opt.defaults(); err != nil {
			t.Fatal(err)
		}
		d := featurize(train, m)
		rows := make([]int, len(d.y))
		for i := range rows {
			rows[i] = i
			d.scale[i] = 1 / math.Pow(float64(d.off[i+1]-d.off[i]), exp)
		}
		w, b := fit(d, rows, opt, opt.L2, 1)
		m.weights, m.bias = w, float32(b)
		return lengthScaled{lrScorer{m}, exp}
	}}
}

// clauses cuts text at clause punctuation and line breaks.
func clauses(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("，。！？；：,.!?;:~…、", r)
	})
}

// averaged scores the mean of its members' log-odds.
type averaged []scorer

func (a averaged) pPos(text string, words []string) float64 {
	var z float64
	for _, s := range a {
		p := min(max(s.pPos(text, words), 1e-12), 1-1e-12)
		z += math.Log(p / (1 - p))
	}
	return sigmoid(z / float64(len(a)))
}

func (a averaged) sizeBytes() int {
	n := 0
	for _, s := range a {
		n += s.sizeBytes()
	}
	return n
}

func (e *locoEnv) average(name string, members ...locoVariant) locoVariant {
	return locoVariant{name: name, train: func(t *testing.T, train []Example) scorer {
		var a averaged
		for _, m := range members {
			a = append(a, m.train(t, train))
		}
		return a
	}}
}

// variants are the rows of the harness, in the order of docs/sentiment.md.
func (e *locoEnv) variants() []locoVariant {
	bigrams := func(s string) []string {
		ws := e.cut(s)
		out := slices.Clone(ws)
		for i := 1; i < len(ws); i++ {
			out = append(out, ws[i-1]+"\x00"+ws[i])
		}
		return out
	}
	// scoped adds the lexicon hits of each clause: a negation's scope ends
	// at the clause (Words drops the punctuation that would end it).
	scoped := func(s string) []string {
		out := slices.Clone(e.cut(s))
		for _, c := range clauses(s) {
			out = append(out, e.lx.hits(e.cut(c), 1)...)
		}
		return out
	}
	lastMarked := func(s string) []string {
		out := slices.Clone(e.cut(s))
		if cs := clauses(s); len(cs) > 1 {
			for _, w := range e.cut(cs[len(cs)-1]) {
				out = append(out, "\x01"+w)
			}
		}
		return out
	}
	withLength := func(s string) []string {
		return append(slices.Clone(e.cut(s)), fmt.Sprintf("\x02len%d", bits.Len(uint(utf8.RuneCountInString(s)))))
	}
	return []locoVariant{
		e.lr("shipped: char + words + NTUSD, L2 3e-5, 12 epochs", nil),
		e.lr("L2 1e-5", func(o *TrainOptions) { o.L2 = 1e-5 }),
		e.lr("L2 1e-4", func(o *TrainOptions) { o.L2 = 1e-4 }),
		e.lr("24 epochs", func(o *TrainOptions) { o.Epochs = 24 }),
		e.lr("+ word bigrams", func(o *TrainOptions) { o.cut = bigrams }),
		e.lr("+ NTUSD on words with negation scope and degree adverbs", func(o *TrainOptions) { o.cut = scoped }),
		e.lr("NB-LR (features scaled by NB ratios)", func(o *TrainOptions) { o.NBScale = true }),
		e.nbInterp("LR + 0.05 x NB log-count ratios", 0.05),
		e.nbInterp("LR + 0.2 x NB log-count ratios", 0.2),
		e.selfTrained("self-trained: + 5k/class confident hot-search titles", 5000, 0.8),
		e.selfTrained("self-trained: + 20k/class confident hot-search titles", 20000, 0.7),
		e.lr("+ the last clause's words once more, as their own features", func(o *TrainOptions) { o.cut = lastMarked }),
		e.lengthScaled("document vector / n^0.75", 0.75),
		e.lengthScaled("document vector / n^0.6", 0.6),
		e.lengthScaled("document vector / n^0.4", 0.4),
		e.embedBagVariant("embedding bag 2^18 x 12, tanh, 5 epochs", 1<<18, 12, 5, 0.2, false),
		e.embedBagVariant("embedding bag 2^18 x 12, tanh, 5 epochs, averaged with the LR", 1<<18, 12, 5, 0.2, true),
		e.embedBagVariant("embedding bag 2^18 x 12, tanh, 2 epochs", 1<<18, 12, 2, 0.1, false),
		e.embedBagVariant("embedding bag 2^18 x 8, tanh, 1 epoch, lr 0.05", 1<<18, 8, 1, 0.05, false),
		e.lr("+ a length bucket (log2 of the runes) as a word", func(o *TrainOptions) { o.cut = withLength }),
		e.average("average of the LR at L2 1e-5, 3e-5, 1e-4", e.lr("", func(o *TrainOptions) { o.L2 = 1e-5 }), e.lr("", nil), e.lr("", func(o *TrainOptions) { o.L2 = 1e-4 })),
		e.average("average of a char 1-3 LR and a char 1 + words + NTUSD LR", e.lr("", func(o *TrainOptions) { o.cut, o.PositiveWords, o.NegativeWords = nil, nil, nil }), e.lr("", func(o *TrainOptions) { o.MaxN = 1 })),
		e.clustered("+ word clusters (k 256) from hot-search titles and training texts", 256, true),
		e.clustered("+ word clusters (k 1024) from hot-search titles and training texts", 1024, true),
		{name: "shipped, prior re-estimated on the test texts (EM, transductive)", train: e.lr("", nil).train, priorEM: true},
	}
}
