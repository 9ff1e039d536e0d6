package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/souk-commerce/souk/bot/kaleyra"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/store"
)

// Defaults of Config.
const (
	// DefaultWorkers: more workers than sends in flight pays, as a
	// worker records its send and reads the next reply while others
	// send; on loopback more of those steps then share each store round
	// trip (256 against 64: about 8% less CPU per reply in soukbench at
	// 256 shoppers).
	DefaultWorkers = 256
	// DefaultSends is the Kaleyra client's connections. A send waits out
	// Kaleyra's round trip, so with the API 100 ms away a process sends
	// at most ten replies a second per send in flight; more sends at once
	// would only wait for a connection, on their own time.
	DefaultSends       = kaleyra.MaxConns
	DefaultMaxAttempts = 8
	DefaultBackoff     = time.Second
	DefaultMaxBackoff  = 5 * time.Minute
	DefaultPoll        = 200 * time.Millisecond
	DefaultLease       = time.Minute
	// MinLease is the shortest lease: a send and its recording must fit
	// in it with room to spare.
	MinLease     = time.Second
	DefaultSweep = 5 * time.Minute
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
	// Sends bounds the sends in flight (default DefaultSends). A worker
	// waits for one of them before its send's SendTimeout starts, and
	// hands its outbox back if the lease has run too low meanwhile.
	Sends int
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
	// SendTimeout bounds one send to Kaleyra; a send starts only while the
	// lease has this long left and a quarter of the lease besides (see
	// lease.go). At most half the Lease; default: the smaller of
	// kaleyra.DefaultTimeout and a third of the Lease.
	SendTimeout time.Duration
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
	case c.Workers < 0 || c.Sends < 0 || c.MaxAttempts < 0 || anyNegative(c.Backoff, c.MaxBackoff, c.Poll, c.Lease, c.Sweep, c.StatsEvery, c.SendTimeout):
		return errors.New("outbox: negative setting")
	case c.Lease != 0 && c.Lease < MinLease:
		return fmt.Errorf("outbox: lease %v is under %v", c.Lease, MinLease)
	case c.SendTimeout > c.withDefaults().Lease/2:
		return fmt.Errorf("outbox: SendTimeout %v is more than half the lease %v", c.SendTimeout, c.withDefaults().Lease)
	}
	return nil
}

func anyNegative(ds ...time.Duration) bool {
	return slices.ContainsFunc(ds, func(d time.Duration) bool { return d < 0 })
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
	if c.Sends == 0 {
		c.Sends = DefaultSends
	}
	if c.MaxAttempts == 0 {
		c.MaxAttempts = DefaultMaxAttempts
	}
	def(&c.Backoff, DefaultBackoff)
	def(&c.MaxBackoff, DefaultMaxBackoff)
	def(&c.Poll, DefaultPoll)
	def(&c.Lease, DefaultLease)
	def(&c.SendTimeout, min(kaleyra.DefaultTimeout, c.Lease/3))
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
	// hints carries shoppers the engine just committed replies for, so the
	// poller can hand them to a worker without asking the store.
	hints chan string
	// handed carries shoppers whose outbox the engine leased when it
	// committed their replies, with those replies.
	handed chan handed
	// sending holds a token per send in flight, at most Config.Sends.
	sending  chan struct{}
	mu       sync.Mutex
	inflight map[string]int8 // 1: a worker is on it; 2: and it must look again
	// known holds the replies committed behind a send in progress, by
	// shopper, oldest first (see Queued).
	known map[string][]whatsapp.Outbound
}

// maxHints bounds the hints waiting for the poller; beyond it a shopper is
// found by the next poll of the due set.
const maxHints = 4096

