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

// MaxAnswered is how many taps a conversation remembers for a flow with
// stale_taps: ignore; a tap repeating one taken before them is routed
// like any tap.
const MaxAnswered = 6

// staleTap reports whether ev, in a flow with stale_taps: ignore, repeats
// a tap the live conversation already took: the same row or button of
// the same message (a double tap, or a menu scrolled back to). Another
// row of that message is a new choice and is routed as usual; so is a tap
// that names no message, and one that starts a new session.
func staleTap(f *flows.Flow, conv store.Conversation, ev whatsapp.Event, now time.Time) bool {
	if !f.IgnoresStaleTaps() || !tapOnMessage(ev) || sessionOver(f, conv, now) {
		return false
	}
	return slices.Contains(conv.Answered, tapKey(ev))
}

// answered records the tap ev as taken, in a flow with stale_taps:
// ignore, keeping the last MaxAnswered; a flow without it keeps none, so
// that a reload from apply back to ignore finds no taps recorded before.
func answered(f *flows.Flow, conv store.Conversation, ev whatsapp.Event) store.Conversation {
	if !f.IgnoresStaleTaps() {
		conv.Answered = nil
		return conv
	}
	if !tapOnMessage(ev) {
		return conv
	}
	key := tapKey(ev)
	if slices.Contains(conv.Answered, key) {
		return conv
	}
	keep := conv.Answered[max(0, len(conv.Answered)-MaxAnswered+1):]
	conv.Answered = append(slices.Clone(keep), key)
	return conv
}

// tapOnMessage reports whether ev is a tap that names the message it was
// on, the only kind a repeat can be told of.
func tapOnMessage(ev whatsapp.Event) bool { return ev.Tapped() && ev.ContextID != "" }

// tapKey is a short stand-in for the message a tap was on and the id it
// tapped, which together run to 60 characters and more: a conversation
// keeps several.
func tapKey(ev whatsapp.Event) string {
	h := fnv.New64a()
	h.Write([]byte(ev.ContextID))
	h.Write([]byte{0})
	h.Write([]byte(ev.ReplyID))
	return strconv.FormatUint(h.Sum64(), 36)
}
