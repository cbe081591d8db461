package main

import (
	"trustwatch"
	"trustwatch/aspect"
	"trustwatch/ingest"
	"trustwatch/segment"
	"trustwatch/sentiment"
	"trustwatch/sqlite"
)

// openStore opens the SQLite store named by --db, cutting rollup periods
// in --tz.
func openStore(a *app) (*sqlite.DB, error) {
	loc, err := location(a)
	if err != nil {
		return nil, err
	}
	db := sqlite.NewDB(a.dbPath)
	db.Location = loc
	if err := db.Open(); err != nil {
		return nil, err
	}
	return db, nil
}

// newAnalyzer builds the per-item analysis for a watch file: words and
// entities, sentiment from the embedded model, and aspects from the default
// lexicon with the watch file's additions.
func newAnalyzer(w *trustwatch.Watch) (*ingest.Analyzer, *segment.Segmenter, error) {
	seg, err := segment.ForWatch(w)
	if err != nil {
		return nil, nil, err
	}
	lex, err := aspect.Default().With(w.Aspects)
	if err != nil {
		return nil, nil, trustwatch.Errorf(trustwatch.EINVALID, "aspects: %v", err)
	}
	model := sentiment.Default()
	return &ingest.Analyzer{
		Matcher:   segment.NewMatcher(seg, w),
		Sentiment: model.ClassifyTokens,
		Aspects:   func(text string) []trustwatch.AspectHit { return lex.Find(text, model) },
	}, seg, nil
}
