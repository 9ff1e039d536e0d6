package bot

import (
	"strings"
	"time"

	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/flows"
	"github.com/souk-commerce/souk/handlers"
	"github.com/souk-commerce/souk/store"
)

// Trigger is the fsm event an inbound event maps to, and which step of the
// rule chose it (start, on, keyword, order, text, location, media, else, resumed,
// reenter).
type Trigger struct {
	Event string
	Step  string
}

// Reenter is the trigger that keeps the state and re-sends its messages.
var Reenter = Trigger{Step: "reenter"}

// startsOver reports whether t begins the conversation anew (a new or
// expired session, or the first message after a resume), so that a
// handler failing on the way leaves it as it was before (see unstarted).
func (t Trigger) startsOver() bool { return t.Step == "start" || t.Event == flows.EventStart }

// Resolve applies the flow's rule to pick the trigger for ev, first match
// wins: a new or expired conversation starts over (a cart, at the flow's
// `order` when it has one; a keyword into opt_out or opt_in, there); then
// the state's `on`, the flow's keywords, `order` for a cart (the state's,
// else the flow's), `text` for other typed text, `location` for a shared
// location, `media` for a photo, video, audio or document, `else`;
// otherwise the state is entered again, or, on the first message after an operator
// resumed the bot, the conversation starts over.
func Resolve(f *flows.Flow, c store.Conversation, ev whatsapp.Event, now time.Time) Trigger {
	if ev.Kind == whatsapp.KindIdle { // Engine.Idle checked that the state's timer ran out
		return Trigger{Event: flows.EventIdle, Step: "idle"}
	}
	st := f.States[c.State]
	if sessionOver(f, c, now) {
		if ev.Kind == whatsapp.KindOrder && f.Order.State != "" {
			return Trigger{Event: flows.EventFlowOrder, Step: "start"}
		}
		if key, ok := optKeyword(f, ev); ok {
			return Trigger{Event: flows.EventKeyword(key), Step: "start"}
		}
		return Trigger{Event: flows.EventStart, Step: "start"}
	}
	if t, ok := byKey(f, st, ev); ok {
		return t
	}
	switch {
	case ev.Kind == whatsapp.KindOrder && st.Order.State != "":
		return Trigger{Event: flows.EventOrder, Step: "order"}
	case ev.Kind == whatsapp.KindOrder && f.Order.State != "":
		return Trigger{Event: flows.EventFlowOrder, Step: "order"}
	case ev.Kind == whatsapp.KindText && st.Text.State != "":
		return Trigger{Event: flows.EventText, Step: "text"}
	case ev.Kind == whatsapp.KindLocation && st.Location.State != "":
		return Trigger{Event: flows.EventLocation, Step: "location"}
	case ev.Kind == whatsapp.KindMedia && st.Media.State != "":
		return Trigger{Event: flows.EventMedia, Step: "media"}
	case st.Else.State != "":
		return Trigger{Event: flows.EventElse, Step: "else"}
	case !c.ResumedAt.IsZero():
		// Entering the state again would re-run what handed the shopper
		// to a person, and pause the bot again. Unlike a new session, this
		// keeps the vars.
		return Trigger{Event: flows.EventStart, Step: "resumed"}
	}
	return Reenter
}

// optKeyword finds the keyword ev names, as typed or as a bare word, when
// it leads to a state that runs opt_out or opt_in: a new or expired
// conversation starts in that state rather than at start, so that "stop"
// in answer to a re-engagement template days later is honoured.
func optKeyword(f *flows.Flow, ev whatsapp.Event) (string, bool) {
	keys := []string{inputKey(ev)}
	if ev.Kind == whatsapp.KindText {
		keys = append(keys, flows.Word(ev.Text))
	}
	for _, k := range keys {
		st := f.States[f.Keywords[k].State]
		if k != "" && st != nil && (st.Run == handlers.OptOutName || st.Run == handlers.OptInName) {
			return k, true
		}
	}
	return "", false
}

// sessionOver reports whether the next message starts c over (rule 1): it
// does not exist, its state left the flow, or it was idle past the
// flow's session_ttl.
func sessionOver(f *flows.Flow, c store.Conversation, now time.Time) bool {
	return !c.Exists() || f.States[c.State] == nil || now.Sub(c.LastActive) > f.SessionTTL
}

// byKey applies rules 2 and 3, the state's `on` and then the flow's
// keywords, to the event's key; typed text that matches neither as typed
// is tried again as a bare word (see flows.Word), and then as the title of
// a row or button the state offers (see flows.State.ByTitle).
func byKey(f *flows.Flow, st *flows.State, ev whatsapp.Event) (Trigger, bool) {
	key := inputKey(ev)
	if key == "" {
		return Trigger{}, false
	}
	if t, ok := onOrKeyword(f, st, key); ok {
		return t, true
	}
	if ev.Kind != whatsapp.KindText {
		return Trigger{}, false
	}
	word := flows.Word(ev.Text)
	if word != key {
		if t, ok := onOrKeyword(f, st, word); ok {
			return t, true
		}
	}
	if id, ok := st.ByTitle(word); ok {
		return onOrKeyword(f, st, id)
	}
	return Trigger{}, false
}

func onOrKeyword(f *flows.Flow, st *flows.State, key string) (Trigger, bool) {
	if _, ok := st.On[key]; ok {
		return Trigger{Event: flows.EventOn(key), Step: "on"}, true
	}
	if _, ok := f.Keywords[key]; ok {
		return Trigger{Event: flows.EventKeyword(key), Step: "keyword"}, true
	}
	return Trigger{}, false
}

// keyOf is the key that chose t, for a move by `on` or a keyword, else the
// event's own key.
func keyOf(t Trigger, ev whatsapp.Event) string {
	switch t.Step {
	case "on":
		return strings.TrimPrefix(t.Event, flows.EventOn(""))
	case "keyword":
		return strings.TrimPrefix(t.Event, flows.EventKeyword(""))
	}
	return inputKey(ev)
}

// inputKey is the tapped id or typed word an event offers for `on` and
// keywords, normalised.
func inputKey(ev whatsapp.Event) string {
	switch {
	case ev.Tapped():
		return flows.Key(ev.ReplyID)
	case ev.Kind == whatsapp.KindText:
		return flows.Key(ev.Text)
	}
	return ""
}
