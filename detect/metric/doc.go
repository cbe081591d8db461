// Package metric turns a metric series (a stock's close, a founder's
// follower count, an order backlog) into the statements a person would make
// about it, each with its numbers: a new N-period low or high ("创 7 个月新低",
// the longest look-back for which it holds), the drawdown from the running
// peak, the change over a window in absolute and relative terms, and robust
// anomalies (median/MAD z-score against a trailing window).
//
// Its functions are pure: points in, detections out. It must not know about
// storage, alert lifecycles or notification channels; the alert package
// decides what a detection becomes.
package metric
