package bot

import (
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/flows"
	"github.com/souk-commerce/souk/store"
)

const ruleFlow = `
flow: rule
start: home
session_ttl: 1h
keywords: {menu: home, help: help, stop: stopped}
states:
  stopped:
    run: opt_out
    send: [{text: stopped}]
  home:
    send: [{text: home}]
    on: {shop: shop, help: shop, "help?": help}
    order: cart
    text: search
    location: deliver
    media: proof
    else: fallback
  deliver:
    send: [{text: deliver}]
  proof:
    send: [{text: proof}]
  shop:
    send: [{text: shop}]
  search:
    send: [{text: search}]
    else: home
  cart:
    send: [{text: cart}]
  help:
    send: [{text: help}]
  fallback:
    send: [{text: fallback}]
`

func mustFlow(t testing.TB, src string) *flows.Flow {
	t.Helper()
	f, diags := flows.Parse("test.yaml", []byte(src), flows.Options{})
	if diags.HasErrors() {
		t.Fatalf("flow has errors:\n%s", diags)
	}
	return f
}

func TestResolve(t *testing.T) {
	f := mustFlow(t, ruleFlow)
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	at := func(state string) store.Conversation {
		return store.Conversation{State: state, LastActive: now.Add(-time.Minute), Version: 3}
	}
	text := func(s string) whatsapp.Event { return whatsapp.Event{Kind: whatsapp.KindText, Text: s} }
	tap := func(k whatsapp.EventKind, id string) whatsapp.Event {
		return whatsapp.Event{Kind: k, ReplyID: id, Text: "title"}
	}
	cart := whatsapp.Event{Kind: whatsapp.KindOrder, Order: &whatsapp.Order{}}
	photo := whatsapp.Event{Kind: whatsapp.KindMedia, Type: "image", Media: &whatsapp.Media{Type: "image", ID: "1"}}
	sticker := whatsapp.Event{Kind: whatsapp.KindOther, Type: "sticker"}
	pin := whatsapp.Event{Kind: whatsapp.KindLocation, Type: "location", Location: &whatsapp.Location{Latitude: 18.52, Longitude: 73.85}}
	expired := at("home")
	expired.LastActive = now.Add(-2 * time.Hour)
	gone := at("removed-state")

	tests := []struct {
		name string
		conv store.Conversation
		ev   whatsapp.Event
		want Trigger
	}{
		{"1 new conversation starts", store.Conversation{}, text("shop"), Trigger{flows.EventStart, "start"}},
		{"1 expired conversation starts over", expired, text("shop"), Trigger{flows.EventStart, "start"}},
		{"1 state gone from the flow starts over", gone, text("shop"), Trigger{flows.EventStart, "start"}},
		{"1 a location opening a conversation starts it at start", store.Conversation{}, pin, Trigger{flows.EventStart, "start"}},
		{"1 a keyword opening a conversation starts it at start", store.Conversation{}, text("help"), Trigger{flows.EventStart, "start"}},
		{"1 a keyword into opt_out opens a conversation there", store.Conversation{}, text("Stop!"), Trigger{flows.EventKeyword("stop"), "start"}},
		{"1 a keyword into opt_out opens an expired one there", expired, tap(whatsapp.KindTemplateButton, "stop"), Trigger{flows.EventKeyword("stop"), "start"}},
		{"2 typed word in on", at("home"), text("shop"), Trigger{flows.EventOn("shop"), "on"}},
		{"2 typed word trimmed and case-insensitive", at("home"), text("  SHOP \n"), Trigger{flows.EventOn("shop"), "on"}},
		{"2 list reply id in on", at("home"), tap(whatsapp.KindListReply, "shop"), Trigger{flows.EventOn("shop"), "on"}},
		{"2 button reply id in on", at("home"), tap(whatsapp.KindButtonReply, "shop"), Trigger{flows.EventOn("shop"), "on"}},
		{"2 template quick reply payload in on", at("home"), tap(whatsapp.KindTemplateButton, "shop"), Trigger{flows.EventOn("shop"), "on"}},
		{"2 on wins over a keyword with the same key", at("home"), text("help"), Trigger{flows.EventOn("help"), "on"}},
		{"2 typed word with its decoration", at("home"), text("Shop!"), Trigger{flows.EventOn("shop"), "on"}},
		{"3 typed keyword with an emoji", at("shop"), text("menu 👋"), Trigger{flows.EventKeyword("menu"), "keyword"}},
		{"2 a key as typed before the bare word", at("home"), text("help?"), Trigger{flows.EventOn("help?"), "on"}},
		{"5 a tap is matched as sent", at("home"), tap(whatsapp.KindListReply, "shop!"), Trigger{flows.EventElse, "else"}},
		{"3 keyword from any state", at("shop"), text("Menu"), Trigger{flows.EventKeyword("menu"), "keyword"}},
		{"3 tapped id matching a keyword", at("cart"), tap(whatsapp.KindListReply, "help"), Trigger{flows.EventKeyword("help"), "keyword"}},
		{"4 cart goes to order", at("home"), cart, Trigger{flows.EventOrder, "order"}},
		{"5 other typed text goes to text", at("home"), text("margherita please"), Trigger{flows.EventText, "text"}},
		{"5 a tapped id never matches text", at("home"), tap(whatsapp.KindListReply, "stale-row"), Trigger{flows.EventElse, "else"}},
		{"5 a shared location goes to location", at("home"), pin, Trigger{flows.EventLocation, "location"}},
		{"5 a photo goes to media", at("home"), photo, Trigger{flows.EventMedia, "media"}},
		{"6 a sticker goes to else", at("home"), sticker, Trigger{flows.EventElse, "else"}},
		{"6 a photo without a media rule goes to else", at("search"), photo, Trigger{flows.EventElse, "else"}},
		{"6 a location without a location rule goes to else", at("search"), pin, Trigger{flows.EventElse, "else"}},
		{"6 text without a text rule goes to else", at("search"), text("anything"), Trigger{flows.EventElse, "else"}},
		{"6 cart without an order rule goes to else", at("search"), cart, Trigger{flows.EventElse, "else"}},
		{"7 no else re-enters", at("shop"), text("anything"), Reenter},
		{"7 cart with no order and no else re-enters", at("shop"), cart, Reenter},
		{"7 location with no location rule and no else re-enters", at("shop"), pin, Reenter},
		{"7 a photo with no media rule and no else re-enters", at("shop"), photo, Reenter},
		{"1 a photo opening a conversation starts it at start", store.Conversation{}, photo, Trigger{flows.EventStart, "start"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Resolve(f, tt.conv, tt.ev, now); got != tt.want {
				t.Errorf("Resolve = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestResolveFlowOrder checks the flow's own `order`: a cart goes there
// from a state with no order of its own and from a new or expired
// conversation, while a state's order still wins and other messages still
// start over.
func TestResolveFlowOrder(t *testing.T) {
	f := mustFlow(t, ruleFlow+"  checkout:\n    send: [{text: checkout}]\norder: checkout\n")
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	at := func(state string) store.Conversation {
		return store.Conversation{State: state, LastActive: now.Add(-time.Minute), Version: 3}
	}
	cart := whatsapp.Event{Kind: whatsapp.KindOrder, Order: &whatsapp.Order{}}
	expired := at("shop")
	expired.LastActive = now.Add(-2 * time.Hour)
	tests := []struct {
		name string
		conv store.Conversation
		ev   whatsapp.Event
		want Trigger
	}{
		{"a new conversation's cart", store.Conversation{}, cart, Trigger{flows.EventFlowOrder, "start"}},
		{"an expired conversation's cart", expired, cart, Trigger{flows.EventFlowOrder, "start"}},
		{"a new conversation's text still starts", store.Conversation{}, whatsapp.Event{Kind: whatsapp.KindText, Text: "hi"}, Trigger{flows.EventStart, "start"}},
		{"the state's own order wins", at("home"), cart, Trigger{flows.EventOrder, "order"}},
		{"a state without one", at("shop"), cart, Trigger{flows.EventFlowOrder, "order"}},
		{"before the state's else", at("search"), cart, Trigger{flows.EventFlowOrder, "order"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Resolve(f, tt.conv, tt.ev, now); got != tt.want {
				t.Errorf("Resolve = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestResolveByTitle checks that typed text repeating the title of a row or
// button the state offers goes where the tap would (by `on` or a keyword),
// and that a title offered for two ids, a templated one, or one whose id
// neither `on` nor a keyword takes does not.
func TestResolveByTitle(t *testing.T) {
	f := mustFlow(t, `
flow: titles
start: home
keywords: {human: hours}
states:
  home:
    send:
      - list:
          body: Pick
          button: Menu
          sections:
            - title: A
              rows: [{id: help, title: Opening hours}, {id: special, title: "Today's special"}, {id: shop, title: Shop}, {id: x, title: "{{.Phone}}"}, {id: y, title: Other}, {id: human, title: Talk to Mina}]
            - title: B
              rows: [{id: shop2, title: Twice}, {id: shop3, title: Thrice}, {id: other, title: Dup}, {id: "{{.Phone}}", title: U}]
      - buttons:
          body: Or
          buttons: [{id: b1, title: Twice}, {id: b2, title: Go on}, {id: b3, title: Dup}]
      - buttons:
          body: More
          buttons: [{id: c, title: U}, {id: shop3, title: Thrice2}, {id: b1, title: Thrice}]
    on: {help: hours, special: hours, shop: hours, x: hours, shop2: hours, shop3: hours, b1: hours, b2: hours, b3: hours, c: hours}
  hours:
    send: [{text: hours}]
    on: {back: home}
  search:
    send:
      - buttons:
          body: Type an address, or
          buttons: [{id: addr_skip, title: Skip}]
    on: {addr_skip: hours}
    text: hours
`)
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	home := store.Conversation{State: "home", LastActive: now.Add(-time.Minute), Version: 1}
	tests := []struct {
		typed string
		want  Trigger
	}{
		{"opening HOURS!", Trigger{flows.EventOn("help"), "on"}},
		{"Today\u2019s special", Trigger{flows.EventOn("special"), "on"}}, // an iPhone's apostrophe
		{"todays  special", Trigger{flows.EventOn("special"), "on"}},      // punctuation and spaces do not count
		{"Go on 👍", Trigger{flows.EventOn("b2"), "on"}},
		{"talk to mina", Trigger{flows.EventKeyword("human"), "keyword"}}, // an id a keyword takes
		{"Twice", Reenter},   // a row and a button, two ids
		{"Thrice", Reenter},  // shop3, b1: two ids, whatever comes after
		{"Dup", Reenter},     // two ids, one of them not in on
		{"U", Reenter},       // two ids, one of them templated
		{"Other", Reenter},   // y: not in on
		{"+91", Reenter},     // the templated title is not read
		{"opening", Reenter}, // the whole title only
	}
	for _, tt := range tests {
		if got := Resolve(f, home, whatsapp.Event{Kind: whatsapp.KindText, Text: tt.typed}, now); got != tt.want {
			t.Errorf("typed %q: %+v, want %+v", tt.typed, got, tt.want)
		}
	}
	search := store.Conversation{State: "search", LastActive: now.Add(-time.Minute), Version: 1}
	if got := Resolve(f, search, whatsapp.Event{Kind: whatsapp.KindText, Text: "Skip"}, now); got != (Trigger{flows.EventText, "text"}) {
		t.Errorf("a title typed where the state takes text: %+v, want its text route", got)
	}
	if got := Resolve(f, home, whatsapp.Event{Kind: whatsapp.KindListReply, ReplyID: "Opening hours"}, now); got != Reenter {
		t.Errorf("a tap with a title for id: %+v, want it unmatched", got)
	}
}
