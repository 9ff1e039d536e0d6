package flows

import (
	"time"

	"gopkg.in/yaml.v3"
)

// Bounds of a state's gather.
const (
	// MinGather is the least wait worth writing: souk looks for timers
	// that ran out once a second.
	MinGather = time.Second
	// MaxGather keeps a shopper who typed an answer from waiting long for
	// the reply to it.
	MaxGather = time.Minute
)

// gather reads `gather: DURATION`.
func (w *walker) gather(v *yaml.Node, what string) time.Duration {
	d, err := time.ParseDuration(v.Value)
	if v.Kind != yaml.ScalarNode || err != nil || d <= 0 {
		w.errorf(v, "bad-duration", "%s must be a positive duration like 5s or 20s, not %s", what, kindName(v))
		return 0
	}
	return d
}

// checkGather refuses a gather that could not work as written: in a state
// without a text route, which nothing typed would take, or waiting too
// little, too long, or past the session.
func checkGather(w *walker, f *Flow, _ Options) {
	for _, name := range f.StateNames {
		s := f.States[name]
		if s.GatherPos == (Pos{}) || s.Gather == 0 {
			continue
		}
		what := "state " + name + ".gather: " + shortDuration(s.Gather)
		switch {
		case !s.Text.written():
			w.gatherDiag(s, "gather-without-text", "state "+name+".gather: the state has no text route, so there is no typed answer to gather; add `text:` with the state that comes next")
		case s.Gather < MinGather:
			w.gatherDiag(s, "gather-too-short", what+" is under "+shortDuration(MinGather)+", the least souk waits for more of an answer")
		case s.Gather > MaxGather:
			w.gatherDiag(s, "gather-too-long", what+" is over "+shortDuration(MaxGather)+": the shopper would wait that long after their last message for a reply")
		case s.Gather >= f.SessionTTL:
			w.gatherDiag(s, "gather-too-long", what+" is not under session_ttl "+shortDuration(f.SessionTTL)+": the conversation would end first")
		}
	}
}

func (w *walker) gatherDiag(s *State, code, msg string) {
	w.diags = append(w.diags, Diagnostic{File: w.file, Pos: s.GatherPos, Code: code, Message: msg})
}
