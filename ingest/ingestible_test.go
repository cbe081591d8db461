package ingest

import "testing"

func TestIngestible(t *testing.T) {
	for name, want := range map[string]bool{
		"a.jsonl": true, "b.CSV": true, "c.tsv.gz": true, "export.xlsx": true,
		"trustwatch.db": false, "mediacrawler.sqlite": false, // read only when named
		"notes.md": false, "a.db-wal": false,
	} {
		if got := ingestible(name); got != want {
			t.Errorf("ingestible(%q) = %v, want %v", name, got, want)
		}
	}
}
