package flows

import (
	"encoding/json"
	"fmt"

	wa "github.com/souk-commerce/souk/bot/whatsapp"
)

// SchemaID names the flow format's JSON Schema.
const SchemaID = "https://github.com/souk-commerce/souk/flows/flow.schema.json"

// Schema returns the flow format as a JSON Schema, for editors that
// complete and check YAML as it is typed: the YAML language server reads
// it from a `# yaml-language-server: $schema=FILE` line. It is draft-07,
// the newest draft every version of that server reads. It
// knows the keys, the required ones, the types and the WhatsApp limits a
// single field or list can break; what needs the whole flow (states that
// exist, ids that repeat, counts across sections, products, handlers,
// templates that parse) is left to Load, and so to `souk validate`. A
// templated string is held to no length: Load measures the text outside
// its actions.
func Schema() []byte {
	s := obj{
		"$schema":     "http://json-schema.org/draft-07/schema#",
		"$id":         SchemaID,
		"title":       "souk flow",
		"description": "A souk flow: the states a WhatsApp shopper moves through and the messages each sends. `souk validate` checks it fully.",
		"definitions": schemaDefs(),
	}
	for k, v := range object(flowKeys, flowRequired, flowProps()) {
		s[k] = v
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		panic(err) // maps of strings, numbers and bools always marshal
	}
	return append(b, '\n')
}

type obj = map[string]any

