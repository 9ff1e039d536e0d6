package metrics

import (
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// outboxGauges are souk_outbox_depth and souk_outbox_oldest_age_seconds,
// last set by Metrics.Outbox. Both are absent from scrapes while the last
// reading failed, rather than repeat a figure that is no longer true.
type outboxGauges struct {
	depth, oldest *prometheus.Desc

	mu    sync.Mutex
	known bool
	n     float64
	age   float64
}

func newOutboxGauges() *outboxGauges {
	return &outboxGauges{known: true, // 0 until the first reading, like any gauge
		depth:  prometheus.NewDesc(Namespace+"_outbox_depth", "Replies committed but not yet delivered or dead-lettered.", nil, nil),
		oldest: prometheus.NewDesc(Namespace+"_outbox_oldest_age_seconds", "Age of the oldest reply waiting in the outbox.", nil, nil),
	}
}

// set records a reading; a negative depth means the store could not be read.
func (g *outboxGauges) set(depth int, oldest time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.known, g.n, g.age = depth >= 0, float64(depth), oldest.Seconds()
}

func (g *outboxGauges) Describe(ch chan<- *prometheus.Desc) {
	ch <- g.depth
	ch <- g.oldest
}

func (g *outboxGauges) Collect(ch chan<- prometheus.Metric) {
	g.mu.Lock()
	known, n, age := g.known, g.n, g.age
	g.mu.Unlock()
	if !known {
		return
	}
	ch <- prometheus.MustNewConstMetric(g.depth, prometheus.GaugeValue, n)
	ch <- prometheus.MustNewConstMetric(g.oldest, prometheus.GaugeValue, age)
}
