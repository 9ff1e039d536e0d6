package metrics

import (
	"context"
	"errors"
	"strconv"
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
	s.Metrics.Send(kindOf(out), CodeOf(res, err), start)
	return res, err
}

func kindOf(out whatsapp.Outbound) string {
	if out.Message == nil {
		return "none"
	}
	return out.Message.Kind()
}

// CodeOf names the result of one send for the code label: the HTTP status
// of a success ("202"), Kaleyra's error code ("WA400"), "http_<status>" for
// an error answer without a code, "transport" when no answer came, and
// "invalid" for a request that could not be built.
func CodeOf(res kaleyra.Result, err error) string {
	var api *kaleyra.APIError
	var tr *kaleyra.TransportError
	switch {
	case err == nil:
		return strconv.Itoa(res.Status)
	case errors.As(err, &api) && api.Code != "":
		return api.Code
	case api != nil:
		return "http_" + strconv.Itoa(api.Status)
	case errors.As(err, &tr):
		return "transport"
	}
	return "invalid"
}
