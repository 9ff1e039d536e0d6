package kaleyra

import (
	"errors"
	"strconv"

	"github.com/souk-commerce/souk/bot/whatsapp"
)

// CodeOf names the result of one send in a word fit for logs and metric
// labels: the HTTP status of a success ("202"), Kaleyra's error code when
// it is one Kaleyra documents ("WA400"), "http_<status>" for an error
// answer with no such code, "transport" when no answer came,
// "outside_window" for a message whose SendBy passed, and "invalid" for
// anything else (a request that could not be built). Only documented codes
// become labels: an answer's code could be any text, a phone number even.
func CodeOf(res Result, err error) string {
	var api *APIError
	var tr *TransportError
	switch {
	case err == nil:
		return strconv.Itoa(res.Status)
	case errors.As(err, &api) && documented[api.Code]:
		return api.Code
	case api != nil:
		return "http_" + strconv.Itoa(api.Status)
	case errors.As(err, &tr):
		return "transport"
	case errors.Is(err, whatsapp.ErrSendByPassed):
		return CodeOutsideWindow
	}
	return "invalid"
}

// CodeOutsideWindow is the code of a send refused because the shopper's
// 24-hour customer-service window closed.
const CodeOutsideWindow = "outside_window"

// documented are the error codes Kaleyra documents.
var documented = map[string]bool{CodeAccepted: true, CodeBadPayload: true, CodeAuth: true, CodeNumber: true,
	CodeAccountType: true, CodeLowBalance: true, CodeInternal: true, CodeDailyLimit: true}
