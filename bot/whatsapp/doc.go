// Package whatsapp holds souk's WhatsApp wire types: the inbound webhook
// envelopes (Meta's entry/changes, Kaleyra v2's meta_object, Kaleyra's flat
// not-sent notice) decoded into one typed Event stream, and the typed outbound
// message objects that go inside a Kaleyra request.
//
// It knows JSON shapes only; it sends nothing and keeps no state.
//
// Inbound, Decode turns a webhook body into events:
//
//	events, err := whatsapp.Decode(body)
//	switch {
//	case errors.Is(err, whatsapp.ErrMalformed): // answer 400
//	case errors.Is(err, whatsapp.ErrUnknownEnvelope): // answer 200, log
//	}
//
// Outbound, a Message (Text, List, Buttons, Product, ProductList,
// CatalogLink or Template) addressed in an Outbound becomes the body of a
// Kaleyra request:
//
//	body, waba, err := whatsapp.Outbound{ID: id, To: phone, Message: msg}.Request()
//
// Validate checks a message against WhatsApp's limits (the Max constants)
// before it is sent; Request does so too.
package whatsapp
