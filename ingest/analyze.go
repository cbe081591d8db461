package ingest

import (
	"sync"

	"trustwatch"
	"trustwatch/segment"
)

// Analyzer fills an item's analysis fields. Sentiment and Aspects may be nil
// (then items keep no sentiment or aspects).
type Analyzer struct {
	Matcher *segment.Matcher
	// Sentiment gets the normalised text and the words segmentation
	// already found in it, so a model that uses words need not cut again.
	Sentiment func(text string, words []string) (trustwatch.Label, float64)
	Aspects   func(text string) []trustwatch.AspectHit
}

// Analyze sets Tokens, Entities, Sentiment, PPos and Aspects of it, and
// its Lang when the source did not say.
func (a *Analyzer) Analyze(it *trustwatch.Item) {
	text := it.FullText()
	if it.Lang == "" {
		it.Lang = segment.Lang(text)
	}
	res := a.Matcher.Analyze(text)
	it.Tokens = res.Tokens
	it.Entities = res.Entities
	if a.Sentiment != nil {
		it.Sentiment, it.PPos = a.Sentiment(res.Normalized, res.Tokens)
	}
	if a.Aspects != nil {
		it.Aspects = a.Aspects(res.Normalized)
	}
}

// analyzeAll analyses items on workers goroutines, each a share of them.
func (a *Analyzer) analyzeAll(items []trustwatch.Item, workers int) {
	if len(items) == 0 {
		return
	}
	workers = max(workers, 1)
	var wg sync.WaitGroup
	chunk := (len(items) + workers - 1) / workers
	for lo := 0; lo < len(items); lo += chunk {
		part := items[lo:min(lo+chunk, len(items))]
		wg.Go(func() {
			for i := range part {
				a.Analyze(&part[i])
			}
		})
	}
	wg.Wait()
}

// AnalyzeAll analyses items in place on workers goroutines, as ingest does
// with each batch.
func (a *Analyzer) AnalyzeAll(items []trustwatch.Item, workers int) { a.analyzeAll(items, workers) }
