package whatsapp

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// scanEnvelope is DecodeEnvelope's fast path. decodeReflect, through
// jsonfast and reflection, allocates a string per field and was a
// noticeable share of a busy server's time; scanEnvelope reads the body in
// one pass, by hand, into the same wire types, with the strings in one
// buffer and the slices in spare, and DecodeEnvelope builds the events from
// them in the same way.
//
// It reads the bodies platforms send, Meta's and Kaleyra's envelopes, down
// to every field the wire types have, skipping other keys once their
// values are checked. A value of an unexpected type is read as
// encoding/json and the lenient types read it (a string field takes a
// number as written, a struct or slice is left zero, a media object of any
// kind but null is allocated), and a string with escapes or invalid UTF-8
// goes through unquote, as in flexString. It gives up, leaving the body to
// decodeReflect, on:
//
//   - any syntax error, so that the error is encoding/json's;
//   - in an object read into a wire type, a key with an escape or a byte
//     past ASCII, or one that equals a field's key but for case,
//     underscores or hyphens (encoding/json matches keys without regard to
//     case): "Type" beside "type";
//   - a field named twice in one object;
//   - a meta_object that is neither an object nor null (see metaObjectIsObject);
//   - objects and arrays nested deeper than maxScanDepth.
//
// FuzzScanSame holds scanEnvelope to decodeReflect, and
// TestScanTakesInbound makes sure it takes the bodies of testdata/inbound.
func scanEnvelope(body []byte, spare *scratch) (env envelope, ok bool) {
	d := scanner{s: body, spare: spare}
	d.space()
	d.kept.Grow(len(body) / 2) // room for the strings of a compact body; an indented one needs less
	d.readEnvelope(&env)
	if !d.done() {
		return envelope{}, false
	}
	return env, true
}

// The JSON keys of the wire types, as encoding/json knows them.
var (
	envelopeKeys    = keysOf[envelope]()
	extraKeys       = keysOf[kaleyraExtra]()
	entryKeys       = keysOf[entry]()
	changeKeys      = keysOf[change]()
	valueKeys       = keysOf[value]()
	metadataKeys    = keysOf[metadata]()
	contactKeys     = keysOf[contact]()
	profileKeys     = nestedKeys[contact]("profile")
	messageKeys     = keysOf[message]()
	contextKeys     = nestedKeys[message]("context")
	textKeys        = nestedKeys[message]("text")
	buttonKeys      = nestedKeys[message]("button")
	interactiveKeys = keysOf[interactiveReply]()
	replyKeys       = keysOf[wireReply]()
	orderKeys       = keysOf[wireOrder]()
	itemKeys        = keysOf[wireItem]()
	locationKeys    = keysOf[wireLocation]()
	mediaKeys       = keysOf[wireMedia]()
	statusKeys      = keysOf[wireStatus]()
	errorKeys       = keysOf[wireError]()
	errorDataKeys   = nestedKeys[wireError]("error_data")
)

func (d *scanner) readEnvelope(env *envelope) {
	for key := range d.fields(envelopeKeys) {
		switch key {
		case "object":
			d.flex(&env.Object)
		case "entry":
			for x := range elements(d, &env.Entry, &d.spare.entries) {
				d.readEntry(x)
			}
		case "meta_object":
			env.MetaObject = d.readMetaObject()
		case "extra_info":
			d.readExtra(&env.ExtraInfo)
		case "status":
			d.flex(&env.Status)
		case "message_id":
			d.flex(&env.MessageID)
		case "code":
			d.flex(&env.Code)
		case "reason":
			d.flex(&env.Reason)
		case "timestamp":
			d.flex(&env.Timestamp)
		}
	}
}

// readMetaObject reads Kaleyra's change. It fails on a value other than
// an object or null, which encoding/json decodes to a zero change that
// DecodeEnvelope cannot tell from {} without the body.
func (d *scanner) readMetaObject() *change {
	switch d.cur() {
	case 'n':
		d.skip()
		return nil
	case '{':
		d.readChange(&d.spare.meta)
		return &d.spare.meta
	}
	d.fail()
	return nil
}

