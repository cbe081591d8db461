package segment

import (
	"bufio"
	"compress/gzip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"trustwatch/realdata"

	"github.com/go-ego/gse"
)

// The cutter must cut exactly as gse's own Cut(text, false) does with the
// same dictionary and user words new to it: it is the same algorithm,
// without gse's per-call maps and repeated trie walks. (User words the
// dictionary already has are boosted on purpose: TestUserWordsStayWhole.)
func TestCutterMatchesGse(t *testing.T) {
	userWords := []string{"雷总", "小米su7", "su7 ultra", "曜川y9"}
	g, err := gse.NewEmbed()
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range userWords {
		g.AddToken(w, userWordFreq, "nz")
	}
	s, err := New(userWords)
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{
		"小米su7强势破圈太火爆了,雷总得抓紧提高产能啊",
		"su7 ultra 的刹车不行",
		"雷不群又来了,说好的双风道呢?",
		"今天喝了小米粥",
		"曜川y9车机黑屏三次了,太失望",
		"60秒盘点嫦娥系列探测器发射瞬间",
		"iphone18pro相机盖板曝光 abc123 x",
		"",
		"!!!",
	}
	texts = append(texts, hotSearchSample(t, 3000)...)
	for _, text := range texts {
		text = Normalize(text)
		want := g.Cut(text, false)
		got := s.cutAll(text)
		if len(want) == 0 && len(got) == 0 {
			continue
		}
		if !slices.Equal(got, want) {
			t.Errorf("cut(%q)\n got %q\nwant %q", text, got, want)
		}
	}
}

// hotSearchSample reads up to n real titles when the shared data is there.
func hotSearchSample(t *testing.T, n int) []string {
	f, err := os.Open(filepath.Join(realdata.Dir(), "weibo_hot_search", "weibo_hot_search_daily.tsv.gz"))
	if err != nil {
		t.Logf("real titles not present, checking fixtures only: %v", err)
		return nil
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	sc := bufio.NewScanner(zr)
	for i := 0; sc.Scan() && len(out) < n; i++ {
		if i%97 != 1 {
			continue
		}
		if cols := strings.Split(sc.Text(), "\t"); len(cols) > 2 {
			out = append(out, cols[2])
		}
	}
	return out
}

func BenchmarkCut(b *testing.B) {
	s, err := New(nil)
	if err != nil {
		b.Fatal(err)
	}
	text := Normalize("感觉这次黑稿不太多，看来车圈还是更干净一些！小米SU7回忆～雷总辛苦了 感谢您为大家做了一辆Dream car")
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		s.cutAll(text)
	}
}

func BenchmarkCutGse(b *testing.B) {
	g, err := gse.NewEmbed()
	if err != nil {
		b.Fatal(err)
	}
	text := Normalize("感觉这次黑稿不太多，看来车圈还是更干净一些！小米SU7回忆～雷总辛苦了 感谢您为大家做了一辆Dream car")
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		g.Cut(text, false)
	}
}

// A user word the dictionary already knows, at a low frequency, still
// stays whole: here gse (keeping the dictionary's frequency) cuts it apart.
func TestUserWordsStayWhole(t *testing.T) {
	g, err := gse.NewEmbed()
	if err != nil {
		t.Fatal(err)
	}
	g.AddToken("期末", userWordFreq, "nz")
	s, err := New([]string{"期末"})
	if err != nil {
		t.Fatal(err)
	}
	text := "这一看就是快期末了"
	if got := s.cutAll(text); !slices.Contains(got, "期末") {
		t.Errorf("cut %q = %q, want 期末 whole", text, got)
	}
	if gseCut := g.Cut(text, false); slices.Contains(gseCut, "期末") {
		t.Logf("gse now keeps 期末 whole too (%q): the boost is no longer needed", gseCut)
	}
}
