package outbox

import (
	"time"

	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/store"
)

// handed is a shopper's leased outbox waiting for a worker: the entry at
// its head and, when known, that entry's message (nil when a worker put the
// outbox back in line without it).
type handed struct {
	phone, token string
	head         store.OutMessage
	msg          *whatsapp.Outbound
	at           time.Time // when the lease was taken or last renewed
}

// LeaseFor is how long the runner wants an outbox leased (Config.Lease);
// with DispatchLeased it lets the runner stand as the engine's
// bot.LeasedDispatcher.
func (r *Runner) LeaseFor() time.Duration {
	if _, ok := r.cfg.Store.(store.Drainer); !ok {
		return 0 // only a Drainer can go on from a head it was handed
	}
	return r.cfg.Lease
}

// DispatchLeased hands a worker the shopper's outbox, which the engine
// leased with token when it committed the replies now in it: head, the
// first of them, is msg encoded. The worker sends from there without
// asking the store for the head. It never blocks: when too many outboxes
// wait for a worker, this one is handed back for the poller to find.
func (r *Runner) DispatchLeased(phone, token string, head store.OutMessage, msg whatsapp.Outbound) {
	if r.stopping() {
		go r.release(phone, token)
		return
	}
	select {
	case r.handed <- handed{phone: phone, token: token, head: head, msg: &msg, at: r.cfg.Clock()}:
	default:
		go r.release(phone, token)
	}
}

// deliver sends an outbox handed over leased, then lets go of the shopper
// as a poller job would, unless another worker is on it.
func (r *Runner) deliver(h handed) {
	d, ok := r.cfg.Store.(store.Drainer)
	if !ok || r.stopping() {
		r.release(h.phone, h.token)
		return
	}
	if r.expiring(h.at) {
		r.release(h.phone, h.token) // waited in line too long: lease it afresh
		r.Hint(h.phone)
		return
	}
	r.mu.Lock()
	own := r.inflight[h.phone] == 0
	if own {
		r.inflight[h.phone] = 1
	}
	r.mu.Unlock()
	r.sendLeased(d, h.phone, h.token, h.head, h.msg, h.at)
	if own {
		r.settle(h.phone)
	}
}

// requeue puts a leased outbox whose next message is due back in line
// behind the outboxes waiting for a worker, so that under load each
// shopper waits their turn instead of the shoppers a worker happens to be
// on being answered first. It does nothing, and says so, when none wait.
func (r *Runner) requeue(phone, token string, head store.OutMessage, renewed time.Time) bool {
	if len(r.handed) == 0 {
		return false
	}
	msg, _ := r.takeKnown(phone, head.ID) // the worker that gets it may be another
	select {
	case r.handed <- handed{phone: phone, token: token, head: head, msg: msg, at: renewed}:
		return true
	default:
		return false
	}
}

// giveBackHanded hands back the outboxes still waiting for a worker when
// the runner stops, so another process can send them at once.
func (r *Runner) giveBackHanded() {
	for {
		select {
		case h := <-r.handed:
			r.release(h.phone, h.token)
		default:
			return
		}
	}
}
