// Package sentiment scores Chinese text as positive, negative or neutral with
// a linear model over hashed character n-grams, emoticon tokens and
// punctuation runs. The model is trained by this package from labelled
// corpora (Train, and TrainFromDir for the project's recipe), written to a
// small versioned file, and the shipped one is embedded in the binary
// (Default).
//
// It must not know about storage, ingest, the CLI or any segmenter: features
// are computed from runes alone so that scoring stays allocation-free and
// fast. Reading the evaluation corpora's file formats lives here too, because
// training and evaluation must read them the same way.
package sentiment
