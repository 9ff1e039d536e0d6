package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync/atomic"
	"time"

	"github.com/souk-commerce/souk/bot/metrics"
	"github.com/souk-commerce/souk/bot/outbox"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/flows"
	"github.com/souk-commerce/souk/handlers"
	"github.com/souk-commerce/souk/store"
)

// DefaultMaxConflicts bounds how often one event is retried when another
// process moves the same conversation at the same time.
const DefaultMaxConflicts = 20

// ErrTooManyConflicts is returned when an event lost every retry to
// concurrent moves of the same conversation.
var ErrTooManyConflicts = errors.New("bot: too many concurrent moves of one conversation")

// Config wires an Engine. Flow and Store are required, and Dispatcher too
// unless Outbox is set.
type Config struct {
	Flow       *flows.Flow
	Store      store.Store
	Dispatcher Dispatcher
	// Handlers may be nil when the flow runs none.
	Handlers *handlers.Registry
	Logger   *slog.Logger
	// Clock defaults to time.Now.
	Clock func() time.Time
	// BusinessNumber is the business's WhatsApp number, for catalogue links.
	BusinessNumber string
	MaxConflicts   int
	// HandlerTimeout bounds handlers that declare no timeout of their own
	// (default DefaultHandlerTimeout).
	HandlerTimeout time.Duration
	// Outbox, when true, commits each move's replies into the store's
	// outbox in the same atomic step as the new state (see bot/outbox);
	// Dispatcher is then told after the commit only to wake a sender, and
	// may be nil.
	Outbox bool
	// Statuses, when set, applies status callbacks to sent messages.
	Statuses StatusRecorder
	// Metrics, when set, receives events, moves, dedup hits, conflicts,
	// handler runs and window refusals.
	Metrics *metrics.Metrics
	// Refuse, when set, is asked about each message Send and Reengage are
	// given before it is queued: an error means the sender is known not to
	// send it (kaleyra.Config.Refuses: a template without a WABA id), and
	// the call fails with ErrUnsendable, queuing nothing.
	Refuse func(whatsapp.Message) error
}

// Validate reports what is missing from c.
func (c Config) Validate() error {
	switch {
	case c.Flow == nil:
		return errors.New("bot: Config.Flow is required")
	case c.Store == nil:
		return errors.New("bot: Config.Store is required")
	case c.Dispatcher == nil && !c.Outbox:
		return errors.New("bot: Config.Dispatcher is required without Config.Outbox")
	}
	return nil
}

// Engine applies inbound events to conversations. It is safe for concurrent
// use; events of one shopper are serialised through the store.
type Engine struct {
	cfg      Config
	flow     atomic.Pointer[flows.Flow]
	log      *slog.Logger
	machines machinePool
	// handover is set when the store can lease an outbox at commit and the
	// dispatcher can take it leased (see commit).
	handover *handover
	// cache is set when the store keeps conversations in memory (see load).
	cache store.ConversationCache
	turns turns
}

// handover is a store and a dispatcher that hand outboxes over at commit;
// queued is the dispatcher again when it also takes the replies queued
// behind a send, else nil.
type handover struct {
	store  store.CommitLeaser
	to     LeasedDispatcher
	queued QueuedDispatcher
}

