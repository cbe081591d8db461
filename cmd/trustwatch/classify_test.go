package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"trustwatch/sentiment"
)

// runCmd runs the command line with stdin and returns exit code, stdout, stderr.
func runSentimentCmd(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

type classified struct {
	Text  string  `json:"text"`
	Label string  `json:"label"`
	PPos  float64 `json:"p_pos"`
}

func decodeLines(t *testing.T, out string) []classified {
	t.Helper()
	var got []classified
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		var c classified
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			t.Fatalf("output line %q: %v", line, err)
		}
		got = append(got, c)
	}
	return got
}

func TestClassifyPlainLines(t *testing.T) {
	code, out, stderr := runSentimentCmd(t, "刹车很灵，非常满意\r\n\n车机黑屏三次了，太失望\n", "classify")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got := decodeLines(t, out)
	want := []struct{ text, label string }{{"刹车很灵，非常满意", "pos"}, {"", "neu"}, {"车机黑屏三次了，太失望", "neg"}}
	if len(got) != len(want) {
		t.Fatalf("%d lines out, want %d:\n%s", len(got), len(want), out)
	}
	for i, w := range want {
		if got[i].Text != w.text || got[i].Label != w.label || got[i].PPos < 0 || got[i].PPos > 1 {
			t.Errorf("line %d = %+v, want text %q label %s", i+1, got[i], w.text, w.label)
		}
	}
	if got[1].PPos != 0.5 {
		t.Errorf("empty line p_pos = %v, want 0.5", got[1].PPos)
	}
}

func TestClassifyJSONLKeepsOtherFields(t *testing.T) {
	in := `{"id":7,"text":"车机黑屏三次了，太失望","meta":{"a":[1, 2]},"label":"old","p_pos":1}` + "\n" +
		`{"text":"<b>&</b>\u2028\"x\"","n":1.50}` + "\n"
	code, out, stderr := runSentimentCmd(t, in, "classify", "-")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d lines:\n%s", len(lines), out)
	}
	if !strings.HasPrefix(lines[0], `{"text":"车机黑屏三次了，太失望","label":"neg","p_pos":0.`) ||
		!strings.HasSuffix(lines[0], `,"id":7,"meta":{"a":[1, 2]}}`) {
		t.Errorf("line 1 = %s", lines[0])
	}
	if !strings.HasPrefix(lines[1], `{"text":"<b>&</b>\u2028\"x\"","label":`) || !strings.HasSuffix(lines[1], `,"n":1.50}`) {
		t.Errorf("line 2 = %s", lines[1])
	}
	for _, l := range lines {
		if !json.Valid([]byte(l)) {
			t.Errorf("invalid JSON: %s", l)
		}
	}
}

func TestClassifyErrors(t *testing.T) {
	tests := []struct {
		name, stdin string
		args        []string
		code        int
		want        string
	}{
		{"--json needs objects", "{\"text\":\"好\"}\n就是一行字\n", []string{"classify", "--json"}, exitFail, "stdin: line 2"},
		{"object without text", "{\"body\":\"好\"}\n", []string{"classify"}, exitFail, `line 1: object has no "text" field`},
		{"text not a string", "{\"text\":3}\n", []string{"classify"}, exitFail, `"text" is not a string`},
		{"missing file", "", []string{"classify", "does-not-exist.txt"}, exitFail, "does-not-exist.txt"},
		{"bad model file", "", []string{"classify", "--model", "classify.go"}, exitFail, "not a trustwatch sentiment model"},
		{"two files", "", []string{"classify", "a", "b"}, exitUsage, "accepts at most 1 arg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runSentimentCmd(t, tt.stdin, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, tt.code, tt.want)
			}
		})
	}
	// A line starting with "{" that is not JSON is plain text without --json.
	code, out, _ := runSentimentCmd(t, "{不是JSON，很失望\n", "classify")
	if code != exitOK || !strings.HasPrefix(out, `{"text":"{不是JSON，很失望","label":`) {
		t.Errorf("exit %d, out %q", code, out)
	}
}

// lineSource generates n long input lines without holding them in memory.
type lineSource struct {
	n, i int
	buf  []byte
}

func (s *lineSource) Read(p []byte) (int, error) {
	for len(s.buf) == 0 {
		if s.i == s.n {
			return 0, io.EOF
		}
		s.buf = fmt.Appendf(nil, "第%d行 %s\n", s.i, strings.Repeat("送餐很快，味道不错，", 12))
		s.i++
	}
	n := copy(p, s.buf)
	s.buf = s.buf[n:]
	return n, nil
}

