package flows

// checkEmptyTargets refuses a start, keyword or `on` written with an empty
// state name (`start: ""`, or a bare tag such as `start: !x`): the flow
// would move a shopper into no state at all.
func checkEmptyTargets(w *walker, f *Flow, _ Options) {
	empty := func(what string, t Target) {
		if t.State == "" && t.Pos.Line > 0 {
			w.diags = append(w.diags, Diagnostic{File: w.file, Pos: t.Pos, Code: "empty-state",
				Message: what + ": the state name is empty"})
		}
	}
	empty("start", f.Start)
	for _, k := range sortedKeys(f.Keywords) {
		empty("keywords."+k, f.Keywords[k])
	}
	for _, name := range f.StateNames {
		s := f.States[name]
		for _, k := range sortedKeys(s.On) {
			empty("state "+name+".on."+k, s.On[k])
		}
	}
}
