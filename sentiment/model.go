package sentiment

import (
	"bytes"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"maps"
	"math"
	"slices"
	"sync"

	"trustwatch"
)

// FormatVersion is the version of the model file written by WriteTo.
// Version 2 added the flags byte (word features); Load still reads version 1.
const FormatVersion = 2

// Header flags.
const flagWords uint8 = 1 // the model hashes gse words besides character n-grams

var magic = [4]byte{'T', 'W', 'S', 'M'}

// Model is a trained linear sentiment model. It is immutable once built and
// safe for concurrent use.
type Model struct {
	maxN    int
	dim     uint32 // a power of two
	seed    int64
	l2      float32
	lo, hi  float32 // p_pos strictly between lo and hi is neutral
	bias    float32
	weights []float32
	lex     map[uint64]int8 // sentiment-word hashes; nil without a lexicon

	// words says that the model also scores the text's segmented words.
	words bool
	// cut overrides Words for experiments that cache or change segmentation;
	// nil in every model that Load returns.
	cut func(string) []string
}

//go:embed model/sentiment.twm
var embedded []byte

var defaultModel = sync.OnceValue(func() *Model {
	m, err := Load(bytes.NewReader(embedded))
	if err != nil {
		panic("sentiment: embedded model: " + err.Error())
	}
	return m
})

// Default returns the model embedded in the binary, loaded once.
func Default() *Model { return defaultModel() }

// Seed is the seed the model was trained with.
func (m *Model) Seed() int64 { return m.seed }

// Dim is the size of the hashed feature space.
func (m *Model) Dim() int { return int(m.dim) }

// L2 is the regularisation strength the model was trained with.
func (m *Model) L2() float64 { return float64(m.l2) }

// Band returns the neutral band: p_pos strictly inside (lo, hi) is neutral.
func (m *Model) Band() (lo, hi float64) { return float64(m.lo), float64(m.hi) }

func (m *Model) scanner() scanner { return scanner{maxN: m.maxN, lex: m.lex} }

// UsesWords reports whether the model scores segmented words besides
// character n-grams; Classify then segments the text itself, and
// ClassifyTokens lets a caller that already has the words skip that.
func (m *Model) UsesWords() bool { return m.words }

// tokens returns the words the model scores for text, or nil when it scores
// none.
func (m *Model) tokens(text string) []string {
	switch {
	case !m.words:
		return nil
	case m.cut != nil:
		return m.cut(text)
	}
	return Words(text)
}

// score returns the linear score of text and its words and the number of
// their features.
func (m *Model) score(text string, tokens []string) (float64, int) {
	var sum float32
	w, mask := m.weights, uint64(m.dim-1)
	n := m.scanner().scan(text, func(h uint64) { sum += w[h&mask] })
	if n == 0 {
		// Nothing but mentions, links or spaces: the words of a mention
		// or a link say nothing either.
		return 0, 0
	}
	if m.words {
		for _, t := range tokens {
			sum += w[hashString(kindWord, t)&mask]
		}
		n += len(tokens)
	}
	return float64(sum)/math.Sqrt(float64(n)) + float64(m.bias), n
}

// PPos is the probability that text is positive. A text without any feature
// (empty, only mentions or links) scores 0.5.
func (m *Model) PPos(text string) float64 {
	_, p := m.ClassifyTokens(text, m.tokens(text))
	return p
}

// Classify returns the label of text and its p_pos. The label is neutral when
// p_pos falls inside the calibrated band or the text has no features. A
// model that UsesWords segments text first (see Words); the first such call
// in a process loads the segmenter's dictionary (seconds, about 200 MB).
func (m *Model) Classify(text string) (trustwatch.Label, float64) {
	return m.ClassifyTokens(text, m.tokens(text))
}

// ClassifyTokens is Classify for a caller that has already cut text into
// words: tokens must be what Words(text) returns, that is
// (*segment.Segmenter).Words(text), or the Tokens of
// segment's Analysis of text. A model that does not use words ignores them.
//
// Two rules (rules.go) run around the model: a text without words of its
// own (a bare repost such as 「转发微博」, digits, links, mentions) is
// neutral; and when the text's own words lean negative, its emoticons,
// emoji and laughter count against it, as irony, instead of for it
// (「刹车偏软[赞]」 is negative).
func (m *Model) ClassifyTokens(text string, tokens []string) (trustwatch.Label, float64) {
	if !hasOwnWords(text) {
		return trustwatch.Neutral, 0.5
	}
	z, n := m.score(text, tokens)
	if n == 0 {
		return trustwatch.Neutral, 0.5
	}
	if hasDecoration(text) {
		z = m.ironic(text, tokens, z)
	}
	p := sigmoid(z)
	return m.Label(p), p
}

