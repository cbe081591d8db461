package sentiment

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"trustwatch"
)

// Example is one labelled text for training or calibration.
type Example struct {
	Text  string
	Label trustwatch.Label
	// Weight scales the example's loss; 0 means 1. The training recipe uses
	// it to give each corpus and class a fair share.
	Weight float64
	// Group names the corpus the example comes from; with
	// TrainOptions.GroupFolds, cross-validation holds out one group at a time.
	Group string
}

// TrainOptions control Train. The zero value trains the shipped
// configuration except for the seed.
type TrainOptions struct {
	Seed int64
	// Dim is the size of the hashed feature space, a power of two
	// (default 1<<20).
	Dim int
	// MaxN is the longest character n-gram, 1 to 3 (default 3).
	MaxN int
	// L2 is the regularisation strength; 0 chooses it from L2Grid by Folds-fold
	// cross-validation on the training examples.
	L2     float64
	L2Grid []float64 // default 1e-6, 3e-6, 1e-5, 3e-5, 1e-4
	Folds  int       // default 3
	// GroupFolds makes each example group a fold (leave-one-corpus-out), so
	// that L2 is chosen for text from a domain the model has not seen.
	GroupFolds bool
	// CVGroups, with GroupFolds, limits the held-out folds to these groups:
	// the domains whose unseen accuracy matters (the recipe's reviews). The
	// other groups are always trained on. Empty means every group.
	CVGroups []string
	// Epochs of stochastic gradient descent (default 12).
	Epochs int
	// NBScale scales each feature by its Naive Bayes log-count ratio before
	// fitting the logistic regression (NB-LR, after Wang & Manning's NB-SVM).
	NBScale bool
	// Calibration examples (pos, neg and neu) choose the neutral band; when
	// empty, Band is used.
	Calibration []Example
	// Band is the neutral band (lo, hi) used without calibration examples
	// (default 0.4, 0.6).
	Band [2]float64
	// MaxPolarNeutral caps the share of the calibration's pos and neg
	// examples that the band may call neutral (default 0.05), so that the band
	// does not buy neutral recall with opinionated text.
	MaxPolarNeutral float64

	// PositiveWords and NegativeWords are a sentiment lexicon (2 to 4
	// characters a word; others are ignored, and so are words in both).
	// Their hits become features, see scanner.lex.
	PositiveWords, NegativeWords []string

	// Words adds the text's segmented words (see Words) as hashed features.
	Words bool

	// cut replaces Words' segmentation (experiments cache or vary it); it
	// implies Words and is kept by the model for scoring.
	cut func(string) []string
}

// TrainReport says what Train chose and why.
type TrainReport struct {
	L2       float64
	CV       []CVPoint // accuracy per L2 candidate, when L2 was chosen by CV
	Lo, Hi   float64
	BandF1   float64 // macro-F1 of the band on the calibration examples
	Examples int
}

// CVPoint is the cross-validated accuracy of one L2 strength.
type CVPoint struct {
	L2       float64
	Accuracy float64
}

func (o *TrainOptions) defaults() error {
	if o.Dim == 0 {
		o.Dim = 1 << 20
	}
	if o.Dim&(o.Dim-1) != 0 || o.Dim < 2 || o.Dim > 1<<24 {
		return fmt.Errorf("sentiment: train: dimension %d is not a power of two up to 2^24", o.Dim)
	}
	if o.MaxN == 0 {
		o.MaxN = 3
	}
	if o.MaxN < 1 || o.MaxN > 3 {
		return fmt.Errorf("sentiment: train: n-gram length %d not in 1..3", o.MaxN)
	}
	if len(o.L2Grid) == 0 {
		o.L2Grid = []float64{1e-6, 3e-6, 1e-5, 3e-5, 1e-4}
	}
	if o.Folds == 0 {
		o.Folds = 3
	}
	if o.Epochs == 0 {
		o.Epochs = 12
	}
	if o.Band == [2]float64{} {
		o.Band = [2]float64{0.4, 0.6}
	}
	if o.MaxPolarNeutral == 0 {
		o.MaxPolarNeutral = 0.05
	}
	return nil
}

