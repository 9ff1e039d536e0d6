package flows

import "gopkg.in/yaml.v3"

// What `stale_taps` makes of a tap on a menu the shopper already answered:
// a second tap on a row or button of a message whose tap moved the
// conversation before (a double tap, or a tap on an old menu scrolled
// back to).
const (
	// StaleTapsApply routes such a tap by the rules like any other; the
	// default.
	StaleTapsApply = "apply"
	// StaleTapsIgnore answers such a tap with nothing and moves nothing.
	StaleTapsIgnore = "ignore"
)

// staleTaps reads `stale_taps: apply|ignore`.
func (w *walker) staleTaps(v *yaml.Node) string {
	if v.Kind == yaml.ScalarNode && (v.Value == StaleTapsApply || v.Value == StaleTapsIgnore) {
		return v.Value
	}
	w.errorf(v, "bad-stale-taps", "stale_taps must be %s (a tap on a menu already answered routes like any tap) or %s (it answers nothing), not %s",
		StaleTapsApply, StaleTapsIgnore, kindName(v))
	return StaleTapsApply
}

// IgnoresStaleTaps reports whether a tap on a menu the shopper already
// answered is to move nothing.
func (f *Flow) IgnoresStaleTaps() bool { return f.StaleTaps == StaleTapsIgnore }
