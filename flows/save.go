package flows

import "gopkg.in/yaml.v3"

// MaxVarName bounds a saved var's name.
const MaxVarName = 64

// varName reads the name of a var, one that a template can write as
// .Vars.<name>.
func (w *walker) varName(v *yaml.Node, what string) string {
	if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
		w.errorf(v, "wrong-type", "%s must be a var name, not %s", what, kindName(v))
		return ""
	}
	if !plainID.MatchString(v.Value) || len(v.Value) > MaxVarName { // what text/template reads as .Vars.<name>
		w.errorf(v, "bad-var-name", "%s: %q is not a var name: use up to %d ASCII letters, digits and _, not starting with a digit, so that templates can read it as .Vars.<name>",
			what, v.Value, MaxVarName)
		return ""
	}
	return v.Value
}

// checkSave refuses a save in a state without a text route: nothing typed
// there would ever be saved.
func checkSave(w *walker, f *Flow, _ Options) {
	for _, name := range f.StateNames {
		s := f.States[name]
		if s.Save != "" && !s.Text.written() {
			w.errorAt(s.SavePos, "save-without-text", "state %s.save: the state has no text route, so nothing typed here is saved; add `text:` with the state that comes next", name)
		}
	}
}
