package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/souk-commerce/souk/bot/kaleyra"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/store"
)

// Defaults of Config.
const (
	DefaultWorkers     = 8
	DefaultMaxAttempts = 8
	DefaultBackoff     = time.Second
	DefaultMaxBackoff  = 5 * time.Minute
	DefaultPoll        = 200 * time.Millisecond
	DefaultLease       = time.Minute
	DefaultSweep       = 5 * time.Minute
	// maxIdle bounds the poll backoff while the store is unreachable.
	maxIdle = 5 * time.Second
)

// Config configures a Runner. Store and Sender are required.
type Config struct {
	Store  store.Outbox
	Sender kaleyra.Sender
	Logger *slog.Logger
	// Workers is how many shoppers' outboxes are sent at once.
	Workers int
	// MaxAttempts bounds the sends of one message, the first included.
	MaxAttempts int
	// Backoff is the wait after the first failed attempt; it doubles with
	// each attempt, up to MaxBackoff, with full jitter.
	Backoff, MaxBackoff time.Duration
	// Poll is how often the store is asked for due outboxes when idle.
	Poll time.Duration
	// Lease is how long a shopper's outbox is held without progress
	// before another sender may take it.
	Lease time.Duration
	// Sweep is how often outboxes missing from the due set are looked for.
	Sweep time.Duration
	// Clock defaults to time.Now.
	Clock func() time.Time
	// Observer, when set, is told of retries and dead letters and, every
	// StatsEvery (default DefaultStatsEvery), of the outbox's depth.
	Observer   Observer
	StatsEvery time.Duration
}

// Validate reports what is missing or wrong in c.
func (c Config) Validate() error {
	switch {
	case c.Store == nil || c.Sender == nil:
		return errors.New("outbox: Config.Store and Config.Sender are required")
	case c.Workers < 0 || c.MaxAttempts < 0 || c.Backoff < 0 || c.MaxBackoff < 0 || c.Poll < 0 || c.Lease < 0 || c.StatsEvery < 0:
		return errors.New("outbox: negative setting")
	}
	return nil
}

func (c Config) withDefaults() Config {
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	if c.Workers == 0 {
		c.Workers = DefaultWorkers
	}
	if c.MaxAttempts == 0 {
		c.MaxAttempts = DefaultMaxAttempts
	}
	def(&c.Backoff, DefaultBackoff)
	def(&c.MaxBackoff, DefaultMaxBackoff)
	def(&c.Poll, DefaultPoll)
	def(&c.Lease, DefaultLease)
	def(&c.Sweep, DefaultSweep)
	def(&c.StatsEvery, DefaultStatsEvery)
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Clock == nil {
		c.Clock = time.Now
	}
	return c
}

// Runner delivers due outboxes with a pool of workers. Start it once; Stop
// it once.
type Runner struct {
	cfg  Config
	log  *slog.Logger
	wake chan struct{}
	stop chan struct{}
	jobs chan string
	wg   sync.WaitGroup
	// sendCtx bounds sends; it is cancelled only when Stop runs out of time.
	sendCtx    context.Context
	cancelSend context.CancelFunc
	mu         sync.Mutex
	inflight   map[string]bool
}

// New builds a Runner from cfg.
func New(cfg Config) (*Runner, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	r := &Runner{cfg: cfg, log: cfg.Logger, wake: make(chan struct{}, 1), stop: make(chan struct{}),
		jobs: make(chan string), inflight: map[string]bool{}}
	r.sendCtx, r.cancelSend = context.WithCancel(context.Background())
	return r, nil
}

// Start starts the poller and the workers.
func (r *Runner) Start() {
	r.wg.Add(1 + r.cfg.Workers)
	go r.poll()
	for range r.cfg.Workers {
		go r.work()
	}
}

// Wake makes the poller look for due outboxes now; it never blocks.
func (r *Runner) Wake() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Dispatch wakes the runner; the messages are already in the outbox. It
// lets a Runner stand as the engine's bot.Dispatcher.
func (r *Runner) Dispatch(context.Context, []whatsapp.Outbound) error {
	r.Wake()
	return nil
}

// Stop stops polling, lets each worker finish the send it is in and hand
// its shopper's outbox back, and returns when all are done or ctx ends (the
// sends still running are then cancelled and their messages stay queued).
func (r *Runner) Stop(ctx context.Context) error {
	close(r.stop)
	done := make(chan struct{})
	go func() { r.wg.Wait(); close(done) }()
	select {
	case <-done:
		r.cancelSend()
		return nil
	case <-ctx.Done():
	}
	r.cancelSend()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
	}
	return fmt.Errorf("outbox: stopping: %w", ctx.Err())
}

func (r *Runner) stopping() bool {
	select {
	case <-r.stop:
		return true
	default:
		return false
	}
}

// poll hands due shoppers to the workers, backing off while the store fails.
func (r *Runner) poll() {
	defer r.wg.Done()
	defer close(r.jobs)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { <-r.stop; cancel() }()
	wait, failing := time.Duration(0), false
	nextSweep, nextStats := r.cfg.Clock(), r.cfg.Clock()
	for {
		if !r.sleep(wait) {
			return
		}
		now := r.cfg.Clock()
		if !now.Before(nextSweep) {
			nextSweep = now.Add(r.cfg.Sweep)
			if n, err := r.cfg.Store.Sweep(ctx); err == nil && n > 0 {
				r.log.Warn("outbox sweep found shoppers missing from the due set", "shoppers", n)
			}
		}
		if !now.Before(nextStats) {
			nextStats = now.Add(r.cfg.StatsEvery)
			r.stats(ctx)
		}
		phones, err := r.cfg.Store.Due(ctx, r.cfg.Clock(), r.cfg.Workers*2)
		if err != nil {
			if !failing && !r.stopping() {
				r.log.Error("outbox: store unreachable; backing off", "err", err)
			}
			failing, wait = true, min(max(2*wait, r.cfg.Poll), maxIdle)
			continue
		}
		if failing {
			r.log.Info("outbox: store reachable again")
		}
		failing, wait = false, r.cfg.Poll
		if n := r.hand(phones); n == len(phones) && n == r.cfg.Workers*2 {
			wait = 0
		}
	}
}

