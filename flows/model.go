package flows

import (
	"strings"
	"text/template"
	"time"

	"github.com/looplab/fsm"
	"gopkg.in/yaml.v3"

	"github.com/souk-commerce/souk/bot/catalog"
	"github.com/souk-commerce/souk/bot/whatsapp"
)

// DefaultSessionTTL is how long a conversation may stay idle before the next
// message starts it over, when the flow does not say.
const DefaultSessionTTL = 24 * time.Hour

// Flow is one merchant flow: its states, where a conversation starts, and
// the defaults its messages share.
type Flow struct {
	File       string
	Name       string
	Start      Target
	Catalog    string
	SessionTTL time.Duration
	ExtraInfo  whatsapp.ExtraInfo
	// Keywords maps a normalised key (see Key) to a state, from any state.
	Keywords map[string]Target
	// Order is the flow's `order`: where a cart goes from a state with no
	// `order` of its own, and from a new or expired conversation.
	Order  Target
	States map[string]*State
	// StateNames lists the states in file order.
	StateNames []string

	// ErrorText is what the shopper sees when a handler fails, or when no
	// message of a move could be sent.
	ErrorText Str
	// Products is the catalogue named by `products:`, or nil.
	Products *catalog.Catalog
	// StaleTaps is `stale_taps`: StaleTapsApply ("" when unset) or
	// StaleTapsIgnore.
	StaleTaps string

	// Tests are the conversation tests of the flow's `tests:` block.
	Tests []Test

	// Pos of top-level keys, for diagnostics about them.
	keyPos map[string]Pos
	events fsm.Events
	// The template strings behind Catalog and ExtraInfo's refs, rendered
	// per conversation when they hold actions (see defaults.go).
	catalog Str
	refs    flowRefs
}

// Target is a state name written somewhere in a flow.
type Target struct {
	State string
	Pos   Pos
	// KeyPos is where the `on` or `keywords` key leading here is written;
	// zero for the other targets.
	KeyPos Pos
}

// State is one node of the flow: what it sends on entry and where each
// kind of input leads.
type State struct {
	Name string
	Pos  Pos
	// Run names a Go handler run on entering, before Send.
	Run    string
	RunPos Pos
	Send   []Send
	// On maps a normalised tapped id or typed word to the next state.
	On       map[string]Target
	Order    Target // a cart was sent
	Text     Target // any other typed text
	Location Target // a location the shopper shared
	Media    Target // a photo, video, audio or document the shopper sent
	Else     Target // anything not matched above
	// Save names the var that typed text taking the Text route is kept
	// in, for the next states' templates (.Vars.<Save>) and handlers.
	Save    string
	SavePos Pos
	// Gather, when set, holds typed text taking the Text route until the
	// shopper has typed nothing more for that long, then takes the route
	// once with all of it, each message on a line of its own.
	Gather    time.Duration
	GatherPos Pos
	// Idle moves a shopper who has said nothing for a while after
	// entering the state; zero when the state has no `idle`.
	Idle Idle

	titles map[string]string // see ByTitle
}

// Send is one message a state sends, in order.
type Send struct {
	Kind string
	Pos  Pos
	Spec MessageSpec
}

// Str is a flow string: its literal text, where it was written, and the
// text/template it compiles to when it holds an action.
type Str struct {
	Raw string
	Pos Pos
	// style is how the string is written in YAML, for error positions.
	style yaml.Style
	tmpl  *template.Template
	// loops is set when tmpl has a range, whose rendering is timed.
	loops bool
}

// literal reports whether s is written without template actions.
func (s Str) literal() bool { return s.tmpl == nil && !strings.Contains(s.Raw, "{{") }

// IsZero reports whether s was not written in the flow.
func (s Str) IsZero() bool { return s.Raw == "" && s.Pos == (Pos{}) }

// Idle is a state's `idle`: when the shopper has said nothing for After
// since the conversation entered the state, it moves To, sending that
// state's messages (a reminder, say).
type Idle struct {
	After time.Duration
	To    Target
	Pos   Pos // where `idle` is written
}
