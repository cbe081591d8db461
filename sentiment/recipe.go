package sentiment

import (
	"fmt"
	"path/filepath"

	"trustwatch"
)

// Corpora are the labelled corpora of ../shared/data that the shipped model
// is trained and calibrated on.
type Corpora struct {
	Hotel  []Example // sentiment/chnsenticorp_htl_all.csv
	Waimai []Example // sentiment/waimai_10k.csv
	Weibo  []Example // sentiment/weibo_senti_100k_dev.tsv
	NLPCC  []Example // emotion/nlpcc2013_weibo_emotion.csv (none = neu)
	COVID  []Example // emotion/covid19_weibo_emotion_labeled.csv
}

// Corpus files under the data directory.
var corpusFiles = []struct {
	path, format string
	field        func(*Corpora) *[]Example
}{
	{"sentiment/chnsenticorp_htl_all.csv", FormatChnSentiCorp, func(c *Corpora) *[]Example { return &c.Hotel }},
	{"sentiment/waimai_10k.csv", FormatWaimai, func(c *Corpora) *[]Example { return &c.Waimai }},
	{"sentiment/weibo_senti_100k_dev.tsv", FormatWeiboSenti, func(c *Corpora) *[]Example { return &c.Weibo }},
	{"emotion/nlpcc2013_weibo_emotion.csv", FormatNLPCC2013, func(c *Corpora) *[]Example { return &c.NLPCC }},
	{"emotion/covid19_weibo_emotion_labeled.csv", FormatCOVID19, func(c *Corpora) *[]Example { return &c.COVID }},
}

// LoadCorpora reads the corpora from the data directory (../shared/data).
func LoadCorpora(dir string) (*Corpora, error) {
	c := &Corpora{}
	for _, f := range corpusFiles {
		exs, err := ReadCorpusFile(filepath.Join(dir, f.path), f.format)
		if err != nil {
			return nil, err
		}
		*f.field(c) = exs
	}
	return c, nil
}

// NLPCC 2013 is cut by row index modulo 4: rows 0 and 1 train (their
// emotional posts), row 2 calibrates the neutral band, row 3 is held out to
// report it (trustwatch eval sentiment --rows 3/4).
const (
	nlpccParts      = 4
	nlpccCalibrate  = 2
	nlpccHeldOut    = 3
	NLPCCHeldOutRow = "3/4"
)

// mix says how the corpora are combined into training examples.
type mix struct {
	hotel, waimai, weibo, nlpcc, covid bool
	// stripWeibo strips emoticons from every stripWeibo-th Weibo example
	// (1: all, 2: half, 0: none), so that the model learns the words and not
	// only the emoticons the labels were derived from.
	stripWeibo int
}

// shippedMix is the mix of the embedded model; docs/sentiment.md gives the
// measurements behind it.
var shippedMix = mix{hotel: true, waimai: true, weibo: true, nlpcc: true, covid: true, stripWeibo: 2}

// balanced gives the pos and neg examples of one corpus equal total weight
// (the corpus keeps its size): waimai has twice as many neg as pos.
func balanced(group string, exs []Example) []Example {
	var pos, neg int
	for _, ex := range exs {
		switch ex.Label {
		case trustwatch.Positive:
			pos++
		case trustwatch.Negative:
			neg++
		}
	}
	out := make([]Example, 0, pos+neg)
	for _, ex := range exs {
		switch ex.Label {
		case trustwatch.Positive:
			ex.Weight = float64(pos+neg) / float64(2*pos)
		case trustwatch.Negative:
			ex.Weight = float64(pos+neg) / float64(2*neg)
		default:
			continue
		}
		ex.Group = group
		out = append(out, ex)
	}
	return out
}

// examples returns the training and calibration examples of the mix.
func (mx mix) examples(c *Corpora) (train, calibration []Example) {
	if mx.hotel {
		train = append(train, balanced("hotel", c.Hotel)...)
	}
	if mx.waimai {
		train = append(train, balanced("waimai", c.Waimai)...)
	}
	if mx.weibo {
		wb := make([]Example, len(c.Weibo))
		for i, ex := range c.Weibo {
			if mx.stripWeibo > 0 && i%mx.stripWeibo == 0 {
				ex.Text = StripEmoticons(ex.Text)
			}
			wb[i] = ex
		}
		train = append(train, balanced("weibo", wb)...)
	}
	var nl []Example
	for i, ex := range c.NLPCC {
		switch i % nlpccParts {
		case nlpccCalibrate:
			calibration = append(calibration, ex)
		case nlpccHeldOut:
		default:
			nl = append(nl, ex)
		}
	}
	if mx.nlpcc {
		train = append(train, balanced("nlpcc", nl)...)
	}
	if mx.covid {
		train = append(train, balanced("covid", c.COVID)...)
	}
	return train, calibration
}

// Lexicon files under the data directory. The model keeps only the hashes
// of their words (their licence is unclear), as features that let a
// sentiment word count in domains whose n-grams training never saw.
const (
	positiveLexicon = "lexicons/ntusd_positive.txt"
	negativeLexicon = "lexicons/ntusd_negative.txt"
)

// TrainFromDir trains a model from the corpora in dir (../shared/data): the
// recipe of `trustwatch train sentiment`. Besides the corpora it always uses
// the NTUSD lexicon; the shipped model also sets opt.Words. Both generalise
// better to unseen domains (docs/sentiment.md).
func TrainFromDir(dir string, opt TrainOptions) (*Model, TrainReport, error) {
	c, err := LoadCorpora(dir)
	if err != nil {
		return nil, TrainReport{}, err
	}
	if opt.PositiveWords, err = ReadWordList(filepath.Join(dir, positiveLexicon)); err != nil {
		return nil, TrainReport{}, err
	}
	if opt.NegativeWords, err = ReadWordList(filepath.Join(dir, negativeLexicon)); err != nil {
		return nil, TrainReport{}, err
	}
	train, cal := shippedMix.examples(c)
	opt.Calibration = cal
	opt.GroupFolds = true
	if opt.MaxPolarNeutral == 0 {
		// Reviews are judged pos or neg: a neu on one counts as wrong, and the
		// band cannot tell NLPCC's "none" posts apart anyway (docs/sentiment.md).
		opt.MaxPolarNeutral = 0.02
	}
	// L2 is chosen for unseen review domains, the use the model is judged by.
	opt.CVGroups = []string{"hotel", "waimai"}
	m, rep, err := TrainWithReport(train, opt)
	if err != nil {
		return nil, rep, fmt.Errorf("sentiment: train from %s: %w", dir, err)
	}
	return m, rep, nil
}