// Train fits a logistic regression on the pos and neg examples (neu ones are
// ignored) and calibrates its neutral band. Given the same examples and
// options it returns the same model, bit for bit.
func Train(examples []Example, opt TrainOptions) (*Model, error) {
	m, _, err := TrainWithReport(examples, opt)
	return m, err
}

// TrainWithReport is Train that also says what it chose.
func TrainWithReport(examples []Example, opt TrainOptions) (*Model, TrainReport, error) {
	var rep TrainReport
	if err := opt.defaults(); err != nil {
		return nil, rep, err
	}
	m := &Model{maxN: opt.MaxN, dim: uint32(opt.Dim), seed: opt.Seed, words: opt.Words || opt.cut != nil, cut: opt.cut, lex: buildLexicon(opt.PositiveWords, opt.NegativeWords)}
	d := featurize(examples, m)
	rep.Examples = len(d.y)
	if len(d.y) < 2 {
		return nil, rep, errors.New("sentiment: train: need at least two pos/neg examples")
	}
	rows := make([]int, len(d.y))
	for i := range rows {
		rows[i] = i
	}
	l2 := opt.L2
	if l2 == 0 {
		l2, rep.CV = chooseL2(d, rows, opt)
	}
	rep.L2 = l2
	w, b := fit(d, rows, opt, l2, uint64(opt.Seed))
	m.weights, m.bias, m.l2 = w, float32(b), float32(l2)
	m.lo, m.hi = float32(opt.Band[0]), float32(opt.Band[1])
	if len(opt.Calibration) > 0 {
		lo, hi, f1 := calibrateBand(m, opt.Calibration, opt.MaxPolarNeutral)
		m.lo, m.hi, rep.BandF1 = float32(lo), float32(hi), f1
	}
	rep.Lo, rep.Hi = float64(m.lo), float64(m.hi)
	return m, rep, nil
}

// dataset holds the examples' features in compressed-row form.
type dataset struct {
	idx   []uint32
	off   []int
	scale []float64 // 1/sqrt(number of features)
	y     []float64 // 1 for pos, 0 for neg
	wt    []float64
	group []string
}

func featurize(examples []Example, m *Model) *dataset {
	d := &dataset{off: []int{0}}
	mask := uint64(m.dim - 1)
	sc := m.scanner()
	for _, ex := range examples {
		var y float64
		switch ex.Label {
		case trustwatch.Positive:
			y = 1
		case trustwatch.Negative:
		default:
			continue
		}
		start := len(d.idx)
		n := sc.scan(ex.Text, func(h uint64) { d.idx = append(d.idx, uint32(h&mask)) })
		if n == 0 {
			d.idx = d.idx[:start]
			continue // scored as neutral, see Model.score
		}
		for _, t := range m.tokens(ex.Text) {
			d.idx = append(d.idx, uint32(hashString(kindWord, t)&mask))
			n++
		}
		wt := ex.Weight
		if wt == 0 {
			wt = 1
		}
		d.off = append(d.off, len(d.idx))
		d.scale = append(d.scale, 1/math.Sqrt(float64(n)))
		d.y = append(d.y, y)
		d.wt = append(d.wt, wt)
		d.group = append(d.group, ex.Group)
	}
	return d
}

// rng is splitmix64: tiny, and its output is fixed forever, unlike the
// standard library's shuffles, so a seed rebuilds the same model.
type rng struct{ s uint64 }

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

func (r *rng) shuffle(a []int) {
	for i := len(a) - 1; i > 0; i-- {
		j := int(r.next() % uint64(i+1))
		a[i], a[j] = a[j], a[i]
	}
}

