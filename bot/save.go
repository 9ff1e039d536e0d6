package bot

import (
	"maps"
	"strings"

	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/flows"
	"github.com/souk-commerce/souk/store"
)

// saveAnswer keeps typed text that takes the state's `text` route in the
// var the state's `save` names, trimmed, for the states and handlers that
// follow, and reports whether it kept one. Text that a tap id or keyword
// takes elsewhere is not an answer, and is not kept.
func saveAnswer(f *flows.Flow, c store.Conversation, t Trigger, ev whatsapp.Event) (store.Conversation, bool) {
	st := f.States[c.State]
	if t.Step != "text" || st == nil || st.Save == "" {
		return c, false
	}
	vars := maps.Clone(c.Vars) // the cached conversation's map is not ours to change
	if vars == nil {
		vars = map[string]any{}
	}
	vars[st.Save] = answer(ev.Text)
	c.Vars = vars
	return c, true
}

// answerRefused undoes a move that kept an answer the next state's
// messages could not carry (a message with it broke a WhatsApp limit, and
// was dropped): the question stays open, the answer is not kept, and the
// shopper gets error_text and may answer again. Moving on would leave them
// in a state whose messages fail each time it is entered again.
func (e *Engine) answerRefused(f *flows.Flow, before store.Conversation, en entered) entered {
	e.log.Warn("answer not kept: the next state's messages could not carry it; the question stays open",
		"state", before.State, "next", en.conv.State, "shopper", MaskPhone(before.Phone), "dropped", en.dropped)
	dropped := en.dropped
	en = e.failed(f, before, en.conv)
	en.conv.ResumedAt, en.dropped = before.ResumedAt, dropped
	return en
}

// answer is typed text as kept: trimmed, and no longer than WhatsApp lets
// a shopper type, so that a forged webhook cannot bloat the conversation.
func answer(text string) string {
	text = strings.TrimSpace(text)
	if len(text) <= whatsapp.MaxTextBody {
		return text
	}
	n := 0
	for i := range text {
		if n == whatsapp.MaxTextBody {
			return text[:i]
		}
		n++
	}
	return text
}
