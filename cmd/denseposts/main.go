// Command denseposts writes the dense store's posts for the analyze
// benchmark (docs/benchmarks.md, "analyze over 133 days (issue 16)"): real
// Weibo texts from ../shared/data (the SU7 launch comments and the two
// emotion corpora, in file order, cycled) joined with spaces until a post
// has at least -chars characters, one post every -every from -start, as
// JSONL objects {"id","platform":"weibo","text","time"}. It prints the
// number of posts and their average length to stderr.
//
//	go run ./cmd/denseposts -n 300000 >/tmp/dense300k.jsonl
//
// scripts/dense300k.sh writes the file, ingests it and analyses the store.
// The texts are made as the real-post ingest benchmark makes its own
// (ingest/realposts_test.go), with other times; nothing of the data is
// committed.
package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// corpora are the texts' files under the data directory, with the column
// that holds each one's text.
var corpora = []struct{ rel, column string }{
	{"su7_launch_comments/weibo_comments.csv", "content"},
	{"emotion/nlpcc2013_weibo_emotion.csv", "文本"},
	{"emotion/covid19_weibo_emotion_labeled.csv", "review"},
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "denseposts:", err)
		os.Exit(1)
	}
}

func run() error {
	data := flag.String("data", "../shared/data", "the shared data directory")
	n := flag.Int("n", 300_000, "posts to write")
	chars := flag.Int("chars", 85, "the fewest characters of a post")
	start := flag.String("start", "2025-01-27T00:00:00Z", "the first post's time (RFC 3339)")
	every := flag.Duration("every", 47*time.Second, "time between posts")
	flag.Parse()
	t0, err := time.Parse(time.RFC3339, *start)
	if err != nil {
		return fmt.Errorf("-start: %w", err)
	}
	var texts []string
	for _, c := range corpora {
		ts, err := readColumn(filepath.Join(*data, c.rel), c.column)
		if err != nil {
			return err
		}
		texts = append(texts, ts...)
	}
	if len(texts) == 0 {
		return errors.New("no texts")
	}
	w := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(w)
	total, next := 0, 0
	var post strings.Builder
	for i := range *n {
		post.Reset()
		c := 0
		for c < *chars {
			if post.Len() > 0 {
				post.WriteByte(' ')
				c++
			}
			t := texts[next%len(texts)]
			next++
			post.WriteString(t)
			c += utf8.RuneCountInString(t)
		}
		rec := struct {
			ID       string `json:"id"`
			Platform string `json:"platform"`
			Text     string `json:"text"`
			Time     string `json:"time"`
		}{
			ID: "d" + strconv.Itoa(i), Platform: "weibo", Text: post.String(),
			Time: t0.Add(time.Duration(i) * *every).Format(time.RFC3339),
		}
		if err := enc.Encode(rec); err != nil {
			return err
		}
		total += c
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "%d posts, %.1f characters on average\n", *n, float64(total)/float64(*n))
	return nil
}

// readColumn returns the non-empty values of the column named column of
// the CSV file at path, in file order.
func readColumn(path, column string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReader(f))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	col := -1
	for i, h := range header {
		if strings.TrimPrefix(h, "\ufeff") == column {
			col = i
		}
	}
	if col < 0 {
		return nil, fmt.Errorf("%s: no column %q in %q", path, column, header)
	}
	var out []string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if col < len(rec) && strings.TrimSpace(rec[col]) != "" {
			out = append(out, rec[col])
		}
	}
}