// nbRatios returns each feature's smoothed log-count ratio between the
// positive and negative rows, the scaling of NB-LR.
func nbRatios(d *dataset, rows []int, dim int) []float64 {
	p, q := make([]float64, dim), make([]float64, dim)
	for j := range p {
		p[j], q[j] = 1, 1
	}
	for _, i := range rows {
		c := q
		if d.y[i] == 1 {
			c = p
		}
		for _, j := range d.idx[d.off[i]:d.off[i+1]] {
			c[j]++
		}
	}
	var sp, sq float64
	for j := range p {
		sp += p[j]
		sq += q[j]
	}
	r := make([]float64, dim)
	for j := range r {
		r[j] = math.Log(p[j]/sp) - math.Log(q[j]/sq)
	}
	return r
}

// fit runs averaged SGD on the L2-regularised, weighted log loss over rows
// and returns the weights (with any NB scaling folded in) and the bias.
// Weights are kept as s·v so that the L2 shrink costs O(1) per step
// (Bottou's trick); explicit float64 conversions forbid fused multiply-adds,
// which would make results differ between machines.
func fit(d *dataset, rows []int, opt TrainOptions, l2 float64, seed uint64) ([]float32, float64) {
	dim := opt.Dim
	var r []float64
	if opt.NBScale {
		r = nbRatios(d, rows, dim)
	}
	v := make([]float64, dim)
	avg := make([]float64, dim)
	s, b, avgB, nAvg := 1.0, 0.0, 0.0, 0

	// Step size from the mean squared feature norm.
	var norm float64
	for _, i := range rows {
		var q float64
		for _, j := range d.idx[d.off[i]:d.off[i+1]] {
			x := d.scale[i]
			if r != nil {
				x = float64(x * r[j])
			}
			q += float64(x * x)
		}
		norm += q
	}
	norm /= float64(len(rows))
	eta0 := 0.5 / max(norm, 1e-9)

	order := slices.Clone(rows)
	g := &rng{s: seed}
	t := 0.0
	for epoch := 0; epoch < opt.Epochs; epoch++ {
		g.shuffle(order)
		for _, i := range order {
			eta := eta0 / (1 + float64(l2*eta0*t))
			t++
			feats := d.idx[d.off[i]:d.off[i+1]]
			sc := d.scale[i]
			var z float64
			for _, j := range feats {
				if r != nil {
					z += float64(v[j] * r[j])
				} else {
					z += v[j]
				}
			}
			z = float64(float64(z*s)*sc) + b
			grad := float64(sigmoid(z)-d.y[i]) * d.wt[i]
			s *= 1 - float64(eta*l2)
			if s < 1e-9 {
				for j := range v {
					v[j] *= s
				}
				s = 1
			}
			c := float64(float64(eta*grad)*sc) / s
			for _, j := range feats {
				if r != nil {
					v[j] -= float64(c * r[j])
				} else {
					v[j] -= c
				}
			}
			b -= float64(eta * grad)
		}
		// Average the iterates of the second half of training.
		if epoch >= opt.Epochs/2 {
			for j := range avg {
				avg[j] += float64(s * v[j])
			}
			avgB += b
			nAvg++
		}
	}
	w := make([]float32, dim)
	for j := range w {
		x := avg[j] / float64(nAvg)
		if r != nil {
			x = float64(x * r[j])
		}
		w[j] = float32(x)
	}
	return w, avgB / float64(nAvg)
}

