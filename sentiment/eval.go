package sentiment

import (
	"time"

	"trustwatch"
)

// Labels in the order of a confusion matrix's rows and columns.
var Labels = [3]trustwatch.Label{trustwatch.Positive, trustwatch.Negative, trustwatch.Neutral}

func labelIndex(l trustwatch.Label) int {
	switch l {
	case trustwatch.Positive:
		return 0
	case trustwatch.Negative:
		return 1
	}
	return 2
}

// Confusion counts gold labels (rows) against predicted ones (columns), in
// the order of Labels.
type Confusion [3][3]int

// Add counts one prediction.
func (c *Confusion) Add(gold, pred trustwatch.Label) { c[labelIndex(gold)][labelIndex(pred)]++ }

// Total is the number of predictions counted.
func (c *Confusion) Total() int {
	n := 0
	for _, row := range c {
		for _, x := range row {
			n += x
		}
	}
	return n
}

// Accuracy is the share of predictions equal to the gold label.
func (c *Confusion) Accuracy() float64 {
	n := c.Total()
	if n == 0 {
		return 0
	}
	return float64(c[0][0]+c[1][1]+c[2][2]) / float64(n)
}

// MacroF1 averages the F1 of the classes present in the gold labels; a
// predicted class that never occurs in gold is an error, not a class.
func (c *Confusion) MacroF1() float64 {
	var sum float64
	var k int
	for i := range 3 {
		var gold, pred int
		for j := range 3 {
			gold += c[i][j]
			pred += c[j][i]
		}
		if gold == 0 {
			continue
		}
		k++
		if tp := c[i][i]; tp > 0 {
			p, r := float64(tp)/float64(pred), float64(tp)/float64(gold)
			sum += 2 * p * r / (p + r)
		}
	}
	if k == 0 {
		return 0
	}
	return sum / float64(k)
}

// Report is the outcome of Evaluate.
type Report struct {
	N        int     `json:"n"`
	Accuracy float64 `json:"accuracy"` // predicted label == gold label (neu counts as wrong on pos/neg gold)
	MacroF1  float64 `json:"macro_f1"`
	// BinaryAccuracy scores only the pos and neg gold examples, calling
	// p_pos >= 0.5 positive: the accuracy of the model before its band.
	BinaryAccuracy float64   `json:"binary_accuracy"`
	NeutralShare   float64   `json:"neutral_share"` // share of predictions that are neu
	Confusion      Confusion `json:"confusion"`     // rows gold, columns predicted: pos, neg, neu
	Seconds        float64   `json:"seconds"`
	DocsPerSec     float64   `json:"docs_per_sec"`
}

// Evaluate classifies every example with m and scores the predictions.
func Evaluate(m *Model, exs []Example) Report {
	preds := make([]trustwatch.Label, len(exs))
	ps := make([]float64, len(exs))
	if m.UsesWords() {
		Words("") // load the segmenter's dictionary before the clock starts
	}
	start := time.Now()
	for i, ex := range exs {
		preds[i], ps[i] = m.Classify(ex.Text)
	}
	secs := time.Since(start).Seconds()
	var rep Report
	var polar, polarOK, neu int
	for i, ex := range exs {
		rep.Confusion.Add(ex.Label, preds[i])
		if preds[i] == trustwatch.Neutral {
			neu++
		}
		if ex.Label != trustwatch.Neutral {
			polar++
			if (ps[i] >= 0.5) == (ex.Label == trustwatch.Positive) {
				polarOK++
			}
		}
	}
	rep.N = len(exs)
	rep.Accuracy = rep.Confusion.Accuracy()
	rep.MacroF1 = rep.Confusion.MacroF1()
	if polar > 0 {
		rep.BinaryAccuracy = float64(polarOK) / float64(polar)
	}
	if rep.N > 0 {
		rep.NeutralShare = float64(neu) / float64(rep.N)
	}
	rep.Seconds = secs
	if secs > 0 {
		rep.DocsPerSec = float64(rep.N) / secs
	}
	return rep
}
