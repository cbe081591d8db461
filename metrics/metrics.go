package metrics

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"trustwatch"
)

// scrapeTimeout bounds the store queries of one scrape.
const scrapeTimeout = 10 * time.Second

// Metrics counts rounds and reads the store when scraped.
type Metrics struct {
	reg       *prometheus.Registry
	items     *prometheus.CounterVec
	rounds    *prometheus.HistogramVec
	failures  *prometheus.CounterVec
	lastRound *prometheus.GaugeVec
	log       *slog.Logger
}

var _ trustwatch.RoundRecorder = (*Metrics)(nil)

// New returns metrics over st (nil: only the round counters and the Go
// runtime's); a store that is a trustwatch.DeliveryStore or
// trustwatch.HealthStore also gives delivery counts and its size.
func New(st trustwatch.Store, log *slog.Logger) *Metrics {
	if log == nil {
		log = slog.Default()
	}
	m := &Metrics{reg: prometheus.NewRegistry(), log: log}
	m.items = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "trustwatch_source_items_total",
		Help: "Items seen in rounds, by source, source kind and outcome (read, stored, duplicate, quarantined).",
	}, []string{"source", "kind", "outcome"})
	m.rounds = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "trustwatch_round_duration_seconds",
		Help:    "How long one round took for one source.",
		Buckets: []float64{.01, .05, .1, .5, 1, 5, 15, 60, 300},
	}, []string{"source", "kind"})
	m.failures = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "trustwatch_round_failures_total",
		Help: "Rounds that failed (fetch error, unreadable file), by source.",
	}, []string{"source", "kind"})
	m.lastRound = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "trustwatch_round_last_timestamp_seconds",
		Help: "When the last round of a source began (unix seconds).",
	}, []string{"source", "kind"})
	m.reg.MustRegister(m.items, m.rounds, m.failures, m.lastRound,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if st != nil {
		m.reg.MustRegister(&storeCollector{st: st, log: log})
	}
	return m
}

// Round counts one round of one source.
func (m *Metrics) Round(r trustwatch.SourceRound) {
	l := []string{r.Source, r.Kind}
	for outcome, n := range map[string]int{"read": r.Read, "stored": r.Stored, "duplicate": r.Duplicates, "quarantined": r.Quarantined} {
		m.items.WithLabelValues(r.Source, r.Kind, outcome).Add(float64(n))
	}
	m.rounds.WithLabelValues(l...).Observe(r.Duration.Seconds())
	if r.Err != "" {
		m.failures.WithLabelValues(l...).Inc()
	} else {
		// A source's failure series exists from its first round on, so
		// rate() sees the first failure.
		m.failures.WithLabelValues(l...).Add(0)
	}
	if !r.Started.IsZero() {
		m.lastRound.WithLabelValues(l...).Set(float64(r.Started.Unix()))
	}
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorLog: slogAdapter{m.log}, ErrorHandling: promhttp.ContinueOnError})
}

// Registry is the registry the metrics are on, for a caller's own collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

type slogAdapter struct{ log *slog.Logger }

func (a slogAdapter) Println(v ...any) { a.log.Error("metrics: scrape", "err", v) }

var (
	descItems       = prometheus.NewDesc("trustwatch_store_items", "Items in the store, by platform.", []string{"platform"}, nil)
	descQuarantined = prometheus.NewDesc("trustwatch_store_quarantined", "Quarantined records in the store.", nil, nil)
	descAlerts      = prometheus.NewDesc("trustwatch_alerts", "Alerts in the store, by kind, severity and state (open, acked, resolved).", []string{"kind", "severity", "state"}, nil)
	descDeliveries  = prometheus.NewDesc("trustwatch_delivery_attempts_total", "Delivery attempts recorded in the store, by channel, channel type and state (ok, failed, skipped).", []string{"channel", "type", "state"}, nil)
	descSize        = prometheus.NewDesc("trustwatch_store_size_bytes", "Size of the store's main file.", nil, nil)
	descScrapeError = prometheus.NewDesc("trustwatch_store_scrape_error", "1 when a store query of this scrape failed (see the log).", nil, nil)
)

// storeCollector reads the store at scrape time: what it holds is the
// truth across restarts, unlike counters kept in memory.
type storeCollector struct {
	st  trustwatch.Store
	log *slog.Logger
}

func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descItems, descQuarantined, descAlerts, descDeliveries, descSize, descScrapeError} {
		ch <- d
	}
}

func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	failed := 0.0
	fail := func(what string, err error) {
		c.log.Error("metrics: reading the store", "what", what, "err", err)
		failed = 1
	}
	if bs, err := c.st.Breakdown(ctx, "platform", trustwatch.VolumeFilter{By: trustwatch.Day}); err != nil {
		fail("items", err)
	} else {
		for _, b := range bs {
			ch <- prometheus.MustNewConstMetric(descItems, prometheus.GaugeValue, float64(b.Count), b.Key)
		}
	}
	if _, n, err := c.st.FindQuarantine(ctx, trustwatch.QuarantineFilter{Limit: 1}); err != nil {
		fail("quarantine", err)
	} else {
		ch <- prometheus.MustNewConstMetric(descQuarantined, prometheus.GaugeValue, float64(n))
	}
	if as, _, err := c.st.FindAlerts(ctx, trustwatch.AlertFilter{}); err != nil {
		fail("alerts", err)
	} else {
		type key struct{ kind, severity, state string }
		counts := map[key]int{}
		for _, a := range as {
			state := "open"
			switch {
			case a.Resolved != nil:
				state = "resolved"
			case a.Acked != nil:
				state = "acked"
			}
			counts[key{a.Kind, a.Severity, state}]++
		}
		for k, n := range counts {
			ch <- prometheus.MustNewConstMetric(descAlerts, prometheus.GaugeValue, float64(n), k.kind, k.severity, k.state)
		}
	}
	if ds, ok := c.st.(trustwatch.DeliveryStore); ok {
		if counts, err := ds.CountDeliveries(ctx); err != nil {
			fail("deliveries", err)
		} else {
			for _, d := range counts {
				ch <- prometheus.MustNewConstMetric(descDeliveries, prometheus.CounterValue, float64(d.N), d.Channel, d.Type, d.State)
			}
		}
	}
	if hs, ok := c.st.(trustwatch.HealthStore); ok {
		if n, err := hs.SizeBytes(ctx); err != nil {
			fail("size", err)
		} else {
			ch <- prometheus.MustNewConstMetric(descSize, prometheus.GaugeValue, float64(n))
		}
	}
	ch <- prometheus.MustNewConstMetric(descScrapeError, prometheus.GaugeValue, failed)
}
