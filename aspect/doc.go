// Package aspect finds the aspects of a product that a text talks about
// (safety, brakes, service, design originality ...) and the sentiment of the
// clause that mentions each one, from a lexicon of aspect words: a default
// one for cars and consumer electronics, extended or overridden by the watch
// file's aspect definitions.
//
// It must not know about storage, ingest or the watch file's format; it
// takes trustwatch.AspectDef values and scores clauses with a
// sentiment.Model.
package aspect
