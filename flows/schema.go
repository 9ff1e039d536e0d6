package flows

import (
	"bytes"
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
	// encoding/json writes U+FFFF as is; escaped, the file is plain to
	// every editor and to YAML tools that refuse the noncharacter.
	b = bytes.ReplaceAll(b, []byte("\uffff"), []byte(`\uffff`))
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
// Characters are counted as Load counts them, in code points; an editor
// counts maxLength in UTF-16 units, in which an emoji is two, so a
// pattern counts them too (JavaScript's u flag). Past 1000, where Go's
// regexp stops counting, a text with characters beyond U+FFFF is not held
// to a length at all.
func text(desc string, max int) obj {
	s := scalar(fmt.Sprintf("%s At most %d characters.", desc, max))
	within := []obj{{"maxLength": max}, {"pattern": `\{\{`}}
	if max <= 1000 {
		within = append(within, obj{"pattern": fmt.Sprintf(`^[\s\S]{0,%d}$`, max)})
	} else {
		within = append(within, obj{"pattern": "[^\x00-\uffff]"})
	}
	s["anyOf"] = within
	return s
}

// required is s where Load refuses a blank value.
func required(s obj) obj {
	s["pattern"] = `\S`
	return s
}

// varName is a name a template reads as .Vars.<name>.
func varName(desc string) obj {
	return obj{"type": []string{"string", "boolean"}, "description": desc,
		"pattern": plainID.String(), "maxLength": MaxVarName}
}

// target is a state's name.
func target(desc string) obj { return required(scalar(desc)) }

// boolean is what Load reads with strconv.ParseBool.
func boolean(desc string) obj {
	return obj{"description": desc, "anyOf": []obj{
		{"type": "boolean"},
		{"enum": []int{1, 0}},
		{"enum": []string{"1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"}},
	}}
}

func described(o obj, desc string) obj {
	o["description"] = desc
	return o
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
		"flow":        required(scalar("The flow's name, in logs and metrics.")),
		"start":       target("The state a new conversation, or one idle past session_ttl, enters (a cart goes to the flow's order instead, when it has one)."),
		"catalog":     scalar("The Meta catalogue id of the products the messages show."),
		"session_ttl": durationSchema("How long a silent conversation is kept, like 30m or 24h; default 24h."),
		"extra_info":  described(object(extraInfoKeys, nil, extraInfoProps()), "Sent with every message to Kaleyra."),
		"keywords":    transitions("Typed words and tapped ids that work from any state -> the state they lead to."),
		"order":       target("The state a cart goes to from a state with no order of its own, or when it opens a new or expired conversation."),
		"states":      obj{"type": "object", "description": "The states, by name.", "additionalProperties": ref("state"), "minProperties": 1},
		"error_text":  text("Sent when a move fails or leaves nothing to send.", wa.MaxTextBody),
		"products":    scalar("A products file (CSV or YAML list), its path relative to the flow file: names and prices of product ids."),
		"stale_taps":  obj{"enum": []string{StaleTapsApply, StaleTapsIgnore}, "description": "What a tap repeating one already taken (the same row or button of the same message: a double tap, an old menu) does: apply routes it like any tap (the default), ignore answers nothing."},
		"tests":       obj{"type": "array", "description": "Conversation tests, as in a flow.test.yaml (`souk test`)."},
	}
}

// transitions maps ids and words to states.
func transitions(desc string) obj {
	return obj{"type": "object", "description": desc, "propertyNames": obj{"pattern": `\S`}, "additionalProperties": target("A state.")}
}

// durationSchema is what time.ParseDuration reads, above zero.
func durationSchema(desc string) obj {
	const unit = `(ns|us|µs|μs|ms|s|m|h)`
	return obj{"type": "string", "description": desc,
		"pattern": `^\+?(([0-9]+(\.[0-9]*)?|\.[0-9]+)` + unit + `)+$`,
		"not":     obj{"pattern": `^\+?([0.]+` + unit + `)+$`}}
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
		"state":   stateSchema(),
		"message": messageSchema(),
	}
}

func stateSchema() obj {
	s := object(stateKeys, nil, obj{
		"send":     list("The messages sent on entering the state.", ref("message"), 0, 0),
		"on":       transitions("A tapped id or typed word -> the state it leads to."),
		"order":    target("The state a cart sent here goes to."),
		"text":     target("The state any other typed text goes to."),
		"location": target("The state a location the shopper shares goes to; it is kept for templates as .Location."),
		"media":    target("The state a photo, video, audio or document the shopper sends goes to; it is kept for templates as .Media."),
		"else":     target("The state anything unmatched goes to; without it the state is entered again."),
		"run":      required(scalar("A Go handler to run on entering the state.")),
		"save":     varName("The var that typed text taking the text route is saved in, read as .Vars.<name>."),
		"gather":   durationSchema("How long to wait, after typed text taking the text route, for more of it before taking the route once with all of it, from 1s to 1m, like 5s."),
		"idle": described(object(idleKeys, idleKeys, obj{
			"after": durationSchema("How long the shopper is silent after entering the state, like 2h: from 1m, under session_ttl, and under 24h unless the state it leads to sends only templates (WhatsApp's 24-hour window)."),
			"to":    target("The state entered then, whose messages are sent (a reminder)."),
		}), "Where a shopper who says nothing for a while goes."),
	})
	s["type"] = []string{"object", "null"}
	s["dependencies"] = obj{"save": []string{"text"}, "gather": []string{"text"}}
	return s
}

