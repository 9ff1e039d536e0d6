package bot

import (
	"context"

	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/store"
)

// StatusRecorder applies a status callback (a KindStatus event) to the
// record of the message it is about, reporting false when the message is
// unknown or the status would go back. outbox.Statuses implements it.
type StatusRecorder interface {
	RecordStatus(ctx context.Context, ev whatsapp.Event) (bool, error)
}

// status handles a status callback: it moves no conversation.
func (e *Engine) status(ctx context.Context, ev whatsapp.Event) (Result, error) {
	res := Result{Phone: ev.From}
	if st := ev.Status; st != nil && st.MessageID == "" && st.Ref == "" && st.KaleyraID == "" && st.Code != "" {
		// An error about no message souk could match: Meta's value.errors,
		// or a Kaleyra notice without ids. Worth an operator's eye.
		code := cut(whatsapp.MaskPhones(st.Code), 32)
		e.log.Warn("the platform reported an error about no message", "code", code,
			"title", cut(whatsapp.MaskPhones(whatsapp.HidePhone(st.Reason, ev.From)), 256))
		res.Ignored = "platform error " + code
		return res, nil
	}
	if e.cfg.Statuses == nil {
		res.Ignored = "status " + statusOf(ev) + " (statuses are not tracked)"
		return res, nil
	}
	ok, err := e.cfg.Statuses.RecordStatus(ctx, ev)
	switch {
	case err != nil:
	case ok:
		res.Status = statusOf(ev)
	default:
		res.Ignored = "status " + statusOf(ev) + " (unknown message or older status)"
	}
	return res, err
}

// noteOrder logs a message older than the last one applied. Such a message
// is still applied, in the order it arrived: WhatsApp does not promise
// delivery order, the shopper saw their own messages in timestamp order,
// and dropping one would lose what they said. LastInbound keeps the newest
// timestamp (see observe).
func (e *Engine) noteOrder(conv store.Conversation, ev whatsapp.Event) {
	if ev.Timestamp.IsZero() || !ev.Timestamp.Before(conv.LastInbound) {
		return
	}
	e.log.Info("message older than the last one applied; applying it in arrival order",
		"shopper", MaskPhone(ev.From), "id", LogID(ev.ID), "timestamp", ev.Timestamp, "last_inbound", conv.LastInbound)
}
