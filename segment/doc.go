// Package segment turns raw post text into what the rest of trustwatch
// analyses: normalised text (width-folded, lower-case Latin, no HTML, single
// spaces), words, and the watched entities the text mentions.
//
// Words come from github.com/go-ego/gse with its embedded dictionary plus
// the watch file's names and aliases as a user dictionary, behind the
// trustwatch.Segmenter interface so that a better segmenter is a drop-in.
// This package must not know about storage, file formats or sentiment.
package segment
