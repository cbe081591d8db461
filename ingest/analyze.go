package ingest

import (
	"sync"

	"trustwatch"
	"trustwatch/query"
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
	// Topics are the watch file's topics, compiled (CompileTopics).
	Topics []Topic
}

// Topic is a topic of the watch file with its query parsed.
type Topic struct {
	ID    string
	Query *query.Query
}

// CompileTopics parses the query of every topic of w, with cut (the
// segmenter's Words) cutting bare words as the stored text was cut. The
// watch file loader has checked them already; an error here names the
// topic.
func CompileTopics(w *trustwatch.Watch, cut func(string) []string) ([]Topic, error) {
	if w == nil {
		return nil, nil
	}
	var out []Topic
	for _, e := range w.Entities {
		if e.Kind != trustwatch.EntityTopic {
			continue
		}
		q, err := query.Parse(e.Query, query.Options{Cut: cut})
		if err != nil {
			return nil, trustwatch.Errorf(trustwatch.EINVALID, "topic %q: query %v", e.ID, err)
		}
		out = append(out, Topic{ID: e.ID, Query: q})
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// Analyze sets Tokens, Entities, Sentiment, PPos and Aspects of it, and
// its Lang when the source did not say. The ids
// of the topics whose queries match come last in Entities: they are matched
// after everything else is set, since a topic query may ask for
// sentiment:, aspect: or entity:.
func (a *Analyzer) Analyze(it *trustwatch.Item) {
	text := it.FullText()
	if it.Lang == "" {
		it.Lang = segment.Lang(text)
	}
	res := a.Matcher.Analyze(text)
	it.Tokens = res.Tokens
	it.Entities = res.Entities
	it.Normalized = res.Normalized
	if a.Sentiment != nil {
		it.Sentiment, it.PPos = a.Sentiment(res.Normalized, res.Tokens)
	}
	if a.Aspects != nil {
		it.Aspects = a.Aspects(res.Normalized)
	}
	if len(a.Topics) > 0 {
		doc := query.NewDoc(it)
		var matched []string
		for _, t := range a.Topics {
			if t.Query.Match(doc) {
				matched = append(matched, t.ID)
			}
		}
		// Appended after matching: a query's entity: reads Entities.
		it.Entities = append(it.Entities, matched...)
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
