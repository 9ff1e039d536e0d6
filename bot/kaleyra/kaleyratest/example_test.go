package kaleyratest_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/souk-commerce/souk/bot/kaleyra"
	"github.com/souk-commerce/souk/bot/kaleyra/kaleyratest"
	"github.com/souk-commerce/souk/bot/whatsapp"
)

// A kaleyra.Client on the mock, in-process: the second send meets an
// injected WA500, which the client reports as a retryable *APIError.
func Example() {
	mock := kaleyratest.New()
	client, _ := kaleyra.New(kaleyra.Config{APIKey: "k", SID: "SID", Number: "15550000000",
		BaseURL: "http://kaleyra.test", HTTPClient: mock.Client()})
	out := whatsapp.Outbound{ID: "m1", To: "15550001111", Message: whatsapp.Text{Body: "Hi!"}}

	res, _ := client.Send(context.Background(), out)
	fmt.Println(res.Status, res.MessageID)

	mock.FailNext(kaleyratest.Failure{Code: "WA500"})
	_, err := client.Send(context.Background(), out)
	var apiErr *kaleyra.APIError
	fmt.Println(errors.As(err, &apiErr), apiErr.Code, kaleyra.Retryable(err))

	for _, r := range mock.Requests() {
		fmt.Println(r.Path, r.Status, string(r.Body))
	}
	// Output:
	// 202 KT000000000000000001
	// true WA500 true
	// /v2/SID/whatsapp/15550000000/messages 202 {"messaging_object":{"messaging_product":"whatsapp","recipient_type":"individual","to":"+15550001111","type":"text","text":{"body":"Hi!"}},"extra_info":{"ref":"m1"}}
	// /v2/SID/whatsapp/15550000000/messages 500 {"messaging_object":{"messaging_product":"whatsapp","recipient_type":"individual","to":"+15550001111","type":"text","text":{"body":"Hi!"}},"extra_info":{"ref":"m1"}}
}
