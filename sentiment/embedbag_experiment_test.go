package sentiment

import (
	"math"
	"slices"
	"testing"

	"trustwatch"
)

// A fastText-style model for the harness (TestLOCOHarness): the same hashed
// features as the linear model, each an embedding of dim numbers; the
// document is the sum of its features' embeddings over √n, passed through
// tanh, then a logistic output. Trained here by plain SGD, no pretraining.
type embedBag struct {
	lin       *Model    // feature extraction (and, for the average, the LR)
	buckets   int       // a power of two
	dim       int       // embedding size
	emb       []float32 // buckets × dim
	out       []float32 // dim
	bias      float32
	averageLR bool // score (z_lr + z_emb)/2
}

func (m *embedBag) features(text string, words []string, buf []uint32) []uint32 {
	mask := uint64(m.buckets - 1)
	buf = buf[:0]
	m.lin.scanner().scan(text, func(h uint64) { buf = append(buf, uint32(h&mask)) })
	if len(buf) == 0 {
		return buf
	}
	for _, w := range words {
		buf = append(buf, uint32(hashString(kindWord, w)&mask))
	}
	return buf
}

// forward returns z and leaves the hidden activations in act.
func (m *embedBag) forward(feats []uint32, act []float64) float64 {
	clear(act)
	for _, j := range feats {
		e := m.emb[int(j)*m.dim:][:m.dim]
		for k := range act {
			act[k] += float64(e[k])
		}
	}
	sc := 1 / math.Sqrt(float64(len(feats)))
	z := float64(m.bias)
	for k := range act {
		act[k] = math.Tanh(act[k] * sc)
		z += act[k] * float64(m.out[k])
	}
	return z
}

func (m *embedBag) pPos(text string, words []string) float64 {
	feats := m.features(text, words, nil)
	if len(feats) == 0 {
		return 0.5
	}
	z := m.forward(feats, make([]float64, m.dim))
	if m.averageLR {
		zl, _ := m.lin.score(text, words)
		z = (z + zl) / 2
	}
	return sigmoid(z)
}

func (m *embedBag) sizeBytes() int {
	n := 4 * (len(m.emb) + len(m.out) + 1)
	if m.averageLR {
		n += lrScorer{m.lin}.sizeBytes()
	}
	return n
}

// embedBagVariant trains an embedBag with SGD: epochs passes, learning rate
// lr falling linearly to 0.
func (e *locoEnv) embedBagVariant(name string, buckets, dim, epochs int, lr float64, averageLR bool) locoVariant {
	return locoVariant{name: name, train: func(t *testing.T, train []Example) scorer {
		var lin *Model
		if averageLR {
			lin = e.lr("", nil).train(t, train).(lrScorer).m
		} else {
			lin = &Model{maxN: 3, dim: 1 << 20, words: true, cut: e.cut, lex: buildLexicon(e.pos, e.neg)}
		}
		m := &embedBag{lin: lin, buckets: buckets, dim: dim, emb: make([]float32, buckets*dim), out: make([]float32, dim), averageLR: averageLR}
		g := &rng{s: 7}
		uniform := func(a float64) float32 { return float32((float64(g.next()>>11)/(1<<53)*2 - 1) * a) }
		for i := range m.emb {
			m.emb[i] = uniform(0.1)
		}
		for i := range m.out {
			m.out[i] = uniform(0.5)
		}
		type row struct {
			feats []uint32
			y, wt float64
		}
		var rows []row
		for _, ex := range train {
			feats := m.features(ex.Text, e.cut(ex.Text), nil)
			if len(feats) == 0 {
				continue
			}
			y := 0.0
			switch ex.Label {
			case trustwatch.Positive:
				y = 1
			case trustwatch.Negative:
			default:
				continue
			}
			wt := ex.Weight
			if wt == 0 {
				wt = 1
			}
			rows = append(rows, row{slices.Clone(feats), y, wt})
		}
		order := make([]int, len(rows))
		for i := range order {
			order[i] = i
		}
		act := make([]float64, dim)
		dh := make([]float64, dim)
		total, step := float64(epochs*len(rows)), 0.0
		for range epochs {
			g.shuffle(order)
			for _, i := range order {
				r := rows[i]
				eta := lr * (1 - step/total)
				step++
				z := m.forward(r.feats, act)
				dz := (sigmoid(z) - r.y) * r.wt
				sc := 1 / math.Sqrt(float64(len(r.feats)))
				for k := range act {
					dh[k] = dz * float64(m.out[k]) * (1 - act[k]*act[k]) * sc
					m.out[k] -= float32(eta * dz * act[k])
				}
				m.bias -= float32(eta * dz)
				for _, j := range r.feats {
					em := m.emb[int(j)*dim:][:dim]
					for k := range em {
						em[k] -= float32(eta * dh[k])
					}
				}
			}
		}
		return m
	}}
}
