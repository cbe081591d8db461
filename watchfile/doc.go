// Package watchfile reads and checks the watch file (trustwatch.yaml): the
// entities watched, their aspects, claims, values, series, alert rules,
// notification channels and sources. Unknown keys and dangling references
// are errors that name the line, because a typo in a rule must not silently
// switch an alert off.
//
// It knows YAML and the domain types; it must not know about storage or
// any detector's internals.
package watchfile
