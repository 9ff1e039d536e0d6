package whatsapp

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// EventKind names what an inbound Event carries.
type EventKind string

// The kinds of inbound events.
const (
	KindText           EventKind = "text"         // typed text
	KindListReply      EventKind = "list_reply"   // a tapped list row
	KindButtonReply    EventKind = "button_reply" // a tapped reply button
	KindTemplateButton EventKind = "button"       // a template quick-reply tap
	KindOrder          EventKind = "order"        // a cart sent by the shopper
	KindLocation       EventKind = "location"     // a location the shopper shared
	KindMedia          EventKind = "media"        // a photo, video, audio or document the shopper sent
	KindStatus         EventKind = "status"       // a status of a message we sent
	KindOther          EventKind = "other"        // sticker, reaction, contacts, ...
	// KindIdle is no webhook's: the engine's own event when a state's idle
	// timer runs out (bot.Engine.Idle).
	KindIdle EventKind = "idle"
)

// Envelope names the wire format an event arrived in.
type Envelope string

// The three envelopes souk accepts.
const (
	EnvelopeMeta    Envelope = "meta"
	EnvelopeKaleyra Envelope = "kaleyra"
	EnvelopeNotice  Envelope = "kaleyra-notice"
)

// Event is one inbound happening: a shopper's message or a status of a
// message souk sent.
type Event struct {
	Kind     EventKind
	Envelope Envelope
	// ID is the inbound message id (wamid); empty for statuses.
	ID string
	// From is the shopper's number, digits only; for a shopper whose
	// number the platform withheld (a WhatsApp username), their
	// business-scoped user id (ValidUserID).
	From string
	// UserID is the shopper's business-scoped user id, when the platform
	// sent one (from_user_id), whether or not it sent their number too.
	UserID string
	// Name is the shopper's profile name, when the platform sent one.
	Name      string
	Timestamp time.Time
	// Type is the raw messages[].type ("text", "image", "location", ...).
	Type string
	// Text is the typed text, or the title of a tapped row or button.
	Text string
	// ReplyID is the tapped row or button id, or a template quick-reply payload.
	ReplyID string
	// ContextID is the id of our message that the shopper replied to.
	ContextID string
	Order     *Order
	Location  *Location
	Media     *Media
	Status    *Status
	Business  Metadata
}

// Tapped reports whether the event is a tap on something souk sent (a list
// row, a reply button or a template quick reply), as opposed to typed text.
func (e Event) Tapped() bool {
	switch e.Kind {
	case KindListReply, KindButtonReply, KindTemplateButton:
		return true
	}
	return false
}

// Aside reports whether the event is a shopper's message that answers
// nothing: an emoji reaction to a message (or its removal), or a system
// notice such as a number change. A bot leaves these alone rather than
// take them as input and repeat itself.
func (e Event) Aside() bool {
	return e.Kind == KindOther && (e.Type == "reaction" || e.Type == "system")
}

// Metadata identifies the business number an event was sent to.
type Metadata struct {
	DisplayPhoneNumber string
	PhoneNumberID      string
}

// Order is a cart the shopper sent.
type Order struct {
	CatalogID string      `json:"catalog_id,omitempty"`
	Text      string      `json:"text,omitempty"`
	Items     []OrderItem `json:"items"`
}

// Location is a place the shopper shared: a pin, with the name and address
// WhatsApp gives a named place, and the link of one shared from a map.
type Location struct {
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
	Name      string  `json:"name,omitempty"`
	Address   string  `json:"address,omitempty"`
	URL       string  `json:"url,omitempty"`
}

// The bounds of a place on Earth, in degrees either side of zero.
const (
	MaxLatitude  = 90
	MaxLongitude = 180
)

// OnEarth reports whether l's latitude and longitude are within bounds.
func (l Location) OnEarth() bool {
	return math.Abs(l.Latitude) <= MaxLatitude && math.Abs(l.Longitude) <= MaxLongitude
}

// String writes l for people: "LAT,LONG name address", without what is
// empty.
func (l Location) String() string {
	return strings.Join(strings.Fields(fmt.Sprintf("%g,%g %s %s", l.Latitude, l.Longitude, l.Name, l.Address)), " ")
}

// Media is a file the shopper sent: a photo, a video, a voice note or
// other audio, or a document. ID is the platform's media id (Meta's media
// endpoint downloads it with the business's token); URL is a link to the
// file when the webhook carried one, Kaleyra's own copy first.
type Media struct {
	Type     string `json:"type,omitempty"` // image, video, audio or document
	ID       string `json:"id,omitempty"`
	MimeType string `json:"mime_type,omitempty"`
	SHA256   string `json:"sha256,omitempty"`
	Caption  string `json:"caption,omitempty"`
	Filename string `json:"filename,omitempty"`
	URL      string `json:"url,omitempty"`
	// Voice is set for an audio message recorded as a voice note.
	Voice bool `json:"voice,omitempty"`
}

// MediaTypes are the message types that carry a Media.
var MediaTypes = []string{"image", "video", "audio", "document"}

// String writes m for people, without what is empty: `document
// "receipt.pdf" with caption "paid"`.
func (m Media) String() string {
	s := m.Type
	if m.Filename != "" {
		s += " " + strconv.Quote(m.Filename)
	}
	if m.Caption != "" {
		s += " with caption " + strconv.Quote(m.Caption)
	}
	return s
}

// OrderItem is one line of a cart. Price is the unit price.
type OrderItem struct {
	ID       string  `json:"id"`
	Quantity int     `json:"quantity"`
	Price    float64 `json:"price"`
	Currency string  `json:"currency"`
}

// Status is a delivery status of a message souk sent.
type Status struct {
	// MessageID is the platform's id of our message (statuses[].id or the
	// Kaleyra message_id).
	MessageID string
	// KaleyraID is Kaleyra's top-level or extra_info message_id, when present.
	KaleyraID string
	// Ref is the extra_info.ref Kaleyra echoes back; souk puts its own id there.
	Ref       string
	Status    string // sent, delivered, read, failed, not sent
	Recipient string
	Timestamp time.Time
	// Code and Reason carry an error, if any (131047, WAV2101, ...).
	Code   string
	Reason string
}
