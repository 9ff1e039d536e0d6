package kaleyra_test

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/souk-commerce/souk/bot/kaleyra"
	"github.com/souk-commerce/souk/bot/whatsapp"
)

// A DryRun sender shows the request a Client would make, without sending it.
func ExampleDryRun() {
	d := kaleyra.NewDryRun(slog.New(slog.DiscardHandler), kaleyra.Config{SID: "HX123", Number: "+919800000001"})
	d.OnSend = func(method, path string, _ []byte) { fmt.Println(method, path) }
	res, err := d.Send(context.Background(), whatsapp.Outbound{
		To:      "919812345678",
		Message: whatsapp.Text{Body: "Your pizza is on its way"},
	})
	fmt.Println(res.MessageID, res.Status, err)
	// Output:
	// POST /v2/HX123/whatsapp/919800000001/messages
	// dryrun-1 202 <nil>
}
