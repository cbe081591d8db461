// Package story groups a window's items into stories: what people are
// talking about, rather than which words they use.
//
// It works in three steps, all deterministic:
//
//  1. Near-duplicates. Each item's own words (its Tokens, or the words the
//     caller's Cut finds, without stop words, punctuation, emoticons,
//     @mentions, links and the //@ repost chain) get a 64-bit SimHash over
//     shingles of one and two words. A banded index (four bands of 16 bits)
//     finds the fingerprints within Hamming distance MaxDistance (3) of
//     each other in about linear time; those items form one group, shown
//     with a count. Texts with fewer than MinWords content words are too
//     short to fingerprint and group only on their exact normalised text;
//     a repost, and a short comment, joins the group of the item it
//     answers when that item is in the window.
//  2. Stories. Groups are taken largest first; each joins the first story
//     whose leading group's TF-IDF vector (over the terms at least two
//     groups share, document frequency counted over groups) is at least
//     MinCosine (0.3) from its own, or leads a new one. A story's label is
//     its top terms with its most engaged item; its id is a hash of its
//     earliest item, so it stays the same while that item is in the
//     window.
//  3. Coordination signals, as evidence and never as a verdict: copies
//     (near-identical texts from at least two accounts) posted by accounts
//     first seen in the window, synchronous bursts of copies, and
//     masked-nickname patterns, each with its count, share and examples.
//
// docs/stories.md explains the thresholds and what the coordination share
// does and does not mean.
//
// The package is pure computation over trustwatch.Item: it must not know
// about the stores, the web, the segmenter (the caller passes Cut) or any
// detector.
package story
