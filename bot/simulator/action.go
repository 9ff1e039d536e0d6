package simulator

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/souk-commerce/souk/bot/whatsapp"
)

// Action is what the shopper did on the page.
type Action struct {
	Phone string `json:"phone"`
	Name  string `json:"name"`
	// Type is text, list_reply, button_reply, order, location or media.
	Type string `json:"type"`
	// Text is the typed text, or the title of the tapped row or button.
	Text string `json:"text"`
	// ID is the tapped row or button id.
	ID string `json:"id"`
	// Context is the id of the message whose row or button was tapped
	// (Record.ID), sent as the message's context; optional.
	Context string `json:"context"`
	// CatalogID and Items make up a cart.
	CatalogID string     `json:"catalog_id"`
	Items     []CartItem `json:"items"`
	// Location is the place a location shares, in Meta's shape.
	Location *whatsapp.Location `json:"location"`
	// Media is the file a media action sends: its type (image, video,
	// audio or document), caption and file name; the simulator makes up
	// its id unless given.
	Media *whatsapp.Media `json:"media"`
}

// CartItem is one line of a cart, in Meta's order.product_items shape.
type CartItem struct {
	ProductRetailerID string  `json:"product_retailer_id"`
	Quantity          int     `json:"quantity"`
	ItemPrice         float64 `json:"item_price"`
	Currency          string  `json:"currency"`
}

// maxContext bounds Action.Context, well above a WhatsApp message id.
const maxContext = 256

// ErrBadAction is wrapped by every error Validate returns.
var ErrBadAction = errors.New("simulator: bad action")

// Validate reports what is wrong with a.
func (a Action) Validate() error {
	if !whatsapp.ValidPhone(whatsapp.Digits(a.Phone)) {
		return fmt.Errorf("%w: phone %q is not an E.164 number", ErrBadAction, a.Phone)
	}
	switch a.Type {
	case "text":
		if strings.TrimSpace(a.Text) == "" {
			return fmt.Errorf("%w: empty text", ErrBadAction)
		}
	case "list_reply", "button_reply":
		if a.ID == "" {
			return fmt.Errorf("%w: %s without an id", ErrBadAction, a.Type)
		}
		if len(a.Context) > maxContext {
			return fmt.Errorf("%w: context longer than %d bytes", ErrBadAction, maxContext)
		}
	case "order":
		return a.validateCart()
	case "location":
		if l := a.Location; l == nil || !l.OnEarth() {
			return fmt.Errorf("%w: location needs a latitude within ±90 and a longitude within ±180", ErrBadAction)
		}
	case "media":
		return a.validateMedia()
	default:
		return fmt.Errorf("%w: unknown type %q", ErrBadAction, a.Type)
	}
	return nil
}

// MaxCaption is the longest caption WhatsApp lets a shopper write on a file.
const MaxCaption = 1024

func (a Action) validateMedia() error {
	m := a.Media
	switch {
	case m == nil || m.Type == "":
		return fmt.Errorf("%w: media needs a type: %s", ErrBadAction, strings.Join(whatsapp.MediaTypes, ", "))
	case !slices.Contains(whatsapp.MediaTypes, m.Type):
		return fmt.Errorf("%w: media type %q is not one of %s", ErrBadAction, m.Type, strings.Join(whatsapp.MediaTypes, ", "))
	case utf8.RuneCountInString(m.Caption) > MaxCaption:
		return fmt.Errorf("%w: caption longer than %d characters", ErrBadAction, MaxCaption)
	}
	return nil
}

func (a Action) validateCart() error {
	if len(a.Items) == 0 {
		return fmt.Errorf("%w: empty cart", ErrBadAction)
	}
	for _, it := range a.Items {
		if it.ProductRetailerID == "" || it.Quantity <= 0 || it.ItemPrice < 0 {
			return fmt.Errorf("%w: cart item %+v", ErrBadAction, it)
		}
	}
	return nil
}

// Business is the number the simulated shopper writes to, as it appears in
// the envelope's metadata.
type Business struct {
	DisplayPhoneNumber string
	PhoneNumberID      string
}

// Envelope returns the Meta webhook body a's message would arrive in, with
// message id id, sent at now.
func (a Action) Envelope(b Business, id string, now time.Time) ([]byte, error) {
	from := whatsapp.Digits(a.Phone)
	msg := map[string]any{"from": from, "id": id, "timestamp": strconv.FormatInt(now.Unix(), 10), "type": a.wireType()}
	switch a.Type {
	case "text":
		msg["text"] = map[string]string{"body": a.Text}
	case "list_reply", "button_reply":
		msg["interactive"] = map[string]any{"type": a.Type, a.Type: map[string]string{"id": a.ID, "title": a.Text}}
		if a.Context != "" {
			msg["context"] = map[string]string{"from": b.DisplayPhoneNumber, "id": a.Context}
		}
	case "order":
		msg["order"] = map[string]any{"catalog_id": a.CatalogID, "product_items": a.Items}
	case "location":
		msg["location"] = a.Location
	case "media":
		msg[a.Media.Type] = a.mediaObject()
	}
	value := map[string]any{
		"messaging_product": "whatsapp",
		"metadata":          map[string]string{"display_phone_number": b.DisplayPhoneNumber, "phone_number_id": b.PhoneNumberID},
		"contacts":          []any{map[string]any{"profile": map[string]string{"name": a.Name}, "wa_id": from}},
		"messages":          []any{msg},
	}
	env := map[string]any{"object": "whatsapp_business_account", "entry": []any{map[string]any{
		"id": "simulator", "changes": []any{map[string]any{"field": "messages", "value": value}}}}}
	return json.Marshal(env)
}

// mediaObject is a media action's file in Meta's shape, with a made-up
// id unless one was given.
func (a Action) mediaObject() whatsapp.Media {
	m := *a.Media
	if m.ID == "" {
		m.ID = "SIM" + randomHex(8)
	}
	m.Type = "" // Meta names the type by the object's key
	return m
}

func (a Action) wireType() string {
	if a.Type == "list_reply" || a.Type == "button_reply" {
		return "interactive"
	}
	if a.Type == "media" {
		return a.Media.Type
	}
	return a.Type
}

// newMessageID returns a fresh inbound message id, so that dedup never
// mistakes one tap for another.
func newMessageID() string { return "wamid.SIM" + randomHex(12) }

// randomHex returns n random bytes in upper-case hex.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return strings.ToUpper(hex.EncodeToString(b))
}
