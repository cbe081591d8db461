// Package ahocorasick finds every occurrence of a fixed set of strings in a
// text in one pass over its bytes (Aho–Corasick), however many strings the
// set holds: the aspect lexicon's words in a clause, or any other list of
// words that would otherwise be looked for one strings.Index at a time.
//
// It works on bytes, so a key and a text in UTF-8 match exactly where
// strings.Index would find the key; it knows nothing of characters, case,
// words or what the keys mean. Callers lower-case or normalise both sides
// themselves.
package ahocorasick
