package outbox

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/store"
)

// Statuses applies status callbacks to the records of sent messages. It
// implements bot.StatusRecorder.
type Statuses struct {
	Store store.Outbox
}

// RecordStatus applies one KindStatus event; it reports false when the
// message is unknown (not sent by souk, or its record expired) or the
// status would go back. A store error is returned so the platform retries.
func (s Statuses) RecordStatus(ctx context.Context, ev whatsapp.Event) (bool, error) {
	st := ev.Status
	if st == nil || st.Status == "" {
		return false, nil
	}
	u := store.StatusUpdate{Phone: ev.From, Ref: st.Ref, MessageID: cmp.Or(st.KaleyraID, st.MessageID),
		Status: st.Status, At: st.Timestamp}
	if st.Code != "" || st.Reason != "" {
		u.Error = whatsapp.MaskPhones(strings.TrimSpace(st.Code + " " + st.Reason))
	}
	ok, err := s.Store.UpdateStatus(ctx, u)
	if err != nil || ok || st.KaleyraID == "" || st.MessageID == st.KaleyraID {
		return ok, err
	}
	u.MessageID = st.MessageID
	return s.Store.UpdateStatus(ctx, u)
}

// Lookup returns the status of a message by souk's id (the Outbound.ID,
// sent as extra_info.ref) or, failing that, by Kaleyra's message_id. phone
// may be empty; when it is not, a message to another shopper is not
// found (store.ErrNotFound).
func Lookup(ctx context.Context, s store.Outbox, phone, id string) (store.MessageStatus, error) {
	st, err := s.Status(ctx, phone, id)
	if !errors.Is(err, store.ErrNotFound) {
		return st, err
	}
	st, err = s.StatusByMessageID(ctx, id)
	if err == nil && phone != "" && st.Phone != phone {
		return store.MessageStatus{}, fmt.Errorf("message %s to that shopper: %w", id, store.ErrNotFound)
	}
	return st, err
}
