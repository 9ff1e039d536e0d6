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
	d, _ := w.positiveDuration(v, what, "5s or 20s")
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
			w.errorAt(s.GatherPos, "gather-without-text", "state %s.gather: the state has no text route, so there is no typed answer to gather; add `text:` with the state that comes next", name)
		case s.Gather < MinGather:
			w.errorAt(s.GatherPos, "gather-too-short", "%s is under %s, the least souk waits for more of an answer", what, shortDuration(MinGather))
		case s.Gather > MaxGather:
			w.errorAt(s.GatherPos, "gather-too-long", "%s is over %s: the shopper would wait that long after their last message for a reply", what, shortDuration(MaxGather))
		case s.Gather >= f.SessionTTL:
			w.errorAt(s.GatherPos, "gather-too-long", "%s is not under session_ttl %s: the conversation would end first", what, shortDuration(f.SessionTTL))
		}
	}
}
