// Package detect is the one room where trustwatch's detectors live, and
// its registry: every detector is a package below it implementing
// trustwatch.Detector, listed once in All. analyze runs them, watchfile
// checks rules against their kinds, label names their kinds and the
// dashboard lists them, all through this registry, so no detector's name
// is written twice.
//
//	metric   lows, highs, drawdowns, window changes, robust anomalies of a series
//	sla      percentile service levels and their breaches
//	spc      p/u control charts, EWMA, CUSUM, the dispersion ("blind box") index
//	burst    volume and negative-share spikes per watched entity and aspect
//	terms    new terms and surging terms, nicknames of watched people
//	nickname the evidence linking a new term to a person (used by terms)
//	ledger   claims against evidence (the trust ledger), say-do gaps
//	voice    how predictable a spokesperson's voice became, reply fatigue
//	health   live sources gone silent, failing, or feeding bad input
//
// # Adding a detector
//
// Write a package detect/yours with a type implementing trustwatch.Detector:
//
//   - Name returns its short name.
//   - Kinds lists every kind of finding it emits ("yours.thing"), each with
//     the Chinese label users read and its default severity; a kind that a
//     watch-file rule runs over a series also names the rule's detector word
//     (as metric's "low"). A kind must not be registered twice: the registry
//     panics at start-up if it is.
//   - Detect reports the findings whose data falls in [in.From, in.To). A
//     detector that looks at a window ending "now" replays it over the
//     period with trustwatch.ReplayTimes. It needs a baseline before it
//     speaks: without enough history it returns nothing (never a guess), and
//     the first day of a store never alarms. Scores are finite, every
//     finding links the items or points it rests on, its Time is the first
//     period that meets the rule, and its Entity is a watched entity's id
//     whenever it is about one.
//
// Then add one line to all in detect.go. Rules, dedupe, cooldown, delivery
// and the alert lifecycle are the alert package's business; a detector
// must not know about them, nor about storage beyond the domain's store
// interfaces, nor about the web.
package detect
