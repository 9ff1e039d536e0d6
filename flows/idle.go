package flows

import (
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Bounds of a state's idle.after.
const (
	// MinIdle keeps a reminder from following the shopper's last word
	// too closely.
	MinIdle = time.Minute
	// MaxIdle is WhatsApp's customer-service window: once 24 hours have
	// passed since the shopper's last message a business may send only
	// templates, so a reminder that late must send nothing else.
	MaxIdle = 24 * time.Hour
)

// idle reads `idle: {after: DURATION, to: STATE}`.
func (w *walker) idle(v *yaml.Node, what string) Idle {
	in := Idle{Pos: pos(v)}
	w.fields(v, what, idleKeys, idleKeys, func(key string, v *yaml.Node) {
		switch key {
		case "after":
			in.After, _ = w.positiveDuration(v, what+".after", "30m or 2h")
		case "to":
			in.To = w.target(v, what+".to")
		}
	})
	return in
}

// checkIdle refuses an idle that could not work as written: too soon
// after the shopper's last word, a session message past the 24-hour
// window, past the session, or leading round in a loop of reminders.
func checkIdle(w *walker, f *Flow, _ Options) {
	looped, delays := map[string]bool{}, gatherDelays(f)
	for _, name := range f.StateNames {
		s := f.States[name]
		if !s.Idle.To.written() {
			continue
		}
		what := "state " + name + ".idle.after: " + shortDuration(s.Idle.After)
		if s.Idle.After > 0 && s.Idle.After < MinIdle {
			w.errorAt(s.Idle.Pos, "idle-too-soon", "%s is under %s, the least souk waits before a reminder", what, shortDuration(MinIdle))
		}
		path, at, loops := idleChain(f, name)
		if s.Idle.After > 0 { // else reported as bad-duration
			checkIdleReach(w, f, s, what, path, at, delays[name])
		}
		if loops && !looped[name] {
			for _, n := range path {
				looped[n] = true
			}
			w.errorAt(s.Idle.Pos, "idle-loop", "state %s.idle: reminders lead back here (%s), so a silent shopper would be written to again and again; end the chain in a state without idle",
				name, strings.Join(append(path, name), " -> "))
		}
	}
}

// checkIdleReach refuses a reminder of s's chain (see idleChain) that
// could not be sent: past the session, or a session message past the
// 24-hour window. Both count from the shopper's last message, not from a
// reminder; the window also counts the delay of a gather whose answer
// enters s (see gatherDelays). The first reminder's problem is told of s's
// own after, a later one's of the chain.
func checkIdleReach(w *walker, f *Flow, s *State, what string, path []string, at []time.Duration, delay gatherDelay) {
	i, late := idleUnreachable(f, path, at, delay.d)
	switch {
	case i == 1 && late:
		also := ""
		if s.Idle.After >= f.SessionTTL {
			also = "; nor is it under session_ttl " + shortDuration(f.SessionTTL)
		}
		w.errorAt(s.Idle.Pos, "idle-too-late", "%s%s is not under 24h, and state %s %s: once 24 hours have passed since the shopper's last message WhatsApp accepts only templates, so a reminder this late may send only `template` messages%s",
			what, delay.plus(), path[1], sessionKind(f.States[path[1]]), also)
	case i == 1:
		w.errorAt(s.Idle.Pos, "idle-after-session", "%s is not under session_ttl %s: the conversation would end first; raise session_ttl to keep it that long", what, shortDuration(f.SessionTTL))
	case i > 1:
		why, plus := "the last would never be sent: the conversation ends at session_ttl "+shortDuration(f.SessionTTL), ""
		if late {
			why = "state " + path[i] + " " + sessionKind(f.States[path[i]]) + ": once 24 hours have passed since the shopper's last message WhatsApp accepts only templates"
			plus = delay.plus()
		}
		w.errorAt(s.Idle.Pos, "idle-chain-too-long", "state %s.idle: its reminders take %s in all (%s)%s, and %s, counted from the shopper's last message, not from a reminder",
			path[0], shortDuration(at[i]), strings.Join(path[:i+1], " -> "), plus, why)
	}
}

// gatherDelay is how long after the shopper's last message a state may be
// entered: the answer a gather holds goes on that long after its last
// piece. d is the longest gather of the states whose text route leads to
// the state, from the first such state written.
type gatherDelay struct {
	d    time.Duration
	from string
}

// plus tells of the delay in an idle error, or is "" without one.
func (g gatherDelay) plus() string {
	if g.d == 0 {
		return ""
	}
	return " plus up to " + shortDuration(g.d) + " (state " + g.from + "'s gather holds the answer that leads here)"
}

// gatherDelays maps each state that a held answer may enter to its delay.
func gatherDelays(f *Flow) map[string]gatherDelay {
	delays := map[string]gatherDelay{}
	for _, name := range f.StateNames {
		s := f.States[name]
		if to := s.Text.State; s.Gather > delays[to].d && to != "" {
			delays[to] = gatherDelay{d: s.Gather, from: name}
		}
	}
	return delays
}

// idleUnreachable finds the first state of a chain (see idleChain) that
// its reminder could not reach: (late) at or past the 24-hour window,
// counting the delay before the chain began, while it sends a session
// message, which no session_ttl would mend, or at or past session_ttl.
// i is 0 when every reminder can be sent.
func idleUnreachable(f *Flow, path []string, at []time.Duration, delay time.Duration) (i int, late bool) {
	for i := 1; i < len(path); i++ {
		if at[i]+delay >= MaxIdle && sessionKind(f.States[path[i]]) != "" {
			return i, true
		}
		if at[i] >= f.SessionTTL {
			return i, false
		}
	}
	return 0, false
}

// idleChain follows the idle moves from the state name: the states they
// lead through, name first, each with how long after entering name the
// shopper would reach it. It stops at a state without idle, back at name
// (loops), or after as many moves as the flow has states (a loop that
// does not pass through name).
func idleChain(f *Flow, name string) (path []string, at []time.Duration, loops bool) {
	path, at = []string{name}, []time.Duration{0}
	for s := f.States[name]; s != nil && s.Idle.To.State != "" && len(path) <= len(f.States); s = f.States[s.Idle.To.State] {
		if s.Idle.To.State == name {
			return path, at, true
		}
		path, at = append(path, s.Idle.To.State), append(at, at[len(at)-1]+s.Idle.After)
	}
	return path, at, false
}

// SendsOnlyTemplates reports whether entering s sends only single-product
// templates, which WhatsApp accepts past the 24-hour window: every
// message in its send list is one (a state that sends nothing qualifies),
// and it runs no built-in handler that sends text. What a Go handler
// sends is not known here.
func (s *State) SendsOnlyTemplates() bool { return sessionKind(s) == "" }

// textBuiltins are the built-in handlers (package handlers) that send
// text; require_cart may also redirect back to the state a reminder left.
var textBuiltins = map[string]bool{"order_summary": true, "require_cart": true}

// sessionKind says what s sends that WhatsApp accepts only within the
// 24-hour window ("sends text", "runs order_summary, which sends text"),
// or "" (also for no state).
func sessionKind(s *State) string {
	if s == nil {
		return ""
	}
	if textBuiltins[s.Run] {
		return "runs " + s.Run + ", which sends text"
	}
	for _, m := range s.Send {
		if m.Kind != "template" {
			return "sends " + m.Kind
		}
	}
	return ""
}

// shortDuration writes d as time.Duration does, without its zero minutes
// and seconds: 1h30m, 24h, 1m.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
