package sentiment

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"trustwatch"
)

// Corpus formats read by ReadCorpus.
const (
	FormatChnSentiCorp = "chnsenticorp" // CSV label,review; 1 positive, 0 negative
	FormatWaimai       = "waimai"       // same layout as ChnSentiCorp
	FormatWeiboSenti   = "weibo-senti"  // TSV label<TAB>text
	FormatNLPCC2013    = "nlpcc2013"    // CSV 标签,文本 with emotion names; none is neutral
	FormatCOVID19      = "covid19"      // CSV review,label with emotion numbers 0-6
)

// ReadCorpusFile reads a labelled corpus file; see ReadCorpus.
func ReadCorpusFile(path, format string) ([]Example, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("sentiment: %w", err)
	}
	defer f.Close()
	exs, err := ReadCorpus(f, format)
	if err != nil {
		return nil, fmt.Errorf("sentiment: %s: %w", filepath.Base(path), err)
	}
	return exs, nil
}

// ReadCorpus reads a labelled corpus in the given format, or in the format
// its header reveals when format is "". Besides the named formats it reads
// "csv:LABELCOL,TEXTCOL", a CSV file with a header naming those columns.
// Rows with an empty text, or an emotion that is neither positive, negative
// nor neutral (surprise), are skipped; an unknown label is an error naming
// the line.
func ReadCorpus(r io.Reader, format string) ([]Example, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	if format == "" {
		head, _ := br.Peek(256)
		format = detectFormat(string(head))
		if format == "" {
			return nil, errors.New("unknown corpus format: give --format")
		}
	}
	switch format {
	case FormatChnSentiCorp, FormatWaimai:
		return readCSV(br, "label", "review", binaryLabel)
	case FormatNLPCC2013:
		return readCSV(br, "标签", "文本", nlpccLabel)
	case FormatCOVID19:
		return readCSV(br, "label", "review", covidLabel)
	case FormatWeiboSenti:
		return readTSV(br)
	}
	if cols, ok := strings.CutPrefix(format, "csv:"); ok {
		label, text, ok := strings.Cut(cols, ",")
		if !ok || label == "" || text == "" {
			return nil, fmt.Errorf("format %q: want csv:LABELCOL,TEXTCOL", format)
		}
		return readCSV(br, label, text, binaryLabel)
	}
	return nil, fmt.Errorf("unknown corpus format %q", format)
}

func detectFormat(head string) string {
	head = strings.TrimPrefix(head, "\ufeff")
	line, _, _ := strings.Cut(head, "\n")
	line = strings.TrimRight(line, "\r")
	switch {
	case line == "label,review":
		return FormatChnSentiCorp
	case line == "review,label":
		return FormatCOVID19
	case line == "标签,文本":
		return FormatNLPCC2013
	case strings.HasPrefix(line, "label\t"):
		return FormatWeiboSenti
	}
	return ""
}

// errSkip marks a label whose rows are left out (an emotion without polarity).
var errSkip = errors.New("skip")

func binaryLabel(s string) (trustwatch.Label, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "pos", "positive", "正面", "积极":
		return trustwatch.Positive, nil
	case "0", "neg", "negative", "负面", "消极":
		return trustwatch.Negative, nil
	case "neu", "neutral", "中性":
		return trustwatch.Neutral, nil
	}
	return "", fmt.Errorf("unknown label %q", s)
}

func nlpccLabel(s string) (trustwatch.Label, error) {
	switch strings.TrimSpace(s) {
	case "like", "happiness":
		return trustwatch.Positive, nil
	case "disgust", "sadness", "anger", "fear":
		return trustwatch.Negative, nil
	case "none":
		return trustwatch.Neutral, nil
	case "surprise":
		return "", errSkip
	}
	return "", fmt.Errorf("unknown emotion %q", s)
}

// covidLabel maps Lyu et al.'s emotions: 2 optimism and 4 gratitude are
// positive; 0 fear, 1 disgust, 5 sadness and 6 anger negative; 3 surprise
// has no polarity.
func covidLabel(s string) (trustwatch.Label, error) {
	switch strings.TrimSpace(s) {
	case "2", "4":
		return trustwatch.Positive, nil
	case "0", "1", "5", "6":
		return trustwatch.Negative, nil
	case "3":
		return "", errSkip
	}
	return "", fmt.Errorf("unknown emotion %q", s)
}

func readCSV(r io.Reader, labelCol, textCol string, parse func(string) (trustwatch.Label, error)) ([]Example, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("line 1: header: %w", err)
	}
	li, ti := -1, -1
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		switch h {
		case labelCol:
			li = i
		case textCol:
			ti = i
		}
	}
	if li < 0 || ti < 0 {
		return nil, fmt.Errorf("line 1: header %q lacks column %q or %q", strings.Join(header, ","), labelCol, textCol)
	}
	var out []Example
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if len(rec) <= max(li, ti) {
			return nil, fmt.Errorf("line %d: %d fields, want at least %d", line, len(rec), max(li, ti)+1)
		}
		text := strings.TrimSpace(rec[ti])
		if text == "" {
			continue
		}
		lab, err := parse(rec[li])
		if err == errSkip {
			continue
		} else if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		out = append(out, Example{Text: text, Label: lab})
	}
}

func readTSV(r *bufio.Reader) ([]Example, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<24)
	var out []Example
	for line := 1; sc.Scan(); line++ {
		s := strings.TrimRight(sc.Text(), "\r")
		if line == 1 {
			if strings.HasPrefix(strings.TrimPrefix(s, "\ufeff"), "label\t") {
				continue
			}
		}
		if strings.TrimSpace(s) == "" {
			continue
		}
		lab, text, ok := strings.Cut(s, "\t")
		if !ok {
			return nil, fmt.Errorf("line %d: no tab between label and text", line)
		}
		l, err := binaryLabel(lab)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if text = strings.TrimSpace(text); text != "" {
			out = append(out, Example{Text: text, Label: l})
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	return out, nil
}

// Rows keeps the examples whose index modulo n is k: "3/4" is the last
// quarter. It is how held-out parts of a corpus are named on the command line.
func Rows(exs []Example, spec string) ([]Example, error) {
	ks, ns, ok := strings.Cut(spec, "/")
	k, err1 := strconv.Atoi(ks)
	n, err2 := strconv.Atoi(ns)
	if !ok || err1 != nil || err2 != nil || n < 1 || k < 0 || k >= n {
		return nil, fmt.Errorf("rows %q: want K/N with 0 <= K < N", spec)
	}
	var out []Example
	for i, ex := range exs {
		if i%n == k {
			out = append(out, ex)
		}
	}
	return out, nil
}

// ReadWordList reads a word list, one word a line, as the lexicons in
// ../shared/data/lexicons are written (with or without a BOM, CRLF or LF).
func ReadWordList(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("sentiment: %w", err)
	}
	var words []string
	for _, line := range strings.Split(strings.TrimPrefix(string(data), "\ufeff"), "\n") {
		if w := strings.TrimSpace(line); w != "" {
			words = append(words, w)
		}
	}
	return words, nil
}
