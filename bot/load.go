package bot

import (
	"context"

	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/store"
)

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
