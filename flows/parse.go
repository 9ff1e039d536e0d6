package flows

import (
	"strings"
	"time"

	"github.com/souk-commerce/souk/bot/whatsapp"
	"gopkg.in/yaml.v3"
)

var (
	flowKeys      = []string{"flow", "start", "catalog", "session_ttl", "extra_info", "keywords", "order", "states", "error_text", "products", "stale_taps", "tests"}
	flowRequired  = []string{"flow", "start", "states"}
	stateKeys     = []string{"send", "on", "order", "text", "location", "media", "else", "run", "save", "gather", "idle"}
	idleKeys      = []string{"after", "to"}
	extraInfoKeys = []string{"ref", "ref1", "ref2", "wa_source"}
)

// DefaultErrorText is error_text when the flow sets none.
const DefaultErrorText = "Sorry, something went wrong on our side. Please try again in a moment."

// parse builds a Flow from a YAML document, collecting diagnostics.
func (w *walker) parse(data []byte) *Flow {
	f := &Flow{File: w.file, SessionTTL: DefaultSessionTTL, Keywords: map[string]Target{},
		States: map[string]*State{}, keyPos: map[string]Pos{}, ErrorText: Str{Raw: DefaultErrorText}}
	doc, ok := w.document(data, "flow file")
	if !ok {
		return f
	}
	if len(doc.Content) == 0 {
		w.diags = append(w.diags, Diagnostic{File: w.file, Pos: Pos{1, 1}, Code: "empty-flow", Message: "the flow file is empty"})
		return f
	}
	if onlyTests(doc.Content[0]) {
		w.diags = append(w.diags, Diagnostic{File: w.file, Pos: Pos{1, 1}, Code: "test-file-name",
			Message: "this file holds tests and no states: a conversation test file is named after its flow, as flow.test.yaml beside flow.yaml"})
		return f
	}
	w.fields(doc.Content[0], "flow", flowKeys, flowRequired, func(key string, v *yaml.Node) {
		f.keyPos[key] = pos(v)
		w.topLevel(f, key, v)
	})
	return f
}

// onlyTests reports a mapping with a tests key and neither start nor
// states: a conversation test file under a name souk does not read as one.
func onlyTests(n *yaml.Node) bool {
	has := map[string]bool{}
	for i := 0; n.Kind == yaml.MappingNode && i+1 < len(n.Content); i += 2 {
		has[n.Content[i].Value] = true
	}
	return has["tests"] && !has["states"] && !has["start"]
}

func (w *walker) topLevel(f *Flow, key string, v *yaml.Node) {
	switch key {
	case "flow":
		f.Name = w.str(v, "flow").Raw
		if v.Kind == yaml.ScalarNode && v.Tag != "!!null" && strings.TrimSpace(f.Name) == "" {
			w.errorf(v, "empty-field", "flow: the flow's name is empty")
		}
	case "start":
		f.Start = w.target(v, "start")
	case "catalog":
		f.catalog = w.str(v, "catalog")
		f.Catalog = f.catalog.Raw
	case "session_ttl":
		f.SessionTTL = w.duration(v, "session_ttl")
	case "extra_info":
		f.ExtraInfo = w.extraInfo(f, v)
	case "keywords":
		w.transitions(v, "keywords", f.Keywords)
	case "order":
		f.Order = w.target(v, "order")
	case "states":
		w.states(f, v)
	case "error_text":
		f.ErrorText = w.str(v, "error_text")
	case "stale_taps":
		f.StaleTaps = w.staleTaps(v)
	case "tests":
		f.Tests = w.tests(v)
	case "products":
		f.Products = w.products(w.str(v, "products"))
	}
}

func (w *walker) duration(v *yaml.Node, what string) time.Duration {
	if d, ok := w.positiveDuration(v, what, "30m or 24h"); ok {
		return d
	}
	return DefaultSessionTTL
}

// positiveDuration reads a duration above zero; anything else is a
// bad-duration, told with examples such as "30m or 24h".
func (w *walker) positiveDuration(v *yaml.Node, what, examples string) (time.Duration, bool) {
	d, err := time.ParseDuration(v.Value)
	if v.Kind != yaml.ScalarNode || err != nil || d <= 0 {
		w.errorf(v, "bad-duration", "%s must be a positive duration like %s, not %s", what, examples, kindName(v))
		return 0, false
	}
	return d, true
}

func (w *walker) extraInfo(f *Flow, v *yaml.Node) whatsapp.ExtraInfo {
	var x whatsapp.ExtraInfo
	w.fields(v, "extra_info", extraInfoKeys, nil, func(key string, v *yaml.Node) {
		f.keyPos["extra_info."+key] = pos(v)
		str := w.str(v, "extra_info."+key)
		s := str.Raw
		switch key {
		case "ref":
			x.Ref, f.refs.ref = s, str
		case "ref1":
			x.Ref1, f.refs.ref1 = s, str
		case "ref2":
			x.Ref2, f.refs.ref2 = s, str
		case "wa_source":
			x.WASource = s
		}
	})
	return x
}

// transitions reads a mapping of key -> state into into.
func (w *walker) transitions(v *yaml.Node, what string, into map[string]Target) {
	if v.Kind != yaml.MappingNode {
		w.errorf(v, "wrong-type", "%s must be a mapping of id -> state, not %s", what, kindName(v))
		return
	}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		key := Key(k.Value)
		if key == "" {
			w.errorf(k, "empty-key", "%s: a blank key never matches: taps and typed words are never blank", what)
			continue
		}
		if first, dup := into[key]; dup {
			w.errorf(k, "duplicate-key", "%s: %q is repeated (first at line %d)", what, k.Value, first.KeyPos.Line)
			continue
		}
		t := w.target(val, what+"."+k.Value)
		t.KeyPos = pos(k)
		into[key] = t
	}
}

func (w *walker) states(f *Flow, v *yaml.Node) {
	if v.Kind != yaml.MappingNode {
		w.errorf(v, "wrong-type", "states must be a mapping of name -> state, not %s", kindName(v))
		return
	}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		if first, dup := f.States[k.Value]; dup {
			w.errorf(k, "duplicate-state", "state %q is defined twice (first at line %d)", k.Value, first.Pos.Line)
			continue
		}
		f.States[k.Value] = w.state(k, val)
		f.StateNames = append(f.StateNames, k.Value)
	}
}

func (w *walker) state(k, v *yaml.Node) *State {
	s := &State{Name: k.Value, Pos: pos(k), On: map[string]Target{}}
	what := "state " + k.Value
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
		return s
	}
	w.fields(v, what, stateKeys, nil, func(key string, v *yaml.Node) {
		switch key {
		case "send":
			w.seq(v, what+".send", func(_ int, item *yaml.Node) {
				if m, ok := w.message(item, what+".send"); ok {
					s.Send = append(s.Send, m)
				}
			})
		case "on":
			w.transitions(v, what+".on", s.On)
		case "order":
			s.Order = w.target(v, what+".order")
		case "text":
			s.Text = w.target(v, what+".text")
		case "location":
			s.Location = w.target(v, what+".location")
		case "media":
			s.Media = w.target(v, what+".media")
		case "else":
			s.Else = w.target(v, what+".else")
		case "run":
			r := w.str(v, what+".run")
			s.Run, s.RunPos = r.Raw, r.Pos
		case "save":
			s.Save, s.SavePos = w.varName(v, what+".save"), pos(v)
		case "gather":
			s.Gather, s.GatherPos = w.gather(v, what+".gather"), pos(v)
		case "idle":
			s.Idle = w.idle(v, what+".idle")
		}
	})
	return s
}
