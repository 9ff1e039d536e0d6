package metrics

import (
	"context"
	"time"

	"github.com/souk-commerce/souk/bot/kaleyra"
	"github.com/souk-commerce/souk/bot/whatsapp"
)

// Sender is a kaleyra.Sender that records every attempt (count by kind and
// code, latency by kind) before returning the inner Sender's answer.
type Sender struct {
	Inner   kaleyra.Sender
	Metrics *Metrics
}

// Send implements kaleyra.Sender.
func (s Sender) Send(ctx context.Context, out whatsapp.Outbound) (kaleyra.Result, error) {
	start := time.Now()
	res, err := s.Inner.Send(ctx, out)
	s.Metrics.Send(kindOf(out), kaleyra.CodeOf(res, err), start)
	return res, err
}

func kindOf(out whatsapp.Outbound) string {
	if out.Message == nil {
		return "none"
	}
	return out.Message.Kind()
}
