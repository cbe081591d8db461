package ledger_test

import (
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"

	"trustwatch"
	"trustwatch/detect/ledger"
	"trustwatch/realdata"
)

// labelled is one hand-labelled item: its text resolved from the real data,
// the claim it was labelled against and the stance assigned.
type labelled struct {
	source string
	line   int
	item   trustwatch.Item
	claim  trustwatch.Claim
	want   ledger.Stance
}

// loadLabels reads testdata/stance_labels.tsv and resolves every row to
// its text in the real data, failing when a text's hash no longer matches
// the one recorded (the data drifted). It skips when the data is absent;
// with -short it leaves out the rows of the full hot-search file (decoding
// it takes seconds).
func loadLabels(t testing.TB) []labelled {
	t.Helper()
	w := loadTestWatch(t, "stance_claims.yaml")
	claims := map[string]trustwatch.Claim{}
	for _, c := range w.Claims {
		claims[c.ID] = c
	}
	f, err := os.Open("testdata/stance_labels.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type row struct {
		source, hash string
		line         int
		claim        trustwatch.Claim
		want         ledger.Stance
	}
	var rows []row
	lines := map[string]map[int]bool{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		text := sc.Text()
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		cols := strings.Split(text, "\t")
		if len(cols) != 5 {
			t.Fatalf("stance_labels.tsv:%d: %d columns, want 5", n, len(cols))
		}
		line, err := strconv.Atoi(cols[1])
		c, ok := claims[cols[3]]
		st := ledger.Stance(cols[4])
		if err != nil || !ok || st != ledger.Confirms && st != ledger.Contradicts && st != ledger.Unrelated {
			t.Fatalf("stance_labels.tsv:%d: bad row %q", n, text)
		}
		if testing.Short() && strings.HasSuffix(cols[0], ".gz") {
			continue
		}
		rows = append(rows, row{source: cols[0], line: line, hash: cols[2], claim: c, want: st})
		if lines[cols[0]] == nil {
			lines[cols[0]] = map[int]bool{}
		}
		lines[cols[0]][line] = true
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	texts := map[string]map[int]trustwatch.Item{}
	for source, want := range lines {
		texts[source] = readLabelled(t, source, realdata.Path(t, source), want)
	}
	var out []labelled
	var drift []string
	for _, r := range rows {
		it, ok := texts[r.source][r.line]
		if !ok {
			drift = append(drift, fmt.Sprintf("%s:%d: no such line", r.source, r.line))
			continue
		}
		if h := shortHash(it.FullText()); h != r.hash {
			drift = append(drift, fmt.Sprintf("%s:%d: text hash %s, labelled %s (%q)", r.source, r.line, h, r.hash, it.FullText()))
			continue
		}
		out = append(out, labelled{source: r.source, line: r.line, item: it, claim: r.claim, want: r.want})
	}
	if len(drift) > 0 {
		t.Fatalf("the real data no longer matches %d labelled rows:\n%s", len(drift), strings.Join(drift, "\n"))
	}
	return out
}

func shortHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:4])
}

