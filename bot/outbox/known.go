package outbox

import (
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/store"
)

// The engine tells the runner of replies it committed behind a send in
// progress (Queued). The worker that then reads one back as its next head
// takes it from memory instead of decoding the entry again. Only shoppers a
// worker here is on are kept, and a shopper's replies are dropped when its
// outbox is drained or handed back, so replies another process ends up
// sending are not kept for long.

// Bounds on the replies kept.
const (
	maxKnownPerShopper = 16
	maxKnownShoppers   = 1024
)

// Queued keeps msgs, committed behind the send in progress to phone, for
// the worker on phone; with Dispatch, DispatchLeased and LeaseFor it lets
// the runner stand as the engine's bot.QueuedDispatcher. It never blocks
// for long.
func (r *Runner) Queued(phone string, msgs []whatsapp.Outbound) {
	r.mu.Lock()
	defer r.mu.Unlock()
	kept, ok := r.known[phone]
	switch {
	case r.inflight[phone] == 0, !ok && len(r.known) >= maxKnownShoppers,
		len(kept)+len(msgs) > maxKnownPerShopper:
		return
	}
	r.known[phone] = append(kept, msgs...)
}

// takeKnown returns the reply Queued kept with id, dropping it and those
// kept before it (they are sent or dead).
func (r *Runner) takeKnown(phone, id string) (*whatsapp.Outbound, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	kept := r.known[phone]
	for i := range kept {
		if kept[i].ID == id {
			out := kept[i]
			r.known[phone] = kept[i+1:]
			return &out, true
		}
	}
	return nil, false
}

// decoded is m's message: decoded when it is not nil, else the copy Queued
// kept, else m decoded.
func (r *Runner) decoded(phone string, m store.OutMessage, decoded *whatsapp.Outbound) (whatsapp.Outbound, error) {
	if decoded != nil {
		return *decoded, nil
	}
	if out, ok := r.takeKnown(phone, m.ID); ok {
		return *out, nil
	}
	return Decode(m)
}

// forget drops the replies kept for phone.
func (r *Runner) forget(phone string) {
	r.mu.Lock()
	delete(r.known, phone)
	r.mu.Unlock()
}
