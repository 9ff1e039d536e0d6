package bot

// observe reports what one applied event did to the metrics. An ignored
// event (held for an operator) moved nothing, and neither did one whose
// handler failed (counted by the handler metrics).
func (e *Engine) observe(res Result) {
	if res.Duplicate {
		e.cfg.Metrics.DedupHit()
		return
	}
	if res.Ignored != "" || res.HandlerFailed != "" {
		return
	}
	if res.Trigger.Step == "gather" {
		e.cfg.Metrics.Gathered(e.Flow().Name)
		return
	}
	e.cfg.Metrics.Move(e.Flow().Name, res.Trigger.Step, res.From, res.To)
}
