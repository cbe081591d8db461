package voice_test

import (
	"context"
	"encoding/csv"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"trustwatch/realdata"

	"trustwatch"
	"trustwatch/detect/voice"
)

// su7Comments reads the real Weibo comments under the SU7 launch post from
// ../shared/data, or skips.
func su7Comments(tb testing.TB) []trustwatch.Item {
	tb.Helper()
	path := realdata.Path(tb, "su7_launch_comments/weibo_comments.csv")
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	var items []trustwatch.Item
	for i, r := range rows[1:] {
		t, err := time.ParseInLocation("2006/1/2 15:04", r[3], trustwatch.DefaultLocation())
		if err != nil || strings.TrimSpace(r[1]) == "" {
			continue
		}
		items = append(items, trustwatch.Item{ID: "su7-" + strconv.Itoa(i), Author: r[0], Text: r[1], Time: t})
	}
	return items
}

// TestHeldOutCrossEntropy measures the model on real comments: trained on
// the first 80%, scored on the rest. It checks that the model predicts real
// text far better than the uniform 16 bits and logs the numbers per order.
func TestHeldOutCrossEntropy(t *testing.T) {
	items := su7Comments(t)
	cut := len(items) * 4 / 5
	var train []string
	for _, it := range items[:cut] {
		train = append(train, it.Text)
	}
	for order := voice.MinOrder; order <= voice.MaxOrder; order++ {
		m := voice.Train(train, order)
		var bits float64
		var chars int
		for _, it := range items[cut:] {
			b, n := m.Bits(it.Text)
			bits += b
			chars += n
		}
		h := bits / float64(chars)
		t.Logf("order %d: %d training texts, held-out %d texts: %.3f bits/char", order, cut, len(items)-cut, h)
		if h > 11 {
			t.Errorf("order %d: %.2f bits/char held out, want well under the uniform 16", order, h)
		}
	}
}

// BenchmarkAnalyzeSU7 streams the real comments through Analyze as the
// crowd (every comment added to and later removed from the crowd window)
// with the most active commenter as the account.
func BenchmarkAnalyzeSU7(b *testing.B) {
	items := su7Comments(b)
	count := map[string]int{}
	top := ""
	for _, it := range items {
		count[it.Author]++
		if count[it.Author] > count[top] {
			top = it.Author
		}
	}
	s := &itemStore{items: items}
	w := &trustwatch.Watch{Entities: []trustwatch.Entity{{ID: "e", Accounts: []string{top}}}}
	for b.Loop() {
		if _, err := voice.Analyze(context.Background(), s, w, "e", voice.Options{CrowdItems: 1000, MinChars: 1, CrowdLookback: 365 * 24 * time.Hour}); err != nil {
			b.Fatal(err)
		}
	}
}
