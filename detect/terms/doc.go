// Package terms finds new words without a dictionary: candidate substrings
// of 2–6 characters scored by internal cohesion and by the freedom of their
// neighbours, ranked by how much more often they occur in a time window
// than in a background, flagged new when no dictionary knows them, with
// their daily counts, their burst and, for nicknames, the watched person
// they mock.
//
// The counting and scoring work on plain documents (Doc); Discover and
// Detect are thin adapters over trustwatch.ItemStore. This package must not
// know how items are stored, nor which segmenter supplies Known.
package terms
