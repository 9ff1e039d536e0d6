package flows

import "sort"

// check is one whole-flow check; checks run in order after parsing.
type check func(w *walker, f *Flow, opts Options)

var checks = []check{checkTargets, checkHandlers, checkReachable,
	checkLimits, checkIDs, checkOnOffered, checkCatalog, checkExtraInfo, checkProducts, checkSave, checkGather, checkIdle, checkTests,
	checkSilent} // last: it speaks only when the rest found no error

func (w *walker) validate(f *Flow, opts Options) {
	for _, c := range checks {
		c(w, f, opts)
	}
}

// targetsOf lists every state name written in a state, with what names it.
// A target written with an empty name is kept, for checkTargets to refuse.
func targetsOf(s *State) map[string]Target {
	out := map[string]Target{}
	for _, k := range sortedKeys(s.On) {
		out["on."+k] = s.On[k]
	}
	for what, t := range map[string]Target{"order": s.Order, "text": s.Text, "location": s.Location, "media": s.Media, "else": s.Else, "idle.to": s.Idle.To} {
		if t.written() {
			out[what] = t
		}
	}
	return out
}

// written reports whether t was in the file; an absent `order`, `text`,
// `else` or `start` is the zero Target.
func (t Target) written() bool { return t.Pos.Line > 0 }

// checkTargets refuses every target naming no state (`else: ""`, or a bare
// tag such as `start: !x`: the shopper would move into no state at all) or
// one that is not defined.
func checkTargets(w *walker, f *Flow, _ Options) {
	refer := func(what string, t Target) {
		switch {
		case t.State == "" && t.written() && !w.hasDiagAt(t.Pos): // not a null already reported
			w.diags = append(w.diags, Diagnostic{File: w.file, Pos: t.Pos, Code: "empty-state",
				Message: what + ": the state name is empty"})
		case t.State != "" && f.States[t.State] == nil:
			w.unknownState(t, what, f)
		}
	}
	refer("start", f.Start)
	refer("order", f.Order)
	for _, k := range sortedKeys(f.Keywords) {
		refer("keywords."+k, f.Keywords[k])
	}
	for _, name := range f.StateNames {
		for what, t := range targetsOf(f.States[name]) {
			refer("state "+name+"."+what, t)
		}
	}
}

func (w *walker) unknownState(t Target, what string, f *Flow) {
	d := Diagnostic{File: w.file, Pos: t.Pos, Code: "unknown-state"}
	d.Message = what + ": state \"" + t.State + "\" is not defined"
	if s := suggest(t.State, f.StateNames); s != "" {
		d.Message += " (did you mean \"" + s + "\"?)"
	}
	w.diags = append(w.diags, d)
}

// CheckHandlers reports each state of f that runs a handler has does not
// know: what Load reports with Options.HasHandler, for a flow loaded
// without it.
func CheckHandlers(f *Flow, has func(name string) bool) Diagnostics {
	w := &walker{file: f.File}
	checkHandlers(w, f, Options{HasHandler: has})
	return w.diags
}

func checkHandlers(w *walker, f *Flow, opts Options) {
	if opts.HasHandler == nil {
		return
	}
	for _, name := range f.StateNames {
		s := f.States[name]
		if s.Run != "" && !opts.HasHandler(s.Run) {
			w.diags = append(w.diags, Diagnostic{File: w.file, Pos: s.RunPos, Code: "unknown-handler",
				Message: "state " + name + ".run: handler \"" + s.Run + "\" is not registered in this binary"})
		}
	}
}

func checkReachable(w *walker, f *Flow, _ Options) {
	if f.States[f.Start.State] == nil {
		return
	}
	seen := map[string]bool{}
	var visit func(string)
	visit = func(name string) {
		s := f.States[name]
		if s == nil || seen[name] {
			return
		}
		seen[name] = true
		for _, t := range targetsOf(s) {
			visit(t.State)
		}
	}
	visit(f.Start.State)
	visit(f.Order.State)
	for _, t := range f.Keywords {
		visit(t.State)
	}
	for _, name := range f.StateNames {
		if !seen[name] {
			w.diags = append(w.diags, Diagnostic{File: w.file, Pos: f.States[name].Pos, Code: "unreachable-state",
				Message: "state " + name + " cannot be reached from start (no on, keyword, order, text, location, media, else or idle of a state reached from start leads to it; a handler's redirect is not seen)",
				Warning: true})
		}
	}
}

// checkSilent warns about a state that neither sends nor runs a handler:
// a shopper who enters it gets no answer. Often its send: was indented
// wrong; in a flow with errors, those come first.
func checkSilent(w *walker, f *Flow, _ Options) {
	if w.diags.HasErrors() {
		return
	}
	for _, name := range f.StateNames {
		if s := f.States[name]; len(s.Send) == 0 && s.Run == "" {
			w.diags = append(w.diags, Diagnostic{File: w.file, Pos: s.Pos, Code: "nothing-to-send", Warning: true,
				Message: "state " + name + " sends nothing and runs no handler: a shopper entering it gets no answer (is its send: indented under it?)"})
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
