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
			d, err := time.ParseDuration(v.Value)
			if v.Kind != yaml.ScalarNode || err != nil || d <= 0 {
				w.errorf(v, "bad-duration", "%s.after must be a positive duration like 30m or 2h, not %s", what, kindName(v))
				return
			}
			in.After = d
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
			w.idleDiag(s, "idle-too-soon", what+" is under "+shortDuration(MinIdle)+", the least souk waits before a reminder")
		case after >= MaxIdle:
			w.idleDiag(s, "idle-too-late", what+" is not under 24h: past 24 hours after the shopper's last message WhatsApp accepts only templates, and the reminder would be refused")
		case after >= f.SessionTTL:
			w.idleDiag(s, "idle-after-session", what+" is not under session_ttl "+shortDuration(f.SessionTTL)+": the conversation would end first")
		}
		if msg := idleChainTooLong(f, name); msg != "" && s.Idle.After < min(MaxIdle, f.SessionTTL) {
			w.idleDiag(s, "idle-chain-too-long", msg)
		}
		if cycle := idleCycle(f, name); cycle != nil && !looped[name] {
			for _, n := range cycle {
				looped[n] = true
			}
			w.idleDiag(s, "idle-loop", "state "+name+".idle: reminders lead back here ("+strings.Join(append(cycle, name), " -> ")+
				"), so a silent shopper would be written to again and again; end the chain in a state without idle")
		}
	}
}

// idleChainTooLong describes the reminders that follow from the state name
// when, in all, they run past the 24-hour window or the session, which
// both count from the shopper's last message, not from a reminder; else "".
func idleChainTooLong(f *Flow, name string) string {
	limit, why := MaxIdle, "past 24 hours after the shopper's last message WhatsApp accepts only templates"
	if f.SessionTTL <= limit {
		limit, why = f.SessionTTL, "the conversation ends at session_ttl "+shortDuration(f.SessionTTL)
	}
	path, total := []string{name}, time.Duration(0)
	for at := f.States[name]; at != nil && at.Idle.To.State != "" && len(path) <= len(f.States); at = f.States[at.Idle.To.State] {
		total += at.Idle.After
		path = append(path, at.Idle.To.State)
		if total >= limit {
			return "state " + name + ".idle: its reminders take " + shortDuration(total) + " in all (" + strings.Join(path, " -> ") +
				"), and the last would never be sent: " + why + ", counted from the shopper's last message, not from a reminder"
		}
	}
	return ""
}

// idleCycle follows idle moves from the state name and returns the states
// on the way when they lead back to it, else nil.
func idleCycle(f *Flow, name string) []string {
	path := []string{name}
	for at := f.States[name]; at != nil && at.Idle.To.State != ""; {
		next := at.Idle.To.State
		if next == name {
			return path
		}
		if len(path) > len(f.States) {
			return nil // a loop that does not pass through name
		}
		path = append(path, next)
		at = f.States[next]
	}
	return nil
}

func (w *walker) idleDiag(s *State, code, msg string) {
	w.diags = append(w.diags, Diagnostic{File: w.file, Pos: s.Idle.Pos, Code: code, Message: msg})
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
