package segment

import (
	"runtime"
	"testing"
)

// TestDictionaryMemory reports the heap the shared dictionary keeps once
// gse's own trie is gone (run with -v to see it).
func TestDictionaryMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the dictionary")
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	d, err := base()
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	live := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("dictionary: %d trie nodes (words and prefixes), %.1f MiB of heap", len(d.label), float64(live)/(1<<20))
	if len(d.label) < 300000 {
		t.Errorf("only %d nodes: the embedded dictionary did not load", len(d.label))
	}
	runtime.KeepAlive(d)
}
