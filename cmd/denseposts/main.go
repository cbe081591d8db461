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
// The posts are made by package realdata/posts, as the real-post ingest
// benchmark makes its own, with other times; nothing of the data is
// committed.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"trustwatch/realdata/posts"
)

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
	texts, err := posts.Texts(*data)
	if err != nil {
		return err
	}
	avg, err := posts.Write(os.Stdout, texts, posts.Options{N: *n, Chars: *chars, Start: t0, Every: *every, ID: "d"})
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "%d posts, %.1f characters on average\n", *n, avg)
	return nil
}
