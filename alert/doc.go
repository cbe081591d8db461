// Package alert turns detections into alerts: it runs the series detectors
// (metric, sla, spc) the watch file's rules ask for, matches the findings
// of item detectors (volume.spike, claim.defaulting, term.emerging ...) to
// their rules, dedupes them into one alert per episode under a
// deterministic id, honours cooldowns, keeps the alerts in an AlertStore
// and has new ones delivered to the rules' channels.
//
// An alert opens at the time of the data point that triggered it, not at
// the wall clock, so running the detectors twice over the same data raises
// nothing new. It must not know how points and items are stored (only the
// store interfaces) nor how a channel is spoken to (only a Notifier).
package alert
