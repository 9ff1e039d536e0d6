package kaleyratest

import "net/http"

// An answer is a canned status and body.
type answer struct {
	status int
	body   string
}

// documented holds Kaleyra's documented error answers by code, as its API
// reference prints them (bot/kaleyra/testdata/errors holds the same bodies).
var documented = map[string]answer{
	"WA400":  {http.StatusBadRequest, `{"code":"WA400","message":"Refer to correct payload format","data":{},"error":{"payload":"Incorrect payload format"}}`},
	"RBC001": {http.StatusUnauthorized, `{"code":"RBC001","message":"Incorrect SID or API key.","data":[],"error":{"error":"Incorrect SID or API key."}}`},
	"WA401":  {http.StatusUnauthorized, `{"code":"WA401","message":"Phone number is not present or does not belong to the account.","data":{},"error":{"phone_number":"Phone number is not present or does not belong to the account."}}`},
	"WA-401": {http.StatusUnauthorized, `{"code":"WA-401","message":"API is not available for given customer.Please contact support for more info","data":{},"error":{"account":"API is not available for given customer.Please contact support for more info"}}`},
	"E110":   {http.StatusBadRequest, `{"code":"E110","message":"Please check your balance, You have a low balance!","data":{},"error":{"balance":"Please check your balance, You have a low balance!"}}`},
	"WA500":  {http.StatusInternalServerError, `{"code":"WA500","message":"Please try again later","data":{},"error":{"error":"Internal server error"}}`},
}

// Codes lists the error codes a Failure may name.
func Codes() []string { return []string{"WA400", "RBC001", "WA401", "WA-401", "E110", "WA500"} }

// CodeDrop is a Failure code that gives no answer at all: the connection is
// cut, which a client sees as a transport error.
const CodeDrop = "drop"

// Failure is one injected failure.
type Failure struct {
	// Code is one of Codes, or CodeDrop.
	Code string
	// Status and Body, when set, replace the documented answer of Code.
	Status int
	Body   string
}

// answer returns the canned answer of f.
func (f Failure) answer() answer {
	a, ok := documented[f.Code]
	if !ok {
		a = documented["WA500"]
	}
	if f.Status != 0 {
		a.status = f.Status
	}
	if f.Body != "" {
		a.body = f.Body
	}
	return a
}

// KnownCode reports whether code names a documented error or CodeDrop.
func KnownCode(code string) bool {
	_, ok := documented[code]
	return ok || code == CodeDrop
}
