package terms

import (
	"math"
	"testing"
	"time"
)

// measureAll runs the window side of Find on texts and returns the
// candidates by text.
func measureAll(t *testing.T, texts []string, opt Options) map[string]*candidate {
	t.Helper()
	opt = opt.withDefaults()
	w := newWindow(opt, &watched{}, newUnits())
	for i, s := range texts {
		w.add(&Doc{ID: string(rune('a' + i)), Time: time.Date(2025, 3, 1, 0, 0, 0, 0, opt.Location), Text: s})
	}
	w.start = append(w.start, int32(len(w.seq)))
	w.g = countGrams(w.seq, len(w.u.text), int32(opt.MinCount))
	cands := w.candidates(w.g)
	w.keepOnly(cands, func(*candidate) bool { return true })
	w.countDocs(cands)
	w.measureFreedom(cands)
	out := map[string]*candidate{}
	for _, c := range cands {
		out[c.text] = c
	}
	return out
}

// TestNeighbourEntropy uses the vector of the method's original write-up
// (matrix67, 互联网时代的社会语言学): in 吃葡萄不吐葡萄皮不吃葡萄倒吐葡萄皮,
// 葡萄's left neighbours are 吃吐吃吐 (ln 2 = 0.693) and its right
// neighbours 不皮倒皮 (−½ln½ − 2·¼ln¼ = 1.040).
func TestNeighbourEntropy(t *testing.T) {
	got := measureAll(t, []string{"吃葡萄不吐葡萄皮不吃葡萄倒吐葡萄皮"}, Options{MinCount: 2, MinCohesion: 1e-9})
	c, ok := got["葡萄"]
	if !ok {
		t.Fatalf("葡萄 is not a candidate; got %v", keys(got))
	}
	if math.Abs(c.left-0.693) > 5e-4 || math.Abs(c.right-1.040) > 5e-4 {
		t.Errorf("葡萄 entropies = %.3f, %.3f; want 0.693, 1.040", c.left, c.right)
	}
	if c.count != 4 || c.docs != 1 {
		t.Errorf("葡萄 count = %d in %d docs, want 4 in 1", c.count, c.docs)
	}
	// Cohesion: 4 occurrences of 葡萄 among 17 characters, 葡 and 萄 4 each:
	// 4·17/(4·4) = 4.25.
	if math.Abs(c.cohesion-4.25) > 1e-9 {
		t.Errorf("葡萄 cohesion = %g, want 4.25", c.cohesion)
	}
	// 葡萄皮 twice: the split 葡萄|皮 gives 2·17/(4·2) = 4.25 and 葡|萄皮
	// gives 2·17/(4·2) too.
	if c := got["葡萄皮"]; c == nil || math.Abs(c.cohesion-4.25) > 1e-9 {
		t.Errorf("葡萄皮 = %+v, want cohesion 4.25", c)
	}
}

// TestBoundaryNeighbours: text edges and punctuation are each a distinct
// neighbour, so a word seen 4 times at the start of a title and never
// with the same left neighbour has left entropy ln 4.
func TestBoundaryNeighbours(t *testing.T) {
	got := measureAll(t, []string{"雷不群又来了", "雷不群说", "网友：雷不群", "雷不群，真的"}, Options{MinCount: 2, MinCohesion: 1e-9})
	c := got["雷不群"]
	if c == nil {
		t.Fatalf("雷不群 is not a candidate; got %v", keys(got))
	}
	// right: 又, 说, edge, edge → 1/4 each as the edges are distinct.
	if math.Abs(c.left-math.Log(4)) > 1e-9 || math.Abs(c.right-math.Log(4)) > 1e-9 {
		t.Errorf("雷不群 entropies = %.4f, %.4f; want ln 4 = %.4f both", c.left, c.right, math.Log(4))
	}
}

func TestUnits(t *testing.T) {
	u := newUnits()
	seq := u.append(nil, "小米ＹＵ7发布! <b>SU7</b>Ultra", false)
	if got := u.String(seq[:5]); got != "小米yu7发布" {
		t.Errorf("first units spell %q, want 小米yu7发布", got)
	}
	want := []string{"小", "米", "yu7", "发", "布", "", "b", "", "su7", "", "b", "", "ultra", ""}
	if len(seq) != len(want) {
		t.Fatalf("units = %d %v, want %d", len(seq), seq, len(want))
	}
	for i, id := range seq {
		if s := u.String([]uint32{id}); (id == boundary) != (want[i] == "") || (id != boundary && s != want[i]) {
			t.Errorf("unit %d = %q, want %q", i, s, want[i])
		}
	}
	frozen := u.append(nil, "新词abc小米", true)
	if frozen[2] != boundary {
		t.Errorf("unseen word in a frozen read = %d, want a boundary", frozen[2])
	}
}

func keys(m map[string]*candidate) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestOverlapsAny(t *testing.T) {
	kept := []*candidate{{text: "方舱医院", docs: 90}, {text: "小米", docs: 1000}}
	tests := []struct {
		text string
		docs int
		want bool
	}{
		{"方舱", 100, true},    // contained, comparable counts
		{"方舱医", 90, true},    // contained
		{"舱医院", 91, true},    // contained
		{"医院里", 80, true},    // end of one is the start of the other
		{"方舱", 1000, false},  // common on its own: a word in its own right
		{"小米汽车", 100, false}, // rarer than 小米 by far
		{"雷不群", 90, false},
	}
	for _, tt := range tests {
		if got := overlapsAny(&candidate{text: tt.text, docs: tt.docs}, kept); got != tt.want {
			t.Errorf("overlapsAny(%s, %d) = %v, want %v", tt.text, tt.docs, got, tt.want)
		}
	}
}

// FuzzUnits: any text reads without panic, every unit spells back to a
// piece of the folded text, and the sequence ends in one boundary.
func FuzzUnits(f *testing.F) {
	for _, s := range []string{"小米ＹＵ7发布!", "吃葡萄不吐葡萄皮", "<b>SU7</b>", "", "\xff\xfe", "a1b2 c3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u := newUnits()
		seq := u.append(nil, s, false)
		if len(seq) == 0 || seq[len(seq)-1] != boundary {
			t.Fatalf("units of %q = %v: no final boundary", s, seq)
		}
		for i, id := range seq {
			if id == boundary {
				if i > 0 && seq[i-1] == boundary {
					t.Fatalf("units of %q = %v: two boundaries in a row", s, seq)
				}
				continue
			}
			if u.String([]uint32{id}) == "" {
				t.Fatalf("unit %d of %q spells nothing", id, s)
			}
		}
	})
}
