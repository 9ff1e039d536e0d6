package bot

import (
	"context"

	"github.com/souk-commerce/souk/bot/kaleyra"
	"github.com/souk-commerce/souk/bot/outbox"
	"github.com/souk-commerce/souk/store"
)

// CodeOutsideWindow is the code label of a dead letter the 24-hour window
// refused (souk_dead_letters_total).
const CodeOutsideWindow = kaleyra.CodeOutsideWindow

// refuse counts replies the 24-hour window refused and, in outbox mode on
// a store that can, dead-letters each with its reason, so `souk outbox
// list` shows them and `souk outbox redrive` can send them anyway, unless
// they were queued (the replies of a move, which the sender dead-letters:
// see commit). It runs once the move is committed, so a retried or
// duplicate move refuses nothing twice.
func (e *Engine) refuse(ctx context.Context, refused []refusal, queued bool) {
	if len(refused) == 0 {
		return
	}
	dl, ok := e.cfg.Store.(store.DeadLetterAdder)
	for _, r := range refused {
		kind := r.out.Message.Kind()
		e.cfg.Metrics.WindowRefusal(kind)
		if !e.cfg.Outbox || !ok || queued {
			continue
		}
		m, err := outbox.Encode(r.out)
		if err == nil {
			err = dl.AddDeadLetter(ctx, m, r.err.Error())
		}
		if err != nil {
			e.log.Error("refused reply not dead-lettered", "id", r.out.ID, "kind", kind, "shopper", MaskPhone(r.out.To), "err", err)
			continue
		}
		e.cfg.Metrics.DeadLetter(kind, CodeOutsideWindow)
	}
}
