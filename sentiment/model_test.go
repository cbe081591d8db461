package sentiment

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"math"
	"strings"
	"testing"

	"trustwatch"
)

func TestDefaultClassifiesHandwrittenSentences(t *testing.T) {
	m := Default()
	tests := []struct {
		text string
		want trustwatch.Label
	}{
		{"刹车很灵，非常满意", trustwatch.Positive},
		{"车机黑屏三次了，太失望", trustwatch.Negative},
		{"客服态度恶劣，等了半天没人管，再也不买了", trustwatch.Negative},
		{"做工精致，开起来很舒服，推荐大家购买", trustwatch.Positive},
		{"垃圾产品，质量太差，退货！", trustwatch.Negative},
		{"物流很快，包装完好，宝贝很喜欢", trustwatch.Positive},
		{"", trustwatch.Neutral},
		{"@某人 http://t.cn/x", trustwatch.Neutral},
	}
	for _, tt := range tests {
		label, p := m.Classify(tt.text)
		if label != tt.want {
			t.Errorf("Classify(%q) = %s (p_pos %.3f), want %s", tt.text, label, p, tt.want)
		}
		if p < 0 || p > 1 || math.IsNaN(p) {
			t.Errorf("Classify(%q): p_pos %v outside [0,1]", tt.text, p)
		}
		if pp := m.PPos(tt.text); pp != p {
			t.Errorf("PPos(%q) = %v, Classify said %v", tt.text, pp, p)
		}
	}
}

func TestLabelBand(t *testing.T) {
	m := &Model{lo: 0.25, hi: 0.75}
	tests := []struct {
		p    float64
		want trustwatch.Label
	}{{0.1, trustwatch.Negative}, {0.25, trustwatch.Negative}, {0.5, trustwatch.Neutral}, {0.75, trustwatch.Positive}, {0.99, trustwatch.Positive}}
	for _, tt := range tests {
		if got := m.Label(tt.p); got != tt.want {
			t.Errorf("Label(%v) = %s, want %s", tt.p, got, tt.want)
		}
	}
}

func TestDefaultModelFile(t *testing.T) {
	m := Default()
	if m.Dim() != 1<<20 || m.Seed() != 1 {
		t.Errorf("embedded model: dim %d seed %d, want 2^20 and 1", m.Dim(), m.Seed())
	}
	if len(embedded) > 20<<20 {
		t.Errorf("embedded model is %d bytes, over 20 MB", len(embedded))
	}
	lo, hi := m.Band()
	if !(lo <= 0.5 && 0.5 <= hi && lo < hi) {
		t.Errorf("band (%v, %v) does not straddle 0.5", lo, hi)
	}
}

func TestWriteToLoadRoundTrip(t *testing.T) {
	m := &Model{maxN: 2, dim: 8, seed: 42, l2: 1e-5, lo: 0.3, hi: 0.7, bias: -0.25,
		weights: []float32{1, -2, 0.5, 0, 0, 3, 0, -1}, lex: buildLexicon([]string{"满意"}, []string{"失望"})}
	var buf bytes.Buffer
	n, err := m.WriteTo(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(buf.Len()) || n != 40+4*8+9*2+4 {
		t.Fatalf("wrote %d bytes (buffer %d), want %d", n, buf.Len(), 40+4*8+9*2+4)
	}
	got, err := Load(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	got.WriteTo(&again)
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Error("Load then WriteTo changed the bytes")
	}
	if got.seed != 42 || got.maxN != 2 || got.bias != -0.25 || len(got.lex) != 2 {
		t.Errorf("loaded %+v", got)
	}

	corrupt := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(buf.Bytes())) }
	bad := []struct {
		name, want string
		data       []byte
	}{
		{"empty", "too short", nil},
		{"magic", "not a trustwatch", corrupt(func(b []byte) []byte { b[0] = 'X'; return b })},
		{"version", "version", corrupt(func(b []byte) []byte { b[4] = 9; return b })},
		{"truncated", "bytes, want", corrupt(func(b []byte) []byte { return b[:len(b)-5] })},
		{"flipped weight", "checksum", corrupt(func(b []byte) []byte { b[45] ^= 1; return b })},
	}
	for _, tt := range bad {
		if _, err := Load(bytes.NewReader(tt.data)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want one containing %q", tt.name, err, tt.want)
		}
	}
}

func BenchmarkClassify(b *testing.B) {
	m := Default()
	texts := []string{"很快，好吃，味道足，量大", "送餐太慢了，等了两个小时，饭都凉了！！", "车机黑屏三次了，太失望[泪]", "距离川沙公路较近，但是公交指示不对，如果是蔡陆线的话，会非常麻烦。建议用别的路线。房间较为简单。"}
	m.Classify(texts[0]) // the segmenter's dictionary loads once per process
	n := 0
	for b.Loop() {
		m.Classify(texts[n%len(texts)])
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "docs/s")
}