// object is the schema of a mapping with exactly keys, required among
// them, each described in props.
func object(keys, required []string, props obj) obj {
	p := obj{}
	for _, k := range keys {
		v, ok := props[k]
		if !ok {
			panic(fmt.Sprintf("flows: no schema for key %q", k))
		}
		p[k] = v
	}
	if len(props) != len(keys) {
		panic(fmt.Sprintf("flows: schema for keys %v has %d properties", keys, len(props)))
	}
	o := obj{"type": "object", "properties": p, "additionalProperties": false}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

// scalar is any YAML scalar but null: Load reads numbers and booleans as
// their text.
func scalar(desc string) obj {
	return obj{"type": []string{"string", "number", "boolean"}, "description": desc}
}

// text is a scalar of at most max characters unless it is templated.
func text(desc string, max int) obj {
	s := scalar(fmt.Sprintf("%s At most %d characters.", desc, max))
	s["anyOf"] = []obj{{"maxLength": max}, {"pattern": `\{\{`}}
	return s
}

func ref(def string) obj { return obj{"$ref": "#/definitions/" + def} }

func list(desc string, items obj, min, max int) obj {
	l := obj{"type": "array", "description": desc, "items": items, "minItems": min}
	if max > 0 {
		l["maxItems"] = max
	}
	return l
}

func flowProps() obj {
	return obj{
		"flow":        scalar("The flow's name, in logs and metrics."),
		"start":       scalar("The state a new conversation, or one idle past session_ttl, enters."),
		"catalog":     scalar("The Meta catalogue id of the products the messages show."),
		"session_ttl": obj{"type": "string", "pattern": `^([0-9]+(\.[0-9]*)?(ns|us|µs|ms|s|m|h))+$`, "description": "How long a silent conversation is kept, like 30m or 24h."},
		"extra_info":  object(extraInfoKeys, nil, extraInfoProps()),
		"keywords":    ref("transitions"),
		"order":       scalar("The state a cart goes to from a state with no order of its own, or opening a conversation."),
		"states":      obj{"type": "object", "description": "The states, by name.", "additionalProperties": ref("state"), "minProperties": 1},
		"error_text":  text("Sent when a move fails or leaves nothing to send.", wa.MaxTextBody),
		"products":    scalar("A products file (CSV or YAML list) beside the flow: names and prices of product ids."),
		"tests":       obj{"type": "array", "description": "Conversation tests, as in a flow.test.yaml (`souk test`)."},
	}
}

func extraInfoProps() obj {
	return obj{
		"ref":       text("Echoed in status callbacks; souk puts its own message id here when unset.", wa.MaxRef),
		"ref1":      text("Your own reference, sent with every message.", wa.MaxRef),
		"ref2":      text("Your own reference, sent with every message.", wa.MaxRef),
		"wa_source": scalar("Kaleyra's wa_source; a value it does not document is sent as api."),
	}
}

func schemaDefs() obj {
	return obj{
		"transitions": obj{"type": "object", "description": "Id or typed word -> the state it leads to.",
			"additionalProperties": scalar("A state.")},
		"state":   stateSchema(),
		"message": messageSchema(),
	}
}

func stateSchema() obj {
	s := object(stateKeys, nil, obj{
		"send":  list("The messages sent on entering the state.", ref("message"), 0, 0),
		"on":    ref("transitions"),
		"order": scalar("The state a cart sent here goes to."),
		"text":  scalar("The state any other typed text goes to."),
		"else":  scalar("The state anything unmatched goes to; without it the state is entered again."),
		"run":   scalar("A Go handler to run on entering the state."),
	})
	s["type"] = []string{"object", "null"}
	return s
}

// messageSchema is one `send` item: a mapping with one key, the kind.
func messageSchema() obj {
	kinds := obj{
		"text": obj{"description": "A text message.", "anyOf": []obj{
			text("The text.", wa.MaxTextBody),
			object(textKeys, textRequired, obj{"body": text("The text.", wa.MaxTextBody), "preview_url": obj{"type": "boolean"}}),
		}},
		"list":         listSchema(),
		"buttons":      buttonsSchema(),
		"product":      object(productKeys, productRequired, productProps()),
		"product_list": productListSchema(),
		"catalog_link": object(catalogLinkKeys, catalogLinkRequired, obj{
			"body": text("The text; the catalogue link is added when it has none.", wa.MaxTextBody), "preview_url": obj{"type": "boolean"}}),
		"template": templateSchema(),
	}
	var one []obj
	for _, k := range messageKinds {
		one = append(one, obj{"type": "object", "properties": obj{k: kinds[k]}, "required": []string{k}, "additionalProperties": false})
	}
	return obj{"description": "One message: text, list, buttons, product, product_list, catalog_link or template.", "oneOf": one}
}

func listSchema() obj {
	row := object(rowKeys, rowRequired, obj{
		"id":          text("What a tap sends back, matched by `on`.", wa.MaxRowID),
		"title":       text("The row's title.", wa.MaxRowTitle),
		"description": text("A line under the title.", wa.MaxRowDescription),
	})
	section := object(listSectionKeys, listSectionRequired, obj{
		"title": text("The section's title; required when there are several sections.", wa.MaxSectionTitle),
		"rows":  list("The rows, at most 10 across all sections.", row, 1, wa.MaxListRows),
	})
	return object(listKeys, listRequired, obj{
		"header":   text("Header text.", wa.MaxHeader),
		"body":     text("The message.", wa.MaxBody),
		"footer":   text("Footer text.", wa.MaxFooter),
		"button":   text("The button that opens the list.", wa.MaxListButton),
		"sections": list("The list's sections.", section, 1, wa.MaxSections),
	})
}

func buttonsSchema() obj {
	button := object(buttonKeys, buttonKeys, obj{
		"id":    text("What a tap sends back, matched by `on`.", wa.MaxButtonID),
		"title": text("The button's label.", wa.MaxButtonTitle),
	})
	return object(buttonsKeys, buttonsRequired, obj{
		"header":  text("Header text.", wa.MaxHeader),
		"body":    text("The message.", wa.MaxBody),
		"footer":  text("Footer text.", wa.MaxFooter),
		"buttons": list("Reply buttons.", button, 1, wa.MaxButtons),
	})
}

func productProps() obj {
	return obj{
		"product": scalar("The product's retailer id."),
		"catalog": scalar("The catalogue id; default the flow's catalog."),
		"body":    text("The message.", wa.MaxBody),
		"footer":  text("Footer text.", wa.MaxFooter),
	}
}

func productListSchema() obj {
	section := object(productSectionKeys, productSectionKeys, obj{
		"title":    text("The section's title.", wa.MaxSectionTitle),
		"products": list("Retailer ids, at most 30 across all sections.", scalar("A retailer id."), 1, wa.MaxProducts),
	})
	return object(productListKeys, productListRequired, obj{
		"catalog":  scalar("The catalogue id; default the flow's catalog."),
		"header":   text("Header text.", wa.MaxHeader),
		"body":     text("The message.", wa.MaxBody),
		"footer":   text("Footer text.", wa.MaxFooter),
		"sections": list("The product list's sections.", section, 1, wa.MaxSections),
	})
}

func templateSchema() obj {
	return object(templateKeys, templateRequired, obj{
		"name":     text("The approved template's name.", wa.MaxTemplateName),
		"language": scalar("The template's language code, like en_US."),
		"product":  scalar("The retailer id of the product in its header."),
		"catalog":  scalar("The catalogue id; default the flow's catalog."),
		"body":     list("The body's parameters, in order.", scalar("A parameter."), 0, 0),
	})
}