// New builds an Engine from cfg.
func New(cfg Config) (*Engine, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Handlers == nil {
		cfg.Handlers = handlers.NewRegistry()
	}
	if missing := flows.CheckHandlers(cfg.Flow, cfg.Handlers.Has); len(missing) > 0 {
		return nil, fmt.Errorf("bot: the flow runs handlers Config.Handlers lacks:\n%s", missing)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.MaxConflicts <= 0 {
		cfg.MaxConflicts = DefaultMaxConflicts
	}
	e := &Engine{cfg: cfg, log: cfg.Logger}
	cl, leaser := cfg.Store.(store.CommitLeaser)
	ld, taker := cfg.Dispatcher.(LeasedDispatcher)
	if cfg.Outbox && leaser && taker {
		qd, _ := ld.(QueuedDispatcher)
		e.handover = &handover{store: cl, to: ld, queued: qd}
	}
	if cc, ok := cfg.Store.(store.ConversationCache); ok && cc.Caching() {
		e.cache = cc
	}
	e.flow.Store(cfg.Flow)
	return e, nil
}

// Flow returns the flow the engine runs now.
func (e *Engine) Flow() *flows.Flow { return e.flow.Load() }

// SetFlow swaps in a new flow; events already being handled finish on the
// old one. Unlike New it does not check f's handlers: check them first
// (flows.CheckHandlers, or Load with Options.HasHandler), or a shopper who
// reaches a state whose handler is missing gets the error text.
func (e *Engine) SetFlow(f *flows.Flow) { e.flow.Store(f) }

// Result says what one event did.
type Result struct {
	Phone     string
	Trigger   Trigger
	From, To  string
	Sent      int
	Duplicate bool
	Ignored   string // why the event moved nothing, if it did not
	// HandlerFailed names the handler whose failure kept the conversation
	// where it was (the shopper got the flow's error_text), and
	// HandlerError says why, as the log does (the shopper's number masked).
	HandlerFailed string
	HandlerError  string
	// Dropped counts the messages of the move that were not sent because
	// they failed to render or broke a WhatsApp limit (each is logged);
	// when none was left to send, the shopper got the flow's error_text.
	Dropped int
	// Status is set when the event was a status callback that updated the
	// record of a message souk sent ("delivered of <id>").
	Status string
}

// Moved reports whether the event moved the conversation.
func (r Result) Moved() bool { return !r.Duplicate && r.Ignored == "" && r.To != "" }

// Reasons Result.Ignored gives for an inbound message that moved nothing.
const (
	IgnoredSender    = "sender is not an E.164 number"
	IgnoredHandedOff = "handed off to a person"
	IgnoredAside     = "a reaction or a system notice, not an answer"
	IgnoredStaleTap  = "a tap repeating one already taken; stale_taps: ignore"
)

// Handle applies one inbound event: it moves the shopper's conversation and
// dispatches the replies. A store error is returned so the webhook can ask
// the platform to retry. Events of one shopper are handled one at a time in
// this process, the others waiting their turn (so a handler must not call
// Handle for its own shopper); a ctx cancelled meanwhile abandons the event
// with nothing committed.
func (e *Engine) Handle(ctx context.Context, ev whatsapp.Event) (Result, error) {
	e.cfg.Metrics.Event(string(ev.Kind))
	if ev.Kind == whatsapp.KindStatus {
		return e.status(ctx, ev)
	}
	if !whatsapp.ValidShopper(ev.From) {
		return Result{Phone: ev.From, Ignored: IgnoredSender}, nil
	}
	release, err := e.turns.take(ctx, ev.From)
	if err != nil {
		return Result{Phone: ev.From}, err
	}
	defer release()
	guess := !ev.Aside() // an aside commits nothing for a new shopper, so a wrong guess would go unnoticed
	for try := 0; try < e.cfg.MaxConflicts; try++ {
		res, done, guessed, err := e.attempt(ctx, ev, guess)
		if guessed && errors.Is(err, store.ErrConflict) {
			guess, try = false, try-1 // the conversation was not new after all
			continue
		}
		if errors.Is(err, store.ErrConflict) {
			if err := e.conflicted(ctx, try); err != nil {
				return res, err
			}
			continue
		}
		if err != nil {
			return res, err
		}
		return e.finish(ctx, res, done)
	}
	return Result{Phone: ev.From}, ErrTooManyConflicts
}

// finish counts what a committed attempt did and hands its replies on;
// a duplicate or an event that moved nothing has none.
func (e *Engine) finish(ctx context.Context, res Result, done committed) (Result, error) {
	e.observe(res)
	if e.cfg.Dispatcher == nil {
		return res, nil
	}
	return res, e.dispatch(ctx, res.Phone, done)
}

// attempt loads, moves and commits once; guessed says the conversation
// was taken to be new without asking the store (see load).
func (e *Engine) attempt(ctx context.Context, ev whatsapp.Event, guess bool) (res Result, done committed, guessed bool, err error) {
	res = Result{Phone: ev.From}
	f := e.Flow()
	conv, seen, guessed, err := e.load(ctx, f, ev, guess)
	if err != nil || seen {
		res.Duplicate = seen
		return res, committed{}, guessed, err
	}
	e.noteOrder(conv, ev)
	if held, err := e.hold(ctx, f, conv, ev); held || err != nil {
		if errors.Is(err, store.ErrDuplicate) {
			res.Duplicate = true
			return res, committed{}, guessed, nil
		}
		return Result{Phone: ev.From, Ignored: IgnoredHandedOff}, committed{}, guessed, err
	}
	if why := asideWhy(f, conv, ev, e.cfg.Clock()); why != "" {
		err := e.aside(ctx, f, conv, ev)
		if errors.Is(err, store.ErrDuplicate) {
			res.Duplicate = true
			return res, committed{}, guessed, nil
		}
		return Result{Phone: ev.From, Ignored: why}, committed{}, guessed, err
	}
	mv, err := e.move(ctx, f, conv, ev, true)
	if err != nil {
		return res, committed{}, guessed, err
	}
	refused := e.seal(&mv)
	done, err = e.commit(ctx, f, ev, mv, refused)
	if errors.Is(err, store.ErrDuplicate) {
		res.Duplicate = true
		return res, committed{}, guessed, nil
	}
	if err != nil {
		return res, committed{}, guessed, err
	}
	if mv.handoff {
		e.log.Info("conversation handed to a person; the bot is paused", "shopper", MaskPhone(mv.conv.Phone))
	}
	e.logOpt(mv)
	e.refuse(ctx, refused, e.cfg.Outbox)
	res.Trigger, res.From, res.To, res.Sent = mv.trigger, mv.from, mv.conv.State, len(mv.out)
	res.HandlerFailed, res.HandlerError, res.Dropped = mv.failed, mv.failErr, mv.dropped
	return res, done, guessed, nil
}

// conflicted counts a commit refused by the version check, then waits
// before the next try.
func (e *Engine) conflicted(ctx context.Context, try int) error {
	e.cfg.Metrics.ConflictRetry()
	return conflictBackoff(ctx, try)
}

// seal settles what the move commits: replies outside the 24-hour window
// are taken out (and returned, to be dead-lettered once the move stands),
// and a handoff is marked on the conversation itself.
func (e *Engine) seal(mv *move) []refusal {
	var refused []refusal
	mv.out, refused = e.inWindow(mv.conv.Phone, mv.conv.LastInbound, mv.out)
	if mv.handoff {
		mv.conv.HandoffAt = e.cfg.Clock()
		mv.conv.IdleAt = time.Time{} // no reminder while a person has the shopper, nor after
	}
	return refused
}

// committed is what a commit leaves for the dispatcher: the replies and
// what the commit did with the shopper's outbox (see store.Handover);
// head is the outbox entry of the first reply when the commit leased it.
type committed struct {
	out  []whatsapp.Outbound
	hand store.Handover
	head store.OutMessage
}

// commit writes the move in one atomic step: the new conversation, the
// message id as seen, and (in outbox mode) the replies, leasing the
// outbox for the dispatcher when both it and the store can. The replies
// the window refused are queued behind the others, their SendBy passed,
// so that the sender dead-letters them: a crash cannot separate them from
// the move either.
func (e *Engine) commit(ctx context.Context, f *flows.Flow, ev whatsapp.Event, mv move, refused []refusal) (committed, error) {
	c := store.Commit{Conversation: mv.conv, MessageID: ev.ID, TTL: keepFor(f, mv.conv), Opt: e.optChange(mv.opt)}
	done := committed{out: mv.out}
	if !e.cfg.Outbox {
		return done, e.cfg.Store.Commit(ctx, c)
	}
	if len(refused) > 0 {
		done.out = slices.Clone(mv.out)
		for _, r := range refused {
			done.out = append(done.out, r.out)
		}
	}
	var err error
	if c.Outbox, err = outbox.EncodeAll(done.out); err != nil {
		return done, err
	}
	h := e.handover
	if h == nil || len(c.Outbox) == 0 || h.to.LeaseFor() <= 0 {
		return done, e.cfg.Store.Commit(ctx, c)
	}
	now := e.cfg.Clock()
	for i := range c.Outbox {
		c.Outbox[i].Phone, c.Outbox[i].Queued = mv.conv.Phone, now
	}
	if done.hand, err = h.store.CommitLease(ctx, c, h.to.LeaseFor()); done.hand.Token != "" {
		done.head = c.Outbox[0]
	}
	return done, err
}

// dispatch hands the committed replies to the dispatcher: with the
// outbox itself when the commit leased it, not at all when a sender that
// will go on to them holds the outbox.
func (e *Engine) dispatch(ctx context.Context, phone string, done committed) error {
	if len(done.out) == 0 {
		return nil // nothing queued: no sender need wake
	}
	switch {
	case done.hand.Token != "":
		e.cfg.Metrics.Handover(metrics.HandoverLeased)
		e.handover.to.DispatchLeased(phone, done.hand.Token, done.head, done.out[0])
		return nil
	case done.hand.Sending:
		e.cfg.Metrics.Handover(metrics.HandoverSending)
		if q := e.handover.queued; q != nil {
			q.Queued(phone, done.out)
		}
		return nil
	case e.cfg.Outbox:
		e.cfg.Metrics.Handover(metrics.HandoverWoken)
	}
	return e.cfg.Dispatcher.Dispatch(ctx, done.out)
}

func statusOf(ev whatsapp.Event) string {
	if ev.Status == nil {
		return ""
	}
	return fmt.Sprintf("%s of %s", cut(ev.Status.Status, 32), LogID(ev.Status.MessageID))
}
