// Package analyze runs every registered detector (detect.All) over the
// stored data, by default all of it, and hands their findings to the alert
// engine. Detectors that look at a window ending "now" replay it day by
// day, so that each finding is raised on the day it happened.
//
// Running it twice raises nothing new: the alert engine dedupes findings by
// rule, subject and time. It must not know how detectors compute or how the
// store keeps data.
package analyze
