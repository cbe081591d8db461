// Package posts makes Weibo-length posts out of the real texts in
// ../shared/data, for the benchmarks that need many long posts: the
// real-post ingest benchmark (ingest/realposts_test.go) and the dense
// analyze store (cmd/denseposts). Weibo posts average about 110
// characters, the corpora's comments and emotion posts 28, so consecutive
// texts are joined with a space until a post is long enough.
//
// It reads the data but holds none of it; only benchmarks and their tools
// use it, never the trustwatch binary.
package posts

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Corpora are the files the texts come from, under the data directory,
// with the column that holds each one's text.
var Corpora = []struct{ Rel, Column string }{
	{"su7_launch_comments/weibo_comments.csv", "content"},
	{"emotion/nlpcc2013_weibo_emotion.csv", "文本"},
	{"emotion/covid19_weibo_emotion_labeled.csv", "review"},
}

// Texts returns the non-empty texts of Corpora under dir, in file order.
func Texts(dir string) ([]string, error) {
	var texts []string
	for _, c := range Corpora {
		ts, err := readColumn(filepath.Join(dir, c.Rel), c.Column)
		if err != nil {
			return nil, err
		}
		texts = append(texts, ts...)
	}
	if len(texts) == 0 {
		return nil, errors.New("posts: no texts")
	}
	return texts, nil
}

// Options say how many posts to make and how.
type Options struct {
	N     int           // posts
	Chars int           // the fewest characters of a post
	Start time.Time     // the first post's time
	Every time.Duration // between posts
	ID    string        // prefix of the ids: ID+"0", ID+"1", …
}

// Write writes o.N posts to w as JSONL objects {"id", "platform": "weibo",
// "text", "time"}: each joins the next texts (cycling through them) with
// spaces until it has at least o.Chars characters. It returns the posts'
// average length in characters, spaces included.
func Write(w io.Writer, texts []string, o Options) (float64, error) {
	if len(texts) == 0 || o.N <= 0 {
		return 0, errors.New("posts: no texts or no posts to write")
	}
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	total, next := 0, 0
	var post strings.Builder
	for i := range o.N {
		post.Reset()
		chars := 0
		for chars < o.Chars || post.Len() == 0 {
			if post.Len() > 0 {
				post.WriteByte(' ')
				chars++
			}
			t := texts[next%len(texts)]
			next++
			post.WriteString(t)
			chars += utf8.RuneCountInString(t)
		}
		rec := struct {
			ID       string `json:"id"`
			Platform string `json:"platform"`
			Text     string `json:"text"`
			Time     string `json:"time"`
		}{
			ID: o.ID + strconv.Itoa(i), Platform: "weibo", Text: post.String(),
			Time: o.Start.Add(time.Duration(i) * o.Every).Format(time.RFC3339),
		}
		if err := enc.Encode(rec); err != nil {
			return 0, err
		}
		total += chars
	}
	if err := bw.Flush(); err != nil {
		return 0, err
	}
	return float64(total) / float64(o.N), nil
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
