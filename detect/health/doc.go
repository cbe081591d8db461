// Package health is the source health detector: a crawl that stopped, a
// feed that keeps failing or input that turned to garbage is the first
// thing a monitor must say. It reads the history of source rounds
// (trustwatch.DetectInput.Sources, recorded by `trustwatch run`) for every
// source of the watch file that has an id, and judges it at in.To (or the
// newest round when To is zero):
//
//   - source.silent (数据源静默): no round stored anything for longer than
//     the source's expect, or, when expect is zero, than its learned
//     cadence: 3 × the median gap between consecutive rounds that stored
//     items (at least 4 such rounds are needed, else nothing is said),
//     never less than 3 × the source's interval. The finding's time is
//     the moment the silence became overdue, the same in every round of
//     one silence, so it stays one alert; `trustwatch run` resolves it
//     when the source stores data again.
//   - source.failing (数据源故障): the last N (3) rounds failed; it names
//     the last error and the last good round. Its time is the first round
//     of the failing streak.
//   - source.bad_input (数据源输入异常): over the last 10 rounds, at least
//     20% of the records read were quarantined, and at least 10 records.
//
// The first day of a source (FirstDay after its first round) never
// alarms. Entity is empty and Subject is the source id. It must not know
// how rounds are stored, how sources are read, or the alert lifecycle.
package health