func TestClassifyTokens(t *testing.T) {
	const dim = 1 << 10
	w := make([]float32, dim)
	w[hashString(kindWord, "好吃")&(dim-1)] = 5
	words := &Model{maxN: 1, dim: dim, lo: 0.4, hi: 0.6, words: true, weights: w}
	chars := &Model{maxN: 1, dim: dim, lo: 0.4, hi: 0.6, weights: w}
	tests := []struct {
		name   string
		m      *Model
		text   string
		tokens []string
		label  trustwatch.Label
		p      float64
	}{
		// One character feature (weight 0) and one word (weight 5): σ(5/√2).
		{"word counts", words, "x", []string{"好吃"}, trustwatch.Positive, 0.971682},
		{"unknown word", words, "x", []string{"难吃"}, trustwatch.Neutral, 0.5},
		{"model without words ignores them", chars, "x", []string{"好吃"}, trustwatch.Neutral, 0.5},
		{"no character feature: neutral whatever the words", words, "@某人 http://t.cn/x", []string{"好吃"}, trustwatch.Neutral, 0.5},
	}
	for _, tt := range tests {
		label, p := tt.m.ClassifyTokens(tt.text, tt.tokens)
		if label != tt.label || math.Abs(p-tt.p) > 1e-6 {
			t.Errorf("%s: ClassifyTokens = %s %.6f, want %s %.6f", tt.name, label, p, tt.label, tt.p)
		}
	}
}

func TestDefaultClassifyTokensMatchesClassify(t *testing.T) {
	m := Default()
	if !m.UsesWords() {
		t.Fatal("the shipped model should use words")
	}
	for _, text := range []string{"送餐太慢了，等了两个小时，饭都凉了！！", "物流很快，包装完好，宝贝很喜欢", "不是很好吃"} {
		l1, p1 := m.Classify(text)
		l2, p2 := m.ClassifyTokens(text, Words(text))
		if l1 != l2 || p1 != p2 {
			t.Errorf("%q: Classify %s %v, ClassifyTokens %s %v", text, l1, p1, l2, p2)
		}
		if _, p3 := m.ClassifyTokens(text, nil); p3 == p1 {
			t.Errorf("%q: the words changed nothing (p_pos %v)", text, p1)
		}
	}
}

func TestLoadFlagsAndVersions(t *testing.T) {
	m := &Model{maxN: 3, dim: 4, seed: 1, lo: 0.4, hi: 0.6, words: true, weights: []float32{1, 2, 3, 4}}
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if b[4] != FormatVersion || b[7] != flagWords {
		t.Fatalf("header version %d flags %#x, want %d and %#x", b[4], b[7], FormatVersion, flagWords)
	}
	got, err := Load(bytes.NewReader(b))
	if err != nil || !got.UsesWords() {
		t.Fatalf("Load: %v, words %v", err, got != nil && got.UsesWords())
	}
	// rewrite sets header bytes and recomputes the checksum.
	rewrite := func(version, flags byte) []byte {
		c := bytes.Clone(b)
		c[4], c[7] = version, flags
		binary.LittleEndian.PutUint32(c[len(c)-4:], crc32.ChecksumIEEE(c[:len(c)-4]))
		return c
	}
	tests := []struct {
		name      string
		data      []byte
		wantErr   string
		wantWords bool
	}{
		{"version 1 without flags", rewrite(1, 0), "", false},
		{"version 1 with a flag", rewrite(1, flagWords), "unknown flags", false},
		{"unknown flag", rewrite(FormatVersion, 0x80|flagWords), "unknown flags", false},
		{"version 2 without words", rewrite(FormatVersion, 0), "", false},
	}
	for _, tt := range tests {
		got, err := Load(bytes.NewReader(tt.data))
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.wantErr)
		case err == nil && got.UsesWords() != tt.wantWords:
			t.Errorf("%s: UsesWords = %v", tt.name, got.UsesWords())
		}
	}
}

func BenchmarkClassifyTokens(b *testing.B) {
	// The cost without segmentation, for callers that pass their words.
	m := Default()
	texts := []string{"很快，好吃，味道足，量大", "送餐太慢了，等了两个小时，饭都凉了！！", "车机黑屏三次了，太失望[泪]"}
	tokens := make([][]string, len(texts))
	for i, s := range texts {
		tokens[i] = Words(s)
	}
	n := 0
	for b.Loop() {
		m.ClassifyTokens(texts[n%len(texts)], tokens[n%len(texts)])
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "docs/s")
}
