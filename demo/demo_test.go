package demo_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