// messageSchema is one `send` item: a mapping with one key, the kind.
func messageSchema() obj {
	kinds := obj{
		"text": obj{"description": "A text message: the text, or body and preview_url.", "anyOf": []obj{
			required(text("The text.", wa.MaxTextBody)),
			object(textKeys, textRequired, obj{"body": required(text("The text.", wa.MaxTextBody)),
				"preview_url": boolean("Show a preview of the first link; default false.")}),
		}},
		"list":         described(listSchema(), "An interactive list: a button that opens rows in sections; a tap sends the row's id."),
		"buttons":      described(buttonsSchema(), "Up to 3 reply buttons; a tap sends the button's id."),
		"product":      described(object(productKeys, productRequired, productProps()), "One product of the catalogue."),
		"product_list": described(productListSchema(), "Products of the catalogue in sections, added to a cart the shopper sends."),
		"catalog_link": described(object(catalogLinkKeys, catalogLinkRequired, obj{
			"body":        required(text("The text; the catalogue link is added when it has none.", wa.MaxTextBody)),
			"preview_url": boolean("Show a preview of the link; default true.")}), "A text with a link to the whole catalogue."),
		"template": described(templateSchema(), "The single-product template, which may be sent outside the 24-hour window."),
	}
	var one []obj
	for _, k := range messageKinds {
		one = append(one, obj{"type": "object", "properties": obj{k: kinds[k]}, "required": []string{k}, "additionalProperties": false})
	}
	return obj{"description": "One message: text, list, buttons, product, product_list, catalog_link or template.",
		"type": "object", "minProperties": 1, "maxProperties": 1, "propertyNames": obj{"enum": messageKinds}, "oneOf": one}
}

func listSchema() obj {
	row := object(rowKeys, rowRequired, obj{
		"id":          required(text("What a tap sends back, matched by `on`.", wa.MaxRowID)),
		"title":       required(text("The row's title.", wa.MaxRowTitle)),
		"description": text("A line under the title.", wa.MaxRowDescription),
	})
	section := object(listSectionKeys, listSectionRequired, obj{
		"title": text("The section's title; required when there are several sections.", wa.MaxSectionTitle),
		"rows":  list("The rows, at most 10 across all sections.", row, 1, wa.MaxListRows),
	})
	sections := list("The list's sections; each needs a title when there are several.", section, 1, wa.MaxSections)
	sections["if"] = obj{"minItems": 2}
	sections["then"] = obj{"items": obj{"required": []string{"title"}}}
	return object(listKeys, listRequired, obj{
		"header":   text("Header text.", wa.MaxHeader),
		"body":     required(text("The message.", wa.MaxBody)),
		"footer":   text("Footer text.", wa.MaxFooter),
		"button":   required(text("The button that opens the list.", wa.MaxListButton)),
		"sections": sections,
	})
}

func buttonsSchema() obj {
	button := object(buttonKeys, buttonKeys, obj{
		"id":    required(text("What a tap sends back, matched by `on`.", wa.MaxButtonID)),
		"title": required(text("The button's label.", wa.MaxButtonTitle)),
	})
	return object(buttonsKeys, buttonsRequired, obj{
		"header":  text("Header text.", wa.MaxHeader),
		"body":    required(text("The message.", wa.MaxBody)),
		"footer":  text("Footer text.", wa.MaxFooter),
		"buttons": list("Reply buttons, at most 3.", button, 1, wa.MaxButtons),
	})
}

func productProps() obj {
	return obj{
		"product": required(scalar("The product's retailer id.")),
		"catalog": scalar("The catalogue id; default the flow's catalog."),
		"body":    text("The message.", wa.MaxBody),
		"footer":  text("Footer text.", wa.MaxFooter),
	}
}

func productListSchema() obj {
	section := object(productSectionKeys, productSectionKeys, obj{
		"title":    required(text("The section's title.", wa.MaxSectionTitle)),
		"products": list("Retailer ids, at most 30 across all sections.", required(scalar("A retailer id.")), 1, wa.MaxProducts),
	})
	return object(productListKeys, productListRequired, obj{
		"catalog":  scalar("The catalogue id; default the flow's catalog."),
		"header":   required(text("Header text.", wa.MaxHeader)),
		"body":     required(text("The message.", wa.MaxBody)),
		"footer":   text("Footer text.", wa.MaxFooter),
		"sections": list("The product list's sections.", section, 1, wa.MaxSections),
	})
}

func templateSchema() obj {
	return object(templateKeys, templateRequired, obj{
		"name":     required(text("The approved template's name.", wa.MaxTemplateName)),
		"language": required(scalar("The template's language code, like en_US.")),
		"product":  required(scalar("The retailer id of the product in its header.")),
		"catalog":  scalar("The catalogue id; default the flow's catalog."),
		"body":     list("The body's parameters, in order.", templateParam(), 0, 0),
	})
}

// templateParam is a template body parameter: WhatsApp refuses a new
// line, a tab or more than 4 spaces in a row in its literal text.
func templateParam() obj {
	p := required(text("A parameter; no new line, tab or more than 4 spaces in a row.", wa.MaxTextBody))
	p["not"] = obj{"allOf": []obj{
		{"pattern": fmt.Sprintf(`[\n\t]| {%d}`, wa.MaxParamSpaces+1)},
		{"not": obj{"pattern": `\{\{`}},
	}}
	return p
}
