// Package alert is the alert lifecycle: it matches detections to the watch
// file's rules (thresholds, severity), dedupes them into one alert per
// episode under a deterministic id, honours cooldowns, keeps the alerts in
// an AlertStore, acknowledges and resolves them, and has new ones
// delivered to the rules' channels through a trustwatch.Notifier.
//
// An alert opens at the time of the data point that triggered it, not at
// the wall clock, so running the detectors twice over the same data raises
// nothing new. It must not know how a detection was computed (the
// detectors live in detect/), how data is stored (only the store
// interfaces) nor how a channel is spoken to (only the Notifier).
package alert
