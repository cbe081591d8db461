// Package metrics exposes trustwatch to Prometheus: what each round of
// `trustwatch run` and each push did (it implements
// trustwatch.RoundRecorder), and, read from the store at scrape time,
// stored items by platform, quarantined records, alerts by kind, severity
// and state, delivery attempts by channel and state, and the store's size.
//
// It registers on its own registry, never the default one, and must not
// know how rounds are run or how the store keeps its data.
package metrics