func (d *scanner) readExtra(x *kaleyraExtra) {
	for key := range d.fields(extraKeys) {
		switch key {
		case "ref":
			d.flex(&x.Ref)
		case "message_id":
			d.flex(&x.MessageID)
		case "media_url":
			d.flex(&x.MediaURL)
		}
	}
}

func (d *scanner) readEntry(e *entry) {
	for key := range d.fields(entryKeys) {
		switch key {
		case "id":
			d.flex(&e.ID)
		case "changes":
			for x := range elements(d, &e.Changes, &d.spare.changes) {
				d.readChange(x)
			}
		}
	}
}

func (d *scanner) readChange(c *change) {
	for key := range d.fields(changeKeys) {
		switch key {
		case "field":
			d.flex(&c.Field)
		case "value":
			d.readValue(&c.Value)
		}
	}
}

func (d *scanner) readValue(v *value) {
	for key := range d.fields(valueKeys) {
		switch key {
		case "metadata":
			d.readMetadata(&v.Metadata)
		case "contacts":
			for x := range elements(d, &v.Contacts, &d.spare.contacts) {
				d.readContact(x)
			}
		case "messages":
			for x := range elements(d, &v.Messages, &d.spare.messages) {
				d.readMessage(x)
			}
		case "statuses":
			for x := range elements(d, &v.Statuses, &d.spare.statuses) {
				d.readStatus(x)
			}
		case "errors":
			for x := range elements(d, &v.Errors, &d.spare.errors) {
				d.readError(x)
			}
		}
	}
}

func (d *scanner) readMetadata(m *metadata) {
	for key := range d.fields(metadataKeys) {
		switch key {
		case "display_phone_number":
			d.flex(&m.DisplayPhoneNumber)
		case "phone_number_id":
			d.flex(&m.PhoneNumberID)
		}
	}
}

func (d *scanner) readContact(c *contact) {
	for key := range d.fields(contactKeys) {
		switch key {
		case "wa_id":
			d.flex(&c.WaID)
		case "user_id":
			d.flex(&c.UserID)
		case "profile":
			d.readOne(profileKeys, &c.Profile.Name)
		}
	}
}

// readOne reads an object of one string field, like {"name": "Asha"}.
func (d *scanner) readOne(keys []string, s *flexString) {
	for range d.fields(keys) {
		d.flex(s)
	}
}

func (d *scanner) readMessage(m *message) {
	for key := range d.fields(messageKeys) {
		switch key {
		case "from":
			d.flex(&m.From)
		case "from_user_id":
			d.flex(&m.FromUserID)
		case "id":
			d.flex(&m.ID)
		case "timestamp":
			d.flex(&m.Timestamp)
		case "type":
			d.flex(&m.Type)
		default:
			d.readContent(m, key)
		}
	}
}

// readContent reads the object of a message's type under key.
func (d *scanner) readContent(m *message, key string) {
	switch key {
	case "context":
		d.readOne(contextKeys, &m.Context.ID)
	case "text":
		d.readOne(textKeys, &m.Text.Body)
	case "interactive":
		d.readInteractive(&m.Interactive)
	case "button":
		d.readButton(m)
	case "order":
		d.readOrder(&m.Order)
	case "location":
		d.readLocation(&m.Location)
	case "image":
		m.Image = d.readMedia()
	case "video":
		m.Video = d.readMedia()
	case "audio":
		m.Audio = d.readMedia()
	case "document":
		m.Document = d.readMedia()
	}
}

func (d *scanner) readButton(m *message) {
	for key := range d.fields(buttonKeys) {
		switch key {
		case "payload":
			d.flex(&m.Button.Payload)
		case "text":
			d.flex(&m.Button.Text)
		}
	}
}

func (d *scanner) readInteractive(r *interactiveReply) {
	for key := range d.fields(interactiveKeys) {
		switch key {
		case "type":
			d.flex(&r.Type)
		case "list_reply":
			d.readReply(&r.ListReply)
		case "button_reply":
			d.readReply(&r.ButtonReply)
		}
	}
}

func (d *scanner) readReply(r *wireReply) {
	for key := range d.fields(replyKeys) {
		switch key {
		case "id":
			d.flex(&r.ID)
		case "title":
			d.flex(&r.Title)
		}
	}
}

