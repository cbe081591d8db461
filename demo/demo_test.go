package demo_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"trustwatch/demo"
	"trustwatch/watchfile"
)

func TestGenerateDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	fa, err := demo.Generate(a, 7, 0.2)
	if err != nil {
		t.Fatal(err)
	}
	fb, err := demo.Generate(b, 7, 0.2)
	if err != nil {
		t.Fatal(err)
	}
	if fa.Count != fb.Count || fa.Count < 5000 {
		t.Fatalf("counts %d vs %d", fa.Count, fb.Count)
	}
	for i := range fa.Items {
		x, _ := os.ReadFile(fa.Items[i])
		y, _ := os.ReadFile(fb.Items[i])
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between runs", filepath.Base(fa.Items[i]))
		}
	}
	if _, err := watchfile.Load(fa.Watch); err != nil {
		t.Fatalf("demo watch file: %v", err)
	}
}

func TestGenerateArc(t *testing.T) {
	dir := t.TempDir()
	f, err := demo.Generate(dir, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	if f.Count < 40000 || f.Count > 70000 {
		t.Errorf("about 50,000 items expected, got %d", f.Count)
	}
	var all strings.Builder
	for _, p := range f.Items {
		b, _ := os.ReadFile(p)
		all.Write(b)
	}
	s := all.String()
	for _, want := range []string{"程不群", "双风道", "事故", "管辖权异议", "又来了"} {
		if !strings.Contains(s, want) {
			t.Errorf("scenario lacks %q", want)
		}
	}
}

// TestCoordinatedWave checks the wave the story pages show: at scale 0.2,
// eight Weibo posts of one text within a few minutes on the evening after
// the court's finding, each by an account that posts nothing else.
func TestCoordinatedWave(t *testing.T) {
	f, err := demo.Generate(t.TempDir(), 1, 0.2)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Content  string `json:"content"`
		Nickname string `json:"nickname"`
		Time     int64  `json:"create_time"`
	}
	posts := map[string]int{}
	var wave []row
	for _, p := range f.Items {
		if !strings.HasSuffix(p, ".jsonl") {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for line := range strings.SplitSeq(strings.TrimSpace(string(b)), "\n") {
			var r row
			if err := json.Unmarshal([]byte(line), &r); err != nil {
				t.Fatal(err)
			}
			posts[r.Nickname]++
			if strings.Contains(r.Content, "曜川至今不道歉，大家千万别买Y9") {
				wave = append(wave, r)
			}
		}
	}
	if len(wave) != 8 {
		t.Fatalf("%d wave posts, want 8", len(wave))
	}
	day := demo.Start.AddDate(0, 0, demo.DayCourt)
	first, last := wave[0].Time, wave[0].Time
	for _, r := range wave {
		first, last = min(first, r.Time), max(last, r.Time)
		if posts[r.Nickname] != 1 {
			t.Errorf("%s posts %d items, want only its wave post", r.Nickname, posts[r.Nickname])
		}
	}
	if start := time.Unix(first, 0); start.Before(day) || !start.Before(day.AddDate(0, 0, 1)) {
		t.Errorf("wave starts %v, want on day %d", start, demo.DayCourt)
	}
	if span := time.Duration(last-first) * time.Second; span > 5*time.Minute {
		t.Errorf("wave spans %v, want a few minutes", span)
	}
}
