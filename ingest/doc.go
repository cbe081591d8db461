// Package ingest runs the first half of trustwatch's data flow: it reads
// files with the readers, analyses each item (normalise, segment, find
// entities, sentiment, aspects), and writes items, metric points, events
// and quarantine records to the store in batches.
//
// Re-ingesting the same data stores nothing new: identity is decided by the
// store (platform and id, or the hash of platform, author, time and text).
// This package must not know how the store keeps data or how a format is
// parsed; it composes reader, segment and the classifiers it is given.
package ingest
