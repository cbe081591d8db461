// Package alerteval measures alerts against a file of expected events: the
// precision and recall of what the detectors raised, and how many days
// early or late each right alert was. It is what `trustwatch eval alerts`
// and the real-data cases of docs/validity.md run.
//
// An expected event names a kind (or a family of kinds), an entity, a day
// and optionally a term; an empty list says that the right answer is no
// alert at all. Alerts and events are paired one to one, nearest day
// first; an alert that would have matched an event another alert already
// took is counted apart as redundant (it is still not a match).
//
// It takes domain types (trustwatch.Alert, trustwatch.Watch) and must not
// know how alerts are stored or how any detector computes them: the store,
// the analysis and the command line are the caller's business.
package alerteval