// sleep waits d, a wake-up or stop; false means stop.
func (r *Runner) sleep(d time.Duration) bool {
	if d <= 0 {
		return !r.stopping()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-r.stop:
		return false
	case <-r.wake:
	case <-t.C:
	}
	return true
}

// hand gives each shopper not already being sent here to a worker, and
// returns how many it handed out.
func (r *Runner) hand(phones []string) (n int) {
	for _, p := range phones {
		r.mu.Lock()
		busy := r.inflight[p]
		r.inflight[p] = true
		r.mu.Unlock()
		if busy {
			continue
		}
		select {
		case r.jobs <- p:
			n++
		case <-r.stop:
			return n
		}
	}
	return n
}

func (r *Runner) work() {
	defer r.wg.Done()
	for p := range r.jobs {
		r.drain(p)
		r.mu.Lock()
		delete(r.inflight, p)
		r.mu.Unlock()
	}
}

// drain leases one shopper's outbox and sends its due messages in order.
func (r *Runner) drain(phone string) {
	ctx := r.sendCtx
	token, err := r.cfg.Store.Lease(ctx, phone, r.cfg.Lease)
	if errors.Is(err, store.ErrLeased) {
		return
	}
	if err != nil {
		r.log.Debug("outbox: lease failed", "shopper", maskPhone(phone), "err", err)
		return
	}
	defer func() {
		rctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := r.cfg.Store.Release(rctx, phone, token); err != nil {
			r.log.Warn("outbox: release failed; the lease expires by itself", "shopper", maskPhone(phone), "err", err)
		}
	}()
	for !r.stopping() {
		m, ok, err := r.cfg.Store.Head(ctx, phone)
		if err != nil || !ok || m.NextAt.After(r.cfg.Clock()) {
			return
		}
		if !r.sendOne(ctx, phone, token, m) {
			return
		}
	}
}

// sendOne sends the head message m; false means stop draining.
func (r *Runner) sendOne(ctx context.Context, phone, token string, m store.OutMessage) bool {
	out, err := Decode(m)
	if err != nil {
		return r.dead(ctx, phone, token, m, "undecodable: "+err.Error(), "invalid", "invalid")
	}
	kind := out.Message.Kind()
	if m.Attempts == 0 {
		if err := r.cfg.Store.IndexRef(ctx, phone, m.ID); err != nil {
			return false
		}
	} else if r.cfg.Observer != nil {
		r.cfg.Observer.SendRetry(kind)
	}
	res, err := r.cfg.Sender.Send(ctx, out)
	if err == nil {
		if err := r.cfg.Store.Sent(ctx, phone, token, m, res.MessageID); err != nil {
			r.log.Error("outbox: sent but not recorded; it may be sent again", "id", m.ID, "shopper", maskPhone(phone), "err", err)
			return false
		}
		return true
	}
	m.Attempts++
	m.LastError = err.Error()
	if !kaleyra.Retryable(err) || m.Attempts >= r.cfg.MaxAttempts {
		return r.dead(ctx, phone, token, m, reason(err, m.Attempts), kind, kaleyra.CodeOf(res, err))
	}
	m.NextAt = r.cfg.Clock().Add(r.backoff(m.Attempts))
	r.log.Warn("outbox: send failed; will retry", "id", m.ID, "shopper", maskPhone(phone),
		"attempt", m.Attempts, "retry_at", m.NextAt, "err", err)
	if err := r.cfg.Store.Retry(ctx, phone, token, m); err != nil {
		r.log.Error("outbox: retry not recorded", "id", m.ID, "err", err)
	}
	return false
}

// dead moves m to the dead-letter stream; kind and code (of its last
// attempt) are for the Observer.
func (r *Runner) dead(ctx context.Context, phone, token string, m store.OutMessage, why, kind, code string) bool {
	r.log.Error("outbox: message dead-lettered", "id", m.ID, "shopper", maskPhone(phone), "attempts", m.Attempts, "reason", why)
	if err := r.cfg.Store.Dead(ctx, phone, token, m, why); err != nil {
		r.log.Error("outbox: dead letter not recorded", "id", m.ID, "err", err)
		return false
	}
	if r.cfg.Observer != nil {
		r.cfg.Observer.DeadLetter(kind, code)
	}
	return true
}

func reason(err error, attempts int) string {
	if kaleyra.Retryable(err) {
		return fmt.Sprintf("gave up after %d attempts: %v", attempts, err)
	}
	return "not retryable: " + err.Error()
}

// backoff is the exponential wait before attempt n+1, with jitter over
// its upper half.
func (r *Runner) backoff(n int) time.Duration {
	d := r.cfg.Backoff
	for i := 1; i < n && d < r.cfg.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, r.cfg.MaxBackoff)
	return d/2 + rand.N(d/2+1)
}

// maskPhone hides the middle of a phone number for logs.
func maskPhone(p string) string {
	if len(p) < 7 {
		return strings.Repeat("*", len(p))
	}
	return p[:2] + strings.Repeat("*", len(p)-5) + p[len(p)-3:]
}
