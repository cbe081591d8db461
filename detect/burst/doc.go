// Package burst tells when a count series bursts: Kleinberg's batched
// automaton solved exactly by Viterbi, and simple, explainable spike rules
// (Poisson surprise against a trailing baseline, a dual-window rate ratio)
// that raise volume.spike and sentiment.spike detections per entity and per
// aspect.
//
// The algorithms work on plain counts; only DetectSpikes reaches the store,
// through trustwatch.ItemStore. This package must not know how items are
// stored, segmented or analysed, nor anything about terms.
package burst
