// Package events reads what a brand did — lawsuits, jurisdiction
// objections, recalls, apologies, price cuts, statements — from JSON lines
// or CSV: time, entity, kind, title, text, url [, id]. An event without an
// id gets one hashed from time, entity, kind and title, so that reading the
// same file twice yields the same events.
//
// It is a pure reader: no storage, deduplication or detection.
package events
