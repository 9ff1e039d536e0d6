package bot

import (
	"context"

	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/flows"
	"github.com/souk-commerce/souk/store"
)

// load is seenLoad, answered from the store's cache when it holds the
// conversation. When it does not, with guess, the conversation is taken to
// be new, without a round trip, if the flow's start state runs no handler:
// a new conversation enters start, so the move only renders, and if the
// conversation did exist the commit's version check refuses it (nothing
// written, the cache now holding the conversation) and the caller tries
// again without guessing. A shopper's first message then costs one round
// trip instead of two; a shopper this process has not seen lately costs
// the same two as before.
func (e *Engine) load(ctx context.Context, f *flows.Flow, ev whatsapp.Event, guess bool) (c store.Conversation, seen, guessed bool, err error) {
	if e.cache != nil && ev.ID != "" {
		c, seen, hit, err := e.cache.Cached(ev.From, ev.ID)
		switch {
		case hit || err != nil:
			return c, seen, false, err
		case guess && f.States[f.Start.State].Run == "":
			return store.Conversation{Phone: ev.From}, false, true, nil
		}
	}
	c, seen, err = e.seenLoad(ctx, ev)
	return c, seen, false, err
}

// seenLoad reports whether ev was already applied and, if not, loads the
// shopper's conversation: in one round trip when the store is a
// store.SeenLoader, else with Seen then Load. Events without an id are
// never seen.
func (e *Engine) seenLoad(ctx context.Context, ev whatsapp.Event) (store.Conversation, bool, error) {
	if sl, ok := e.cfg.Store.(store.SeenLoader); ok && ev.ID != "" {
		return sl.SeenLoad(ctx, ev.From, ev.ID)
	}
	if ev.ID != "" {
		seen, err := e.cfg.Store.Seen(ctx, ev.From, ev.ID)
		if err != nil || seen {
			return store.Conversation{}, seen, err
		}
	}
	conv, err := e.cfg.Store.Load(ctx, ev.From)
	return conv, false, err
}