func (d *scanner) readOrder(o *wireOrder) {
	for key := range d.fields(orderKeys) {
		switch key {
		case "catalog_id":
			d.flex(&o.CatalogID)
		case "text":
			d.flex(&o.Text)
		case "product_items":
			for x := range elements(d, &o.ProductItems, &d.spare.items) {
				d.readItem(x)
			}
		}
	}
}

func (d *scanner) readItem(it *wireItem) {
	for key := range d.fields(itemKeys) {
		switch key {
		case "product_retailer_id":
			d.flex(&it.ProductRetailerID)
		case "quantity":
			it.Quantity = flexIntOf(d.scalar())
		case "item_price":
			it.ItemPrice = flexFloatOf(d.scalar())
		case "currency":
			d.flex(&it.Currency)
		}
	}
}

func (d *scanner) readLocation(l *wireLocation) {
	for key := range d.fields(locationKeys) {
		switch key {
		case "latitude":
			l.Latitude = coordinateOf(d.scalar())
		case "longitude":
			l.Longitude = coordinateOf(d.scalar())
		case "name":
			d.flex(&l.Name)
		case "address":
			d.flex(&l.Address)
		case "url":
			d.flex(&l.URL)
		}
	}
}

// readMedia reads the object of a media message. As with encoding/json,
// any value but null gives one, zero unless the value is an object.
func (d *scanner) readMedia() *wireMedia {
	if d.cur() == 'n' {
		d.skip()
		return nil
	}
	w := new(wireMedia)
	for key := range d.fields(mediaKeys) {
		switch key {
		case "id":
			d.flex(&w.ID)
		case "mime_type":
			d.flex(&w.MimeType)
		case "sha256":
			d.flex(&w.SHA256)
		case "caption":
			d.flex(&w.Caption)
		case "filename":
			d.flex(&w.Filename)
		case "url":
			d.flex(&w.URL)
		case "voice":
			d.flex(&w.Voice)
		}
	}
	return w
}

func (d *scanner) readStatus(s *wireStatus) {
	for key := range d.fields(statusKeys) {
		switch key {
		case "id":
			d.flex(&s.ID)
		case "status":
			d.flex(&s.Status)
		case "timestamp":
			d.flex(&s.Timestamp)
		case "recipient_id":
			d.flex(&s.RecipientID)
		case "recipient_user_id":
			d.flex(&s.UserID)
		case "errors":
			for x := range elements(d, &s.Errors, &d.spare.errors) {
				d.readError(x)
			}
		}
	}
}

func (d *scanner) readError(e *wireError) {
	for key := range d.fields(errorKeys) {
		switch key {
		case "code":
			d.flex(&e.Code)
		case "title":
			d.flex(&e.Title)
		case "message":
			d.flex(&e.Message)
		case "error_data":
			d.readOne(errorDataKeys, &e.ErrorData.Details)
		}
	}
}

// flex reads any value into *p as flexString.UnmarshalJSON decodes it: a
// string's content, a number or boolean as written, "" for anything else.
func (d *scanner) flex(p *flexString) {
	switch c := d.cur(); {
	case c == '"':
		d.text(p)
	case c == '-' || '0' <= c && c <= '9':
		d.keep(p, d.number())
	case c == 't':
		*p = flexString(d.word("true"))
	case c == 'f':
		*p = flexString(d.word("false"))
	default:
		d.skip()
		*p = ""
	}
}

// text reads a string value into *p. One with escapes or invalid UTF-8
// goes through unquote, as in flexString.UnmarshalJSON.
func (d *scanner) text(p *flexString) {
	start := d.i
	raw, plain := d.str()
	switch {
	case d.bad:
	case !plain && (bytes.IndexByte(raw, '\\') >= 0 || !utf8.Valid(raw)):
		*p = flexString(unquote(d.s[start : start+len(raw)+2]))
	default:
		d.keep(p, raw)
	}
}

// keep sets *p to a copy of raw, appended to d.kept.
func (d *scanner) keep(p *flexString, raw []byte) {
	n := d.kept.Len()
	d.kept.Write(raw)
	*p = flexString(d.kept.String()[n:])
}

// scalar reads any value as scalarText gives it, for the lenient numbers.
func (d *scanner) scalar() string {
	var s flexString
	d.flex(&s)
	return strings.TrimSpace(string(s))
}
