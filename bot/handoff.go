package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/flows"
	"github.com/souk-commerce/souk/handlers"
	"github.com/souk-commerce/souk/store"
)

// ErrNoHandoff is returned when the store cannot pause conversations.
var ErrNoHandoff = errors.New("bot: the store does not support handoff")

// handoffs returns the store's Handoffs, if it has them.
func (e *Engine) handoffs() (store.Handoffs, bool) {
	h, ok := e.cfg.Store.(store.Handoffs)
	return h, ok
}

// hold keeps ev for an operator when its shopper is handed off: the
// conversation records the message (dedup, window, last activity, the held
// list) in one commit but does not move or answer. A keyword into a state
// that runs opt_out or opt_in is still honoured in that commit, as no
// reminder or re-engagement should wait on an operator to notice a stop.
// It reports whether ev was held; store.ErrDuplicate when it already was.
func (e *Engine) hold(ctx context.Context, f *flows.Flow, conv store.Conversation, ev whatsapp.Event) (bool, error) {
	if !conv.HandedOff() {
		return false, nil
	}
	if conv.State == "" {
		conv.State = f.Start.State
	}
	now := e.cfg.Clock()
	conv = observe(conv, ev, now)
	conv.Hold(store.Held{ID: ev.ID, At: writtenAt(ev, now), Kind: string(ev.Kind), Text: heldText(ev)})
	opt := heldOpt(f, ev)
	err := e.cfg.Store.Commit(ctx, store.Commit{Conversation: conv, MessageID: ev.ID, TTL: keepFor(f, conv), Opt: e.optChange(opt)})
	if err == nil {
		e.logOpt(move{conv: conv, opt: opt})
	}
	return true, err
}

// heldOpt is the choice a held message makes: a keyword into a state that
// runs opt_out or opt_in (as optKeyword finds one).
func heldOpt(f *flows.Flow, ev whatsapp.Event) handlers.Opt {
	key, ok := optKeyword(f, ev)
	if !ok {
		return handlers.OptUnchanged
	}
	if f.States[f.Keywords[key].State].Run == handlers.OptOutName {
		return handlers.OptedOut
	}
	return handlers.OptedIn
}

// HandoffTTL is how long a handed-off conversation is kept for an operator
// to resume, however long the shopper stays silent.
const HandoffTTL = 30 * 24 * time.Hour

// keepFor is how long Redis keeps c after this commit: the flow's
// session_ttl, or HandoffTTL while a person has the conversation, so that a
// pause lasts until an operator resumes it. A conversation idle past
// session_ttl still starts over when it next moves (see Resolve).
func keepFor(f *flows.Flow, c store.Conversation) time.Duration {
	if c.HandedOff() {
		return max(f.SessionTTL, HandoffTTL)
	}
	return f.SessionTTL
}

// MaxHeldText bounds the text kept of one held message, in bytes: a
// WhatsApp text holds at most 4096 characters, and the held list is
// rewritten with the conversation on every message.
const MaxHeldText = 4096

func heldText(ev whatsapp.Event) string {
	if ev.Kind == whatsapp.KindOrder && ev.Order != nil {
		return Summarize(*ev.Order)
	}
	if l := ev.Location; ev.Kind == whatsapp.KindLocation && l != nil {
		return cut("location: "+l.String(), MaxHeldText)
	}
	if m := ev.Media; ev.Kind == whatsapp.KindMedia && m != nil {
		return cut("media: "+m.String()+fileRefs(*m), MaxHeldText)
	}
	return cut(ev.Text, MaxHeldText)
}

// fileRefs names where an operator finds a held file: " (id ID, URL)",
// without what is empty. Only the last file of a session is kept in the
// conversation, so a held one has only this.
func fileRefs(m whatsapp.Media) string {
	var refs []string
	if m.ID != "" {
		refs = append(refs, "id "+m.ID)
	}
	if m.URL != "" {
		refs = append(refs, m.URL)
	}
	if len(refs) == 0 {
		return ""
	}
	return " (" + strings.Join(refs, ", ") + ")"
}

// Summarize is a one-line description of a cart, for operators, at most
// MaxHeldText bytes long.
func Summarize(o whatsapp.Order) string {
	var b strings.Builder
	b.WriteString("cart:")
	for i, it := range o.Items {
		item := " " + strconv.Itoa(it.Quantity) + "x " + it.ID
		if b.Len()+len(item) > MaxHeldText-32 {
			fmt.Fprintf(&b, " and %d more", len(o.Items)-i)
			break
		}
		b.WriteString(item)
	}
	return b.String()
}

// cut returns s cut to at most n bytes, on a character boundary, with an
// ellipsis when it was cut.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	end := n - len("…")
	for end > 0 && !utf8.RuneStart(s[end]) {
		end--
	}
	return s[:end] + "…"
}

// Waiting lists at most limit shoppers handed off to a person and not
// resumed, the longest waiting first.
func (e *Engine) Waiting(ctx context.Context, limit int) ([]store.Waiting, error) {
	q, ok := e.cfg.Store.(store.HandoffQueue)
	if !ok {
		return nil, ErrNoHandoff
	}
	return q.Waiting(ctx, limit)
}

// Resume lets the flow answer phone again after a handoff. It reports
// whether phone was paused and returns the messages held meanwhile.
func (e *Engine) Resume(ctx context.Context, phone string) (bool, []store.Held, error) {
	hs, ok := e.handoffs()
	if !ok {
		return false, nil, ErrNoHandoff
	}
	was, held, err := hs.Resume(ctx, whatsapp.ShopperID(phone))
	if err == nil && was {
		e.log.Info("handoff resumed; the bot answers again", "shopper", MaskPhone(phone), "held", len(held))
	}
	return was, held, err
}
