package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/souk-commerce/souk/store"
)

// HandoffsLimit bounds the shoppers one scrape counts as waiting for a
// person; past it the gauge is a lower bound.
const HandoffsLimit = 1000

// handoffsTimeout bounds the store read one scrape makes.
const handoffsTimeout = 2 * time.Second

// WatchHandoffs adds gauges of the shoppers waiting for a person, read from
// q at each scrape: how many (at most HandoffsLimit), and how long the one
// waiting longest has waited. A scrape during which q cannot be read has
// neither, rather than a figure that is not true.
func (m *Metrics) WatchHandoffs(q store.HandoffQueue, clock func() time.Time) {
	if clock == nil {
		clock = time.Now
	}
	m.reg.MustRegister(&handoffCollector{q: q, clock: clock,
		waiting: prometheus.NewDesc(Namespace+"_handoffs_waiting", "Shoppers handed off to a person and not resumed yet (at most 1000 are counted).", nil, nil),
		oldest:  prometheus.NewDesc(Namespace+"_handoff_oldest_wait_seconds", "How long the shopper waiting longest for a person has waited; 0 when none waits.", nil, nil),
	})
}

type handoffCollector struct {
	q               store.HandoffQueue
	clock           func() time.Time
	waiting, oldest *prometheus.Desc
}

func (c *handoffCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.waiting
	ch <- c.oldest
}

func (c *handoffCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), handoffsTimeout)
	defer cancel()
	waiting, err := c.q.Waiting(ctx, HandoffsLimit)
	if err != nil {
		return
	}
	var age time.Duration
	if len(waiting) > 0 {
		age = max(c.clock().Sub(waiting[0].Since), 0)
	}
	ch <- prometheus.MustNewConstMetric(c.waiting, prometheus.GaugeValue, float64(len(waiting)))
	ch <- prometheus.MustNewConstMetric(c.oldest, prometheus.GaugeValue, age.Seconds())
}