// chooseL2 picks the L2 strength with the best k-fold cross-validated
// accuracy; ties go to the stronger regularisation.
func chooseL2(d *dataset, rows []int, opt TrainOptions) (float64, []CVPoint) {
	folds, k := assignFolds(len(rows), opt.Folds, uint64(opt.Seed)^0x5eed), opt.Folds
	if opt.GroupFolds {
		folds, k = groupFolds(d.group)
	}
	var points []CVPoint
	best, bestAcc := opt.L2Grid[0], -1.0
	held := func(fold int) bool { return true }
	if opt.GroupFolds && len(opt.CVGroups) > 0 {
		want := map[int]bool{}
		for i, g := range d.group {
			if slices.Contains(opt.CVGroups, g) {
				want[folds[i]] = true
			}
		}
		held = func(fold int) bool { return want[fold] }
	}
	for _, l2 := range opt.L2Grid {
		var correct, total float64
		for fold := range k {
			if !held(fold) {
				continue
			}
			var train, test []int
			for _, i := range rows {
				if folds[i] == fold {
					test = append(test, i)
				} else {
					train = append(train, i)
				}
			}
			w, b := fit(d, train, opt, l2, uint64(opt.Seed)+uint64(fold))
			for _, i := range test {
				var z float64
				for _, j := range d.idx[d.off[i]:d.off[i+1]] {
					z += float64(w[j])
				}
				z = z*d.scale[i] + b
				if (z >= 0) == (d.y[i] == 1) {
					correct += d.wt[i]
				}
				total += d.wt[i]
			}
		}
		acc := correct / total
		points = append(points, CVPoint{L2: l2, Accuracy: acc})
		if acc >= bestAcc {
			best, bestAcc = l2, acc
		}
	}
	return best, points
}

// groupFolds makes a fold of each group, numbered in order of appearance.
func groupFolds(groups []string) ([]int, int) {
	ids := map[string]int{}
	folds := make([]int, len(groups))
	for i, g := range groups {
		id, ok := ids[g]
		if !ok {
			id = len(ids)
			ids[g] = id
		}
		folds[i] = id
	}
	return folds, len(ids)
}

// assignFolds gives each of n rows a fold in [0, k), balanced and shuffled by seed.
func assignFolds(n, k int, seed uint64) []int {
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	(&rng{s: seed}).shuffle(perm)
	folds := make([]int, n)
	for pos, i := range perm {
		folds[i] = pos % k
	}
	return folds
}

// calibrateBand chooses the neutral band (lo, hi) that maximises the
// three-class macro-F1 on the calibration examples, calling at most
// maxPolarNeutral of their pos and neg examples neutral.
func calibrateBand(m *Model, cal []Example, maxPolarNeutral float64) (lo, hi, bestF1 float64) {
	ps := make([]float64, len(cal))
	var polar int
	for i, ex := range cal {
		ps[i] = m.PPos(ex.Text)
		if ex.Label != trustwatch.Neutral {
			polar++
		}
	}
	lo, hi, bestF1 = 0.5, 0.5, -1
	for a := 50; a >= 5; a-- {
		for c := 50; c <= 95; c++ {
			l, h := float64(a)/100, float64(c)/100
			var conf Confusion
			var polarNeu int
			for i, ex := range cal {
				pred := bandLabel(ps[i], l, h)
				conf.Add(ex.Label, pred)
				if ex.Label != trustwatch.Neutral && pred == trustwatch.Neutral {
					polarNeu++
				}
			}
			if float64(polarNeu) > maxPolarNeutral*float64(polar) {
				continue
			}
			if f1 := conf.MacroF1(); f1 > bestF1+1e-12 {
				lo, hi, bestF1 = l, h, f1
			}
		}
	}
	return lo, hi, bestF1
}

func bandLabel(p, lo, hi float64) trustwatch.Label {
	switch {
	case p >= hi:
		return trustwatch.Positive
	case p <= lo:
		return trustwatch.Negative
	}
	return trustwatch.Neutral
}

// buildLexicon hashes the sentiment words the scanner looks for.
func buildLexicon(pos, neg []string) map[uint64]int8 {
	if len(pos)+len(neg) == 0 {
		return nil
	}
	lex := map[uint64]int8{}
	both := map[uint64]bool{}
	add := func(words []string, pol int8) {
		for _, w := range words {
			var runes []uint64
			for _, r := range strings.TrimSpace(w) {
				runes = append(runes, uint64(normRune(r)))
			}
			if len(runes) < 2 || len(runes) > maxLexRunes {
				continue
			}
			k := lexKey(runes)
			if p, ok := lex[k]; ok && p != pol {
				both[k] = true
			}
			lex[k] = pol
		}
	}
	add(pos, lexPos)
	add(neg, lexNeg)
	for k := range both {
		delete(lex, k)
	}
	return lex
}
