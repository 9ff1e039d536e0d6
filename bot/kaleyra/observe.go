package kaleyra

import (
	"context"
	"net/http"

	"github.com/souk-commerce/souk/bot/whatsapp"
)

// Observed is a Sender that passes every message to Sender and, once it was
// accepted, shows the request to OnSend: the method, the path a Client
// uses with Config, and the exact body. It lets a web simulator watch a
// real sender the way DryRun.OnSend watches a dry run. It is safe for
// concurrent use when Sender and OnSend are.
type Observed struct {
	Sender Sender
	Config Config
	OnSend func(method, path string, body []byte)
}

// Send implements Sender.
func (o Observed) Send(ctx context.Context, out whatsapp.Outbound) (Result, error) {
	res, err := o.Sender.Send(ctx, out)
	if err != nil || o.OnSend == nil {
		return res, err
	}
	if body, waba, rerr := out.Request(); rerr == nil {
		o.OnSend(http.MethodPost, messagesPath(o.Config, waba), body)
	}
	return res, nil
}
