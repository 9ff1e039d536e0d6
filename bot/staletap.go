package bot

import (
	"hash/fnv"
	"slices"
	"strconv"
	"time"

	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/flows"
	"github.com/souk-commerce/souk/store"
)

// MaxAnswered is how many answered menus a conversation remembers for a
// flow with stale_taps: ignore; a tap on one answered before them is
// routed like any tap.
const MaxAnswered = 6

// staleTap reports whether ev, in a flow with stale_taps: ignore, taps a
// row or button of a menu whose tap already moved the live conversation
// (a double tap, or a menu scrolled back to). A tap that names no menu is
// never stale, nor one that starts a new session.
func staleTap(f *flows.Flow, conv store.Conversation, ev whatsapp.Event, now time.Time) bool {
	if !f.IgnoresStaleTaps() || !ev.Tapped() || ev.ContextID == "" || sessionOver(f, conv, now) {
		return false
	}
	return slices.Contains(conv.Answered, menuKey(ev.ContextID))
}

// answered records the menu ev tapped as answered, in a flow with
// stale_taps: ignore, keeping the last MaxAnswered.
func answered(f *flows.Flow, conv store.Conversation, ev whatsapp.Event) store.Conversation {
	if !f.IgnoresStaleTaps() || !ev.Tapped() || ev.ContextID == "" {
		return conv
	}
	key := menuKey(ev.ContextID)
	if slices.Contains(conv.Answered, key) {
		return conv
	}
	keep := conv.Answered[max(0, len(conv.Answered)-MaxAnswered+1):]
	conv.Answered = append(slices.Clone(keep), key)
	return conv
}

// menuKey is a short stand-in for a message id, which runs to 60
// characters: a conversation keeps several.
func menuKey(messageID string) string {
	h := fnv.New64a()
	h.Write([]byte(messageID))
	return strconv.FormatUint(h.Sum64(), 36)
}
