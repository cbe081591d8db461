// Package metrics reads metric series points from CSV or JSON lines:
// series, time, value [, entity, unit], or for defect series series, time,
// count, sample [, batch] (the value is then count/sample).
//
// It is a pure reader: no storage, deduplication or detection.
package metrics
