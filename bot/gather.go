package bot

import (
	"time"

	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/flows"
	"github.com/souk-commerce/souk/store"
)

// gathers reports whether the shopper's typed text, which t sends down
// the state's text route, is held for more of the answer by the state's
// gather instead.
func gathers(f *flows.Flow, c store.Conversation, t Trigger) bool {
	st := f.States[c.State]
	return t.Step == "text" && st != nil && st.Gather > 0
}

// gather holds typed text as part of an answer: the conversation stays
// where it is, answers nothing, and its timer (IdleAt) is set for the
// state's gather from now, when Engine.Idle sends the answer so far down
// the text route. Each message held restarts the wait.
//
// A blank message holds nothing; it restarts the wait of an answer
// already held, and leaves the state's own idle timer alone otherwise.
func gather(f *flows.Flow, conv store.Conversation, ev whatsapp.Event, mv move, now time.Time) move {
	conv = observe(conv, ev, now)
	if piece := answer(ev.Text); piece != "" {
		conv.Gathered = answer(joinLines(conv.Gathered, piece))
	}
	if conv.Gathered != "" {
		conv.IdleAt = now.Add(f.States[conv.State].Gather).Truncate(time.Millisecond)
	}
	mv.trigger, mv.conv = Trigger{Event: flows.EventText, Step: "gather"}, conv
	return mv
}

// gatheredEvent is the answer held in conv as the text the shopper typed,
// for Engine.Idle to move with.
func gatheredEvent(conv store.Conversation) whatsapp.Event {
	return whatsapp.Event{Kind: whatsapp.KindText, From: conv.Phone, Name: conv.Name, Text: conv.Gathered}
}

// endGathered ends an answer held in conv, which the move under way
// either sends down the text route or leaves behind. A timer's move
// carries it already (gatheredEvent); so does typed text taking the text
// route of a state that gathers no more (the flow was reloaded), in front
// of the new text. Any other move of the shopper's drops it.
func (e *Engine) endGathered(conv store.Conversation, t Trigger, ev whatsapp.Event, byShopper bool) (store.Conversation, whatsapp.Event) {
	switch {
	case conv.Gathered == "" || !byShopper:
	case t.Step == "text":
		ev.Text = joinLines(conv.Gathered, ev.Text)
	default:
		e.log.Info("held answer dropped: the shopper's next message went elsewhere", "shopper", MaskPhone(conv.Phone), "state", conv.State)
	}
	conv.Gathered = ""
	return conv, ev
}

func joinLines(a, b string) string {
	if a == "" {
		return b
	}
	return a + "\n" + b
}
