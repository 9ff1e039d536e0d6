package whatsapp

import (
	"fmt"
	"reflect"
)

// wireMessage is what every message type of this package implements besides
// Message: its checks and its wire object.
type wireMessage interface {
	Message
	// check runs the checks of the message on c and returns c. It takes c
	// by value because a pointer passed through an interface would move
	// the checker to the heap on every call.
	check(c checker) checker
	object() messageObject
}

// deref returns the value a non-nil pointer message points to, so that
// &List{...} works as well as List{...}.
func deref(m Message) (Message, error) {
	if m == nil {
		return nil, fmt.Errorf("%w: no message", ErrInvalidMessage)
	}
	v := reflect.ValueOf(m)
	if v.Kind() != reflect.Pointer {
		return m, nil
	}
	if v.IsNil() {
		return nil, fmt.Errorf("%w: nil %T", ErrInvalidMessage, m)
	}
	if e, ok := v.Elem().Interface().(Message); ok {
		return e, nil
	}
	return m, nil
}

func (m Text) object() messageObject {
	t := &textObject{Body: m.Body}
	if m.PreviewURL {
		t.PreviewURL = &m.PreviewURL
	}
	return messageObject{Type: "text", Text: t}
}

func (m CatalogLink) object() messageObject {
	return messageObject{Type: "text", Text: &textObject{PreviewURL: &m.PreviewURL, Body: m.Body}}
}

func (m Template) object() messageObject {
	t := &templateWire{
		Name:     m.Name,
		Language: languageWire{Policy: "deterministic", Code: m.Language},
		Components: []componentWire{{Type: "header", Parameters: []parameterWire{{
			Type:    "product",
			Product: &productWire{ProductRetailerID: m.ProductID, CatalogID: m.CatalogID},
		}}}},
	}
	if len(m.BodyParams) > 0 {
		body := componentWire{Type: "body"}
		for _, p := range m.BodyParams {
			body.Parameters = append(body.Parameters, parameterWire{Type: "text", Text: p})
		}
		t.Components = append(t.Components, body)
	}
	return messageObject{Type: "template", Template: t}
}