// readLabelled returns the items at the wanted 1-based lines of one data
// file: a hot-search title (TAB: date, title; or date, rank, title, url when
// gzipped), or a comment (CSV: author_hash, content, likecount, date), keyed
// by the line its record starts on.
func readLabelled(t testing.TB, source, path string, want map[int]bool) map[int]trustwatch.Item {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		r = gz
	}
	out := map[int]trustwatch.Item{}
	if strings.HasSuffix(path, ".csv") {
		cr := csv.NewReader(r)
		cr.FieldsPerRecord = -1
		for {
			rec, err := cr.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", source, err)
			}
			line, _ := cr.FieldPos(0)
			if !want[line] || len(rec) < 3 {
				continue
			}
			likes, _ := strconv.ParseInt(rec[2], 10, 64)
			out[line] = trustwatch.Item{ID: fmt.Sprintf("%s:%d", source, line), Text: rec[1], Likes: likes}
		}
		return out
	}
	titleCol := 1
	if strings.HasSuffix(path, ".gz") {
		titleCol = 2
	}
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		if !want[line] {
			continue
		}
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) > titleCol {
			out[line] = trustwatch.Item{ID: fmt.Sprintf("%s:%d", source, line), Title: cols[titleCol]}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// classifyLabelled runs the claim-aware Classify on one labelled item, with
// the claim's subject words folded as Collect folds them (lower case is
// enough for these).
func classifyLabelled(l *labelled) (ledger.Stance, []string) {
	subject := make([]string, len(l.claim.Subject))
	for i, s := range l.claim.Subject {
		subject[i] = strings.ToLower(strings.ReplaceAll(s, " ", ""))
	}
	return ledger.ClassifyClaim(&l.item, l.claim.Text, subject)
}

var stanceClasses = []ledger.Stance{ledger.Confirms, ledger.Contradicts, ledger.Unrelated}

// TestStanceLabels measures Classify against the hand-labelled real items:
// per-class precision and recall and the confusion matrix (rows: the label,
// columns: what Classify said). The floors are what the rules reach now,
// rounded down, so that a regression fails.
func TestStanceLabels(t *testing.T) {
	items := loadLabels(t)
	confusion := map[ledger.Stance]map[ledger.Stance]int{}
	for _, s := range stanceClasses {
		confusion[s] = map[ledger.Stance]int{}
	}
	for i := range items {
		l := &items[i]
		got, reasons := classifyLabelled(l)
		confusion[l.want][got]++
		if got != l.want {
			t.Logf("miss %s:%d %s: labelled %s, got %s %v: %s", l.source, l.line, l.claim.ID, l.want, got, reasons, l.item.FullText())
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d items\nlabel \\ got   confirms contradicts unrelated\n", len(items))
	for _, want := range stanceClasses {
		fmt.Fprintf(&b, "%-12s %9d %11d %9d\n", want, confusion[want][ledger.Confirms], confusion[want][ledger.Contradicts], confusion[want][ledger.Unrelated])
	}
	precision, recall := map[ledger.Stance]float64{}, map[ledger.Stance]float64{}
	for _, s := range stanceClasses {
		tp, said, labelled := confusion[s][s], 0, 0
		for _, o := range stanceClasses {
			said += confusion[o][s]
			labelled += confusion[s][o]
		}
		if said > 0 {
			precision[s] = float64(tp) / float64(said)
		}
		if labelled > 0 {
			recall[s] = float64(tp) / float64(labelled)
		}
		fmt.Fprintf(&b, "%-12s precision %.3f (%d/%d) recall %.3f (%d/%d)\n", s, precision[s], tp, said, recall[s], tp, labelled)
	}
	t.Log("\n" + b.String())

	if len(items) < 300 && !testing.Short() {
		t.Errorf("%d labelled items, want at least 300", len(items))
	}
	floors := []struct {
		class             ledger.Stance
		precision, recall float64
	}{
		// Measured: confirms 2/11 said, 2/25 labelled; contradicts 6/15,
		// 6/47; unrelated 409/472, 409/426 (docs/ledger.md §8).
		{ledger.Confirms, 0.15, 0.05},
		{ledger.Contradicts, 0.35, 0.12},
		{ledger.Unrelated, 0.85, 0.95},
	}
	for _, f := range floors {
		if precision[f.class] < f.precision || recall[f.class] < f.recall {
			t.Errorf("%s: precision %.3f recall %.3f, below the floor %.2f / %.2f", f.class, precision[f.class], recall[f.class], f.precision, f.recall)
		}
	}
}

// BenchmarkClassify: the claim-aware Classify over the labelled real items
// (one op is one item).
func BenchmarkClassify(b *testing.B) {
	items := loadLabels(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		classifyLabelled(&items[i%len(items)])
		i++
	}
}