// Label maps a p_pos to a label with the model's neutral band.
func (m *Model) Label(p float64) trustwatch.Label {
	switch {
	case p >= float64(m.hi):
		return trustwatch.Positive
	case p <= float64(m.lo):
		return trustwatch.Negative
	}
	return trustwatch.Neutral
}

func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// header is the fixed part of the model file, little-endian.
type header struct {
	Magic   [4]byte
	Version uint16
	MaxN    uint8
	Flags   uint8 // flagWords; 0 in version 1
	Dim     uint32
	NLex    uint32
	Seed    int64
	L2      float32
	Lo, Hi  float32
	Bias    float32
}

// WriteTo writes the model file: the header, the weights as float32 and a
// CRC-32 of all that precedes it. The same model always writes the same bytes.
func (m *Model) WriteTo(w io.Writer) (int64, error) {
	var buf bytes.Buffer
	var flags uint8
	if m.words {
		flags |= flagWords
	}
	h := header{Magic: magic, Version: FormatVersion, MaxN: uint8(m.maxN), Flags: flags, Dim: m.dim, NLex: uint32(len(m.lex)), Seed: m.seed, L2: m.l2, Lo: m.lo, Hi: m.hi, Bias: m.bias}
	buf.Grow(binary.Size(h) + 4*len(m.weights) + 9*len(m.lex) + 4)
	_ = binary.Write(&buf, binary.LittleEndian, &h)
	b := buf.AvailableBuffer()
	for _, x := range m.weights {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x))
	}
	for _, k := range slices.Sorted(maps.Keys(m.lex)) {
		b = binary.LittleEndian.AppendUint64(b, k)
		b = append(b, byte(m.lex[k]))
	}
	buf.Write(b)
	buf.Write(binary.LittleEndian.AppendUint32(nil, crc32.ChecksumIEEE(buf.Bytes())))
	n, err := w.Write(buf.Bytes())
	if err != nil {
		return int64(n), fmt.Errorf("sentiment: write model: %w", err)
	}
	return int64(n), nil
}

// Load reads a model file written by WriteTo.
func Load(r io.Reader) (*Model, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("sentiment: read model: %w", err)
	}
	var h header
	hs := binary.Size(h)
	if len(data) < hs+4 {
		return nil, errors.New("sentiment: model file: too short")
	}
	if err := binary.Read(bytes.NewReader(data[:hs]), binary.LittleEndian, &h); err != nil {
		return nil, fmt.Errorf("sentiment: model file: header: %w", err)
	}
	switch {
	case h.Magic != magic:
		return nil, errors.New("sentiment: model file: not a trustwatch sentiment model")
	case h.Version != 1 && h.Version != FormatVersion:
		return nil, fmt.Errorf("sentiment: model file: version %d, want 1 or %d", h.Version, FormatVersion)
	case h.Flags&^flagWords != 0 || h.Version == 1 && h.Flags != 0:
		return nil, fmt.Errorf("sentiment: model file: unknown flags %#x", h.Flags)
	case h.Dim == 0 || h.Dim&(h.Dim-1) != 0 || h.Dim > 1<<24:
		return nil, fmt.Errorf("sentiment: model file: bad dimension %d", h.Dim)
	case h.MaxN < 1 || h.MaxN > 3:
		return nil, fmt.Errorf("sentiment: model file: bad n-gram length %d", h.MaxN)
	case h.NLex > 1<<22:
		return nil, fmt.Errorf("sentiment: model file: bad lexicon size %d", h.NLex)
	case len(data) != hs+4*int(h.Dim)+9*int(h.NLex)+4:
		return nil, fmt.Errorf("sentiment: model file: %d bytes, want %d", len(data), hs+4*int(h.Dim)+9*int(h.NLex)+4)
	}
	body, sum := data[:len(data)-4], binary.LittleEndian.Uint32(data[len(data)-4:])
	if crc32.ChecksumIEEE(body) != sum {
		return nil, errors.New("sentiment: model file: checksum mismatch (corrupt file)")
	}
	m := &Model{maxN: int(h.MaxN), dim: h.Dim, seed: h.Seed, l2: h.L2, lo: h.Lo, hi: h.Hi, bias: h.Bias, words: h.Flags&flagWords != 0, weights: make([]float32, h.Dim)}
	for i := range m.weights {
		m.weights[i] = math.Float32frombits(binary.LittleEndian.Uint32(body[hs+4*i:]))
	}
	if h.NLex > 0 {
		m.lex = make(map[uint64]int8, h.NLex)
		for p := hs + 4*int(h.Dim); p < len(body); p += 9 {
			pol := int8(body[p+8])
			if pol != lexPos && pol != lexNeg {
				return nil, fmt.Errorf("sentiment: model file: bad lexicon polarity %d", pol)
			}
			m.lex[binary.LittleEndian.Uint64(body[p:])] = pol
		}
	}
	return m, nil
}