// orderChecker checks that output lines come in input order and samples the
// heap as they go by.
type orderChecker struct {
	t       *testing.T
	partial []byte
	lines   int
	maxHeap uint64
}

func (w *orderChecker) Write(p []byte) (int, error) {
	w.partial = append(w.partial, p...)
	for {
		i := bytes.IndexByte(w.partial, '\n')
		if i < 0 {
			break
		}
		if want := fmt.Sprintf(`{"text":"第%d行 `, w.lines); !bytes.HasPrefix(w.partial[:i], []byte(want)) {
			w.t.Fatalf("output line %d = %.60s, want it to start %s", w.lines, w.partial[:i], want)
		}
		w.lines++
		if w.lines%20000 == 0 {
			// Collect first: with the segmenter's 200 MB dictionary live,
			// the collector lets as much garbage pile up between cycles, and
			// only live memory says whether the input is being held.
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			w.maxHeap = max(w.maxHeap, ms.HeapInuse)
		}
		w.partial = w.partial[i+1:]
	}
	return len(p), nil
}

func TestClassifyStreamsInConstantMemory(t *testing.T) {
	// 100k lines of ~370 bytes: 37 MB in, more out. Holding either would
	// show in the heap.
	const n = 100_000
	w := &orderChecker{t: t}
	var errb bytes.Buffer
	// The model's segmenter dictionary loads once per process (about
	// 200 MB); load it first so that only streaming is measured.
	sentiment.Default().Classify("很好")
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	if code := run(context.Background(), []string{"classify"}, &lineSource{n: n}, w, &errb); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if w.lines != n {
		t.Fatalf("%d lines out, want %d", w.lines, n)
	}
	if grown := int64(w.maxHeap) - int64(before.HeapInuse); grown > 24<<20 {
		t.Errorf("heap grew by %d MB while streaming", grown>>20)
	}
}

func writeSentimentFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestEvalSentiment(t *testing.T) {
	dir := t.TempDir()
	csvPath := writeSentimentFile(t, dir, "reviews.csv", "label,review\n1,刹车很灵，非常满意\n0,车机黑屏三次了，太失望\n1,物流很快，包装完好，宝贝很喜欢\n0,垃圾产品，质量太差，退货！\n")
	code, out, stderr := runSentimentCmd(t, "", "eval", "sentiment", "--data", csvPath)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"4 texts", "accuracy         1.0000", "macro-F1         1.0000", "     pos        2        0        0", "     neg        0        2        0"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runSentimentCmd(t, "", "eval", "sentiment", "--json", "--data", csvPath, "--format", "csv:label,review", "--rows", "1/2")
	var rep struct {
		N         int       `json:"n"`
		Accuracy  float64   `json:"accuracy"`
		Confusion [3][3]int `json:"confusion"`
	}
	if err := json.Unmarshal([]byte(out), &rep); code != exitOK || err != nil {
		t.Fatalf("exit %d, %v: %s", code, err, out)
	}
	if rep.N != 2 || rep.Accuracy != 1 || rep.Confusion[1][1] != 2 {
		t.Errorf("rows 1/2: %+v, want the two negative reviews right", rep)
	}

	tsv := writeSentimentFile(t, dir, "weibo.tsv", "label\tx_valid\n1\t[哈哈]\n0\t[泪]\n")
	_, with, _ := runSentimentCmd(t, "", "eval", "sentiment", "--json", "--data", tsv)
	_, without, _ := runSentimentCmd(t, "", "eval", "sentiment", "--json", "--data", tsv, "--strip-emoticons")
	var a, b struct {
		NeutralShare float64 `json:"neutral_share"`
	}
	json.Unmarshal([]byte(with), &a)
	json.Unmarshal([]byte(without), &b)
	if b.NeutralShare != 1 || a.NeutralShare == 1 {
		t.Errorf("emoticon-only posts: neutral share %v with emoticons, %v stripped; want <1 and 1", a.NeutralShare, b.NeutralShare)
	}

	bad := writeSentimentFile(t, dir, "bad.csv", "label,review\n1,好\nx,坏\n")
	errTests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"eval", "sentiment"}, exitUsage, "--data is required"},
		{[]string{"eval", "sentiment", "--data", bad}, exitFail, `bad.csv: line 3: unknown label "x"`},
		{[]string{"eval", "sentiment", "--data", csvPath, "--format", "xml"}, exitFail, "unknown corpus format"},
		{[]string{"eval", "sentiment", "--data", csvPath, "--rows", "5/2"}, exitUsage, "want K/N"},
	}
	for _, tt := range errTests {
		code, _, stderr := runSentimentCmd(t, "", tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tt.args, code, stderr, tt.code, tt.want)
		}
	}
}

