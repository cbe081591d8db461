package ingest

import (
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

// Analyze sets Tokens, Entities, Sentiment, PPos and Aspects of it.
func (a *Analyzer) Analyze(it *trustwatch.Item) {
	res := a.Matcher.Analyze(it.FullText())
	it.Tokens = res.Tokens
	it.Entities = res.Entities
	if a.Sentiment != nil {
		it.Sentiment, it.PPos = a.Sentiment(res.Normalized, res.Tokens)
	}
	if a.Aspects != nil {
		it.Aspects = a.Aspects(res.Normalized)
	}
}
