package sentiment

import (
	"fmt"
	"math"
	"slices"
	"testing"
)

// Semi-supervised word clusters for the harness (TestLOCOHarness): word
// vectors learnt by skip-gram with negative sampling on unlabelled text,
// cut into k clusters by k-means; each word's cluster becomes one more
// feature, so that a word training never labelled can share the weight of
// the sentiment words it is used like.

// skipGram learns dim-sized vectors for the words of sentences that occur
// at least minCount times.
func skipGram(sentences [][]string, dim, window, negatives, epochs, minCount int) map[string][]float32 {
	count := map[string]int{}
	for _, s := range sentences {
		for _, w := range s {
			count[w]++
		}
	}
	id := map[string]int{}
	var words []string
	for _, s := range sentences {
		for _, w := range s {
			if _, ok := id[w]; !ok && count[w] >= minCount {
				id[w] = len(words)
				words = append(words, w)
			}
		}
	}
	// The unigram^0.75 table negative samples are drawn from.
	var table []int32
	var z float64
	for _, w := range words {
		z += math.Pow(float64(count[w]), 0.75)
	}
	const tableSize = 1 << 22
	for i, w := range words {
		n := int(math.Round(math.Pow(float64(count[w]), 0.75) / z * tableSize))
		for range n {
			table = append(table, int32(i))
		}
	}
	g := &rng{s: 11}
	in := make([]float32, len(words)*dim)
	out := make([]float32, len(words)*dim)
	for i := range in {
		in[i] = float32((float64(g.next()>>11)/(1<<53) - 0.5) / float64(dim))
	}
	var ids [][]int32
	var total int
	for _, s := range sentences {
		var row []int32
		for _, w := range s {
			if i, ok := id[w]; ok {
				row = append(row, int32(i))
			}
		}
		ids = append(ids, row)
		total += len(row)
	}
	grad := make([]float32, dim)
	lr0, step := 0.025, 0
	for range epochs {
		for _, row := range ids {
			for pos, c := range row {
				lr := float32(lr0 * max(1e-4, 1-float64(step)/float64(epochs*total)))
				step++
				for o := max(0, pos-window); o < min(len(row), pos+window+1); o++ {
					if o == pos {
						continue
					}
					v := in[int(row[o])*dim:][:dim]
					clear(grad)
					for k := 0; k <= negatives; k++ {
						target, label := c, float32(1)
						if k > 0 {
							target = table[g.next()%uint64(len(table))]
							if target == c {
								continue
							}
							label = 0
						}
						u := out[int(target)*dim:][:dim]
						var dot float32
						for d := range v {
							dot += v[d] * u[d]
						}
						gr := (label - float32(sigmoid(float64(dot)))) * lr
						for d := range v {
							grad[d] += gr * u[d]
							u[d] += gr * v[d]
						}
					}
					for d := range v {
						v[d] += grad[d]
					}
				}
			}
		}
	}
	vecs := make(map[string][]float32, len(words))
	for i, w := range words {
		v := in[i*dim : (i+1)*dim]
		var n float32
		for _, x := range v {
			n += x * x
		}
		n = float32(math.Sqrt(float64(n))) + 1e-9
		for d := range v {
			v[d] /= n
		}
		vecs[w] = v
	}
	return vecs
}

// kMeans clusters unit vectors by cosine into k clusters (iters rounds) and
// returns each word's cluster.
func kMeans(vecs map[string][]float32, k, iters int) map[string]int {
	words := make([]string, 0, len(vecs))
	for w := range vecs {
		words = append(words, w)
	}
	slices.Sort(words)
	dim := len(vecs[words[0]])
	cent := make([][]float32, k)
	for c := range cent {
		cent[c] = slices.Clone(vecs[words[c*len(words)/k]])
	}
	assign := make(map[string]int, len(words))
	for range iters {
		sums := make([][]float64, k)
		for c := range sums {
			sums[c] = make([]float64, dim)
		}
		for _, w := range words {
			v := vecs[w]
			best, bestDot := 0, float32(-2)
			for c, ct := range cent {
				var dot float32
				for d := range v {
					dot += v[d] * ct[d]
				}
				if dot > bestDot {
					best, bestDot = c, dot
				}
			}
			assign[w] = best
			for d := range v {
				sums[best][d] += float64(v[d])
			}
		}
		for c := range cent {
			var n float64
			for _, x := range sums[c] {
				n += x * x
			}
			if n == 0 {
				continue
			}
			n = math.Sqrt(n)
			for d := range cent[c] {
				cent[c][d] = float32(sums[c][d] / n)
			}
		}
	}
	return assign
}

// clustered is a variant whose words bring their cluster as one more
// feature; the clusters are learnt from the hot-search titles and the
// training texts of the fold (never the held-out corpus).
func (e *locoEnv) clustered(name string, k int, withTrainTexts bool) locoVariant {
	return locoVariant{name: name, train: func(t *testing.T, train []Example) scorer {
		var sentences [][]string
		for _, title := range e.hotSearchTitles(t) {
			sentences = append(sentences, e.cut(title))
		}
		if withTrainTexts {
			for _, ex := range train {
				sentences = append(sentences, e.cut(ex.Text))
			}
		}
		vecs := skipGram(sentences, 32, 3, 5, 2, 3)
		cluster := kMeans(vecs, k, 8)
		cut := func(s string) []string {
			ws := e.cut(s)
			out := slices.Clone(ws)
			for _, w := range ws {
				if c, ok := cluster[w]; ok {
					out = append(out, fmt.Sprintf("\x03c%d", c))
				}
			}
			return out
		}
		return e.lr("", func(o *TrainOptions) { o.cut = cut }).train(t, train)
	}}
}