// writeToyData writes tiny corpora in the layout of ../shared/data.
func writeToySentimentData(t *testing.T) string {
	dir := t.TempDir()
	var reviews, weibo, nlpcc, covid strings.Builder
	reviews.WriteString("label,review\n")
	weibo.WriteString("label\tx_valid\n")
	nlpcc.WriteString("标签,文本\n")
	covid.WriteString("review,label\n")
	pos := []string{"很好", "非常满意", "好吃", "喜欢", "推荐"}
	neg := []string{"太差", "失望", "难吃", "垃圾", "退货"}
	for i := range 30 {
		p, n := pos[i%len(pos)], neg[i%len(neg)]
		fmt.Fprintf(&reviews, "1,第%d次%s\n0,第%d次%s\n", i, p, i, n)
		fmt.Fprintf(&weibo, "1\t%s[哈哈]%d\n0\t%s[泪]%d\n", p, i, n, i)
		fmt.Fprintf(&nlpcc, "like,%s%d\nanger,%s%d\nnone,开会%d\nnone,出门%d\n", p, i, n, i, i, i)
		fmt.Fprintf(&covid, "%s%d,2\n%s%d,6\n", p, i, n, i)
	}
	writeSentimentFile(t, dir, "sentiment/chnsenticorp_htl_all.csv", reviews.String())
	writeSentimentFile(t, dir, "sentiment/waimai_10k.csv", reviews.String())
	writeSentimentFile(t, dir, "sentiment/weibo_senti_100k_dev.tsv", weibo.String())
	writeSentimentFile(t, dir, "emotion/nlpcc2013_weibo_emotion.csv", nlpcc.String())
	writeSentimentFile(t, dir, "emotion/covid19_weibo_emotion_labeled.csv", covid.String())
	writeSentimentFile(t, dir, "lexicons/ntusd_positive.txt", "\ufeff满意\r\n喜欢\r\n")
	writeSentimentFile(t, dir, "lexicons/ntusd_negative.txt", "\ufeff失望\r\n垃圾\r\n")
	return dir
}

func TestTrainSentiment(t *testing.T) {
	data := writeToySentimentData(t)
	out := t.TempDir()
	a, b := filepath.Join(out, "a.twm"), filepath.Join(out, "b.twm")
	for _, path := range []string{a, b} {
		code, stdout, stderr := runSentimentCmd(t, "", "train", "sentiment", "--data", data, "--dim", "4096", "--seed", "3", "-o", path)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if !strings.Contains(stdout, "wrote "+path) || !strings.Contains(stdout, "cross-validated accuracy") {
			t.Errorf("stdout: %s", stdout)
		}
	}
	ba, _ := os.ReadFile(a)
	bb, _ := os.ReadFile(b)
	if len(ba) == 0 || !bytes.Equal(ba, bb) {
		t.Errorf("two runs with seed 3 wrote different files (%d, %d bytes)", len(ba), len(bb))
	}
	code, stdout, stderr := runSentimentCmd(t, "很好，推荐\n难吃，退货\n", "classify", "--model", a)
	if code != exitOK {
		t.Fatalf("classify --model: exit %d: %s", code, stderr)
	}
	sc := bufio.NewScanner(strings.NewReader(stdout))
	var labels []string
	for sc.Scan() {
		var c classified
		json.Unmarshal(sc.Bytes(), &c)
		labels = append(labels, c.Label)
	}
	if strings.Join(labels, ",") != "pos,neg" {
		t.Errorf("toy model labels = %v, want pos,neg", labels)
	}

	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"train", "sentiment", "-o", a}, exitUsage, "--data and -o are required"},
		{[]string{"train", "sentiment", "--data", t.TempDir(), "-o", a}, exitFail, "chnsenticorp_htl_all.csv"},
		{[]string{"train", "sentiment", "--data", data, "--dim", "1000", "-o", a}, exitFail, "power of two"},
	} {
		code, _, stderr := runSentimentCmd(t, "", tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tt.args, code, stderr, tt.code, tt.want)
		}
	}
}

func BenchmarkClassifyCommand(b *testing.B) {
	in := strings.Repeat("很快，好吃，味道足，量大\n送餐太慢了，等了两个小时，饭都凉了！！\n{\"id\":1,\"text\":\"车机黑屏三次了，太失望\"}\n", 1000)
	sentiment.Default().Classify("很好") // the segmenter's dictionary loads once per process
	for b.Loop() {
		run(context.Background(), []string{"classify"}, strings.NewReader(in), io.Discard, io.Discard)
	}
	b.ReportMetric(float64(3000*b.N)/b.Elapsed().Seconds(), "docs/s")
}
