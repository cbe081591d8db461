// Package trustwatch holds the domain of the brand-trust early-warning system:
// the canonical item (a post, comment, review, news article or statement), the
// watch file's entities, claims, values, series and rules, metric points,
// events, detections and alerts, and the interfaces through which storage and
// text analysis are reached.
//
// It must not know about any database, file format, web framework or model:
// those live in the sub-packages that adapt them (sqlite, reader/..., web,
// sentiment ...), which talk to each other only in these types.
package trustwatch
