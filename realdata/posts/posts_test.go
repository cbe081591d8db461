package posts_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"trustwatch/realdata/posts"
)

// Texts are joined until a post is long enough, cycling through them, and
// the average counts the joining spaces.
func TestWrite(t *testing.T) {
	var b strings.Builder
	start := time.Date(2025, 1, 27, 0, 0, 0, 0, time.UTC)
	avg, err := posts.Write(&b, []string{"一二三", "四五", "六"}, posts.Options{N: 3, Chars: 4, Start: start, Every: 47 * time.Second, ID: "d"})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"d0","platform":"weibo","text":"一二三 四五","time":"2025-01-27T00:00:00Z"}
{"id":"d1","platform":"weibo","text":"六 一二三","time":"2025-01-27T00:00:47Z"}
{"id":"d2","platform":"weibo","text":"四五 六","time":"2025-01-27T00:01:34Z"}
`
	if b.String() != want {
		t.Errorf("wrote\n%s\nwant\n%s", b.String(), want)
	}
	if want := (6.0 + 5 + 4) / 3; avg != want {
		t.Errorf("average %v characters, want %v", avg, want)
	}
}

// A corpus without its text column is an error naming the file.
func TestTextsMissingColumn(t *testing.T) {
	dir := t.TempDir()
	for _, c := range posts.Corpora {
		p := filepath.Join(dir, c.Rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("\ufeff"+c.Column+",x\n好的,1\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	texts, err := posts.Texts(dir)
	if err != nil || len(texts) != 3 || texts[0] != "好的" {
		t.Fatalf("Texts = %q, %v; want three 好的", texts, err)
	}
	if err := os.WriteFile(filepath.Join(dir, posts.Corpora[1].Rel), []byte("label,other\n1,x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := posts.Texts(dir); err == nil || !strings.Contains(err.Error(), posts.Corpora[1].Rel) {
		t.Errorf("Texts with no %q column: %v, want an error naming the file", posts.Corpora[1].Column, err)
	}
}