// New builds a Runner from cfg.
func New(cfg Config) (*Runner, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	r := &Runner{cfg: cfg, log: cfg.Logger, wake: make(chan struct{}, 1), stop: make(chan struct{}),
		jobs: make(chan string), hints: make(chan string, maxHints), handed: make(chan handed, maxHints),
		sending: make(chan struct{}, min(cfg.Sends, cfg.Workers)), inflight: map[string]int8{}, known: map[string][]whatsapp.Outbound{}}
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

// Dispatch wakes the runner for the shopper the messages are addressed
// to; the messages are already in the outbox. It lets a Runner stand as the
// engine's bot.Dispatcher.
func (r *Runner) Dispatch(_ context.Context, msgs []whatsapp.Outbound) error {
	if len(msgs) > 0 && msgs[0].To != "" {
		r.Hint(msgs[0].To)
	} else {
		r.Wake()
	}
	return nil
}

// Hint tells the runner that phone's outbox has new messages; it never
// blocks. A worker takes the shopper at once (or, if one is sending to the
// shopper now, that worker looks at the outbox again before it lets go).
func (r *Runner) Hint(phone string) {
	select {
	case r.hints <- phone:
	default:
	}
	r.Wake()
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
	chores := r.newChores()
	var nextPoll time.Time
	for {
		if !r.sleep(wait) {
			return
		}
		// Hinted shoppers go to workers first; the due set is read only
		// every Poll (or when woken without a hint), for retries that came
		// due, other processes' leftovers and hints that did not fit.
		hinted, ok := r.handHints()
		if !ok {
			return
		}
		now := r.cfg.Clock()
		chores.run(ctx, now)
		if hinted && !failing && now.Before(nextPoll) {
			wait = nextPoll.Sub(now)
			continue
		}
		nextPoll = now.Add(r.cfg.Poll)
		wait, failing = r.pollDue(ctx, wait, failing)
	}
}

// pollDue hands the shoppers whose outbox is due to workers and returns
// how long to wait before looking again, backing off while the store is
// unreachable.
func (r *Runner) pollDue(ctx context.Context, wait time.Duration, failing bool) (time.Duration, bool) {
	phones, err := r.cfg.Store.Due(ctx, r.cfg.Clock(), r.cfg.Workers*2)
	if err != nil {
		if !failing && !r.stopping() {
			r.log.Error("outbox: store unreachable; backing off", "err", err)
		}
		return min(max(2*wait, r.cfg.Poll), maxIdle), true
	}
	if failing {
		r.log.Info("outbox: store reachable again")
	}
	if n := r.hand(phones, false); n > 0 {
		// More may be due behind those: look again as soon as a worker is
		// free (hand blocks until then).
		return 0, false
	}
	return r.cfg.Poll, false
}

// chores are the poll loop's periodic jobs: the sweep for outboxes missing
// from the due set, and the depth and age figures.
type chores struct {
	r                    *Runner
	nextSweep, nextStats time.Time
}

func (r *Runner) newChores() *chores {
	now := r.cfg.Clock()
	return &chores{r: r, nextSweep: now, nextStats: now}
}

func (c *chores) run(ctx context.Context, now time.Time) {
	if !now.Before(c.nextSweep) {
		c.nextSweep = now.Add(c.r.cfg.Sweep)
		if n, err := c.r.cfg.Store.Sweep(ctx); err == nil && n > 0 {
			c.r.log.Warn("outbox sweep found shoppers missing from the due set", "shoppers", n)
		}
	}
	if !now.Before(c.nextStats) {
		c.nextStats = now.Add(c.r.cfg.StatsEvery)
		c.r.stats(ctx)
	}
}

// handHints hands every waiting hint to a worker; it reports whether there
// were any, and false as its second result when the runner is stopping.
func (r *Runner) handHints() (hinted, ok bool) {
	for {
		select {
		case p := <-r.hints:
			hinted = true
			r.hand([]string{p}, true)
			if r.stopping() {
				return hinted, false
			}
		default:
			return hinted, !r.stopping()
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
// returns how many it handed out. With again, a shopper a worker is on now
// is marked so that the worker looks at its outbox once more before it
// lets go: a hint means a commit that worker may not have seen.
func (r *Runner) hand(phones []string, again bool) (n int) {
	for _, p := range phones {
		r.mu.Lock()
		busy := r.inflight[p] != 0
		if !busy {
			r.inflight[p] = 1
		} else if again {
			r.inflight[p] = 2
		}
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
	for {
		select {
		case h := <-r.handed:
			r.deliver(h)
		case p, ok := <-r.jobs:
			if !ok {
				r.giveBackHanded()
				return
			}
			r.drain(p)
			r.settle(p)
		}
	}
}

// settle lets go of a shopper this worker was on, after draining it again
// for as long as hints came in meanwhile.
func (r *Runner) settle(p string) {
	for {
		r.mu.Lock()
		again := r.inflight[p] == 2 && !r.stopping()
		if again {
			r.inflight[p] = 1
		} else {
			delete(r.inflight, p)
		}
		r.mu.Unlock()
		if !again {
			return
		}
		r.drain(p)
	}
}

// drain leases one shopper's outbox and sends its due messages in order.
func (r *Runner) drain(phone string) {
	if d, ok := r.cfg.Store.(store.Drainer); ok {
		r.drainFast(d, phone)
		return
	}
	ctx := r.sendCtx
	renewed := r.cfg.Clock()
	token, err := r.cfg.Store.Lease(ctx, phone, r.cfg.Lease)
	if errors.Is(err, store.ErrLeased) {
		return
	}
	if err != nil {
		r.log.Debug("outbox: lease failed", "shopper", whatsapp.MaskPhone(phone), "err", err)
		return
	}
	defer func() {
		rctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := r.cfg.Store.Release(rctx, phone, token); err != nil {
			r.log.Warn("outbox: release failed; the lease expires by itself", "shopper", whatsapp.MaskPhone(phone), "err", err)
		}
	}()
	for !r.stopping() && !r.expiring(renewed) {
		m, ok, err := r.cfg.Store.Head(ctx, phone)
		if err != nil || !ok || m.NextAt.After(r.cfg.Clock()) {
			return
		}
		if !r.sendOne(ctx, phone, token, m, &renewed) {
			return
		}
	}
}

// drainFast is drain on a Drainer: one store round trip to lease and read
// the head, one per message sent to record it and read the next; the
// outbox is handed back by the step that finds it empty.
func (r *Runner) drainFast(d store.Drainer, phone string) {
	token, m, ok, renewed, err := r.leaseReadable(d, phone)
	if errors.Is(err, store.ErrLeased) || (err == nil && !ok) {
		return
	}
	if err != nil {
		r.log.Debug("outbox: lease failed", "shopper", whatsapp.MaskPhone(phone), "err", err)
		return
	}
	r.sendLeased(d, phone, token, m, nil, renewed)
}

// leaseReadable leases phone's outbox and reads its head, reporting each
// entry on the way that does not decode, which the store dead-letters.
// After maxUnreadable of them it answers an empty outbox: the store left
// it due, for the next poll to go on.
func (r *Runner) leaseReadable(d store.Drainer, phone string) (token string, m store.OutMessage, ok bool, renewed time.Time, err error) {
	for tries := 1; ; tries++ {
		renewed = r.cfg.Clock()
		token, m, ok, err = d.LeaseHead(r.sendCtx, phone, r.cfg.Lease)
		if !errors.Is(err, store.ErrUnreadable) {
			return token, m, ok, renewed, err
		}
		r.unreadable(phone, err)
		if tries == maxUnreadable {
			return "", store.OutMessage{}, false, renewed, nil
		}
	}
}

// maxUnreadable bounds how many unreadable entries one drain takes off
// in a row before leaving the rest to the next poll.
const maxUnreadable = 8

// unreadable reports an outbox entry that did not decode, which the store
// has dead-lettered.
func (r *Runner) unreadable(phone string, err error) {
	r.log.Error("outbox: an entry that does not decode was dead-lettered", "shopper", whatsapp.MaskPhone(phone), "err", err)
	if r.cfg.Observer != nil {
		r.cfg.Observer.DeadLetter("invalid", "invalid")
	}
}

// sendLeased sends a leased outbox from its head m on, recording each
// send and reading the next head in one round trip. first, when not nil,
// is m already decoded; renewed is when the lease was taken or last
// renewed. An outbox whose lease has too little left for a send is handed
// back to be leased afresh.
func (r *Runner) sendLeased(d store.Drainer, phone, token string, m store.OutMessage, first *whatsapp.Outbound, renewed time.Time) {
	ctx := r.sendCtx
	for ok := true; ok && !r.stopping() && !m.NextAt.After(r.cfg.Clock()); {
		if r.expiring(renewed) {
			r.release(phone, token) // due again at once, for the next poll: a slow store must not make this spin
			return
		}
		out, err := r.decoded(phone, m, first)
		first = nil
		at := r.cfg.Clock()
		if err != nil {
			if !r.dead(ctx, phone, token, m, "undecodable: "+err.Error(), "invalid", "invalid") {
				break
			}
			renewed = at
			if m, ok, err = r.cfg.Store.Head(ctx, phone); err != nil {
				break
			}
			continue
		}
		kind := out.Message.Kind()
		res, sent, err := r.sendInTurn(ctx, m, out, renewed)
		if !sent {
			break
		}
		if err != nil {
			at = r.cfg.Clock()
			if !r.failed(ctx, phone, token, m, err, kind, kaleyra.CodeOf(res, err)) {
				break
			}
			renewed = at
			if m, ok, err = r.cfg.Store.Head(ctx, phone); err != nil {
				break
			}
			continue
		}
		at = r.cfg.Clock()
		var next store.OutMessage
		var more bool
		err = r.untilRecorded(renewed, func() (err error) {
			next, more, err = d.SentNext(ctx, phone, token, m, res.MessageID)
			return err
		})
		if errors.Is(err, store.ErrAfterRecord) {
			r.log.Warn("outbox: sent and recorded; handing the outbox back after a later step failed", "id", m.ID, "shopper", whatsapp.MaskPhone(phone), "err", err)
			break
		}
		if err != nil {
			r.log.Error("outbox: sent but not recorded; it may be sent again", "id", m.ID, "shopper", whatsapp.MaskPhone(phone), "err", err)
			break
		}
		renewed = at
		if m, ok = next, more; !ok {
			r.forget(phone)
			return // drained and handed back
		}
		if !m.NextAt.After(r.cfg.Clock()) && r.requeue(phone, token, m, renewed) {
			return
		}
	}
	r.release(phone, token)
}

// release hands the shopper's outbox back, re-marking it due from its head.
func (r *Runner) release(phone, token string) {
	r.forget(phone)
	rctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := r.cfg.Store.Release(rctx, phone, token); err != nil {
		r.log.Warn("outbox: release failed; the lease expires by itself", "shopper", whatsapp.MaskPhone(phone), "err", err)
	}
}

// sendOne sends the head message m; false means stop draining. A recorded
// step sets *renewed, when the lease was last renewed.
func (r *Runner) sendOne(ctx context.Context, phone, token string, m store.OutMessage, renewed *time.Time) bool {
	out, err := Decode(m)
	if err != nil {
		return r.dead(ctx, phone, token, m, "undecodable: "+err.Error(), "invalid", "invalid")
	}
	kind := out.Message.Kind()
	if m.Attempts == 0 {
		if err := r.cfg.Store.IndexRef(ctx, phone, m.ID); err != nil {
			return false
		}
	}
	res, sent, err := r.sendInTurn(ctx, m, out, *renewed)
	if !sent {
		return false
	}
	at := r.cfg.Clock()
	if err == nil {
		err := r.untilRecorded(*renewed, func() error { return r.cfg.Store.Sent(ctx, phone, token, m, res.MessageID) })
		if err != nil {
			r.log.Error("outbox: sent but not recorded; it may be sent again", "id", m.ID, "shopper", whatsapp.MaskPhone(phone), "err", err)
			return false
		}
		*renewed = at
		return true
	}
	if !r.failed(ctx, phone, token, m, err, kind, kaleyra.CodeOf(res, err)) {
		return false
	}
	*renewed = at
	return true
}

// noteRetry counts a send that repeats a failed one.
func (r *Runner) noteRetry(m store.OutMessage, kind string) {
	if m.Attempts > 0 && r.cfg.Observer != nil {
		r.cfg.Observer.SendRetry(kind)
	}
}

// failed records a failed send of m: a retry later, or a dead letter. true
// means the head is gone and draining may go on.
func (r *Runner) failed(ctx context.Context, phone, token string, m store.OutMessage, err error, kind, code string) bool {
	m.Attempts++
	m.LastError = err.Error()
	if errors.Is(err, whatsapp.ErrSendByPassed) {
		m = withoutSendBy(m)
	}
	if !kaleyra.Retryable(err) || m.Attempts >= r.cfg.MaxAttempts {
		return r.dead(ctx, phone, token, m, reason(err, m.Attempts), kind, code)
	}
	m.NextAt = r.cfg.Clock().Add(r.backoff(m.Attempts))
	r.log.Warn("outbox: send failed; will retry", "id", m.ID, "shopper", whatsapp.MaskPhone(phone),
		"attempt", m.Attempts, "retry_at", m.NextAt, "err", err)
	if err := r.cfg.Store.Retry(ctx, phone, token, m); err != nil {
		if ctx.Err() != nil { // stopping: the message stays queued, this attempt uncounted
			r.log.Info("outbox: stopping; the message stays queued for the next sender", "id", m.ID)
			return false
		}
		r.log.Error("outbox: retry not recorded", "id", m.ID, "err", err)
	}
	return false
}

// dead moves m to the dead-letter stream; kind and code (of its last
// attempt) are for the Observer.
func (r *Runner) dead(ctx context.Context, phone, token string, m store.OutMessage, why, kind, code string) bool {
	r.log.Error("outbox: message dead-lettered", "id", m.ID, "shopper", whatsapp.MaskPhone(phone), "attempts", m.Attempts, "reason", why)
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
