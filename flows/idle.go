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
	// MaxIdle is WhatsApp's customer-service window: past 24 hours after
	// the shopper's last message a business may send only templates.
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
// after the shopper's last word, past the 24-hour window or the session,
// or leading round in a loop of reminders.
func checkIdle(w *walker, f *Flow, _ Options) {
	looped := map[string]bool{}
	for _, name := range f.StateNames {
		s := f.States[name]
		if !s.Idle.To.written() {
			continue
		}
		what := "state " + name + ".idle.after: " + shortDuration(s.Idle.After)
		switch after := s.Idle.After; {
		case after == 0: // reported as bad-duration
		case after < MinIdle:
			w.errorAt(s.Idle.Pos, "idle-too-soon", "%s is under %s, the least souk waits before a reminder", what, shortDuration(MinIdle))
		case after >= MaxIdle:
			w.errorAt(s.Idle.Pos, "idle-too-late", "%s is not under 24h: past 24 hours after the shopper's last message WhatsApp accepts only templates, and the reminder would be refused", what)
		case after >= f.SessionTTL:
			w.errorAt(s.Idle.Pos, "idle-after-session", "%s is not under session_ttl %s: the conversation would end first", what, shortDuration(f.SessionTTL))
		}
		path, at, loops := idleChain(f, name)
		if msg := idleChainTooLong(f, path, at); msg != "" && s.Idle.After < min(MaxIdle, f.SessionTTL) {
			w.errorAt(s.Idle.Pos, "idle-chain-too-long", "%s", msg)
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

// idleChainTooLong describes a chain of reminders (see idleChain) that, in
// all, runs past the 24-hour window or the session, which both count from
// the shopper's last message, not from a reminder; else "".
func idleChainTooLong(f *Flow, path []string, at []time.Duration) string {
	limit, why := MaxIdle, "past 24 hours after the shopper's last message WhatsApp accepts only templates"
	if f.SessionTTL <= limit {
		limit, why = f.SessionTTL, "the conversation ends at session_ttl "+shortDuration(f.SessionTTL)
	}
	for i, d := range at {
		if d >= limit {
			return "state " + path[0] + ".idle: its reminders take " + shortDuration(d) + " in all (" + strings.Join(path[:i+1], " -> ") +
				"), and the last would never be sent: " + why + ", counted from the shopper's last message, not from a reminder"
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
