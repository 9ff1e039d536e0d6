package bot

// observe reports what one applied event did to the metrics. An ignored
// event (held for an operator) moved nothing, and neither did one whose
// handler failed (counted by the handler metrics); a stale tap ignored
// and a typed piece held count as trigger steps.
func (e *Engine) observe(res Result) {
	if res.Duplicate {
		e.cfg.Metrics.DedupHit()
		return
	}
	switch {
	case res.Ignored == IgnoredStaleTap:
		e.cfg.Metrics.Unmoved(e.Flow().Name, "stale")
		return
	case res.Ignored != "" || res.HandlerFailed != "":
		return
	case res.Trigger.Step == "gather":
		e.cfg.Metrics.Unmoved(e.Flow().Name, "gather")
		return
	}
	e.cfg.Metrics.Move(e.Flow().Name, res.Trigger.Step, res.From, res.To)
}
