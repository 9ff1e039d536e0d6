package flows

import "gopkg.in/yaml.v3"

// What `stale_taps` makes of a tap that repeats one already taken: the
// same row or button of the same message tapped again (a double tap, or
// an old menu scrolled back to).
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
	w.errorf(v, "bad-stale-taps", "stale_taps must be %s (a tap repeating one already taken routes like any tap) or %s (it answers nothing), not %s",
		StaleTapsApply, StaleTapsIgnore, kindName(v))
	return StaleTapsApply
}

// IgnoresStaleTaps reports whether a tap repeating one already taken is
// to move nothing.
func (f *Flow) IgnoresStaleTaps() bool { return f.StaleTaps == StaleTapsIgnore }
