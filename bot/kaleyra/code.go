package kaleyra

import (
	"errors"
	"strconv"

	"github.com/souk-commerce/souk/bot/whatsapp"
)

// CodeOf names the result of one send in a word fit for logs and metric
// labels: the HTTP status of a success ("202"), Kaleyra's error code
// ("WA400"), "http_<status>" for an error answer without a code,
// "transport" when no answer came, "outside_window" for a message whose SendBy
// passed, and "invalid" for anything else (a request that could not be
// built).
func CodeOf(res Result, err error) string {
	var api *APIError
	var tr *TransportError
	switch {
	case err == nil:
		return strconv.Itoa(res.Status)
	case errors.As(err, &api) && api.Code != "":
		return api.Code
	case api != nil:
		return "http_" + strconv.Itoa(api.Status)
	case errors.As(err, &tr):
		return "transport"
	case errors.Is(err, whatsapp.ErrSendByPassed):
		return "outside_window"
	}
	return "invalid"
}
