// Package analyze runs every detector over the stored data and hands their
// findings to the alert engine: metric, SLA and SPC rules over the series;
// volume and sentiment spikes and emerging terms, replayed day by day over
// the items so that each is raised on the day it happened; the trust ledger
// and say-do gaps; the spokesperson's voice.
//
// Running it twice raises nothing new: the alert engine dedupes findings by
// rule, subject and time. It must not know how detectors compute or how the
// store keeps data.
package analyze
