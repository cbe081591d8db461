// Package spc is statistical process control over defect counts per period
// or per production batch: p-charts (defective share) and u-charts (defects
// per unit) with limits that vary with the sample size, EWMA and tabular
// CUSUM for small persistent shifts, runs on one side of the centre line,
// and the dispersion of the defect rate between batches compared with what
// chance alone (binomial or Poisson) would give: the "blind box" index of
// how much more varied quality is than chance ("买车像开盲盒").
//
// The formulas are the textbook ones (Montgomery, Introduction to
// Statistical Quality Control). Its functions are pure; it must not know
// about storage, alerts or notification.
package spc
