// Package sentiment scores Chinese text as positive, negative or neutral with
// a linear model over hashed character n-grams, emoticon tokens, punctuation
// runs, sentiment-lexicon hits and, when the model says so (UsesWords),
// segmented words. The model is trained by this package from labelled
// corpora (Train, and TrainFromDir for the project's recipe), written to a
// small versioned file, and the shipped one is embedded in the binary
// (Default).
//
// Words come from package segment, the segmenter ingest uses, so that a
// caller holding an item's words passes them to ClassifyTokens instead of
// segmenting twice. The package must not know about storage, ingest or the
// CLI. Reading the evaluation corpora's file formats lives here too, because
// training and evaluation must read them the same way.
package sentiment
